import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export class PaymentEventsWiseApi implements ICredentialType {
	name = 'paymentEventsWiseApi';

	displayName = 'Payment Events: Wise API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.wise.com/api-docs/features/authentication-access/personal-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A read-only personal API token (Settings → API tokens)',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Live', value: 'live' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'live',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl || ($credentials.environment === "sandbox" ? "https://api.sandbox.transferwise.tech" : "https://api.transferwise.com") }}',
			url: '/v1/profiles',
		},
	};
}
