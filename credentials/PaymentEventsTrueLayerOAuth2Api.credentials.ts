import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { TRUELAYER_API } from '../nodes/providers/truelayer';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, fixed } from './shared';

/** The TrueLayer auth server of the chosen environment, as an expression over the credential. */
const AUTH_SERVER = '($self["environment"] === "sandbox" ? "https://auth.truelayer-sandbox.com" : "https://auth.truelayer.com")';

export class PaymentEventsTrueLayerOAuth2Api implements ICredentialType {
	name = 'paymentEventsTrueLayerOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: TrueLayer OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.truelayer.com/docs/account-data-requests';

	properties: INodeProperties[] = [
		environment(TRUELAYER_API.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		fixed('grantType', 'authorizationCode'),
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: `={{ ${AUTH_SERVER} + "/" }}` },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: `={{ ${AUTH_SERVER} + "/connect/token" }}` },
		// Reading the account's transactions; offline_access keeps the connection alive with a refresh token.
		fixed('scope', 'accounts transactions offline_access'),
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			// The banks offered in the auth dialog: TrueLayer's mock bank in the sandbox, UK Open Banking and OAuth banks live.
			default: '={{ $self["environment"] === "sandbox" ? "providers=uk-cs-mock uk-ob-all uk-oauth-all" : "providers=uk-ob-all uk-oauth-all" }}',
		},
		fixed('authentication', 'body'),
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'f1234560abf9f57287637624def390871',
			description: 'The account_id whose incoming payments the TrueLayer Payment Poll Trigger reads (GET /data/v1/accounts lists them)',
		},
		baseUrlOverride,
	];

	// https://docs.truelayer.com/docs/account-data-requests: the accounts the connection may read.
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(TRUELAYER_API.hosts), url: '/data/v1/accounts' },
	};
}
