import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { KLAVIYO_REVISION, klaviyo } from '../nodes/crms/klaviyo';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsKlaviyoApi implements ICredentialType {
	name = 'paymentEventsKlaviyoApi';

	displayName = 'Payment Events: Klaviyo API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.klaviyo.com/en/docs/authenticate_';

	properties: INodeProperties[] = [
		{
			displayName: 'Private API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'pk_…',
			description: 'A private API key (Settings → API keys) with the profiles:read, profiles:write and events:write scopes',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Klaviyo-API-Key {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(klaviyo.hosts),
			url: '/api/profiles/',
			qs: { 'page[size]': 1 },
			headers: { revision: KLAVIYO_REVISION, Accept: 'application/vnd.api+json' },
		},
	};
}
