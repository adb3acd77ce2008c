import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { stripe } from '../nodes/providers/stripe';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, webhookSecret } from './shared';

export class PaymentEventsStripeApi implements ICredentialType {
	name = 'paymentEventsStripeApi';

	displayName = 'Payment Events: Stripe API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_live_… or rk_live_…',
			description:
				'A secret or restricted key (Developers → API keys). A restricted key needs write access to Webhook Endpoints for the trigger to register itself.',
		},
		webhookSecret(
			'The whsec_… secret of an endpoint you created in the Dashboard (Developers → Webhooks). Leave empty to let the trigger register its endpoint and keep the secret Stripe issues.',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.secretKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(stripe.api!.hosts), url: '/v1/webhook_endpoints', qs: { limit: 1 } },
	};
}
