import { channelFailure, isSuccess, text } from './common';
import { ChannelError, type ChannelAdapter, type ChannelResponse } from './types';

// Graph answers downtime (2) and throttling with HTTP 400 and a code (https://developers.facebook.com/docs/graph-api/guides/error-handling#errorcodes,
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes#throttling-errors).
const TEMPORARY = new Set(['2', '4', '80007', '130429', '131056']);

/** A Graph API error { error: { message, type, code, error_subcode, fbtrace_id } }, retryable when its code says it is temporary. */
export function graphFailure(provider: string, response: ChannelResponse, temporary: ReadonlySet<string>): ChannelError {
	const error = (response.body as { error?: { message?: string; code?: number } } | undefined)?.error;
	const failure = channelFailure(provider, response, text(error?.message), text(error?.code));
	if (failure.details.retryable || !temporary.has(failure.details.code ?? '')) return failure;
	return new ChannelError(failure.message, { ...failure.details, retryable: true });
}

// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#template-messages
export const whatsapp: ChannelAdapter = {
	id: 'whatsapp',
	displayName: 'WhatsApp Business',
	kind: 'chat',
	address: 'phone',
	credentialType: 'paymentEventsWhatsAppApi',
	hosts: { live: 'https://graph.facebook.com' },
	settings: {
		phoneNumberId: {
			displayName: 'Phone Number ID',
			description: 'The ID of the business phone number to send from (WhatsApp Manager → API Setup)',
			placeholder: '106540352242922',
			required: true,
		},
		templateName: {
			displayName: 'Template Name',
			description: 'An approved message template whose body takes the confirmation parameters in order',
			placeholder: 'payment_confirmation',
			required: true,
		},
		languageCode: {
			displayName: 'Template Language',
			description: 'The language code the template was approved in',
			placeholder: 'en_US',
			default: 'en_US',
			required: true,
		},
	},

	async send(delivery, tools) {
		const parameters = delivery.message.templateParameters ?? [];
		const response = await tools.request({
			method: 'POST',
			url: `/v21.0/${encodeURIComponent(delivery.settings.phoneNumberId ?? '')}/messages`,
			body: {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: delivery.to,
				type: 'template',
				template: {
					name: delivery.settings.templateName ?? '',
					language: { code: delivery.settings.languageCode || 'en_US' },
					...(parameters.length
						? { components: [{ type: 'body', parameters: parameters.map((value) => ({ type: 'text', text: value })) }] }
						: {}),
				},
			},
		});
		if (!isSuccess(response)) throw graphFailure('WhatsApp', response, TEMPORARY);
		const message = (response.body as { messages?: Array<{ id?: string; message_status?: string }> }).messages?.[0];
		return { providerMessageId: text(message?.id), providerStatus: text(message?.message_status) ?? 'accepted' };
	},
};
