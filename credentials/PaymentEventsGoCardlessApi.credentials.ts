import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export class PaymentEventsGoCardlessApi implements ICredentialType {
	name = 'paymentEventsGoCardlessApi';

	displayName = 'Payment Events: GoCardless API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.gocardless.com/api-reference#making-requests-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
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
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}', 'GoCardless-Version': '2015-07-06' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl || ($credentials.environment === "sandbox" ? "https://api-sandbox.gocardless.com" : "https://api.gocardless.com") }}',
			url: '/creditors',
			qs: { limit: 1 },
		},
	};
}
