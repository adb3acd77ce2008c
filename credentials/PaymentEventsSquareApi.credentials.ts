import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { square } from '../nodes/providers/square';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

export class PaymentEventsSquareApi implements ICredentialType {
	name = 'paymentEventsSquareApi';

	displayName = 'Payment Events: Square API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.squareup.com/docs/build-basics/access-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The application's personal access token (Developer Console → Credentials). Square's Webhook Subscriptions API does not accept OAuth tokens.",
		},
		environment(square.api!.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		webhookSecret(
			"The signature key of a subscription you created in the Developer Console (Webhooks → Subscriptions) for this trigger's URL. Leave empty to let the trigger register its subscription and keep the key Square issues.",
			'Signature Key',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(square.api!.hosts), url: '/v2/webhooks/subscriptions', qs: { limit: 1 } },
	};
}
