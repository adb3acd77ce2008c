import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { hubspot } from '../nodes/crms/hubspot';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride } from './shared';

export class PaymentEventsHubSpotApi implements ICredentialType {
	name = 'paymentEventsHubSpotApi';

	displayName = 'Payment Events: HubSpot API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developers.hubspot.com/docs/api/private-apps';

	properties: INodeProperties[] = [
		{
			displayName: 'Private App Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'pat-…',
			description: 'The token of a private app with the CRM objects read and write scopes it syncs (e.g. crm.objects.contacts.write)',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(hubspot.hosts), url: '/crm/v3/objects/contacts', qs: { limit: 1 } },
	};
}
