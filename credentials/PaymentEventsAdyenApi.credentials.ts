import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { adyen } from '../nodes/providers/adyen';
import { CREDENTIAL_ICON, baseUrlOverride, environment, webhookSecret } from './shared';

/** The hosts name the merchant account; n8n's test request fills it in itself. */
function merchantBaseUrl(hosts: Readonly<Record<string, string>>): string {
	const [live, test] = [hosts.live, hosts.test].map((host) => JSON.stringify(host.replace('{merchantAccount}', '')));
	return `={{ $credentials.baseUrl || ($credentials.environment === "live" ? ${live} : ${test}) + encodeURIComponent($credentials.merchantAccount) }}`;
}

export class PaymentEventsAdyenApi implements ICredentialType {
	name = 'paymentEventsAdyenApi';

	displayName = 'Payment Events: Adyen API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.adyen.com/development-resources/webhooks/configure-and-manage';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The API key of an API credential with the role Management API — Webhooks read and write (Customer Area → Developers → API credentials)',
		},
		{
			displayName: 'Merchant Account',
			name: 'merchantAccount',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'YourCompanyECOM',
			description: 'The merchant account the trigger registers its webhook for',
		},
		environment(adyen.api!.hosts, { test: 'Test', live: 'Live' }),
		webhookSecret(
			'The HMAC key (hexadecimal) of a webhook you configured in the Customer Area (Developers → Webhooks). Leave empty to let the trigger register its webhook and keep the key Adyen generates.',
			'HMAC Key',
		),
		{
			displayName: 'Basic Auth User',
			name: 'basicAuthUser',
			type: 'string',
			default: '',
			description: 'Only when the webhook in the Customer Area sends basic authentication: deliveries must then carry it',
		},
		{
			displayName: 'Basic Auth Password',
			name: 'basicAuthPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			...baseUrlOverride,
			placeholder: 'https://proxy.example.com/v3/merchants/YourCompanyECOM',
			description: "Leave empty to call Adyen's Management API. A proxy URL must end in /v3/merchants/<merchant account>.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: merchantBaseUrl(adyen.api!.hosts), url: '/webhooks', qs: { pageSize: 1 } },
	};
}
