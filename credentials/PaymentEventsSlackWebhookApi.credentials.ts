import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

/**
 * The webhook URL is the whole secret. No credential test: an incoming webhook has no authenticated GET, and a test
 * POST would post a message to the channel.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- no authenticated GET exists (see above)
export class PaymentEventsSlackWebhookApi implements ICredentialType {
	name = 'paymentEventsSlackWebhookApi';

	displayName = 'Payment Events: Slack Webhook API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://api.slack.com/messaging/webhooks';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the URL carries the secret
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'https://hooks.slack.com/services/T…/B…/…',
			description: 'The Incoming Webhook URL of your Slack app (Incoming Webhooks), which posts to the channel it was created for',
		},
		baseUrlOverride,
	];
}
