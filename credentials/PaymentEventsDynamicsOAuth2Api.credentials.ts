import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride, fixed } from './shared';

// Dataverse Web API with Microsoft Entra ID OAuth 2.0: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/authenticate-oauth
export class PaymentEventsDynamicsOAuth2Api implements ICredentialType {
	name = 'paymentEventsDynamicsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Dynamics 365 OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/authenticate-web-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Organization Host',
			name: 'organizationHost',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'contoso.crm.dynamics.com',
			description: 'The host of your environment URL (Power Platform admin center → Environments → Environment URL), without https://',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: 'organizations',
			description: 'The Microsoft Entra tenant (directory) ID or domain; "organizations" lets any work account sign in',
		},
		fixed('grantType', 'authorizationCode'),
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '=https://login.microsoftonline.com/{{$self["tenantId"] || "organizations"}}/oauth2/v2.0/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '=https://login.microsoftonline.com/{{$self["tenantId"] || "organizations"}}/oauth2/v2.0/token',
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '=https://{{$self["organizationHost"]}}/user_impersonation offline_access' },
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: { baseURL: '={{ $credentials.baseUrl || "https://" + $credentials.organizationHost }}', url: '/api/data/v9.2/WhoAmI' },
	};
}
