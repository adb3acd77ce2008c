import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { sageintacct } from '../nodes/providers/sageintacct';

import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, fixed } from './shared';

/**
 * https://developer.sage.com/intacct/docs/developer-portal/guides/oauth2: authorization code grant; the token
 * request sends client_id and client_secret as form fields; `offline_access` adds a refresh token. The company
 * must authorize the app's Web Services sender ID (Company → Setup → Company → Security), or an admin approves it.
 */
export class PaymentEventsSageIntacctOAuth2Api implements ICredentialType {
	name = 'paymentEventsSageIntacctOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Sage Intacct OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.sage.com/intacct/docs/developer-portal/guides/oauth2';

	properties: INodeProperties[] = [
		fixed('grantType', 'authorizationCode'),
		fixed('authUrl', 'https://api.intacct.com/ia/api/v1/oauth2/authorize'),
		fixed('accessTokenUrl', 'https://api.intacct.com/ia/api/v1/oauth2/token'),
		fixed('scope', 'offline_access'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];

	// "List payments" (GET /objects/accounts-receivable/payment): what the Normalize node reads, with the same token.
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(sageintacct.api!.hosts), url: '/objects/accounts-receivable/payment' },
	};
}
