import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { checkoutcom } from '../nodes/providers/checkoutcom';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

export class PaymentEventsCheckoutComApi implements ICredentialType {
	name = 'paymentEventsCheckoutComApi';

	displayName = 'Payment Events: Checkout.com API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.checkout.com/docs/developer-resources/event-notifications/receive-webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_… or sk_sbox_…',
			description:
				'A secret API key (Dashboard → Developers → Keys) with the flow:workflows scope, so the trigger can register its webhook',
		},
		environment(checkoutcom.api!.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		webhookSecret(
			"The signature key of a webhook you set up in the Dashboard (Developers → Webhooks). Leave empty to let the trigger create its workflow with a key of its own.",
			'Webhook Signature Key',
		),
		{
			...baseUrlOverride,
			description:
				"Leave empty to call Checkout.com's API. Set it to your account's own API host (https://<prefix>.api.checkout.com) or a proxy.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.secretKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(checkoutcom.api!.hosts), url: '/workflows' },
	};
}
