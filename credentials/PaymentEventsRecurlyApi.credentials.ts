import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { recurly } from '../nodes/providers/recurly';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, webhookSecret } from './shared';

export class PaymentEventsRecurlyApi implements ICredentialType {
	name = 'paymentEventsRecurlyApi';

	displayName = 'Payment Events: Recurly API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://recurly.com/developers/api/v2021-02-25/index.html#section/Getting-Started/Authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A private API key of the site (Integrations → API Credentials)',
		},
		{
			displayName: 'Region',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'United States', value: 'us' },
				{ name: 'Europe', value: 'eu' },
			],
			default: 'us',
			description: 'Where the Recurly site is hosted',
		},
		webhookSecret(
			'The secret key of the JSON webhook endpoint (Integrations → Webhooks), for the Recurly Payment Trigger',
			'Webhook Secret Key',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.apiKey}}', password: '' },
			headers: { Accept: 'application/vnd.recurly.v2021-02-25+json' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(recurly.api!.hosts),
			url: '/accounts',
			qs: { limit: 1 },
		},
	};
}
