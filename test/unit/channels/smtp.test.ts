import { createHash } from 'node:crypto';
import net from 'node:net';

import { PaymentEventsSmtpApi } from '../../../credentials/PaymentEventsSmtpApi.credentials';
import { smtp, verifySmtpLogin } from '../../../nodes/channels/smtp';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';

const USER = 'billing@example.com';
const PASSWORD = 'smtp-test-password-not-a-real-secret';

/** What the test server answers, by command; anything not set is accepted. */
interface Script {
	greeting?: string;
	auth?: (line: string) => string;
	mail?: string;
	rcpt?: string;
	data?: string;
}

/**
 * A tiny SMTP server on 127.0.0.1 (RFC 5321: EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) that
 * answers as scripted and keeps the commands and the message it received.
 */
async function smtpServer(script: Script = {}) {
	const commands: string[] = [];
	const messages: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		let buffer = '';
		let data: string[] | undefined;
		const say = (reply: string) => socket.write(`${reply}\r\n`);
		say(script.greeting ?? '220 localhost ESMTP test');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let end: number;
			while ((end = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (data) {
					if (line === '.') {
						messages.push(data.join('\r\n'));
						data = undefined;
						say(script.data ?? '250 2.0.0 Ok: queued as 4F2A1C0B9E');
					} else data.push(line.startsWith('..') ? line.slice(1) : line);
					continue;
				}
				commands.push(line);
				const verb = line.split(/[ :]/)[0].toUpperCase();
				if (verb === 'EHLO') say(`250-localhost\r\n${script.auth ? '250-AUTH PLAIN\r\n' : ''}250 8BITMIME`);
				else if (verb === 'HELO') say('250 localhost');
				else if (verb === 'AUTH') say(script.auth ? script.auth(line) : '502 5.5.1 not supported');
				else if (verb === 'MAIL') say(script.mail ?? '250 2.1.0 Ok');
				else if (verb === 'RCPT') say(script.rcpt ?? '250 2.1.5 Ok');
				else if (verb === 'DATA') {
					data = [];
					say('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					say('221 2.0.0 Bye');
					socket.end();
				} else say('250 2.0.0 Ok');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		port: String(port),
		commands,
		messages,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

const settings = { from: 'billing@example.com', fromName: 'Example Billing', replyTo: 'support@example.com' };
const email = (overrides: Partial<Delivery> = {}) =>
	delivery({ to: 'jenny.rosen@example.com', idempotencyKey: 'stripe:evt_1:smtp:jenny.rosen@example.com', settings, ...overrides });

function tools(port: string, credentials: Record<string, string> = {}) {
	return channelTools(smtp, new PaymentEventsSmtpApi(), { host: '127.0.0.1', port, security: 'none', ...credentials }).tools;
}

async function failure(run: () => Promise<unknown>): Promise<ChannelError> {
	try {
		await run();
	} catch (error) {
		if (error instanceof ChannelError) return error;
		throw error;
	}
	throw new Error('expected a ChannelError');
}

/** The message's headers (unfolded) and its text/plain and text/html parts, quoted-printable decoded. */
function parse(raw: string) {
	const [head] = raw.split('\r\n\r\n');
	const headers = Object.fromEntries(
		head
			.replace(/\r\n[ \t]+/g, ' ')
			.split('\r\n')
			.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
	);
	const part = (type: string) => {
		const match = new RegExp(`Content-Type: ${type}[^\\r]*\\r\\n((?:[^\\r]+\\r\\n)*)\\r\\n([\\s\\S]*?)\\r\\n--`).exec(raw);
		if (!match) return undefined;
		const body = match[2];
		return /quoted-printable/i.test(match[1])
			? body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
			: body;
	};
	return { headers, text: part('text/plain'), html: part('text/html') };
}

describe('SMTP', () => {
	it('delivers the message over SMTP: envelope, headers, text and HTML parts, and a Message-ID fixed by the delivery', async () => {
		const server = await smtpServer();
		try {
			const result = await smtp.send(email(), tools(server.port));

			const messageId = `<${createHash('sha256').update('stripe:evt_1:smtp:jenny.rosen@example.com').digest('hex').slice(0, 32)}@example.com>`;
			expect(result).toEqual({ providerMessageId: messageId, providerStatus: '250 2.0.0 Ok: queued as 4F2A1C0B9E' });
			expect(server.commands.filter((c) => /^(MAIL|RCPT|DATA)/.test(c))).toEqual([
				'MAIL FROM:<billing@example.com>',
				'RCPT TO:<jenny.rosen@example.com>',
				'DATA',
			]);
			expect(server.messages).toHaveLength(1);
			const message = parse(server.messages[0]);
			expect(message.headers).toMatchObject({
				from: 'Example Billing <billing@example.com>',
				to: 'Jenny Rosen <jenny.rosen@example.com>',
				'reply-to': 'support@example.com',
				subject: 'Payment received: $20.00',
				'message-id': messageId,
			});
			expect(message.headers['content-type']).toMatch(/^multipart\/alternative;/);
			expect(message.text).toBe('Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!');
			expect(message.html).toBe('<p>Hi Jenny, we received your payment of <strong>$20.00</strong> (ref INV-0042). Thank you!</p>');
		} finally {
			await server.close();
		}
	});

	it('the same delivery sent again carries the same Message-ID; another delivery another one', async () => {
		const server = await smtpServer();
		try {
			const first = await smtp.send(email(), tools(server.port));
			const again = await smtp.send(email(), tools(server.port));
			const other = await smtp.send(email({ idempotencyKey: 'stripe:evt_2:smtp:jenny.rosen@example.com' }), tools(server.port));
			expect(again.providerMessageId).toBe(first.providerMessageId);
			expect(other.providerMessageId).not.toBe(first.providerMessageId);
		} finally {
			await server.close();
		}
	});

	it('logs in with AUTH PLAIN when the credential has a user', async () => {
		const server = await smtpServer({ auth: () => '235 2.7.0 Authentication successful' });
		try {
			await smtp.send(email(), tools(server.port, { user: USER, password: PASSWORD }));
			const auth = server.commands.find((c) => c.startsWith('AUTH PLAIN'));
			expect(auth).toBeDefined();
			expect(Buffer.from(auth!.split(' ')[2], 'base64').toString('utf8')).toBe(`\u0000${USER}\u0000${PASSWORD}`);
		} finally {
			await server.close();
		}
	});

	it('a rejected RCPT (550) → not retryable, with the server’s reply', async () => {
		const server = await smtpServer({ rcpt: '550 5.1.1 <jenny.rosen@example.com>: Recipient address rejected: User unknown' });
		try {
			const error = await failure(() => smtp.send(email(), tools(server.port)));
			expect(error.message).toMatch(/^SMTP: .*550 5\.1\.1 <jenny\.rosen@example\.com>: Recipient address rejected: User unknown$/);
			expect(error.details).toEqual({ retryable: false, code: '550' });
			expect(server.messages).toEqual([]);
		} finally {
			await server.close();
		}
	});

	it('a 4xx reply (greylisting at RCPT) → retryable', async () => {
		const server = await smtpServer({ rcpt: '450 4.2.0 <jenny.rosen@example.com>: Recipient address rejected: Greylisted, try again later' });
		try {
			const error = await failure(() => smtp.send(email(), tools(server.port)));
			expect(error.details).toEqual({ retryable: true, code: '450' });
		} finally {
			await server.close();
		}
	});

	it('a 4xx reply to the message (452 at end of DATA) → retryable; a 554 there → not', async () => {
		const busy = await smtpServer({ data: '452 4.3.1 Insufficient system storage' });
		const refused = await smtpServer({ data: '554 5.7.1 Message rejected as spam' });
		try {
			expect((await failure(() => smtp.send(email(), tools(busy.port)))).details).toEqual({ retryable: true, code: '452' });
			expect((await failure(() => smtp.send(email(), tools(refused.port)))).details).toEqual({ retryable: false, code: '554' });
		} finally {
			await busy.close();
			await refused.close();
		}
	});

	it('a server that is not taking mail (421 greeting) → retryable', async () => {
		const server = await smtpServer({ greeting: '421 4.3.2 Service not available, closing transmission channel' });
		try {
			const error = await failure(() => smtp.send(email(), tools(server.port)));
			expect(error.details).toMatchObject({ retryable: true, code: '421' });
		} finally {
			await server.close();
		}
	});

	it('no server listening → retryable', async () => {
		const server = await smtpServer();
		const { port } = server;
		await server.close();

		const error = await failure(() => smtp.send(email(), tools(port)));
		expect(error.details.retryable).toBe(true);
	});

	it('a refused login → not retryable, and the password is nowhere in the error, even when the server echoes it', async () => {
		const server = await smtpServer({ auth: (line) => `535 5.7.8 Authentication credentials invalid: ${line}` });
		try {
			const error = await failure(() => smtp.send(email(), tools(server.port, { user: USER, password: PASSWORD })));
			expect(error.details).toEqual({ retryable: false, code: '535' });
			expect(error.message).toContain('535 5.7.8 Authentication credentials invalid: AUTH PLAIN ***');
			const shown = JSON.stringify({ message: error.message, details: error.details });
			expect(shown).not.toContain(PASSWORD);
			expect(shown).not.toContain(Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64'));
		} finally {
			await server.close();
		}
	});
});

describe('SMTP credential test (for the node\'s testedBy)', () => {
	it('logs in without sending anything: OK', async () => {
		const server = await smtpServer({ auth: () => '235 2.7.0 Authentication successful' });
		try {
			const credentials = { host: '127.0.0.1', port: Number(server.port), security: 'none', user: USER, password: PASSWORD };
			await expect(verifySmtpLogin(credentials)).resolves.toEqual({ status: 'OK', message: 'Connection successful' });
			expect(server.commands.some((c) => c.startsWith('AUTH PLAIN'))).toBe(true);
			expect(server.commands.some((c) => /^(MAIL|RCPT|DATA)/.test(c))).toBe(false);
		} finally {
			await server.close();
		}
	});

	it('a refused login: Error with the server\'s reply, and no password', async () => {
		const server = await smtpServer({ auth: (line) => `535 5.7.8 Authentication credentials invalid: ${line}` });
		try {
			const credentials = { host: '127.0.0.1', port: server.port, security: 'none', user: USER, password: PASSWORD };
			const result = await verifySmtpLogin(credentials);
			expect(result.status).toBe('Error');
			expect(result.message).toContain('535 5.7.8 Authentication credentials invalid');
			expect(result.message).not.toContain(PASSWORD);
		} finally {
			await server.close();
		}
	});
});
