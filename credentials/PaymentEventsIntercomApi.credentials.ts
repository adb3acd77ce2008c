import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { INTERCOM_VERSION, intercom } from '../nodes/crms/intercom';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsIntercomApi implements ICredentialType {
	name = 'paymentEventsIntercomApi';

	displayName = 'Payment Events: Intercom API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The access token of a private app in your workspace's Developer Hub (Configure → Authentication), with the read and write users and companies permission and the write events permission",
		},
		{ ...environment(intercom.hosts, { us: 'United States', eu: 'Europe', au: 'Australia' }), displayName: 'Region' },
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(intercom.hosts),
			url: '/me',
			headers: { 'Intercom-Version': INTERCOM_VERSION, Accept: 'application/json' },
		},
	};
}
