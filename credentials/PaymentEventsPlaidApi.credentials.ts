import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { PLAID_API } from '../nodes/providers/plaid';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsPlaidApi implements ICredentialType {
	name = 'paymentEventsPlaidApi';

	displayName = 'Payment Events: Plaid API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://plaid.com/docs/api/products/transactions/#transactionssync';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: 'Your Plaid client_id (Dashboard → Developers → Keys)',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret of the chosen environment (Dashboard → Developers → Keys)',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'access-production-…',
			description: 'The access_token of the Item (the linked bank login) whose transactions the trigger reads, from /item/public_token/exchange',
		},
		environment(PLAID_API.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		baseUrlOverride,
	];

	// https://plaid.com/docs/api/#api-protocols-and-headers: the keys may go in headers instead of the body.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'PLAID-CLIENT-ID': '={{$credentials.clientId}}', 'PLAID-SECRET': '={{$credentials.secret}}' } },
	};

	// https://plaid.com/docs/api/items/#itemget: the Item the access token opens.
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(PLAID_API.hosts),
			url: '/item/get',
			method: 'POST',
			body: { access_token: '={{$credentials.accessToken}}' },
		},
	};
}
