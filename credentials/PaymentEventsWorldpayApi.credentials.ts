import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { worldpay } from '../nodes/providers/worldpay';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

export class PaymentEventsWorldpayApi implements ICredentialType {
	name = 'paymentEventsWorldpayApi';

	displayName = 'Payment Events: Worldpay API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.worldpay.com/access/products/events/signature';

	properties: INodeProperties[] = [
		webhookSecret(
			'The shared secret of the Event-Signature header, which your Worldpay Implementation Manager enables and sends you',
			'Event Signature Shared Secret',
		),
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Your Access Worldpay API username; only needed to test the credential',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		environment(worldpay.api!.hosts, { try: 'Try (Test)', live: 'Live' }),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' } },
	};

	// The API's root resource, which lists the resources the credentials may use.
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(worldpay.api!.hosts), url: '/' },
	};
}
