import { isSuccess, text, webhookUrl } from './common';
import { slackBlocks, slackEscape, slackFailure } from './slack';
import type { ChannelAdapter } from './types';

// https://api.slack.com/messaging/webhooks
export const slackWebhook: ChannelAdapter = {
	id: 'slackWebhook',
	displayName: 'Slack (Incoming Webhook)',
	kind: 'chat',
	address: 'none',
	credentialType: 'paymentEventsSlackWebhookApi',
	hosts: { live: 'https://hooks.slack.com' },

	async send(delivery, tools) {
		const response = await tools.request({
			method: 'POST',
			url: webhookUrl('Slack webhook', tools),
			body: { text: slackEscape(delivery.message.text), blocks: slackBlocks(delivery.message) },
		});
		// Errors are short strings with a 4xx/5xx status: invalid_payload, channel_not_found, channel_is_archived,
		// action_prohibited, rollup_error … (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks)
		if (!isSuccess(response)) {
			const code = typeof response.body === 'string' ? text(response.body.trim().slice(0, 100)) : undefined;
			throw slackFailure('Slack webhook', response, code && /^[a-z_]+$/.test(code) ? code : undefined);
		}
		// The webhook answers "ok" and names no message.
		return { providerStatus: text(response.body) };
	},
};
