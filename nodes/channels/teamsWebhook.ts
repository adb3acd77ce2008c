import { channelFailure, isSuccess, text, webhookUrl } from './common';
import { ChannelError, type ChannelAdapter, type ChannelTools, type RenderedMessage } from './types';

/**
 * The message with one Adaptive Card, as Teams webhooks and Workflows take it
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook):
 * the subject as a bold TextBlock, the text, and the facts as a FactSet.
 */
export function adaptiveCardMessage(message: RenderedMessage): unknown {
	const body: unknown[] = [];
	if (message.subject) body.push({ type: 'TextBlock', text: message.subject, weight: 'Bolder', size: 'Medium', wrap: true });
	body.push({ type: 'TextBlock', text: message.text, wrap: true });
	if (message.facts?.length) {
		body.push({ type: 'FactSet', facts: message.facts.map((fact) => ({ title: fact.name, value: fact.value })) });
	}
	return {
		type: 'message',
		attachments: [
			{
				contentType: 'application/vnd.microsoft.card.adaptive',
				contentUrl: null,
				content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.2', body },
			},
		],
	};
}

/** The values of the webhook URL's query (its signature among them), raw and decoded. */
function queryValues(webhookUrl: string): string[] {
	try {
		const url = new URL(webhookUrl);
		return [...url.searchParams.values(), ...url.search.slice(1).split('&').map((pair) => pair.split('=')[1] ?? '')];
	} catch {
		return [];
	}
}

/**
 * An answer's text (at most 300 characters) or its { error: { message } }, without URLs or the values of the webhook
 * URL's query, should a proxy or the service echo them: the signature is the secret.
 */
function answerText(body: unknown, tools: ChannelTools): string | undefined {
	const error = (body as { error?: { message?: string } } | undefined)?.error;
	const answer = typeof body === 'string' || typeof body === 'number' ? String(body).trim().slice(0, 300) : error?.message;
	if (!answer) return undefined;
	let safe = answer.replace(/https?:\/\/\S+/g, '…');
	for (const secret of queryValues(tools.credentials.webhookUrl ?? '')) {
		if (secret.length >= 8) safe = safe.split(secret).join('…');
	}
	return text(safe);
}

// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
export const teamsWebhook: ChannelAdapter = {
	id: 'teamsWebhook',
	displayName: 'Microsoft Teams (Webhook)',
	kind: 'chat',
	address: 'none',
	credentialType: 'paymentEventsTeamsWebhookApi',
	// Teams webhook URLs have no one host (…webhook.office.com for connectors, Power Automate hosts for Workflows):
	// the adapter always posts to the credential's URL, and this host only names the service.
	hosts: { live: 'https://webhook.office.com' },

	async send(delivery, tools) {
		const response = await tools.request({ method: 'POST', url: webhookUrl('Microsoft Teams webhook', tools), body: adaptiveCardMessage(delivery.message) });
		if (!isSuccess(response)) {
			const code = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
			throw channelFailure('Microsoft Teams webhook', response, answerText(response.body, tools), text(code));
		}
		// A Workflows webhook answers 202 with no body; a connector webhook answers "1", and reports its own failures
		// with HTTP 200 and the error as text, throttling included ("Microsoft Teams endpoint returned HTTP error 429",
		// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#rate-limiting-for-connectors).
		const answer = answerText(response.body, tools);
		if (answer === undefined || answer === '1') return { providerStatus: response.status === 202 ? 'accepted' : 'sent' };
		const throttled = answer.includes('HTTP error 429');
		throw new ChannelError(`Microsoft Teams webhook: ${answer}`, {
			retryable: throttled,
			code: throttled ? '429' : String(response.status),
			status: response.status,
		});
	},
};
