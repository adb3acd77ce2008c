import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { razorpay } from '../nodes/providers/razorpay';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, webhookSecret } from './shared';

export class PaymentEventsRazorpayApi implements ICredentialType {
	name = 'paymentEventsRazorpayApi';

	displayName = 'Payment Events: Razorpay API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://razorpay.com/docs/api/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'Key ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'rzp_live_… or rzp_test_…',
			description: 'The API key ID (Dashboard → Accounts & Settings → API Keys)',
		},
		{
			displayName: 'Key Secret',
			name: 'keySecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		webhookSecret(
			'The secret you entered for the webhook in the Razorpay Dashboard (Accounts & Settings → Webhooks). It is not the key secret.',
			'Webhook Secret',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.accessKeyId}}', password: '={{$credentials.keySecret}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(razorpay.api!.hosts), url: '/v1/payments', qs: { count: 1 } },
	};
}
