import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { mollie } from '../nodes/providers/mollie';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

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
			description: 'A live or test API key from the Mollie dashboard (Developers → API keys)',
		},
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
