import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { slack } from '../nodes/channels/slack';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsSlackApi implements ICredentialType {
	name = 'paymentEventsSlackApi';

	displayName = 'Payment Events: Slack API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://api.slack.com/authentication/token-types#bot';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot User OAuth Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'xoxb-…',
			description: 'The bot token of your Slack app (OAuth & Permissions), with the chat:write scope',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.botToken}}' } },
	};

	// https://api.slack.com/methods/auth.test: Slack answers a bad token with HTTP 200 and { ok: false, error }.
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(slack.hosts), url: '/api/auth.test', method: 'POST' },
		rules: [{ type: 'responseSuccessBody', properties: { key: 'ok', value: false, message: 'Slack rejected the token' } }],
	};
}
