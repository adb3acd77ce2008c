import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { salesforce } from '../nodes/crms/salesforce';
import { CREDENTIAL_ICON, baseUrlOverride, environment, fixed } from './shared';

// Salesforce's OAuth 2.0 web server flow: https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
const LOGIN = '{{$self["environment"] === "sandbox" ? "https://test.salesforce.com" : "https://login.salesforce.com"}}';

export class PaymentEventsSalesforceOAuth2Api implements ICredentialType {
	name = 'paymentEventsSalesforceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: Salesforce OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://help.salesforce.com/s/articleView?id=sf.connected_app_create_api_integration.htm';

	properties: INodeProperties[] = [
		environment(salesforce.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		{
			displayName: 'My Domain Name',
			name: 'myDomain',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'mycompany',
			description:
				'The part of your My Domain URL before .my.salesforce.com (e.g. mycompany for https://mycompany.my.salesforce.com; for a sandbox, mycompany--sandboxname)',
		},
		fixed('grantType', 'authorizationCode'),
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: `=${LOGIN}/services/oauth2/authorize` },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: `=${LOGIN}/services/oauth2/token` },
		fixed('scope', 'api refresh_token'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl || ("https://" + encodeURIComponent($credentials.myDomain) + ($credentials.environment === "sandbox" ? ".sandbox.my.salesforce.com" : ".my.salesforce.com")) }}',
			url: '/services/data/v60.0/limits',
		},
	};
}
