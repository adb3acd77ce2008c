import { channelFailure, isSuccess, text } from './common';
import { type ChannelAdapter, ChannelError } from './types';

// https://www.plivo.com/docs/messaging/api/message/send-a-message
export const plivo: ChannelAdapter = {
	id: 'plivo',
	displayName: 'Plivo SMS',
	kind: 'sms',
	address: 'phone',
	credentialType: 'paymentEventsPlivoApi',
	hosts: { live: 'https://api.plivo.com' },
	settings: {
		from: {
			displayName: 'Source',
			description: 'A Plivo phone number with its country code (14155551234) or an approved alphanumeric sender ID',
			placeholder: '14155551234',
			required: true,
		},
	},

	async send(delivery, tools) {
		const response = await tools.request({
			method: 'POST',
			url: `/v1/Account/${encodeURIComponent(tools.credentials.authId ?? '')}/Message/`,
			// Plivo documents numbers as the country code and number without '+', and reads '<' in dst as a list of recipients
			body: { src: digits(delivery.settings.from ?? ''), dst: digits(delivery.to), text: delivery.message.text },
		});
		// Errors: { api_id, error } (https://www.plivo.com/docs/messaging/api/response)
		if (!isSuccess(response)) {
			const body = response.body as { error?: unknown } | undefined;
			throw channelFailure('Plivo', response, text(body?.error));
		}
		const body = response.body as { message_uuid?: unknown[]; message?: unknown; invalid_number?: unknown[] };
		const id = text(body.message_uuid?.[0]);
		// A destination Plivo refuses is listed in invalid_number of an otherwise accepted request
		if (!id && body.invalid_number?.length) {
			throw new ChannelError('Plivo: the destination number is invalid', { retryable: false, code: 'invalid_number', status: response.status });
		}
		return { providerMessageId: id, providerStatus: text(body.message) };
	},
};

/** A phone number as Plivo documents it (country code and number, no '+'); a sender ID that is not a number is kept. */
function digits(value: string): string {
	return /^\+\d+$/.test(value) ? value.slice(1) : value;
}
