import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export class PaymentEventsActiveCampaignApi implements ICredentialType {
	name = 'paymentEventsActiveCampaignApi';

	displayName = 'Payment Events: ActiveCampaign API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.activecampaign.com/reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Account Name',
			name: 'account',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'youraccountname',
			description: 'The first part of your API URL (Settings → Developer): https://<account>.api-us1.com',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your API key: Settings → Developer',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'Api-Token': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			// The adapter's host, https://{account}.api-us1.com, with the credential's account name.
			baseURL: '={{ $credentials.baseUrl || "https://" + encodeURIComponent($credentials.account) + ".api-us1.com" }}',
			url: '/api/3/users/me',
		},
	};
}
