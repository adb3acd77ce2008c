import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { sendgrid } from '../nodes/channels/sendgrid';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsSendGridApi implements ICredentialType {
	name = 'paymentEventsSendGridApi';

	displayName = 'Payment Events: SendGrid API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A SendGrid API key with the Mail Send permission (Settings → API Keys)',
		},
		{
			...environment(sendgrid.hosts, { global: 'Global', eu: 'EU (Regional Subuser)' }),
			displayName: 'Region',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(sendgrid.hosts), url: '/v3/scopes' },
	};
}
