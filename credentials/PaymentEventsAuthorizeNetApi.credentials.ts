import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { authorizenet } from '../nodes/providers/authorizenet';
import { CREDENTIAL_ICON, baseUrlExpression, baseUrlOverride, environment, webhookSecret } from './shared';

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
		environment(authorizenet.api!.hosts, { production: 'Production', sandbox: 'Sandbox' }),
		webhookSecret(
			'The Signature Key (Merchant Interface → Account → Settings → API Credentials & Keys → New Signature Key), which signs every webhook notification of the account',
			'Signature Key',
		),
		baseUrlOverride,
	];

	/**
	 * The Webhooks REST API takes HTTP basic authentication; the JSON API takes its credentials inside the request,
	 * as the request's first member.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (/\/rest\/v1\//.test(requestOptions.url ?? '')) {
			const basic = Buffer.from(`${String(credentials.apiLoginId)}:${String(credentials.transactionKey)}`).toString('base64');
			return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Basic ${basic}` } };
		}
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
			baseURL: baseUrlExpression(authorizenet.api!.hosts),
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
