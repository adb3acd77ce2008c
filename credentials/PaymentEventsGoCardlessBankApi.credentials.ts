import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { apiBaseUrl } from '../nodes/providers/common';
import { GOCARDLESS_BANK_API } from '../nodes/providers/gocardlessbank';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsGoCardlessBankApi implements ICredentialType {
	name = 'paymentEventsGoCardlessBankApi';

	displayName = 'Payment Events: GoCardless Bank Account Data API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.gocardless.com/bank-account-data/quick-start-guide/';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret ID',
			name: 'secretId',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret_id of a user secret (Bank Account Data portal → Developers → User secrets)',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret_key shown once when the user secret was created',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '065da497-e6af-4950-88ed-2edbc0577d20',
			description: 'The account whose incoming payments the trigger reads: one of the accounts of a linked requisition (GET /api/v2/requisitions/{id}/)',
		},
		baseUrlOverride,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// https://developer.gocardless.com/bank-account-data/quick-start-guide/: POST /api/v2/token/new/ exchanges the user
	// secret for an access token (valid 24 hours); n8n asks again when it expires.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${apiBaseUrl(credentials, GOCARDLESS_BANK_API.hosts)}/api/v2/token/new/`,
			headers: { accept: 'application/json' },
			body: { secret_id: String(credentials.secretId ?? ''), secret_key: String(credentials.secretKey ?? '') },
			json: true,
		})) as { access?: string };
		return { accessToken: response.access };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// The account's metadata: https://developer.gocardless.com/bank-account-data/endpoints (accounts).
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(GOCARDLESS_BANK_API.hosts), url: '=/api/v2/accounts/{{$credentials.accountId}}/' },
	};
}
