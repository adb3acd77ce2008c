import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { paddle } from '../nodes/providers/paddle';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

export class PaymentEventsPaddleApi implements ICredentialType {
	name = 'paymentEventsPaddleApi';

	displayName = 'Payment Events: Paddle API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.paddle.com/api-reference/about/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Paddle Billing API key (Developer tools → Authentication). The trigger needs the notification_setting.read and notification_setting.write permissions to register itself.',
		},
		environment(paddle.api!.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		webhookSecret(
			'The secret key of a notification destination you created in Paddle (Developer tools → Notifications). Leave empty to let the trigger register its destination and keep the key Paddle issues.',
			'Webhook Secret Key',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(paddle.api!.hosts), url: '/notification-settings', qs: { per_page: 1 } },
	};
}
