import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { wise } from '../nodes/providers/wise';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsWiseApi implements ICredentialType {
	name = 'paymentEventsWiseApi';

	displayName = 'Payment Events: Wise API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://docs.wise.com/api-docs/features/authentication-access/personal-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"A personal API token (Settings → API tokens). Read-only is enough to fetch transfers; the Wise Payment Trigger also registers its webhook subscriptions with it, on the token's business profiles (or its personal profile when there is none). Deliveries are verified with Wise's public key for the environment: no secret to paste.",
		},
		environment(wise.api!.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(wise.api!.hosts),
			url: '/v1/profiles',
		},
	};
}
