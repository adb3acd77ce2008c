import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { gocardless } from '../nodes/providers/gocardless';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsGoCardlessApi implements ICredentialType {
	name = 'paymentEventsGoCardlessApi';

	displayName = 'Payment Events: GoCardless API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.gocardless.com/api-reference#making-requests-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		environment(gocardless.api!.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}', 'GoCardless-Version': '2015-07-06' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(gocardless.api!.hosts),
			url: '/creditors',
			qs: { limit: 1 },
		},
	};
}
