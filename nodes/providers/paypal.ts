import { X509Certificate, type KeyObject } from 'node:crypto';

import type { PaymentEventInput } from '../core/event';
import { crc32, isWithinTolerance, verifyRsaSha256 } from '../core/signature';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type {
	PolledRecord,
	ProviderAdapter,
	ProviderApi,
	ProviderEvent,
	ProviderInput,
	ProviderPoll,
	ProviderWebhook,
	Verification,
	WebhookTools,
} from './types';

const ID = 'paypal';

// https://developer.paypal.com/api/rest/webhooks/event-names/ (Payments v2 captures, Payments v1 sales).
// PAYMENT.CAPTURE.REVERSED, PAYMENT.SALE.REFUNDED and PAYMENT.SALE.REVERSED are left out until a real
// sample shows their resource; they normalize to no event.
const EVENTS = {
	'PAYMENT.CAPTURE.COMPLETED': { description: 'A payment capture completed' },
	'PAYMENT.CAPTURE.PENDING': { description: 'A payment capture is pending' },
	'PAYMENT.CAPTURE.DENIED': { description: 'A payment capture was denied' },
	'PAYMENT.CAPTURE.DECLINED': { description: 'A payment capture was declined' },
	'PAYMENT.CAPTURE.REFUNDED': { description: 'A merchant refunded a payment capture' },
	'PAYMENT.SALE.COMPLETED': { description: 'A sale completed (Payments v1)' },
	'PAYMENT.SALE.PENDING': { description: 'A sale is pending (Payments v1)' },
	'PAYMENT.SALE.DENIED': { description: 'A sale was denied (Payments v1)' },
} as const;

type PayPalObject = Record<string, unknown>;

const PAYMENT_STATUS: Record<string, PaymentStatus> = {
	'PAYMENT.CAPTURE.COMPLETED': 'succeeded',
	'PAYMENT.CAPTURE.PENDING': 'pending',
	'PAYMENT.CAPTURE.DENIED': 'failed',
	'PAYMENT.CAPTURE.DECLINED': 'failed',
	'PAYMENT.SALE.COMPLETED': 'succeeded',
	'PAYMENT.SALE.PENDING': 'pending',
	'PAYMENT.SALE.DENIED': 'failed',
};
// https://developer.paypal.com/docs/api/payments/v2/#refunds_get (status)
const REFUND_STATUS: Record<string, PaymentStatus> = {
	COMPLETED: 'refunded',
	PENDING: 'pending',
	FAILED: 'failed',
	CANCELLED: 'canceled',
};

/** The event object: n8n's PayPal Trigger and Webhook node give parsed JSON; a raw body is JSON text. */
function eventObject(input: ProviderInput): PayPalObject | undefined {
	const { body } = input;
	if (isObject(body)) return body;
	const raw = typeof body === 'string' ? body : input.rawBody?.toString('utf8');
	if (raw === undefined) return undefined;
	try {
		const parsed: unknown = JSON.parse(raw);
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function isPayPalEvent(body: unknown): body is PayPalObject {
	return (
		isObject(body) &&
		typeof body.id === 'string' &&
		typeof body.event_type === 'string' &&
		typeof body.resource_type === 'string' &&
		isObject(body.resource)
	);
}

/** The URL of the HATEOAS link `rel` of a PayPal object, e.g. its `self` or `up` link. */
function link(object: PayPalObject, rel: string): URL | undefined {
	const links = Array.isArray(object.links) ? object.links : [];
	const href = text(at(links.find((candidate) => at(candidate, 'rel') === rel), 'href'));
	if (href === undefined || !URL.canParse(href)) return undefined;
	return new URL(href);
}

/** Sandbox or live, from the API host of the event's own link (PayPal sends no flag). */
function livemodeOf(event: PayPalObject): boolean | undefined {
	const host = link(event, 'self')?.hostname;
	if (host === undefined) return undefined;
	if (host.endsWith('.sandbox.paypal.com')) return false;
	return host.endsWith('.paypal.com') ? true : undefined;
}

/** v2 amounts are `{ currency_code, value }`, v1 amounts `{ currency, total }`. */
function amountOf(resource: PayPalObject) {
	const amount = resource.amount;
	if (at(amount, 'currency_code') !== undefined || at(amount, 'value') !== undefined) {
		return moneyFromDecimal(ID, at(amount, 'value'), at(amount, 'currency_code'), 'resource.amount.value');
	}
	return moneyFromDecimal(ID, at(amount, 'total'), at(amount, 'currency'), 'resource.amount.total');
}

function referenceOf(resource: PayPalObject): string | undefined {
	return text(resource.invoice_id) ?? text(resource.custom_id) ?? text(resource.invoice_number) ?? text(resource.custom);
}

function base(event: ProviderEvent, resource: PayPalObject) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		reference: referenceOf(resource),
	};
}

