import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { ChannelRequest, ChannelResponse, ChannelTools } from '../channels/types';
import { retryAfterMs } from '../channels/common';
import { apiBaseUrl } from '../providers/common';
import { credentialFields, pause } from './providerApi';

function formEncoded(form: NonNullable<ChannelRequest['form']>): string {
	const fields = new URLSearchParams();
	for (const [name, value] of Object.entries(form)) {
		for (const entry of typeof value === 'string' ? [value] : value) fields.append(name, entry);
	}
	return fields.toString();
}

function multipart(parts: NonNullable<ChannelRequest['multipart']>): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries(parts)) {
		for (const entry of typeof value === 'string' ? [value] : value) data.append(name, entry);
	}
	return data;
}

/** An API reached with one credential: a channel's or a CRM's. */
export interface RequestTarget {
	credentialType: string;
	/** The API base URL per value of the credential's environment or region field. */
	hosts: Readonly<Record<string, string>>;
}

/** The tools a channel or CRM adapter sends with: n8n's authenticated request helper, answering with any HTTP status. */
export function requestTools(context: IExecuteFunctions, adapter: RequestTarget, credentials: ICredentialDataDecryptedObject): ChannelTools {
	return {
		credentials: credentialFields(credentials),
		async request(request: ChannelRequest): Promise<ChannelResponse> {
			const url = /^https?:\/\//.test(request.url) ? request.url : `${apiBaseUrl(credentials, adapter.hosts)}${request.url}`;
			const options: IHttpRequestOptions = {
				method: request.method,
				url,
				qs: request.qs,
				headers: { ...request.headers },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: true,
			};
			if (request.form) {
				options.body = formEncoded(request.form);
				options.headers = { ...options.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
			} else if (request.multipart) {
				options.body = multipart(request.multipart);
			} else if (request.body !== undefined) {
				options.body = request.body as IHttpRequestOptions['body'];
			}
			const response = (await context.helpers.httpRequestWithAuthentication.call(context, adapter.credentialType, options)) as {
				statusCode: number;
				headers?: Record<string, unknown>;
				body: unknown;
			};
			let body = response.body;
			if (typeof body === 'string') {
				try {
					body = JSON.parse(body);
				} catch {
					// a text answer, e.g. a Slack webhook's "ok"
				}
			}
			const headers = Object.fromEntries(
				Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value === undefined ? undefined : String(value)]),
			);
			return { status: response.statusCode, headers, body };
		},
	};
}


/**
 * Repeats a request the API answered with 429 or a 5xx, waiting as its Retry-After asks (else 0.5 s, doubling), up to
 * `attempts` times in all; the last answer is returned whatever it is.
 */
export function withRetries(tools: ChannelTools, attempts: number): ChannelTools {
	return {
		...tools,
		request: async (request) => {
			for (let attempt = 1; ; attempt++) {
				const response = await tools.request(request);
				if (attempt >= attempts || (response.status !== 429 && response.status < 500)) return response;
				await pause(Math.min(retryAfterMs(response.headers) ?? 500 * 2 ** (attempt - 1), 30_000));
			}
		},
	};
}
