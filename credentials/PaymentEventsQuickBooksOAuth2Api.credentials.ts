import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { quickbooks } from '../nodes/providers/quickbooks';
import { CREDENTIAL_ICON, baseUrlOverride, environment, fixed, webhookSecret } from './shared';

export class PaymentEventsQuickBooksOAuth2Api implements ICredentialType {
	name = 'paymentEventsQuickBooksOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: QuickBooks Online OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0';

	properties: INodeProperties[] = [
		fixed('grantType', 'authorizationCode'),
		fixed('authUrl', 'https://appcenter.intuit.com/connect/oauth2'),
		fixed('accessTokenUrl', 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'),
		fixed('scope', 'com.intuit.quickbooks.accounting'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'header'),
		environment(quickbooks.api!.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		{
			displayName: 'Company ID (Realm ID)',
			name: 'realmId',
			type: 'string',
			default: '',
			placeholder: '9130357992221046',
			description:
				'For the QuickBooks Online Payment Poll Trigger: the company it reads. Left empty, it is filled from the QuickBooks sign-in, which names the company connected (the realmId Intuit returns with the authorization). Set it to read another company (in QuickBooks Online: Settings ⚙ → Additional info, or Account and settings → Billing & subscription). The webhook trigger does not need it.',
		},
		webhookSecret(
			'For the QuickBooks Online Payment Trigger: the Verifier Token of the app webhooks (Intuit developer portal → your app → Webhooks, Show Token). Intuit signs every notification with it.',
			'Verifier Token',
		),
		baseUrlOverride,
	];
}
