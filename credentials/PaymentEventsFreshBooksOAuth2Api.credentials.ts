import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { freshbooks } from '../nodes/providers/freshbooks';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, fixed, webhookSecret } from './shared';

export class PaymentEventsFreshBooksOAuth2Api implements ICredentialType {
	name = 'paymentEventsFreshBooksOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Payment Events: FreshBooks OAuth2 API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://www.freshbooks.com/api/authentication';

	properties: INodeProperties[] = [
		fixed('grantType', 'authorizationCode'),
		fixed('authUrl', 'https://auth.freshbooks.com/oauth/authorize'),
		fixed('accessTokenUrl', 'https://api.freshbooks.com/auth/oauth/token'),
		fixed('scope', 'user:profile:read user:payments:read user:invoices:read'),
		fixed('authQueryParameters', ''),
		fixed('authentication', 'body'),
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: 'ABC123',
			description:
				'For the FreshBooks Payment Poll Trigger: the account ID of the business to watch. Leave empty when the connected user belongs to one business: the trigger then reads it from the user’s profile.',
		},
		webhookSecret(
			'For the FreshBooks Payment Trigger. Leave empty: the trigger registers its callbacks and keeps the verification codes FreshBooks sends. Only for a callback you registered and verified yourself, paste its verifier here.',
			'Webhook Verifier',
		),
		baseUrlOverride,
	];

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(freshbooks.api!.hosts), url: '/auth/api/v1/users/me' },
	};
}
