import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { ADMIN_API_VERSION } from '../nodes/providers/shopify';
import { CREDENTIAL_ICON, baseUrlOverride, webhookSecret } from './shared';

export class PaymentEventsShopifyApi implements ICredentialType {
	name = 'paymentEventsShopifyApi';

	displayName = 'Payment Events: Shopify API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Subdomain',
			name: 'shopSubdomain',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'my-shop',
			description: 'The part before .myshopify.com in the shop’s admin address',
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'shpat_…',
			description: 'The access token of the app installed in the shop; it needs the read_orders scope',
		},
		webhookSecret(
			'The app’s API secret key (client secret). Shopify signs the webhooks the trigger registers with it.',
			'API Secret',
		),
		baseUrlOverride,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Shopify-Access-Token': '={{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.baseUrl || "https://" + $credentials.shopSubdomain + ".myshopify.com/admin/api/${ADMIN_API_VERSION}" }}`,
			url: '/webhooks.json',
			qs: { limit: 1 },
		},
	};
}
