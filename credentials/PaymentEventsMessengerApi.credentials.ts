import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { messenger } from '../nodes/channels/messenger';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsMessengerApi implements ICredentialType {
	name = 'paymentEventsMessengerApi';

	displayName = 'Payment Events: Messenger API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.facebook.com/docs/messenger-platform/webhooks#page-access-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A Page access token with the pages_messaging permission (the Page sends the messages)',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// https://developers.facebook.com/docs/graph-api/overview#me
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(messenger.hosts), url: '/v21.0/me' },
	};
}
