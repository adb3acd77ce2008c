import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { whatsapp } from '../nodes/channels/whatsapp';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsWhatsAppApi implements ICredentialType {
	name = 'paymentEventsWhatsAppApi';

	displayName = 'Payment Events: WhatsApp API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.facebook.com/docs/whatsapp/access-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A System User access token with the whatsapp_business_messaging permission',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// https://developers.facebook.com/docs/graph-api/overview#me
	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(whatsapp.hosts), url: '/v21.0/me' },
	};
}
