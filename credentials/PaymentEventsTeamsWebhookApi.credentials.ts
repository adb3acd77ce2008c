import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

/**
 * The webhook URL is the whole secret. No credential test: neither a Workflows webhook nor a connector webhook has an
 * authenticated GET, and a test POST would post a card to the channel.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- no authenticated GET exists (see above)
export class PaymentEventsTeamsWebhookApi implements ICredentialType {
	name = 'paymentEventsTeamsWebhookApi';

	displayName = 'Payment Events: Microsoft Teams Webhook API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the URL carries the secret
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The URL of a Teams Workflows webhook ("Post to a channel when a webhook request is received") or of an Incoming Webhook connector',
		},
		baseUrlOverride,
	];
}
