import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride, fixed, webhookSecret } from './shared';

export class PaymentEventsBusinessCentralOAuth2Api implements ICredentialType {
	name = 'paymentEventsBusinessCentralOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Dynamics 365 Business Central OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/webservices/authenticate-web-services-using-oauth';

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			required: true,
			default: '',
			description: 'The Microsoft Entra tenant (directory) ID or domain of the Business Central company',
		},
		{
			displayName: 'Business Central Environment',
			name: 'bcEnvironment',
			type: 'string',
			required: true,
			default: 'production',
			description: 'The environment name, as in the Business Central admin center',
		},
		{
			displayName: 'Company ID',
			name: 'companyId',
			type: 'string',
			default: '',
			placeholder: '824820a2-508c-ed11-aada-000d3a298ab3',
			description:
				'For the Business Central Payment Poll Trigger: the ID of the company whose sales invoices it reads (GET /api/v2.0/companies). Leave empty when the environment has one company. The webhook trigger subscribes to every company and does not need it.',
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
		fixed('scope', 'https://api.businesscentral.dynamics.com/.default offline_access'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		webhookSecret(
			'For the Business Central Payment Trigger. Leave empty: the trigger subscribes to sales invoices and keeps the clientState it chose. Only for a subscription you created yourself, paste its clientState here.',
			'Client State',
		),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl || "https://api.businesscentral.dynamics.com/v2.0/" + encodeURIComponent($credentials.tenantId) + "/" + encodeURIComponent($credentials.bcEnvironment) }}',
			url: '/api/v2.0/companies',
		},
	};
}
