import { isSuccess, text } from './common';
import type { ChannelAdapter } from './types';
import { graphFailure } from './whatsapp';

// Downtime, rate limits and "Temporary send message failure" arrive as HTTP 400 with these codes
// (https://developers.facebook.com/docs/messenger-platform/error-codes, https://developers.facebook.com/docs/graph-api/guides/error-handling#errorcodes).
const TEMPORARY = new Set(['2', '4', '17', '32', '613', '1200']);

// https://developers.facebook.com/docs/messenger-platform/reference/send-api
export const messenger: ChannelAdapter = {
	id: 'messenger',
	displayName: 'Facebook Messenger',
	kind: 'chat',
	address: 'chat',
	credentialType: 'paymentEventsMessengerApi',
	hosts: { live: 'https://graph.facebook.com' },
	settings: {
		tag: {
			displayName: 'Message Tag',
			description: 'The message tag that allows sending outside the 24-hour window; payment receipts are POST_PURCHASE_UPDATE',
			default: 'POST_PURCHASE_UPDATE',
		},
	},

	async send(delivery, tools) {
		const response = await tools.request({
			method: 'POST',
			url: '/v21.0/me/messages',
			body: {
				recipient: { id: delivery.to },
				messaging_type: 'MESSAGE_TAG',
				// https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
				tag: delivery.settings.tag || 'POST_PURCHASE_UPDATE',
				message: { text: delivery.message.text },
			},
		});
		if (!isSuccess(response)) throw graphFailure('Messenger', response, TEMPORARY);
		const body = response.body as { message_id?: string };
		return { providerMessageId: text(body.message_id), providerStatus: 'sent' };
	},
};
