import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { gocardless } from '../nodes/providers/gocardless';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

export class PaymentEventsGoCardlessApi implements ICredentialType {
	name = 'paymentEventsGoCardlessApi';

	displayName = 'Payment Events: GoCardless API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.gocardless.com/api-reference#making-requests-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		environment(gocardless.api!.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		webhookSecret(
			"The secret of the webhook endpoint you created for the trigger's URL in the GoCardless Dashboard (Developers → Create → Webhook endpoint). Needed only by the GoCardless Payment Trigger.",
			'Webhook Endpoint Secret',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}', 'GoCardless-Version': '2015-07-06' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(gocardless.api!.hosts),
			url: '/creditors',
			qs: { limit: 1 },
		},
	};
}
