import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { pipedrive } from '../nodes/crms/pipedrive';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsPipedriveApi implements ICredentialType {
	name = 'paymentEventsPipedriveApi';

	displayName = 'Payment Events: Pipedrive API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://pipedrive.readme.io/docs/how-to-find-the-api-token';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your personal API token: Pipedrive → Personal preferences → API',
		},
		baseUrlOverride,
	];

	// https://pipedrive.readme.io/docs/core-api-concepts-authentication: the token in the x-api-token header.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-api-token': '={{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(pipedrive.hosts), url: '/v1/users/me' },
	};
}
