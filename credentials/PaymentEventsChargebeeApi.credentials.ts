import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export class PaymentEventsChargebeeApi implements ICredentialType {
	name = 'paymentEventsChargebeeApi';

	displayName = 'Payment Events: Chargebee API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://apidocs.chargebee.com/docs/api/auth';

	properties: INodeProperties[] = [
		{
			displayName: 'Site',
			name: 'site',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'acme or acme-test',
			description: 'The part before .chargebee.com in the site’s address (a test site ends in -test)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A full-access API key (Settings → Configure Chargebee → API Keys and Webhooks), so the trigger can register its webhook endpoint',
		},
		{
			displayName: 'Webhook Username',
			name: 'webhookUsername',
			type: 'string',
			default: '',
			description:
				'The basic authentication user name of a webhook endpoint you added in Chargebee yourself. Leave both webhook fields empty to let the trigger register its endpoint with a generated password.',
		},
		{
			displayName: 'Webhook Password',
			name: 'webhookPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The basic authentication password of that endpoint',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.apiKey}}', password: '' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl || "https://" + $credentials.site + ".chargebee.com/api/v2" }}',
			url: '/webhook_endpoints',
			qs: { limit: 1 },
		},
	};
}
