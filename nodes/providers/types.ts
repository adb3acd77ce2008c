import type { PaymentEventInput } from '../core/event';

/** A delivery as a provider sent it: to a trigger's webhook, or as a Webhook node's item. */
export interface ProviderInput {
	/** Parsed JSON (object or array), form fields as an object, or text (XML, form-encoded). */
	body: unknown;
	/** Header names in lower case; empty when the payload arrived without them (e.g. an HTTP Request item). */
	headers: Readonly<Record<string, string | undefined>>;
	/** The exact bytes received, when known (triggers always have them). */
	rawBody?: Buffer;
}

/** One event inside a delivery (some providers batch several into one POST). */
export interface ProviderEvent {
	/** The provider's id for this event; with the adapter id it makes the canonical event id. */
	id: string;
	/** The provider's event type, e.g. `payment_intent.succeeded`, `PAYMENT.CAPTURE.COMPLETED`. */
	type: string;
	/** ISO 8601 time of the event as the provider states it. */
	occurredAt?: string;
	livemode?: boolean;
	/** The provider's own event object. */
	data: unknown;
}

/** An HTTP call that completes a thin notification, relative to the provider credential's base URL. */
export interface CompletionRequest {
	method: 'GET' | 'POST';
	/** Path below the API base URL, e.g. `/api.xro/2.0/Invoices/<id>`. */
	path: string;
	qs?: Record<string, string>;
	/** Headers the API needs besides authentication, e.g. Xero's tenant or GoCardless's API version. */
	headers?: Record<string, string>;
	body?: unknown;
	/** What the call fetches, for messages: "the Xero invoice 9b9ba9e5-…". */
	description: string;
}

export interface NormalizeContext {
	/** The response to `complete(event)`, for thin notifications. */
	completion?: unknown;
	/** The provider account's currency, for providers whose API leaves it out (Authorize.Net). */
	accountCurrency?: string;
}

/** How the provider's API is reached, to complete thin notifications. */
export interface ProviderApi {
	/** The n8n credential type (credentials/) that authenticates calls to the API. */
	credentialType: string;
	/**
	 * The API's base URL per value of the credential's `environment` field, the first the default.
	 * `{field}` stands for another credential field (Business Central's tenant).
	 */
	hosts: Readonly<Record<string, string>>;
}

export interface KnownEvent {
	/** What the event is about, e.g. "A PaymentIntent succeeded". */
	description: string;
}

/**
 * One payment source. Adding a provider means adding one file that exports one of these, plus its
 * registration in ./index.ts; the nodes read everything else from here.
 */
export interface ProviderAdapter {
	/** Lower-case id, also the `provider` of its events and the key of its money overrides. */
	id: string;
	displayName: string;
	/** The event types the adapter turns into payment events, for trigger event filters and docs. */
	events: Readonly<Record<string, KnownEvent>>;
	/** Whether a payload (as sent, or as n8n's built-in trigger emits it) comes from this provider. */
	detect(input: ProviderInput): boolean;
	/** The provider events in a delivery. Throws ProviderPayloadError for a malformed delivery. */
	parse(input: ProviderInput): ProviderEvent[];
	/**
	 * For a thin notification, the API call whose response `normalize` needs (it gets it as
	 * `context.completion`); undefined when the event carries everything.
	 */
	complete?(event: ProviderEvent): CompletionRequest | undefined;
	/** The API `complete` requests are sent to; present whenever `complete` is. */
	api?: ProviderApi;
	/**
	 * The canonical events an event maps to: none for an event that is not about money (a customer
	 * update), several where one event settles several payments. Throws ProviderPayloadError naming
	 * the field when the event is malformed.
	 */
	normalize(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[];
}
