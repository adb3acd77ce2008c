import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { brevo } from '../nodes/channels/brevo';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsBrevoApi implements ICredentialType {
	name = 'paymentEventsBrevoApi';

	displayName = 'Payment Events: Brevo API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.brevo.com/docs/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A Brevo API key (SMTP & API → API keys), xkeysib-…',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'api-key': '={{$credentials.apiKey}}' } },
	};

	// https://developers.brevo.com/reference/getaccount
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(brevo.hosts), url: '/v3/account' },
	};
}
