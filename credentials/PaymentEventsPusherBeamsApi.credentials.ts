import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

// Beams has no authenticated read to test the key with: the Publish API only publishes, the Customer API only deletes users.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class PaymentEventsPusherBeamsApi implements ICredentialType {
	name = 'paymentEventsPusherBeamsApi';

	displayName = 'Payment Events: Pusher Beams API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://pusher.com/docs/beams/reference/publish-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance ID',
			name: 'instanceId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '8f9a6e22-2483-49aa-8552-125f1a4c5781',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The primary key of the instance (dashboard → Keys)',
		},
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.secretKey}}' } },
	};
}
