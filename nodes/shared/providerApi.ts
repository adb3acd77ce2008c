import {
	NodeApiError,
	type FunctionsBase,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type JsonObject,
	type RequestHelperFunctions,
} from 'n8n-workflow';

import { redactText } from '../core/redact';
import { retryAfterMs as retryAfterFromHeaders } from '../channels/common';
import { apiBaseUrl, text } from '../providers/common';
import type { ApiRequest, ProviderAdapter } from '../providers/types';

/** Any n8n context that has credentials and the request helpers: execute, webhook, hook and poll functions. */
export type ApiContext = Pick<FunctionsBase, 'getCredentials' | 'getNode'> & { helpers: RequestHelperFunctions };

/**
 * The credential's non-empty text fields, plus what the provider's OAuth2 sign-in returned beside the token
 * (QuickBooks names the company, `realmId`, there).
 */
export function credentialFields(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const fields: Record<string, string> = {};
	const signIn = (credentials.oauthTokenData as IDataObject | undefined)?.callbackQueryString as IDataObject | undefined;
	// A field left empty (n8n fills in its default, '') does not hide what the sign-in returned.
	for (const source of [signIn ?? {}, credentials]) {
		for (const [name, value] of Object.entries(source)) {
			const present = text(value);
			if (present) fields[name] = present;
		}
	}
	return fields;
}

/** The credential's secrets: what must never appear in a message. */
export function secretsOf(credentials: IDataObject): string[] {
	return Object.entries(credentials).flatMap(([key, value]): string[] => {
		if (value && typeof value === 'object') return secretsOf(value as IDataObject);
		return /key|token|secret|password/i.test(key) && typeof value === 'string' && value !== '' ? [value] : [];
	});
}

function formBody(form: NonNullable<ApiRequest['form']>): string {
	const fields = new URLSearchParams();
	for (const [name, value] of Object.entries(form)) {
		if (typeof value === 'string') fields.append(name, value);
		else for (const entry of value) fields.append(`${name}[]`, entry);
	}
	return fields.toString();
}

/** The error n8n shows when a call fails: only a scrubbed message and the status, never the request a client error carries. */
export function providerApiError(
	context: Pick<FunctionsBase, 'getNode'>,
	error: unknown,
	message: string,
	secrets: string[],
	itemIndex?: number,
): NodeApiError {
	const failure = error as { message?: string; httpCode?: string; response?: { status?: number } };
	const httpCode = failure.httpCode ?? (failure.response?.status ? String(failure.response.status) : undefined);
	const description = redactText(failure.message ?? String(error), { secrets });
	const scrubbed: JsonObject = { message: description, ...(httpCode ? { httpCode } : {}) };
	return new NodeApiError(context.getNode(), scrubbed, { itemIndex, httpCode, message, description });
}

/** The HTTP status of a failed call, when the provider answered. */
export function statusOf(error: unknown): number | undefined {
	const failure = error as { httpCode?: string; response?: { status?: number }; cause?: { response?: { status?: number } } };
	const status = Number(failure.httpCode ?? failure.response?.status ?? failure.cause?.response?.status);
	return Number.isInteger(status) && status > 0 ? status : undefined;
}

/** How long the provider asks to wait before trying again (Retry-After, in seconds or as a date), if it said. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
	const failure = error as { response?: { headers?: Record<string, unknown> }; cause?: { response?: { headers?: Record<string, unknown> } } };
	const headers = failure.response?.headers ?? failure.cause?.response?.headers ?? {};
	return retryAfterFromHeaders(Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), text(value)])), now);
}

const MAX_WAIT_MS = 60_000;

/** Waits `ms` milliseconds (none when not positive). */
export async function pause(ms: number): Promise<void> {
	if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

const ACTIONS: Record<ApiRequest['method'], string> = { GET: 'fetch', POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/**
 * Sends a request to the provider's API through n8n's authenticated request helper and returns the body.
 * A failure names the action, e.g. "Stripe: could not create the webhook endpoint for …".
 */
export async function callProviderApi(
	context: ApiContext,
	adapter: ProviderAdapter,
	request: ApiRequest,
	{ itemIndex, action = ACTIONS[request.method], retries = 0 }: { itemIndex?: number; action?: string; retries?: number } = {},
): Promise<unknown> {
	const api = adapter.api;
	if (!api) throw new Error(`${adapter.displayName} has no API this node can call`);
	const credentials = await context.getCredentials(api.credentialType, itemIndex);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${apiBaseUrl(credentials, api.hosts)}${request.path}`,
		qs: request.qs,
		headers: request.headers,
		json: true,
	};
	if (request.form) {
		options.body = formBody(request.form);
		options.headers = { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
	} else if (request.body !== undefined) {
		options.body = request.body as IDataObject;
	}
	for (let attempt = 0; ; attempt++) {
		try {
			return await context.helpers.httpRequestWithAuthentication.call(context as never, api.credentialType, options);
		} catch (error) {
			// Rate limited: wait as long as the provider asks (within reason) and try again.
			const status = statusOf(error);
			const wait = retryAfterMs(error);
			if (attempt < retries && (status === 429 || (status === 503 && wait !== undefined))) {
				await pause(Math.min(wait ?? 1000 * 2 ** attempt, MAX_WAIT_MS));
				continue;
			}
			const message = `${adapter.displayName}: could not ${action} ${request.description}`;
			throw providerApiError(context, error, message, secretsOf(credentials), itemIndex);
		}
	}
}
