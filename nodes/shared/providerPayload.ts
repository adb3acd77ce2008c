import type { PaymentEvent } from '../core/event';
import { ProviderPayloadError, at, isObject } from '../providers/common';
import { PROVIDERS, detectProvider, providerById, toPaymentEvents } from '../providers/index';
import type { CompletionRequest, ProviderAdapter, ProviderInput } from '../providers/types';

export class UnrecognisedPayloadError extends Error {
	override name = 'UnrecognisedPayloadError';
}

/** A thin notification names the payment without describing it; completing it needs the provider's credential. */
export class ThinNotificationError extends Error {
	override name = 'ThinNotificationError';
}

/**
 * The delivery an item holds: a Webhook node item ({ headers, body, … }) gives its body and headers;
 * anything else (a built-in trigger's output, an HTTP Request response) is the payload itself.
 * `payloadPath` points at the payload when it sits elsewhere in the item.
 */
export function inputFromItem(json: Record<string, unknown>, payloadPath?: string, rawBody?: Buffer): ProviderInput {
	if (payloadPath) return { body: at(json, payloadPath), headers: {}, rawBody };
	const fromWebhookNode = isObject(json.headers) && 'body' in json;
	const headers: Record<string, string> = {};
	if (fromWebhookNode) {
		for (const [name, value] of Object.entries(json.headers as Record<string, unknown>)) {
			if (typeof value === 'string') headers[name.toLowerCase()] = value;
		}
	}
	let body: unknown = fromWebhookNode ? json.body : json;
	// The Webhook node's "Raw Body" option leaves the bytes in binary and an empty body.
	if (rawBody && (body === undefined || (isObject(body) && Object.keys(body).length === 0))) {
		const textBody = rawBody.toString('utf8');
		try {
			body = JSON.parse(textBody);
		} catch {
			body = textBody;
		}
	}
	return { body, headers, rawBody };
}

/** Makes a completion request with the provider's credential and returns the response body. */
export type FetchCompletion = (adapter: ProviderAdapter, request: CompletionRequest) => Promise<unknown>;

export interface NormalizePayloadOptions {
	/** 'auto' or a provider id. */
	source: string;
	receivedAt: Date;
	includeRaw: boolean;
	/** What to do with an event that is not about money: fail, or leave it out. */
	nonPaymentEvents: 'error' | 'skip';
	/** For providers whose payloads leave the currency out. */
	accountCurrency?: string;
	/** Only these provider event types (a trigger's event filter); others are left out before any fetch. */
	eventTypes?: ReadonlySet<string>;
	/** Live or test, for events whose payload does not say (a trigger knows it from its credential's environment). */
	livemode?: boolean;
}

export function adapterFor(source: string, input: ProviderInput): ProviderAdapter {
	if (source !== 'auto') return providerById(source);
	const adapter = detectProvider(input);
	if (!adapter) {
		throw new UnrecognisedPayloadError(
			`No supported payment provider recognises this payload (tried ${PROVIDERS.map((p) => p.displayName).join(', ')}). ` +
				'Choose the provider in Source, or point Payload Property at the provider payload inside the item.',
		);
	}
	return adapter;
}

/**
 * The canonical events of one delivery, in the order the provider listed them. Thin notifications are
 * completed through `fetchCompletion`, which the node provides once a credential is selected.
 */
export async function normalizePayload(
	input: ProviderInput,
	options: NormalizePayloadOptions,
	fetchCompletion?: FetchCompletion,
): Promise<PaymentEvent[]> {
	const adapter = adapterFor(options.source, input);
	const events = adapter.parse(input);
	const result: PaymentEvent[] = [];
	for (const delivered of events) {
		if (options.eventTypes && !options.eventTypes.has(delivered.type)) continue;
		const event = delivered.livemode === undefined && options.livemode !== undefined ? { ...delivered, livemode: options.livemode } : delivered;
		const request = adapter.complete?.(event);
		let completion: unknown;
		if (request) {
			if (!fetchCompletion || !adapter.api) {
				throw new ThinNotificationError(
					`${adapter.displayName} sent a thin notification (${event.type} ${event.id}): the payment itself is in ` +
						`${request.description} (${request.method} ${request.path}). Set Source to ${adapter.displayName} and ` +
						`select a ${adapter.displayName} credential, so Payment Normalize can fetch it.`,
				);
			}
			completion = await fetchCompletion(adapter, request);
		}
		const raw = options.includeRaw ? (events.length > 1 ? event.data : input.body) : undefined;
		const canonical = toPaymentEvents(adapter, event, {
			receivedAt: options.receivedAt,
			raw,
			accountCurrency: options.accountCurrency,
			completion,
		});
		if (canonical.length === 0 && options.nonPaymentEvents === 'error') {
			throw new ProviderPayloadError(
				adapter.id,
				'type',
				`"${event.type}" is not a payment event; set Non-Payment Events to Skip to leave such events out`,
			);
		}
		result.push(...canonical);
	}
	return result;
}
