import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { ZOHO_DATA_CENTRES, zohobooks } from '../nodes/providers/zohobooks';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, fixed, webhookSecret } from './shared';

/** The Zoho accounts server of the chosen data centre, as an expression over the credential's own Environment field. */
function accountsUrl(path: string): string {
	const servers = Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { accounts }]) => [centre, accounts]));
	return `={{ (${JSON.stringify(servers)})[$self["environment"]] || ${JSON.stringify(ZOHO_DATA_CENTRES.us.accounts)} }}${path}`;
}

export class PaymentEventsZohoBooksOAuth2Api implements ICredentialType {
	name = 'paymentEventsZohoBooksOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Zoho Books OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.zoho.com/books/api/v3/oauth/';

	properties: INodeProperties[] = [
		{
			...environment(
				zohobooks.api!.hosts,
				Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { name }]) => [centre, name])),
			),
			displayName: 'Data Centre',
			description: 'Where your Zoho account is hosted: the domain you sign in to Zoho Books at',
		},
		fixed('grantType', 'authorizationCode'),
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: accountsUrl('/oauth/v2/auth') },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: accountsUrl('/oauth/v2/token') },
		// settings: the credential test's GET /organizations; invoices: the polling trigger's GET /invoices.
		fixed('scope', 'ZohoBooks.settings.READ,ZohoBooks.invoices.READ'),
		// A refresh token is only issued for offline access.
		fixed('authQueryParameters', 'access_type=offline&prompt=consent'),
		fixed('authentication', 'body'),
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			placeholder: '10234695',
			description:
				'For the Zoho Books Payment Poll Trigger: the organization to read invoices from (Zoho Books → Settings → Organization Profile → Organization ID). The webhook trigger does not need it.',
		},
		webhookSecret(
			'For the Zoho Books Payment Trigger: a long random value (at least 16 characters) that you also put in the X-Payment-Events-Secret header of the Zoho Books webhook. Zoho Books does not sign webhooks, so this header is what proves a delivery came from your webhook.',
			'Webhook Header Secret',
		),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(zohobooks.api!.hosts), url: '/organizations' },
	};
}
