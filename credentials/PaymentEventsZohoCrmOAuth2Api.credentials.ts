import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { zohocrm } from '../nodes/crms/zohocrm';
import { ZOHO_DATA_CENTRES } from '../nodes/providers/zohobooks';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, fixed } from './shared';

/** The Zoho accounts server of the chosen data centre, as an expression over the credential's own Environment field. */
function accountsUrl(path: string): string {
	const servers = Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { accounts }]) => [centre, accounts]));
	return `={{ (${JSON.stringify(servers)})[$self["environment"]] || ${JSON.stringify(ZOHO_DATA_CENTRES.us.accounts)} }}${path}`;
}

export class PaymentEventsZohoCrmOAuth2Api implements ICredentialType {
	name = 'paymentEventsZohoCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Zoho CRM OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.zoho.com/crm/developer/docs/api/v8/oauth-overview.html';

	properties: INodeProperties[] = [
		{
			...environment(
				zohocrm.hosts,
				Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { name }]) => [centre, name])),
			),
			displayName: 'Data Centre',
			description: 'Where your Zoho account is hosted: the domain you sign in to Zoho CRM at',
		},
		fixed('grantType', 'authorizationCode'),
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: accountsUrl('/oauth/v2/auth') },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: accountsUrl('/oauth/v2/token') },
		// modules: read and write Contacts, Deals and Leads; securesearch: the search API; users: the credential test.
		fixed('scope', 'ZohoCRM.modules.contacts.ALL,ZohoCRM.modules.deals.ALL,ZohoCRM.modules.leads.ALL,ZohoSearch.securesearch.READ,ZohoCRM.users.READ'),
		// A refresh token is only issued for offline access.
		fixed('authQueryParameters', 'access_type=offline&prompt=consent'),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(zohocrm.hosts), url: '/crm/v8/users', qs: { type: 'CurrentUser' } },
	};
}
