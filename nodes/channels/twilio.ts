import { channelFailure, isSuccess, text } from './common';
import type { ChannelAdapter } from './types';

// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
export const twilio: ChannelAdapter = {
	id: 'twilio',
	displayName: 'Twilio SMS',
	kind: 'sms',
	address: 'phone',
	credentialType: 'paymentEventsTwilioApi',
	hosts: { live: 'https://api.twilio.com' },
	settings: {
		from: {
			displayName: 'From',
			description: 'A Twilio phone number (E.164) or a Messaging Service SID (MG…) to send from',
			placeholder: '+15017122661',
			required: true,
		},
	},

	async send(delivery, tools) {
		const from = delivery.settings.from ?? '';
		const response = await tools.request({
			method: 'POST',
			url: `/2010-04-01/Accounts/${encodeURIComponent(tools.credentials.accountSid ?? '')}/Messages.json`,
			form: {
				To: delivery.to,
				...(from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from }),
				Body: delivery.message.text,
			},
		});
		// Errors: { code, message, more_info, status } (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions)
		if (!isSuccess(response)) {
			const body = response.body as { message?: string; code?: number } | undefined;
			throw channelFailure('Twilio', response, text(body?.message), text(body?.code));
		}
		const body = response.body as { sid?: string; status?: string };
		return { providerMessageId: text(body.sid), providerStatus: text(body.status) };
	},
};
