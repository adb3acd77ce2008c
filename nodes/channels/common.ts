import { at, isObject, text } from '../providers/common';
import { ChannelError, type ChannelResponse } from './types';

export { at, isObject, text };

/** How long the provider asked to wait (Retry-After, in seconds or as an HTTP date). */
export function retryAfterMs(headers: ChannelResponse['headers'], now = Date.now()): number | undefined {
	const value = headers['retry-after'];
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The error for an answer that is not a success: rate limits (429) and server errors (5xx) are retryable, anything
 * else is not. `message` and `code` are the provider's, read from its documented error body.
 */
export function channelFailure(provider: string, response: ChannelResponse, message?: string, code?: string): ChannelError {
	const retryable = response.status === 429 || response.status >= 500;
	return new ChannelError(`${provider}: ${message ?? `HTTP ${response.status}`}${code ? ` (code ${code})` : ''}`, {
		retryable,
		code: code ?? String(response.status),
		status: response.status,
		retryAfterMs: retryAfterMs(response.headers),
	});
}

export function isSuccess(response: ChannelResponse): boolean {
	return response.status >= 200 && response.status < 300;
}
