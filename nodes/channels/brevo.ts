import { createHash } from 'node:crypto';

import { SENDER_SETTINGS, channelFailure, isSuccess, text } from './common';
import type { ChannelAdapter } from './types';

/** The RFC 9562 namespace for URLs, under which the idempotency UUIDs are made. */
const URL_NAMESPACE = '6ba7b8119dad11d180b400c04fd430c8';

// https://developers.brevo.com/reference/sendtransacemail
export const brevo: ChannelAdapter = {
	id: 'brevo',
	displayName: 'Brevo',
	kind: 'email',
	address: 'email',
	credentialType: 'paymentEventsBrevoApi',
	hosts: { live: 'https://api.brevo.com' },
	settings: {
		from: {
			displayName: 'From Email',
			description: 'A sender address validated in the Brevo account',
			placeholder: 'billing@example.com',
			required: true,
		},
		...SENDER_SETTINGS,
	},

	async send(delivery, tools) {
		const { message, settings } = delivery;
		const fromName = text(settings.fromName);
		const replyTo = text(settings.replyTo);
		const response = await tools.request({
			method: 'POST',
			url: '/v3/smtp/email',
			body: {
				sender: { email: settings.from ?? '', ...(fromName ? { name: fromName } : {}) },
				to: [{ email: delivery.to, ...(text(delivery.name) ? { name: delivery.name } : {}) }],
				...(replyTo ? { replyTo: { email: replyTo } } : {}),
				subject: message.subject ?? '',
				// Brevo requires an HTML body when no template is used.
				htmlContent: message.html ?? plainHtml(message.text),
				textContent: message.text,
				// Brevo processes a request once per idempotency key (https://developers.brevo.com/docs/heterogenous-versions-batch-emails).
				headers: { idempotencyKey: idempotencyUuid(delivery.idempotencyKey) },
			},
		});
		// Errors: { code, message } (errorModel of https://developers.brevo.com/reference/sendtransacemail).
		if (!isSuccess(response)) {
			const body = response.body as { code?: unknown; message?: unknown } | undefined;
			const error = channelFailure('Brevo', response, text(body?.message), text(body?.code));
			// Brevo sends no Retry-After; x-sib-ratelimit-reset is the seconds left until the limit resets.
			const reset = Number(response.headers['x-sib-ratelimit-reset']);
			if (error.details.retryAfterMs === undefined && response.status === 429 && Number.isFinite(reset) && reset >= 0) {
				error.details.retryAfterMs = reset * 1000;
			}
			throw error;
		}
		const body = response.body as { messageId?: unknown } | undefined;
		return { providerMessageId: text(body?.messageId), providerStatus: 'sent' };
	},
};

/**
 * Brevo wants a UUID as idempotency key: a name-based one (version 5) of the delivery's key, so that a retry of the
 * same delivery carries the same UUID.
 */
export function idempotencyUuid(key: string): string {
	return uuidV5(`payment-events:${key}`);
}

/** A name-based UUID, version 5 (RFC 9562 §5.5): SHA-1 of the namespace's bytes and the name. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
	const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name).digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function plainHtml(value: string): string {
	const escaped = value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	return `<p>${escaped.replace(/\r?\n/g, '<br>')}</p>`;
}
