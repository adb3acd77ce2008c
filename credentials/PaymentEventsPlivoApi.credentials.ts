import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { plivo } from '../nodes/channels/plivo';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsPlivoApi implements ICredentialType {
	name = 'paymentEventsPlivoApi';

	displayName = 'Payment Events: Plivo API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.plivo.com/docs/messaging/api/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Auth ID',
			name: 'authId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'MA…',
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The Auth Token of the account (Plivo console → Overview)',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.authId}}', password: '={{$credentials.authToken}}' } },
	};

	// https://www.plivo.com/docs/account/api/account#retrieve-account-details
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(plivo.hosts), url: '=/v1/Account/{{$credentials.authId}}/' },
	};
}
