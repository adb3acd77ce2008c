import { at, isObject, text } from '../providers/common';
import { ChannelError, type ChannelResponse, type ChannelSetting, type ChannelTools, type Delivery, type SendResult } from './types';

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

/**
 * Sends deliveries through a batch API: one request per group sharing the whole message (content and sender), at most
 * `max` recipients and each address once per request (providers drop or refuse repeated addresses). Resolves with a
 * result per delivery, in order.
 */
export async function sendGrouped(
	deliveries: Delivery[],
	max: number,
	post: (group: Delivery[]) => Promise<SendResult | ChannelError>,
): Promise<Array<SendResult | ChannelError>> {
	const groups = new Map<string, number[][]>();
	deliveries.forEach((delivery, index) => {
		const { subject, text: body, html } = delivery.message;
		const { from, fromName, replyTo } = delivery.settings;
		const key = JSON.stringify([subject, body, html, from, fromName, replyTo]);
		const chunks = groups.get(key) ?? [];
		groups.set(key, chunks);
		const address = delivery.to.toLowerCase();
		let chunk = chunks.find((c) => c.length < max && !c.some((i) => deliveries[i].to.toLowerCase() === address));
		if (!chunk) {
			chunk = [];
			chunks.push(chunk);
		}
		chunk.push(index);
	});
	const results = new Array<SendResult | ChannelError>(deliveries.length);
	for (const request of [...groups.values()].flat()) {
		const result = await post(request.map((index) => deliveries[index]));
		for (const index of request) results[index] = result;
	}
	return results;
}

/**
 * A chat webhook channel's request URL: the credential's webhook URL (with its key and token: the secret, which no
 * error repeats), absolute, or only its path below the Base URL Override when one is set (a proxy, a local stand-in).
 */
export function webhookUrl(provider: string, tools: ChannelTools): string {
	try {
		const url = new URL(tools.credentials.webhookUrl ?? '');
		if (url.protocol !== 'https:') throw new Error('not https');
		return tools.credentials.baseUrl ? `${url.pathname}${url.search}` : url.toString();
	} catch {
		throw new ChannelError(`${provider}: the credential has no valid https Webhook URL`, { retryable: false, code: 'no_webhook_url' });
	}
}

/** The sender settings every email channel offers beside its From address. */
export const SENDER_SETTINGS: Readonly<Record<'fromName' | 'replyTo', ChannelSetting>> = {
	fromName: { displayName: 'From Name', description: 'The name shown as the sender', placeholder: 'Example Billing' },
	replyTo: { displayName: 'Reply-To Email', description: 'Where replies go, when not the sender', placeholder: 'support@example.com' },
};
