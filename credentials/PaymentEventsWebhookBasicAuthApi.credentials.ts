import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON } from './shared';

/** The user and password a sender posts to the Payment Webhook Trigger with (HTTP Basic). No credential test: nothing is called. */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- a receiving-only secret has nothing to call
export class PaymentEventsWebhookBasicAuthApi implements ICredentialType {
	name = 'paymentEventsWebhookBasicAuthApi';

	displayName = 'Payment Events: Webhook Basic Auth API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://github.com/payment-events/n8n-nodes-payment-events#payment-webhook-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Posts are refused (401) while user or password is empty',
		},
	];
}
