import { channelFailure, isSuccess, text } from './common';
import { type ChannelAdapter, ChannelError, type ChannelResponse, type ChannelTools, type Delivery, type SendResult } from './types';

// https://developers.clicksend.com/docs/messaging/sms (POST /v3/sms/send)
export const clicksend: ChannelAdapter = {
	id: 'clicksend',
	displayName: 'ClickSend SMS',
	kind: 'sms',
	address: 'phone',
	credentialType: 'paymentEventsClickSendApi',
	hosts: { live: 'https://rest.clicksend.com' },
	settings: {
		from: {
			displayName: 'From',
			description: "A sender ID or dedicated number; leave empty to use the account's default sender",
			placeholder: '+61411111111',
		},
	},

	async send(delivery, tools) {
		const [result] = await post([delivery], tools);
		if (result instanceof ChannelError) throw result;
		return result;
	},

	// "You can post up to 1000 messages with each API call" (ClickSend SDK docs, SMSApi sms_send_post)
	batch: { max: 1000, send: post },
};

interface ClickSendMessage {
	message_id?: unknown;
	status?: unknown;
}

/** One POST /v3/sms/send with a message per delivery; ClickSend answers with the messages in the order they were posted. */
async function post(deliveries: Delivery[], tools: ChannelTools): Promise<Array<SendResult | ChannelError>> {
	const response = await tools.request({
		method: 'POST',
		url: '/v3/sms/send',
		body: {
			messages: deliveries.map((delivery) => ({
				source: 'n8n',
				body: delivery.message.text,
				to: delivery.to,
				...(delivery.settings.from ? { from: delivery.settings.from } : {}),
				// Passed back with replies and delivery reports: ties them to the event
				custom_string: delivery.idempotencyKey,
			})),
		},
	});
	if (!isSuccess(response)) throw failure(response);
	const messages = (response.body as { data?: { messages?: ClickSendMessage[] } } | undefined)?.data?.messages ?? [];
	return deliveries.map((_delivery, index) => {
		const message = messages[index];
		const status = text(message?.status);
		if (status === 'SUCCESS') return { providerMessageId: text(message?.message_id), providerStatus: status };
		// Per-message status strings are ClickSend's application status codes (INVALID_RECIPIENT, INSUFFICIENT_CREDIT …)
		return new ChannelError(`ClickSend: message not sent (${status ?? 'no status'})`, {
			retryable: false,
			code: status,
			status: response.status,
		});
	});
}

/** Errors: { http_code, response_code, response_msg, data } with the documented response codes (BAD_REQUEST, UNAUTHORIZED …). */
function failure(response: ChannelResponse): ChannelError {
	const body = response.body as { response_code?: unknown; response_msg?: unknown } | undefined;
	return channelFailure('ClickSend', response, text(body?.response_msg), text(body?.response_code));
}
