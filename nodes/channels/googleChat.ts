import { channelFailure, isSuccess, text, webhookUrl } from './common';
import type { ChannelAdapter, RenderedMessage } from './types';

// Card text takes a subset of HTML (https://developers.google.com/workspace/chat/format-messages#card-formatting).
const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One card: the subject as its header, each fact as a decoratedText widget (label above, value below). */
export function googleChatCards(message: RenderedMessage): unknown[] {
	const facts = message.facts ?? [];
	if (!message.subject && !facts.length) return [];
	const card: Record<string, unknown> = {};
	if (message.subject) card.header = { title: message.subject };
	if (facts.length) {
		card.sections = [{ widgets: facts.map((fact) => ({ decoratedText: { topLabel: fact.name, text: escapeHtml(fact.value) } })) }];
	}
	return [{ cardId: 'paymentConfirmation', card }];
}

// https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create (as a webhook)
export const googleChat: ChannelAdapter = {
	id: 'googleChat',
	displayName: 'Google Chat (Webhook)',
	kind: 'chat',
	address: 'none',
	credentialType: 'paymentEventsGoogleChatWebhookApi',
	hosts: { live: 'https://chat.googleapis.com' },

	async send(delivery, tools) {
		const cards = googleChatCards(delivery.message);
		const response = await tools.request({
			method: 'POST',
			url: webhookUrl('Google Chat', tools),
			// "Specifying an existing request ID returns the message created with that ID instead of creating a new message."
			qs: { requestId: delivery.idempotencyKey },
			headers: { 'content-type': 'application/json; charset=UTF-8' },
			body: { text: delivery.message.text, ...(cards.length ? { cardsV2: cards } : {}) },
		});
		// Errors: google.rpc.Status { error: { code, message, status } } (https://cloud.google.com/apis/design/errors)
		if (!isSuccess(response)) {
			const error = (response.body as { error?: { message?: string; status?: string } } | undefined)?.error;
			throw channelFailure('Google Chat', response, text(error?.message), text(error?.status));
		}
		// For webhooks the answer is the request's message with only name and thread.name filled in.
		const body = response.body as { name?: string };
		return { providerMessageId: text(body.name) };
	},
};
