import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { mailgun } from '../nodes/channels/mailgun';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsMailgunApi implements ICredentialType {
	name = 'paymentEventsMailgunApi';

	displayName = 'Payment Events: Mailgun API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A Mailgun API key allowed to read the domain and send from it (API Security → API keys)',
		},
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'mg.example.com',
			description: 'The Mailgun sending domain the messages go out from',
		},
		{
			...environment(mailgun.hosts, { us: 'US', eu: 'EU' }),
			displayName: 'Region',
			description: 'The region the domain was created in',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: 'api', password: '={{$credentials.apiKey}}' } },
	};

	// https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Domains/
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(mailgun.hosts), url: '=/v4/domains/{{$credentials.domain}}' },
	};
}
