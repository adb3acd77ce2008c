import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { vonage } from '../nodes/channels/vonage';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

/** The SMS API takes the key and secret in the request itself, so the adapter sends them and there is no `authenticate`. */
export class PaymentEventsVonageApi implements ICredentialType {
	name = 'paymentEventsVonageApi';

	displayName = 'Payment Events: Vonage API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.vonage.com/en/getting-started/concepts/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API secret of the account (Vonage API dashboard → Settings)',
		},
		baseUrlOverride,
	];

	// https://developer.vonage.com/en/api/account#getAccountBalance
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(vonage.hosts),
			url: '/account/get-balance',
			qs: { api_key: '={{$credentials.apiKey}}', api_secret: '={{$credentials.apiSecret}}' },
		},
	};
}
