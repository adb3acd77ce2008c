import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { xero } from '../nodes/providers/xero';

import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, fixed, webhookSecret } from './shared';

export class PaymentEventsXeroOAuth2Api implements ICredentialType {
	name = 'paymentEventsXeroOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Xero OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.xero.com/documentation/guides/oauth2/auth-flow';

	properties: INodeProperties[] = [
		fixed('grantType', 'authorizationCode'),
		fixed('authUrl', 'https://login.xero.com/identity/connect/authorize'),
		fixed('accessTokenUrl', 'https://identity.xero.com/connect/token'),
		// Reading invoices and their payments; offline_access keeps the connection alive.
		fixed('scope', 'offline_access accounting.transactions.read accounting.contacts.read'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'header'),
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			description:
				'For the Xero Payment Poll Trigger: the organisation it reads. Leave empty when the connection reaches a single organisation: the trigger then finds it through GET /connections.',
		},
		webhookSecret(
			'For the Xero Payment Trigger: the Webhooks Key of your Xero app (developer portal → My Apps → your app → Webhooks). Xero signs every delivery with it.',
			'Webhooks Key',
		),
		baseUrlOverride,
	];

	// https://developer.xero.com/documentation/guides/oauth2/auth-flow: the tenants this connection may read.
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(xero.api!.hosts), url: '/connections' },
	};
}
