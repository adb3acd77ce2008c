import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export const ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';

export class PaymentEventsZoomChatApi implements ICredentialType {
	name = 'paymentEventsZoomChatApi';

	displayName = 'Payment Events: Zoom Chat API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.zoom.us/docs/team-chat/chatbot/authorization/';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Bot JID',
			name: 'robotJid',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'v1abc…@xmpp.zoom.us',
			description: 'The Bot JID from the app (Features → Surface → Team Chat Subscription)',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			required: true,
			default: '',
			description: 'The ID of the Zoom account the messages are sent in',
		},
		{
			displayName: 'Chatbot Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		baseUrlOverride,
	];

	// https://developers.zoom.us/docs/team-chat/chatbot/authorization/#send-chatbot-messages
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: ZOOM_TOKEN_URL,
			qs: { grant_type: 'client_credentials' },
			auth: { username: String(credentials.clientId ?? ''), password: String(credentials.clientSecret ?? '') },
			json: true,
		})) as { access_token?: string };
		return { accessToken: answer.access_token ?? '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// A chatbot token (scope imchat:bot) reaches only the chatbot endpoints, none of them a read without ids: the test
	// asks for a token again, which only succeeds with a valid Client ID and Secret and changes nothing.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: ZOOM_TOKEN_URL,
			qs: { grant_type: 'client_credentials' },
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
		},
	};
}
