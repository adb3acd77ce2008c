import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { monday } from '../nodes/crms/monday';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsMondayApi implements ICredentialType {
	name = 'paymentEventsMondayApi';

	displayName = 'Payment Events: Monday.com API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.monday.com/api-reference/docs/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your personal API token (avatar → Developers → My access tokens), or an app token with the boards:read and boards:write scopes',
		},
		{
			displayName: 'Board ID',
			name: 'boardId',
			type: 'string',
			default: '',
			placeholder: '1234567890',
			description: "The board whose items hold the payment status (the number in the board's URL). Used when the node writes to the object \"Board Item\".",
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(monday.hosts), url: '/v2', method: 'POST', body: { query: 'query { me { id } }' } },
	};
}
