import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { apiBaseUrl } from '../nodes/providers/common';
import { PAYPAL_API } from '../nodes/providers/paypal';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment } from './shared';

export class PaymentEventsPayPalApi implements ICredentialType {
	name = 'paymentEventsPayPalApi';

	displayName = 'Payment Events: PayPal API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.paypal.com/api/rest/';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description:
				"Client ID of a REST app (Developer Dashboard → Apps & Credentials). Needed for REST webhooks and for the PayPal Payment Poll Trigger (enable Transaction Search in the app's features); IPN mode works without it.",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: "The REST app's secret",
		},
		environment(PAYPAL_API.hosts, { live: 'Live', sandbox: 'Sandbox' }),
		{
			displayName: 'Webhook ID',
			name: 'webhookId',
			type: 'string',
			default: '',
			placeholder: '4JH86294D6297924G',
			description:
				"The ID PayPal shows for the webhook of this trigger's URL (app → Webhooks). Leave empty to let the trigger register its webhook and keep the ID PayPal assigns.",
		},
		baseUrlOverride,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// https://developer.paypal.com/api/rest/authentication/: client credentials for a bearer token, renewed when it expires.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${apiBaseUrl(credentials, PAYPAL_API.hosts)}/v1/oauth2/token`,
			auth: { username: String(credentials.clientId ?? ''), password: String(credentials.clientSecret ?? '') },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
			json: true,
		})) as { access_token?: string };
		return { accessToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: baseUrlExpression(PAYPAL_API.hosts), url: '/v1/notifications/webhooks' },
	};
}
