import { channelFailure, isSuccess, text } from './common';
import type { ChannelAdapter } from './types';

// https://developers.zoom.us/docs/chat/send-edit-and-delete-messages/#send-messages
export const zoomChat: ChannelAdapter = {
	id: 'zoomChat',
	displayName: 'Zoom Team Chat',
	kind: 'chat',
	address: 'chat',
	credentialType: 'paymentEventsZoomChatApi',
	hosts: { live: 'https://api.zoom.us/v2' },

	async send(delivery, tools) {
		const response = await tools.request({
			method: 'POST',
			url: '/im/chat/messages',
			body: {
				robot_jid: tools.credentials.robotJid ?? '',
				to_jid: delivery.to,
				account_id: tools.credentials.accountId ?? '',
				content: {
					head: { text: delivery.message.subject ?? delivery.message.text },
					body: [{ type: 'message', text: delivery.message.text }],
				},
			},
		});
		// Errors: { code, message } (https://developers.zoom.us/docs/api/errors/)
		if (!isSuccess(response)) {
			const body = response.body as { code?: number; message?: string } | undefined;
			throw channelFailure('Zoom', response, text(body?.message), text(body?.code));
		}
		const body = response.body as { message_id?: string };
		return { providerMessageId: text(body.message_id), providerStatus: 'sent' };
	},
};
