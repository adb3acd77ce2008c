/** What a channel delivers to: the kind decides which address of the client it needs and which template it gets. */
export type ChannelKind = 'sms' | 'email' | 'chat' | 'push';

/** The address kinds a recipient can have; chat channels posting to a fixed room need none. */
export type AddressKind = 'phone' | 'email' | 'chat' | 'push' | 'none';

/** A rendered confirmation, as the templates made it for this channel. */
export interface RenderedMessage {
	/** Email subject, chat card title. */
	subject?: string;
	/** Plain text: the SMS, the chat message, the email's text part, the push body. */
	text: string;
	/** Email HTML part. */
	html?: string;
	/** Facts for chat cards (Teams Adaptive Card, Google Chat card, Slack blocks), in order. */
	facts?: Array<{ name: string; value: string }>;
	/** Ordered values for providers that send pre-approved templates (WhatsApp), from the event. */
	templateParameters?: string[];
}

/** One message to send. */
export interface Delivery {
	/** The recipient's address for this channel (E.164 phone, email, chat id, push user id); empty for fixed rooms. */
	to: string;
	/** The recipient's name, for greetings and email headers. */
	name?: string;
	message: RenderedMessage;
	/** Stable for this event, channel and recipient: sent as the provider's idempotency key where it has one. */
	idempotencyKey: string;
	/** The channel's settings from the node (sender number, from address, template name …), by name. */
	settings: Readonly<Record<string, string>>;
}

/** An HTTP request to the channel's API, made with the channel's credential. */
export interface ChannelRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH';
	/** An absolute URL, or a path below the credential's base URL. */
	url: string;
	qs?: Record<string, string | number | boolean>;
	headers?: Record<string, string>;
	/** A JSON body. */
	body?: unknown;
	/** A form-encoded body instead (Twilio, Plivo's legacy API …); arrays become repeated fields. */
	form?: Record<string, string | readonly string[]>;
	/** A multipart/form-data body instead (Mailgun). */
	multipart?: Record<string, string | readonly string[]>;
}

/** What the channel's API answered, whatever the status. */
export interface ChannelResponse {
	status: number;
	headers: Readonly<Record<string, string | undefined>>;
	body: unknown;
}

/** What the node uses to reach the channel's API. */
export interface ChannelTools {
	/** Sends a request with the channel's credential; resolves with any HTTP answer, rejects only on network failure. */
	request(request: ChannelRequest): Promise<ChannelResponse>;
	/** The credential's non-empty text fields (sender ids, regions, webhook URLs …). */
	credentials: Readonly<Record<string, string>>;
}

/** The provider's own id for a message it accepted. */
export interface SendResult {
	providerMessageId?: string;
	/** The provider's word for the state it accepted the message in: queued, accepted, sent … */
	providerStatus?: string;
}

/** A failed send, classified: retryable failures (rate limits, 5xx, timeouts) are tried again, others fall back at once. */
export class ChannelError extends Error {
	override name = 'ChannelError';

	constructor(
		message: string,
		readonly details: {
			retryable: boolean;
			/** The provider's error code, e.g. Twilio 21211, for the audit. */
			code?: string;
			status?: number;
			/** How long the provider asked to wait (Retry-After). */
			retryAfterMs?: number;
		},
	) {
		super(message);
	}
}

/** A setting of the channel shown in the node (sender, from address, template name …). */
export interface ChannelSetting {
	displayName: string;
	description: string;
	placeholder?: string;
	required?: boolean;
	default?: string;
}

/** One message provider. Adding a channel means adding one file that exports one of these, its credential and tests. */
export interface ChannelAdapter {
	/** Lower-case id, the value users put in a client's preferred channels (or the kind, for the first of that kind). */
	id: string;
	displayName: string;
	kind: ChannelKind;
	/** Which address of the recipient the channel needs. */
	address: AddressKind;
	/** The n8n credential type (credentials/) authenticating the channel's requests. */
	credentialType: string;
	/** The API base URL per value of the credential's `environment`/region field, the first the default; {field} placeholders allowed. */
	hosts: Readonly<Record<string, string>>;
	/** A setting that stands in for the recipient's address when the client has none (Slack's default channel). */
	addressSetting?: string;
	/** Settings shown in the node when the channel is selected. */
	settings?: Readonly<Record<string, ChannelSetting>>;
	/** Sends one message; throws ChannelError on failure. */
	send(delivery: Delivery, tools: ChannelTools): Promise<SendResult>;
	/**
	 * Batch API for mass sends (SendGrid personalizations, Mailgun recipient-variables): sends up to `max` deliveries of
	 * the same content in one request and returns a result or an error per delivery, in order.
	 */
	batch?: {
		max: number;
		send(deliveries: Delivery[], tools: ChannelTools): Promise<Array<SendResult | ChannelError>>;
	};
}
