import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { braintree } from '../nodes/providers/braintree';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsBraintreeApi implements ICredentialType {
	name = 'paymentEventsBraintreeApi';

	displayName = 'Payment Events: Braintree API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.paypal.com/braintree/articles/control-panel/important-gateway-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Merchant ID',
			name: 'merchantId',
			type: 'string',
			required: true,
			default: '',
			description: 'Control Panel → gear icon → API → API Keys',
		},
		{
			displayName: 'Public Key',
			name: 'publicKey',
			// The public key is no secret: Braintree sends it in every bt_signature.
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing
			type: 'string',
			required: true,
			default: '',
			description: 'The public key of the API key pair; webhooks are signed per public key',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The private key of the same pair: it verifies webhook signatures and answers the challenge',
		},
		environment(braintree.api!.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		baseUrlOverride,
	];

	// The SDKs' request headers: basic auth with the key pair, and the gateway API version they speak.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.publicKey}}', password: '={{$credentials.privateKey}}' },
			headers: { 'X-ApiVersion': '6', Accept: 'application/xml' },
		},
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(braintree.api!.hosts), url: '=/merchants/{{$credentials.merchantId}}/plans' },
	};
}