/**
 * The event the polling trigger builds from one row of the Transaction Search API (PayPal sends no webhook for it):
 * its data is the row, `{ transaction_info, payer_info, cart_info, … }`.
 */
export const TRANSACTION_SEARCH_EVENT = 'transaction_search.transaction';

// https://developer.paypal.com/docs/api/transaction-search/v1/ (transaction_status): D denied, F partially refunded,
// P pending, S successful, V reversed (refunded to the sender).
const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	S: 'succeeded',
	P: 'pending',
	D: 'failed',
	F: 'partially_refunded',
	V: 'refunded',
};
const REFUND_TRANSACTION_STATUS: Record<string, PaymentStatus> = { S: 'refunded', P: 'pending', D: 'failed' };

/**
 * What a transaction event code (https://developer.paypal.com/docs/transaction-search/transaction-event-codes/) means
 * for the account: T00nn account-to-account payments (checkout, subscription, website, virtual terminal, …),
 * T1107 a refund the merchant sent, T1106 a reversal PayPal made (a chargeback or a dispute lost), T1201 a chargeback.
 * Every other group (fees, transfers, holds, currency conversion, …) is not a payment event.
 */
function transactionKind(code: string): 'payment' | 'refund' | 'dispute' | undefined {
	if (/^T00\d\d$/.test(code)) return 'payment';
	if (code === 'T1107') return 'refund';
	if (code === 'T1106' || code === 'T1201') return 'dispute';
	return undefined;
}

function normalizeTransaction(event: ProviderEvent): PaymentEventInput[] {
	const info = at(event.data, 'transaction_info');
	if (!isObject(info)) throw new ProviderPayloadError(ID, 'transaction_info', 'is missing');
	const code = requireText(ID, info.transaction_event_code, 'transaction_info.transaction_event_code');
	const kind = transactionKind(code);
	if (!kind) return [];
	const value = text(at(info, 'transaction_amount.value'));
	if (value === undefined) throw new ProviderPayloadError(ID, 'transaction_info.transaction_amount.value', 'is missing');
	// The amount is signed from the account's side: a payment it sent is negative, and so is a refund or chargeback.
	const sent = value.startsWith('-');
	if (kind === 'payment' && sent) return [];
	const field = 'transaction_info.transaction_amount.value';
	const amount = moneyFromDecimal(ID, sent ? value.slice(1) : value, at(info, 'transaction_amount.currency_code'), field);
	const statusCode = requireText(ID, info.transaction_status, 'transaction_info.transaction_status');
	const status = kind === 'dispute' ? 'disputed' : (kind === 'refund' ? REFUND_TRANSACTION_STATUS : TRANSACTION_STATUS)[statusCode];
	if (!status) throw new ProviderPayloadError(ID, 'transaction_info.transaction_status', `unknown status "${statusCode}"`);
	const payer = at(event.data, 'payer_info');
	const name = at(payer, 'payer_name');
	const original = text(info.paypal_reference_id_type) === 'TXN' ? text(info.paypal_reference_id) : undefined;
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind,
			status,
			amount,
			customer: compact({
				id: text(at(payer, 'account_id')),
				name: text(at(name, 'alternate_full_name')) ?? text([text(at(name, 'given_name')), text(at(name, 'surname'))].filter(Boolean).join(' ')),
				email: text(at(payer, 'email_address')),
			}),
			payment: compact({ id: kind === 'payment' ? text(info.transaction_id) : original, method: text(info.instrument_type) }),
			reference: text(info.invoice_id) ?? text(info.custom_field),
			description: text(info.transaction_subject) ?? text(info.transaction_note),
		},
	];
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	if (event.type === TRANSACTION_SEARCH_EVENT) return normalizeTransaction(event);
	const resource = at(event.data, 'resource');
	if (!isObject(resource)) throw new ProviderPayloadError(ID, 'resource', 'is missing');
	const type = event.type;

	if (type in PAYMENT_STATUS) {
		return [
			{
				...base(event, resource),
				kind: 'payment',
				status: PAYMENT_STATUS[type],
				amount: amountOf(resource),
				payment: compact({ id: text(resource.id) }),
			},
		];
	}
	if (type === 'PAYMENT.CAPTURE.REFUNDED') {
		const refundStatus = requireText(ID, resource.status, 'resource.status');
		const status = REFUND_STATUS[refundStatus];
		if (!status) throw new ProviderPayloadError(ID, 'resource.status', `unknown refund status "${refundStatus}"`);
		// The refund links `up` to the capture it refunds.
		const captureId = link(resource, 'up')?.pathname.split('/').pop();
		const payment = compact({ id: captureId });
		return [{ ...base(event, resource), kind: 'refund', status, amount: amountOf(resource), payment }];
	}
	return [];
}

