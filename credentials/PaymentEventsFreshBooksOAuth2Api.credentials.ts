import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride, fixed } from './shared';

export class PaymentEventsFreshBooksOAuth2Api implements ICredentialType {
	name = 'paymentEventsFreshBooksOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: FreshBooks OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.freshbooks.com/api/authentication';

	properties: INodeProperties[] = [
		fixed('grantType', 'authorizationCode'),
		fixed('authUrl', 'https://auth.freshbooks.com/oauth/authorize'),
		fixed('accessTokenUrl', 'https://api.freshbooks.com/auth/oauth/token'),
		fixed('scope', 'user:profile:read user:payments:read user:invoices:read'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];
}
