import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { twilio } from '../nodes/channels/twilio';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsTwilioApi implements ICredentialType {
	name = 'paymentEventsTwilioApi';

	displayName = 'Payment Events: Twilio API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.twilio.com/docs/iam/api/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'AC…',
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The Auth Token of the account (Console → Account info)',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.accountSid}}', password: '={{$credentials.authToken}}' } },
	};

	// https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(twilio.hosts), url: '=/2010-04-01/Accounts/{{$credentials.accountSid}}.json' },
	};
}