/** PayPal's REST API, for webhook registration (and IPN post-backs, which go to ipnpb hosts: see paypalIpn). */
export const PAYPAL_API: ProviderApi = {
	credentialType: 'paymentEventsPayPalApi',
	hosts: { live: 'https://api-m.paypal.com', sandbox: 'https://api-m.sandbox.paypal.com' },
};

// https://developer.paypal.com/api/rest/webhooks/rest/ (self-verification: RSA-SHA256 over
// transmission_id|transmission_time|webhook_id|crc32(raw body), with the certificate at PAYPAL-CERT-URL).
const SIGNED_HEADERS = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url'];
// PayPal states no window; a day matches how long the trigger remembers deliveries, so no replay outlives both checks.
const TOLERANCE_SECONDS = 24 * 60 * 60;
// https://developer.paypal.com/api/rest/webhooks/simulator/: simulator events are signed for this literal webhook id.
const SIMULATOR_WEBHOOK_ID = 'WEBHOOK_ID';
const PAYPAL_CERT_HOSTS = new Set(['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com']);
const SIGNER_DOWNLOADS_PATH = '/v1/notifications/certs/';
const MAX_CACHED_CERTIFICATES = 100;

/** Signing certificates by URL: PayPal rotates them rarely, and each delivery names its own. */
const certificates = new Map<string, Promise<X509Certificate>>();

/**
 * Whether the certificate URL is one PayPal's own API serves over https, or lies under the origin of the credential's
 * Base URL Override (a proxy or a test stand-in the user configured).
 */
function trustedCertUrl(value: string, baseUrl: string | undefined): boolean {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	if (url.username || url.password) return false;
	const override = baseUrl ? `${baseUrl.replace(/\/+$/, '')}${SIGNER_DOWNLOADS_PATH}` : undefined;
	if (override && URL.canParse(override) && url.href.startsWith(new URL(override).href)) return true;
	return url.protocol === 'https:' && !url.port && PAYPAL_CERT_HOSTS.has(url.hostname) && url.pathname.startsWith(SIGNER_DOWNLOADS_PATH);
}

async function certificate(tools: WebhookTools, url: string): Promise<X509Certificate> {
	let pending = certificates.get(url);
	if (!pending) {
		pending = tools.fetchText(url).then((pem) => new X509Certificate(pem));
		if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.delete(certificates.keys().next().value!);
		certificates.set(url, pending);
		// A failed download is not remembered: the next delivery tries again.
		pending.catch(() => certificates.delete(url));
	}
	return await pending;
}

