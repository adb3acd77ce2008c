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

/** An HTTP call to the provider's API with the node's credential, relative to the credential's base URL. */
export interface ApiRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Path below the API base URL, e.g. `/api.xro/2.0/Invoices/<id>`. */
	path: string;
	qs?: Record<string, string | number | boolean>;
	/** Headers the API needs besides authentication, e.g. Xero's tenant or GoCardless's API version. */
	headers?: Record<string, string>;
	/** A JSON body. */
	body?: unknown;
	/** A form-encoded body instead (Stripe); arrays become repeated `name[]` fields. */
	form?: Record<string, string | readonly string[]>;
	/** What the call does, for messages: "the Xero invoice 9b9ba9e5-…". */
	description: string;
}

/** The call that completes a thin notification. */
export type CompletionRequest = ApiRequest & { method: 'GET' | 'POST' };

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

/** A webhook delivery exactly as the trigger received it. */
export interface WebhookRequest {
	/** The bytes the provider signed. */
	rawBody: Buffer;
	/** Header names in lower case. */
	headers: Readonly<Record<string, string | undefined>>;
	query: Readonly<Record<string, string | undefined>>;
	/** The URL the provider posted to: the node's webhook URL (Square signs it). */
	url: string;
}

export type Verification =
	| {
			ok: true;
			/** What tells this delivery from an earlier one with the same bytes, e.g. the state of the payment a thin notification names. */
			replayKey?: string;
	  }
	| { ok: false; reason: string };

