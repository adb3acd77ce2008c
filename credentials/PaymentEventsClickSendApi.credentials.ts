import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { clicksend } from '../nodes/channels/clicksend';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsClickSendApi implements ICredentialType {
	name = 'paymentEventsClickSendApi';

	displayName = 'Payment Events: ClickSend API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.clicksend.com/docs/rest/v3/#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			required: true,
			default: '',
			description: 'The API username (ClickSend dashboard → API Credentials)',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.username}}', password: '={{$credentials.apiKey}}' } },
	};

	// https://developers.clicksend.com/docs/rest/v3/#view-account
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(clicksend.hosts), url: '/v3/account' },
	};
}
