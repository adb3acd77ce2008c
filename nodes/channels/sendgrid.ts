import { SENDER_SETTINGS, channelFailure, isSuccess, sendGrouped, text } from './common';
import { ChannelError, type ChannelAdapter, type ChannelResponse, type ChannelTools, type Delivery, type SendResult } from './types';

/** SendGrid takes at most 1,000 personalizations in one Mail Send request. */
const MAX_PERSONALIZATIONS = 1000;

// https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
export const sendgrid: ChannelAdapter = {
	id: 'sendgrid',
	displayName: 'SendGrid',
	kind: 'email',
	address: 'email',
	credentialType: 'paymentEventsSendGridApi',
	hosts: { global: 'https://api.sendgrid.com', eu: 'https://api.eu.sendgrid.com' },
	settings: {
		from: {
			displayName: 'From Email',
			description: 'A verified sender address of the SendGrid account',
			placeholder: 'billing@example.com',
			required: true,
		},
		...SENDER_SETTINGS,
	},

	async send(delivery, tools) {
		const [result] = await sendAll([delivery], tools);
		if (result instanceof ChannelError) throw result;
		return result;
	},

	batch: { max: MAX_PERSONALIZATIONS, send: sendAll },
};

async function sendAll(deliveries: Delivery[], tools: ChannelTools): Promise<Array<SendResult | ChannelError>> {
	return await sendGrouped(deliveries, MAX_PERSONALIZATIONS, async (group) => await post(group, tools));
}

async function post(deliveries: Delivery[], tools: ChannelTools): Promise<SendResult | ChannelError> {
	const [first] = deliveries;
	const { message, settings } = first;
	const fromName = text(settings.fromName);
	const replyTo = text(settings.replyTo);
	const response = await tools.request({
		method: 'POST',
		url: '/v3/mail/send',
		body: {
			personalizations: deliveries.map((delivery) => ({
				to: [{ email: delivery.to, ...(text(delivery.name) ? { name: delivery.name } : {}) }],
				// Carried into SendGrid's event webhooks, so a delivery event can be matched to its confirmation.
				custom_args: { idempotency_key: delivery.idempotencyKey },
			})),
			from: { email: settings.from ?? '', ...(fromName ? { name: fromName } : {}) },
			...(replyTo ? { reply_to: { email: replyTo } } : {}),
			subject: message.subject ?? '',
			// text/plain must come before text/html.
			content: [
				{ type: 'text/plain', value: message.text },
				...(message.html ? [{ type: 'text/html', value: message.html }] : []),
			],
		},
	});
	if (!isSuccess(response)) return failure(response);
	return { providerMessageId: text(response.headers['x-message-id']), providerStatus: 'accepted' };
}

/** Errors: { errors: [{ message, field, help }] } (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors). */
function failure(response: ChannelResponse): ChannelError {
	const body = response.body as { errors?: Array<{ message?: unknown; field?: unknown }> } | undefined;
	const errors = Array.isArray(body?.errors) ? body.errors : [];
	const message = errors
		.map((error) => {
			const field = text(error.field);
			return [text(error.message), field && field !== 'null' ? `(${field})` : undefined].filter(Boolean).join(' ');
		})
		.filter(Boolean)
		.join('; ');
	const error = channelFailure('SendGrid', response, message || undefined);
	// SendGrid sends no Retry-After; X-RateLimit-Reset is the Unix time the limit resets.
	const reset = Number(response.headers['x-ratelimit-reset']);
	if (error.details.retryAfterMs === undefined && response.status === 429 && Number.isFinite(reset) && reset > 0) {
		error.details.retryAfterMs = Math.max(0, reset * 1000 - Date.now());
	}
	return error;
}
