import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON } from './shared';

/**
 * A shared token a sender puts in a header of each Payment Webhook Trigger post: what Zapier's and Pabbly's webhook
 * actions can send (they add custom headers but cannot compute an HMAC). No credential test: nothing is called.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- a receiving-only secret has nothing to call
export class PaymentEventsWebhookTokenApi implements ICredentialType {
	name = 'paymentEventsWebhookTokenApi';

	displayName = 'Payment Events: Webhook Header Token API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://github.com/payment-events/n8n-nodes-payment-events#payment-webhook-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			required: true,
			default: 'Authorization',
			description: 'The request header the sender puts the token in',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A long random value. The header may carry it as "Bearer <token>" or bare. Posts are refused (401) while it is empty.',
		},
	];
}
