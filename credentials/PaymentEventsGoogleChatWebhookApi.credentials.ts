import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

/**
 * The webhook URL, with its key and token, is the whole secret. No credential test: a webhook has no authenticated GET
 * (reading a space needs OAuth), and a test POST would post a message to the space.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- no authenticated GET exists (see above)
export class PaymentEventsGoogleChatWebhookApi implements ICredentialType {
	name = 'paymentEventsGoogleChatWebhookApi';

	displayName = 'Payment Events: Google Chat Webhook API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.google.com/workspace/chat/quickstart/webhooks';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the URL carries the secret
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…',
			description: 'The webhook URL of the space (space menu → Apps & integrations → Webhooks)',
		},
		baseUrlOverride,
	];
}
