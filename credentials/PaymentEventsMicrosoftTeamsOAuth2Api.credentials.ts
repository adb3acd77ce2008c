import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { teams } from '../nodes/channels/teams';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, fixed } from './shared';

/**
 * Delegated (authorization code) sign-in: Microsoft Graph sends channel messages only on behalf of a user; application
 * permissions are for migration only (https://learn.microsoft.com/en-us/graph/api/channel-post-messages#permissions).
 */
export class PaymentEventsMicrosoftTeamsOAuth2Api implements ICredentialType {
	name = 'paymentEventsMicrosoftTeamsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Microsoft Teams OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://learn.microsoft.com/en-us/graph/auth-v2-user';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			required: true,
			default: '',
			description:
				'The Microsoft Entra tenant (directory) ID or domain of the app registration, or "organizations" for a multi-tenant app',
		},
		fixed('grantType', 'authorizationCode'),
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/token',
		},
		// ChannelMessage.Send posts; User.Read only lets the credential test read the signed-in user.
		fixed('scope', 'ChannelMessage.Send User.Read offline_access'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];

	// https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0 (GET /me)
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(teams.hosts), url: '/v1.0/me' },
	};
}
