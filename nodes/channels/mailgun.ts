import { SENDER_SETTINGS, channelFailure, isObject, isSuccess, sendGrouped, text } from './common';
import { ChannelError, type ChannelAdapter, type ChannelResponse, type ChannelTools, type Delivery, type SendResult } from './types';

/** Mailgun's batch sending takes at most 1,000 recipients in one request. */
const MAX_RECIPIENTS = 1000;

// https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Messages/
export const mailgun: ChannelAdapter = {
	id: 'mailgun',
	displayName: 'Mailgun',
	kind: 'email',
	address: 'email',
	credentialType: 'paymentEventsMailgunApi',
	hosts: { us: 'https://api.mailgun.net', eu: 'https://api.eu.mailgun.net' },
	settings: {
		from: {
			displayName: 'From Email',
			description: 'An address of the Mailgun sending domain',
			placeholder: 'billing@mg.example.com',
			required: true,
		},
		...SENDER_SETTINGS,
	},

	async send(delivery, tools) {
		const [result] = await sendAll([delivery], tools);
		if (result instanceof ChannelError) throw result;
		return result;
	},

	batch: { max: MAX_RECIPIENTS, send: sendAll },
};

async function sendAll(deliveries: Delivery[], tools: ChannelTools): Promise<Array<SendResult | ChannelError>> {
	return await sendGrouped(deliveries, MAX_RECIPIENTS, async (group) => await post(group, tools));
}

/** "Name <address>", the name quoted when it holds more than letters, digits, spaces, hyphens and apostrophes. */
function mailbox(address: string, name?: string): string {
	const display = text(name);
	if (!display) return address;
	return /^[\p{L}\p{N} '-]+$/u.test(display) ? `${display} <${address}>` : `"${display.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

async function post(deliveries: Delivery[], tools: ChannelTools): Promise<SendResult | ChannelError> {
	const [first] = deliveries;
	const { message, settings } = first;
	const replyTo = text(settings.replyTo);
	const fields: Record<string, string | string[]> = {
		from: mailbox(settings.from ?? '', settings.fromName),
		to: deliveries.map((delivery) => mailbox(delivery.to, delivery.name)),
		subject: message.subject ?? '',
		text: message.text,
	};
	if (message.html) fields.html = message.html;
	if (replyTo) fields['h:Reply-To'] = replyTo;
	if (deliveries.length === 1) {
		// Custom data carried into Mailgun's events and webhooks as user-variables.
		fields['v:idempotency_key'] = first.idempotencyKey;
	} else {
		// With recipient-variables each recipient gets a message of their own, with only their address in To.
		fields['recipient-variables'] = JSON.stringify(
			Object.fromEntries(deliveries.map((delivery) => [delivery.to, { idempotency_key: delivery.idempotencyKey }])),
		);
	}
	const response = await tools.request({
		method: 'POST',
		url: `/v3/${encodeURIComponent(tools.credentials.domain ?? '')}/messages`,
		multipart: fields,
	});
	if (!isSuccess(response)) return failure(response);
	const body = response.body as { id?: unknown } | undefined;
	return { providerMessageId: text(body?.id), providerStatus: 'queued' };
}

/** Errors: { message } as JSON, or a plain-text body such as "Forbidden" for a wrong key. */
function failure(response: ChannelResponse): ChannelError {
	const message = isObject(response.body) ? text(response.body.message) : text(response.body);
	return channelFailure('Mailgun', response, message?.slice(0, 500));
}