/** Verifies a REST webhook delivery; exported for the tests that pin the clock to the signing certificate's lifetime. */
export async function verifyPayPalWebhook(
	rawBody: Buffer,
	headers: Readonly<Record<string, string | undefined>>,
	secrets: Readonly<Record<string, string>>,
	tools: WebhookTools,
): Promise<Verification> {
	const [transmissionId, transmissionTime, signature, certUrl] = SIGNED_HEADERS.map((name) => headers[name]);
	if (!transmissionId || !transmissionTime || !signature || !certUrl) {
		return { ok: false, reason: 'a PayPal-Transmission-Id, -Time, -Sig or PayPal-Cert-Url header is missing' };
	}
	const algorithm = headers['paypal-auth-algo'];
	if (algorithm !== undefined && algorithm !== 'SHA256withRSA') return { ok: false, reason: 'PayPal-Auth-Algo is not SHA256withRSA' };
	if (!isWithinTolerance(transmissionTime, TOLERANCE_SECONDS, tools.now)) {
		return { ok: false, reason: `PayPal-Transmission-Time is more than ${TOLERANCE_SECONDS} s away` };
	}
	if (!trustedCertUrl(certUrl, secrets.baseUrl)) {
		return { ok: false, reason: "PayPal-Cert-Url is not a certificate URL of PayPal's API (or of the Base URL Override)" };
	}
	let cert: X509Certificate;
	try {
		cert = await certificate(tools, certUrl);
	} catch {
		return { ok: false, reason: "PayPal's signing certificate could not be fetched or read" };
	}
	const now = tools.now.getTime();
	if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
		return { ok: false, reason: "PayPal's signing certificate is not valid at this time" };
	}
	const publicKey: KeyObject = cert.publicKey;
	const crc = crc32(rawBody);
	const webhookIds = [secrets.webhookId, ...(tools.switches.acceptSimulatorEvents ? [SIMULATOR_WEBHOOK_ID] : [])];
	const valid = webhookIds.some((webhookId) =>
		verifyRsaSha256({ publicKey, payload: `${transmissionId}|${transmissionTime}|${webhookId}|${crc}`, signature }),
	);
	return valid ? { ok: true } : { ok: false, reason: 'PayPal-Transmission-Sig does not match the body for this webhook ID' };
}

interface PayPalWebhook {
	id: string;
	url: string;
}

const webhook: ProviderWebhook = {
	authentication:
		"RSA-SHA256 signature (PayPal-Transmission-Sig) over the transmission id and time, the webhook ID and the body's CRC32, checked with PayPal's certificate, at most 24 h old",
	secretFields: { webhookId: 'Webhook ID' },
	signatureHeaders: SIGNED_HEADERS,
	signsEachAttempt: true,
	switches: {
		acceptSimulatorEvents: {
			displayName: 'Accept Simulator Events',
			description:
				"Whether to also accept events from PayPal's Webhooks simulator, which are signed for the webhook ID WEBHOOK_ID rather than yours. Turn off again after testing.",
		},
	},
	verify: async (request, secrets, tools) => await verifyPayPalWebhook(request.rawBody, request.headers, secrets, tools),
	// https://developer.paypal.com/docs/api/webhooks/v1/ (list, create, delete); the list is not paginated.
	subscription: {
		secretField: 'webhookId',
		async find(tools, url) {
			const list = (await tools.callApi({ method: 'GET', path: '/v1/notifications/webhooks', description: 'the webhooks' })) as {
				webhooks?: PayPalWebhook[];
			};
			const found = (list.webhooks ?? []).find((candidate) => candidate.url === url);
			return found && { id: found.id, secret: found.id };
		},
		async create(tools, url, eventTypes) {
			// Only names PayPal publishes (https://developer.paypal.com/api/rest/webhooks/event-names/); an unknown one fails the whole call.
			const names = eventTypes.filter((name) => name in EVENTS);
			const created = (await tools.callApi({
				method: 'POST',
				path: '/v1/notifications/webhooks',
				body: { url, event_types: (names.length ? names : Object.keys(EVENTS)).map((name) => ({ name })) },
				description: `the webhook for ${url}`,
			})) as PayPalWebhook;
			// The webhook's id is what deliveries are signed for.
			return { id: created.id, secret: created.id };
		},
		async delete(tools, id) {
			await tools.callApi({
				method: 'DELETE',
				path: `/v1/notifications/webhooks/${encodeURIComponent(id)}`,
				description: `the webhook ${id}`,
			});
		},
	},
};

/** Transaction Search answers for at most 31 days a request. */
const WINDOW_MS = 31 * 24 * 60 * 60 * 1000;
/** Its largest page. */
const PAGE_SIZE = 500;
/**
 * How far before the cursor a poll looks. The API does not say whether start_date/end_date select on a transaction's
 * initiation or update time; if on initiation, a pending transaction (an eCheck clears in up to a week) that completes
 * later would never be listed again. Looking back a week lists it; the trigger keeps only rows updated since the cursor.
 */
const LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/** An Internet date-time in whole seconds (rounded down, so `since` stays inside the range), as the API requires. */
function wholeSeconds(time: number): string {
	return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The range a response covers: its start_date and end_date, else the query of its `self` link. */
function rangeOf(response: PayPalObject): { start: number; end: number } | undefined {
	const self = link(response, 'self')?.searchParams;
	// A `+` in the link's offset decodes as a space.
	const time = (value: unknown) => Date.parse(String(value ?? '').replace(' ', '+'));
	const start = time(text(response.start_date) ?? self?.get('start_date'));
	const end = time(text(response.end_date) ?? self?.get('end_date'));
	return Number.isNaN(start) || Number.isNaN(end) ? undefined : { start, end };
}

/** The page token: the range's start and the page within it. */
function pageToken(start: number, page: number): string {
	return `${wholeSeconds(start)}|${page}`;
}

// https://developer.paypal.com/docs/api/transaction-search/v1/#transactions_get: the account's balance-affecting
// transactions, up to 3 hours behind, 31 days a request. A longer backfill is read range after range.
const poll: ProviderPoll = {
	description:
		"PayPal's Transaction Search API (payments, refunds and chargebacks; transactions appear there up to 3 hours after they happen; the REST app needs the Transaction Search permission)",
	// PayPal publishes no rate limit for reporting; keep a quarter second between pages.
	minIntervalMs: 250,
	request(_stream, since, page, tools) {
		const [from, number] = page ? page.split('|') : [since, '1'];
		const start = page ? Date.parse(from) : Date.parse(since) - LOOKBACK_MS;
		const end = Math.min(start + WINDOW_MS, tools.now.getTime());
		return {
			method: 'GET',
			path: '/v1/reporting/transactions',
			qs: {
				start_date: wholeSeconds(start),
				end_date: wholeSeconds(Math.max(end, start + 1000)),
				fields: 'all',
				page_size: PAGE_SIZE,
				page: Number(number),
			},
			description: `the transactions since ${wholeSeconds(page ? start : Date.parse(since))}`,
		};
	},
	read(_stream, response) {
		if (!isObject(response)) throw new ProviderPayloadError(ID, 'body', 'is not a Transaction Search response');
		const rows = response.transaction_details ?? [];
		if (!Array.isArray(rows)) throw new ProviderPayloadError(ID, 'transaction_details', 'is not a list');
		const livemode = livemodeOf(response);
		const records = rows.map((row, n): PolledRecord => {
			const field = `transaction_details.${n}.transaction_info`;
			const info = at(row, 'transaction_info');
			const id = requireText(ID, at(info, 'transaction_id'), `${field}.transaction_id`);
			const changed = at(info, 'transaction_updated_date') ?? at(info, 'transaction_initiation_date');
			const modifiedAt = isoTime(ID, changed, `${field}.transaction_updated_date`);
			const event: ProviderEvent = { id: `${id}@${modifiedAt}`, type: TRANSACTION_SEARCH_EVENT, occurredAt: modifiedAt, livemode, data: row };
			return { key: id, modifiedAt, event };
		});
		const range = rangeOf(response);
		const page = Number(response.page ?? 1);
		const pages = Number(response.total_pages ?? 0);
		let next: string | undefined;
		if (range && page < pages) next = pageToken(range.start, page + 1);
		// A full 31-day range ended before now: the next range follows.
		else if (range && range.end - range.start >= WINDOW_MS - 1000) next = pageToken(range.end, 1);
		return { records, next };
	},
};

export const paypal: ProviderAdapter = {
	id: ID,
	displayName: 'PayPal',
	events: EVENTS,
	api: PAYPAL_API,
	webhook,
	poll,

	// A PayPal REST webhook event as delivered, and as n8n's PayPal Trigger emits it.
	detect: (input) => isPayPalEvent(eventObject(input)),

	parse(input: ProviderInput): ProviderEvent[] {
		const body = eventObject(input);
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a PayPal webhook event');
		return [
			{
				id: requireText(ID, body.id, 'id'),
				type: requireText(ID, body.event_type, 'event_type'),
				occurredAt: isoTime(ID, body.create_time, 'create_time'),
				livemode: livemodeOf(body),
				data: body,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