/** What verification, handshakes and registration may use besides the request. */
export interface WebhookTools {
	now: Date;
	/** The credential's non-empty text fields (account ids, basic-auth pairs), for registration. */
	credentials: Readonly<Record<string, string>>;
	/** The node's switches (see `ProviderWebhook.switches`), true where the user turned them on. */
	switches: Readonly<Record<string, boolean>>;
	/** A call to the provider's API with the node's credential (verify APIs, fetch-back, registration). */
	callApi(request: ApiRequest): Promise<unknown>;
	/**
	 * A request without the credential to a URL outside the API (PayPal's signing certificate, IPN post-back).
	 * Returns the response text.
	 */
	fetchText(url: string, options?: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<string>;
}

/** The response to a handshake, sent without running the workflow. */
export interface HandshakeReply {
	status: number;
	body?: string | Record<string, unknown>;
	headers?: Record<string, string>;
}

/** A webhook endpoint the provider holds for the node's URL. */
export interface Subscription {
	id: string;
	/** The signing secret the provider issued with it, stored in the node's static data. */
	secret?: string;
}

/** Registration at providers whose API manages webhook endpoints. */
export interface ProviderSubscription {
	/** The credential field the issued `secret` stands in for, when the user left it empty. */
	secretField?: string;
	/** Whether the provider reveals the secret only when the endpoint is created (an endpoint found without it is replaced). */
	secretOnlyAtCreation?: boolean;
	/** The endpoint registered for exactly this URL, if any. */
	find(tools: WebhookTools, url: string): Promise<Subscription | undefined>;
	/** Registers the URL for these provider event types. */
	create(tools: WebhookTools, url: string, eventTypes: readonly string[]): Promise<Subscription>;
	/** Removes the endpoint (the node takes a 404 as already removed). */
	delete(tools: WebhookTools, id: string): Promise<void>;
}

/** How a provider's webhooks reach a trigger and are authenticated. */
export interface ProviderWebhook {
	/** How a delivery is authenticated, shown in the node: "HMAC-SHA256 of `t.body` (Stripe-Signature), 300 s window". */
	authentication: string;
	/**
	 * The credential fields verification needs, by field name with their display name. A missing one is a
	 * configuration error, never a skipped check (a field the subscription fills counts once it did).
	 */
	secretFields: Readonly<Record<string, string>>;
	/** Checks the delivery's signature (or the provider's strongest alternative) on the raw bytes. */
	verify(request: WebhookRequest, secrets: Readonly<Record<string, string>>, tools: WebhookTools): Verification | Promise<Verification>;
	/**
	 * The headers (lower case) that carry the signature and its timestamp: only signed or secret material, since
	 * with the body they identify a delivery.
	 */
	signatureHeaders: readonly string[];
	/**
	 * Whether the signature covers a timestamp or a per-attempt id (Stripe, Paddle, Recurly, PayPal), so the provider's
	 * retries differ from the original: the same signed bytes again is then a replay, refused with 401. Otherwise a
	 * retry is byte-identical to the original, so a delivery already accepted is acknowledged (200) and starts nothing.
	 */
	signsEachAttempt?: boolean;
	/** The body of a 200 answer when the provider expects one (default: empty). */
	acknowledgement?: string;
	/** Opt-in switches shown in the node (off by default) and passed to `verify`, e.g. PayPal's simulator events. */
	switches?: Readonly<Record<string, { displayName: string; description: string }>>;
	/**
	 * The answer to a handshake (Xero intent-to-receive, Braintree challenge, FreshBooks verifier) or
	 * undefined when the request is a delivery. Runs before `verify`, so it must check what it accepts.
	 */
	handshake?(
		request: WebhookRequest,
		secrets: Readonly<Record<string, string>>,
		tools: WebhookTools,
	): HandshakeReply | undefined | Promise<HandshakeReply | undefined>;
	/** Whether the provider also sends GET requests to the URL (Braintree's challenge); they reach `handshake` only. */
	acceptsGet?: boolean;
	/** Self-registration, for providers whose API allows it. */
	subscription?: ProviderSubscription;
	/** Where the user registers the URL when the node cannot: "Stripe Dashboard → Developers → Webhooks". */
	setup?: string;
}

/** One record a poll found, as the provider event it stands for. */
export interface PolledRecord {
	/** The record's id across its changes (a payment or invoice id): what "the same payment" means between polls. */
	key: string;
	/** When the record last changed (ISO 8601 with a zone): the poll cursor advances along it. */
	modifiedAt: string;
	/** The event `normalize` reads, as a webhook would have announced the change. */
	event: ProviderEvent;
	/** The record itself, handed to `normalize` as `context.completion` (as a thin notification's fetch would). */
	completion?: unknown;
}

/** One page of a poll. */
export interface PolledPage {
	records: PolledRecord[];
	/** The token of the next page, when there is one. */
	next?: string;
	/**
	 * With `tracking: 'seen'`, where the stream's next poll resumes, for sources that hand out a sync cursor (Plaid's
	 * next_cursor): the trigger stores the one of the last page read once the whole poll succeeded, and hands it back to
	 * `request`. A failed poll leaves the stored one as it was.
	 */
	cursor?: string;
}

/** A page request that failed, as the API answered it. */
export interface PollFailure {
	status?: number;
	/** The error response's body (parsed JSON where it was JSON). */
	body: unknown;
}

/** Polling, for sources without (reliable) webhooks: the trigger keeps the cursor, pages, retries and de-duplicates. */
export interface ProviderPoll {
	/** What is polled, for the node's notice: "Payments and Invoices, through Change Data Capture". */
	description: string;
	/** Separate listings to poll each time (e.g. Payments and Invoices), each with its own pages; default one. */
	streams?: readonly string[];
	/** The least time between two requests, to stay under the API's rate limit (Xero: 60 a minute). */
	minIntervalMs?: number;
	/**
	 * How long the API may take to list a change (default 10 minutes). When a poll finds nothing new the cursor moves
	 * up to now minus this, so a quiet account is not re-read from its last change forever.
	 */
	settleMs?: number;
	/**
	 * How the trigger tells new from already reported. 'changeTime' (the default): records carry the time they last changed
	 * and `since` is the latest one seen, so older records are dropped. 'seen': records carry no change time (a bank lists
	 * a transaction by a booking date that may lie before the last poll; Plaid hands out a sync cursor instead), so nothing
	 * is dropped by time and only records already reported unchanged are skipped; `since` is when the last successful poll
	 * started (or Start From), and a first poll without Start From takes note of what is there without reporting it.
	 */
	tracking?: 'changeTime' | 'seen';
	/**
	 * The request for one page of records changed at or after `since` (ISO 8601); `page` is the previous page's `next`;
	 * `cursor` is the stream's stored `PolledPage.cursor` (with `tracking: 'seen'`), undefined before the first one.
	 */
	request(stream: string, since: string, page: string | undefined, tools: WebhookTools, cursor?: string): ApiRequest;
	/**
	 * Whether a failed page means the stream must be read again from its first page (Plaid's
	 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION); the trigger does so a few times before giving up.
	 */
	restartOn?(failure: PollFailure): boolean;
	/** The records of one response, in any order, and the next page's token; `page` is the token this response answered. */
	read(stream: string, response: unknown, context: { page: string | undefined; tools: WebhookTools }): PolledPage;
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
	/** The API `complete` requests and webhook registration are sent to; present whenever `complete` is. */
	api?: ProviderApi;
	/** Whether payloads may leave out the currency, so the nodes ask for the account's (Authorize.Net). */
	needsAccountCurrency?: boolean;
	/** Present for sources that can be polled: what their polling trigger is built from. */
	poll?: ProviderPoll;
	/** Present for providers that post webhooks: what their trigger node is built from. */
	webhook?: ProviderWebhook;
	/**
	 * The canonical events an event maps to: none for an event that is not about money (a customer
	 * update), several where one event settles several payments. Throws ProviderPayloadError naming
	 * the field when the event is malformed.
	 */
	normalize(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[];
}
