import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON } from './shared';

/**
 * The shared secret a sender signs each Payment Webhook Trigger post with: an HMAC of the raw body, sent in a header.
 * No credential test: the node receives requests and calls nothing.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- a receiving-only secret has nothing to call
export class PaymentEventsWebhookHmacApi implements ICredentialType {
	name = 'paymentEventsWebhookHmacApi';

	displayName = 'Payment Events: Webhook HMAC Signature API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://github.com/payment-events/n8n-nodes-payment-events#payment-webhook-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The key both sides compute the HMAC with. Use a long random value; posts are refused (401) while it is empty.',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			required: true,
			default: 'X-Signature',
			description: 'The request header the sender puts the signature in',
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'HMAC-SHA256', value: 'sha256' },
				{ name: 'HMAC-SHA1', value: 'sha1' },
				{ name: 'HMAC-SHA512', value: 'sha512' },
			],
			default: 'sha256',
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex', description: 'E.g. 757107ea0eb2…; compared case-insensitively' },
				{ name: 'Base64', value: 'base64', description: 'E.g. dXNlcj…=; compared exactly' },
			],
			default: 'hex',
		},
		{
			displayName: 'Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			description: 'Text the header value starts with before the signature, e.g. "sha256=" as GitHub sends it; empty for none',
		},
	];
}
