import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';

import { SENDER_SETTINGS, text } from './common';
import { ChannelError, type ChannelAdapter } from './types';

/** Errors of nodemailer that end the connection rather than refuse the message: trying again can work. */
const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

// https://nodemailer.com/smtp/ (RFC 5321 replies: 4yz transient, 5yz permanent)
export const smtp: ChannelAdapter = {
	id: 'smtp',
	displayName: 'SMTP',
	kind: 'email',
	address: 'email',
	credentialType: 'paymentEventsSmtpApi',
	// Not an HTTP API: the adapter talks SMTP to the credential's server itself.
	hosts: { smtp: 'smtp://{host}:{port}' },
	settings: {
		from: {
			displayName: 'From Email',
			description: 'The sender address the SMTP server accepts for this login',
			placeholder: 'billing@example.com',
			required: true,
		},
		...SENDER_SETTINGS,
	},

	async send(delivery, tools) {
		const { message, settings } = delivery;
		const from = settings.from ?? '';
		const transport = transportFor(tools.credentials);
		try {
			const info = await transport.sendMail({
				from: text(settings.fromName) ? { name: settings.fromName, address: from } : from,
				to: text(delivery.name) ? { name: delivery.name!, address: delivery.to } : delivery.to,
				replyTo: text(settings.replyTo),
				subject: message.subject ?? '',
				text: message.text,
				html: message.html,
				// SMTP has no idempotency key; a Message-ID fixed by the delivery lets mail systems recognise a resend.
				messageId: `<${createHash('sha256').update(delivery.idempotencyKey).digest('hex').slice(0, 32)}@${from.split('@')[1] || 'localhost'}>`,
			});
			return { providerMessageId: text(info.messageId), providerStatus: text(info.response) };
		} catch (error) {
			throw failure(error, [tools.credentials.password, tools.credentials.user]);
		} finally {
			transport.close();
		}
	},
};

/**
 * Logs in to the credential's server without sending anything, for the node's credential test (`testedBy`): SMTP has
 * no HTTP request n8n could test it with.
 */
export async function verifySmtpLogin(credentials: Readonly<Record<string, unknown>>): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const transport = transportFor(credentials);
	try {
		await transport.verify();
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		return { status: 'Error', message: failure(error, [text(credentials.password), text(credentials.user)]).message };
	} finally {
		transport.close();
	}
}

function transportFor(credentials: Readonly<Record<string, unknown>>) {
	const [host, port, user, password] = [credentials.host, credentials.port, credentials.user, credentials.password].map(text);
	const security = text(credentials.security) ?? 'starttls';
	return createTransport({
		host,
		port: Number(port) || (security === 'tls' ? 465 : 587),
		secure: security === 'tls',
		requireTLS: security === 'starttls',
		ignoreTLS: security === 'none',
		auth: user ? { user, pass: password ?? '' } : undefined,
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 30_000,
		disableFileAccess: true,
		disableUrlAccess: true,
	});
}

/** A reply code decides: 4yz is transient, 5yz permanent; without one, only a lost connection is worth a retry. */
function failure(error: unknown, secrets: Array<string | undefined>): ChannelError {
	const { message, code, responseCode } = error as { message?: unknown; code?: unknown; responseCode?: unknown };
	const reply = typeof responseCode === 'number' ? responseCode : undefined;
	const retryable = reply !== undefined ? reply >= 400 && reply < 500 : TRANSIENT.has(String(code));
	return new ChannelError(`SMTP: ${scrub(String(message ?? 'send failed'), secrets)}`, {
		retryable,
		code: reply !== undefined ? String(reply) : text(code),
	});
}

/** A server may echo what it was sent; the password and the encodings AUTH sends it in never reach the message. */
function scrub(value: string, [password, user]: Array<string | undefined>): string {
	if (!password) return value;
	const forms = [
		Buffer.from(`\u0000${user ?? ''}\u0000${password}`).toString('base64'),
		Buffer.from(password).toString('base64'),
		password,
	];
	return forms.reduce((scrubbed, form) => scrubbed.split(form).join('***'), value);
}
