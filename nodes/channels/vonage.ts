import { channelFailure, isSuccess, text } from './common';
import { type ChannelAdapter, ChannelError } from './types';

// https://developer.vonage.com/en/api/sms#send-an-sms
export const vonage: ChannelAdapter = {
	id: 'vonage',
	displayName: 'Vonage SMS',
	kind: 'sms',
	address: 'phone',
	credentialType: 'paymentEventsVonageApi',
	hosts: { live: 'https://rest.nexmo.com' },
	settings: {
		from: {
			displayName: 'From',
			description: 'A Vonage virtual number with its country code (447700900000) or an alphanumeric sender ID',
			placeholder: '447700900000',
			required: true,
		},
	},

	async send(delivery, tools) {
		const response = await tools.request({
			method: 'POST',
			url: '/sms/json',
			form: {
				// The SMS API reads the key and secret from the request body
				api_key: tools.credentials.apiKey ?? '',
				api_secret: tools.credentials.apiSecret ?? '',
				from: withoutPlus(delivery.settings.from ?? ''),
				to: withoutPlus(delivery.to),
				text: delivery.message.text,
				'client-ref': delivery.idempotencyKey,
			},
		});
		if (!isSuccess(response)) throw channelFailure('Vonage', response);
		// A refused message still answers HTTP 200: the outcome is the status of each part of the text (0 is success)
		const messages = (response.body as { messages?: Array<Record<string, unknown>> } | undefined)?.messages ?? [];
		const refused = messages.find((message) => text(message.status) !== '0') ?? (messages.length ? undefined : {});
		if (refused) {
			const status = text(refused.status);
			// 1 Throttled and 5 Internal Error are worth another try (https://developer.vonage.com/en/messaging/sms/guides/troubleshooting-sms)
			throw new ChannelError(`Vonage: ${text(refused['error-text']) ?? 'message not sent'} (status ${status ?? 'missing'})`, {
				retryable: status === '1' || status === '5',
				code: status,
				status: response.status,
			});
		}
		return { providerMessageId: text(messages[0]['message-id']), providerStatus: text(messages[0].status) };
	},
};

/** Vonage documents numbers in E.164 without the leading '+' (447700900000). */
function withoutPlus(value: string): string {
	return /^\+\d+$/.test(value) ? value.slice(1) : value;
}
