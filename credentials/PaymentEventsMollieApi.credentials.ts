import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { mollie } from '../nodes/providers/mollie';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, webhookSecret } from './shared';

export class PaymentEventsMollieApi implements ICredentialType {
	name = 'paymentEventsMollieApi';

	displayName = 'Payment Events: Mollie API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.mollie.com/reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'live_… or test_…',
			description:
				'A live or test API key from the Mollie dashboard (Developers → API keys). The Mollie Payment Trigger also uses it to fetch back the payments classic webhooks name, and to register its next-gen webhook.',
		},
		webhookSecret(
			'Only for next-gen webhooks: the signing secret of a webhook you created in the webhooks settings of the Mollie Dashboard. Leave empty to let the trigger register its webhook and keep the secret Mollie issues. Classic webhooks need no secret.',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(mollie.api!.hosts), url: '/v2/methods' },
	};
}
