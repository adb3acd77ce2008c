import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { CREDENTIAL_ICON, baseUrlOverride } from './shared';

export class PaymentEventsAuthorizeNetApi implements ICredentialType {
	name = 'paymentEventsAuthorizeNetApi';

	displayName = 'Payment Events: Authorize.Net API';

	icon = CREDENTIAL_ICON;

	documentationUrl = 'https://developer.authorize.net/api/reference/index.html#gettingstarted-section-section-header';

	properties: INodeProperties[] = [
		{ displayName: 'API Login ID', name: 'apiLoginId', type: 'string', required: true, default: '' },
		{
			displayName: 'Transaction Key',
			name: 'transactionKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'production',
		},
		baseUrlOverride,
	];

	/** The JSON API takes its credentials inside the request, as the request's first member. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const body = (requestOptions.body ?? {}) as IDataObject;
		const [request] = Object.keys(body);
		if (!request) return requestOptions;
		const merchantAuthentication = { name: credentials.apiLoginId, transactionKey: credentials.transactionKey };
		return {
			...requestOptions,
			body: { [request]: { merchantAuthentication, ...(body[request] as IDataObject) } },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.baseUrl || ($credentials.environment === "sandbox" ? "https://apitest.authorize.net" : "https://api.authorize.net") }}',
			url: '/xml/v1/request.api',
			method: 'POST',
			body: { authenticateTestRequest: {} },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'messages.resultCode', value: 'Error', message: 'The API login ID or transaction key is wrong' },
			},
		],
	};
}
