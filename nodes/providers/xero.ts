import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	moneyFromDecimal,
	normalizePhone,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import type {
	CompletionRequest,
	PolledRecord,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderPoll,
	ProviderWebhook,
	Verification,
	WebhookRequest,
	WebhookTools,
} from './types';

const ID = 'xero';

// https://developer.xero.com/documentation/guides/webhooks/overview/ : Xero notifies CREATE and UPDATE of
// contacts, invoices, credit notes (and a few more); every notification is thin and names the resource.
const EVENTS = {
	'INVOICE.CREATE': { description: 'An invoice was created (fetched to read its amounts and status)' },
	'INVOICE.UPDATE': { description: 'An invoice changed, e.g. a payment was applied (fetched to read its status)' },
} as const;

type XeroObject = Record<string, unknown>;

function eventsOf(body: unknown): XeroObject[] {
	if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Xero webhook payload');
	if (!Array.isArray(body.events)) throw new ProviderPayloadError(ID, 'events', 'is not an array');
	return body.events.map((event, index) => {
		if (!isObject(event)) throw new ProviderPayloadError(ID, `events.${index}`, 'is not an object');
		return event;
	});
}

/** Xero writes eventDateUtc without a zone ("2024-06-21T01:15:39.902"); the name says it is UTC. */
function eventTime(value: unknown, field: string): string {
	const raw = requireText(ID, value, field);
	const time = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(raw) ? raw : `${raw}Z`);
	if (Number.isNaN(time)) throw new ProviderPayloadError(ID, field, `${JSON.stringify(raw)} is not a date`);
	return new Date(time).toISOString();
}

/**
 * Xero's JSON dates, "/Date(1221560931500+0000)/": milliseconds since the epoch (UTC), then the offset the
 * time was entered in, which does not change the instant.
 */
function xeroDate(value: unknown, field: string): string | undefined {
	const raw = text(value);
	if (raw === undefined) return undefined;
	const match = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(raw);
	if (!match) throw new ProviderPayloadError(ID, field, `${JSON.stringify(raw)} is not a Xero /Date(...)/ value`);
	return new Date(Number(match[1])).toISOString();
}

/** The Xero contact's first usable phone, assembled from its country, area and number parts. */
function phoneOf(contact: unknown): string | undefined {
	const phones = at(contact, 'Phones');
	if (!Array.isArray(phones)) return undefined;
	for (const type of ['MOBILE', 'DEFAULT', 'DDI']) {
		const phone = phones.find((candidate) => at(candidate, 'PhoneType') === type && text(at(candidate, 'PhoneNumber')));
		if (!phone) continue;
		const country = text(at(phone, 'PhoneCountryCode'));
		const digits = `${text(at(phone, 'PhoneAreaCode')) ?? ''}${text(at(phone, 'PhoneNumber'))}`;
		return normalizePhone(country ? `+${country.replace(/^\+/, '')} ${digits}` : digits);
	}
	return undefined;
}

function invoiceStatus(status: string, paid: { minor: number }): PaymentStatus | undefined {
	if (status === 'PAID') return 'succeeded';
	if (status === 'AUTHORISED') return paid.minor > 0 ? 'partially_paid' : 'pending';
	if (status === 'VOIDED') return 'canceled';
	// DRAFT, SUBMITTED (awaiting approval) and DELETED (only drafts can be deleted) never owed or moved money.
	return undefined;
}

function normalizeInvoice(event: ProviderEvent, completion: unknown): PaymentEventInput[] {
	const invoices = at(completion, 'Invoices');
	const invoice = Array.isArray(invoices) ? invoices[0] : undefined;
	if (!isObject(invoice)) throw new ProviderPayloadError(ID, 'Invoices.0', 'is missing from the fetched invoice');
	const currency = invoice.CurrencyCode;
	const total = moneyFromDecimal(ID, invoice.Total, currency, 'Invoices.0.Total');
	const amountPaid = moneyFromDecimal(ID, invoice.AmountPaid, currency, 'Invoices.0.AmountPaid');
	const amountDue = moneyFromDecimal(ID, invoice.AmountDue, currency, 'Invoices.0.AmountDue');
	const xeroStatus = requireText(ID, invoice.Status, 'Invoices.0.Status');
	const status = invoiceStatus(xeroStatus, amountPaid);
	if (!status) return [];

	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;
	const contact = invoice.Contact;
	const payments = Array.isArray(invoice.Payments) ? invoice.Payments : [];
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? true,
			// The fetched state is as of UpdatedDateUTC, which may be later than the notification.
			occurredAt: xeroDate(invoice.UpdatedDateUTC, 'Invoices.0.UpdatedDateUTC') ?? event.occurredAt!,
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			customer: compact({
				id: text(at(contact, 'ContactID')),
				name: text(at(contact, 'Name')),
				email: text(at(contact, 'EmailAddress')),
				phone: phoneOf(contact),
			}),
			invoice: compact({ id: text(invoice.InvoiceID), number: text(invoice.InvoiceNumber) }),
			payment: compact({ id: text(at(payments[payments.length - 1], 'PaymentID')) }),
			reference: text(invoice.Reference),
			// ACCREC is a sales invoice (a customer pays you), ACCPAY a bill (you pay a supplier).
			metadata: compact({ invoiceType: text(invoice.Type) }),
		},
	];
}

/**
 * What the polling trigger reports for a changed payment (Xero sends no payment webhooks): the record of
 * GET /Payments, in the shape of GET /Payments/{PaymentID} ({ "Payments": [ {...} ] }).
 */
const POLLED_EVENTS = {
	'PAYMENT.UPDATE': { description: 'A payment was recorded or deleted (polled)' },
} as const;

/**
 * Payments that pay money out of a credit note, an overpayment or a prepayment are refunds (Xero's payment types:
 * https://developer.xero.com/documentation/api/accounting/types).
 */
const REFUND_PAYMENT_TYPES = new Set([
	'ARCREDITPAYMENT',
	'APCREDITPAYMENT',
	'AROVERPAYMENTPAYMENT',
	'APOVERPAYMENTPAYMENT',
	'ARPREPAYMENTPAYMENT',
	'APPREPAYMENTPAYMENT',
]);

/** The document a payment applies to; its CurrencyCode is the currency of the payment's Amount. */
const PAYMENT_DOCUMENTS = ['Invoice', 'CreditNote', 'Prepayment', 'Overpayment'] as const;

function normalizePayment(event: ProviderEvent, completion: unknown): PaymentEventInput[] {
	const payments = at(completion, 'Payments');
	const payment = Array.isArray(payments) ? payments[0] : undefined;
	if (!isObject(payment)) throw new ProviderPayloadError(ID, 'Payments.0', 'is missing from the polled payment');
	const xeroStatus = requireText(ID, payment.Status, 'Payments.0.Status');
	// AUTHORISED and DELETED (a reversed payment) are the only payment statuses.
	if (xeroStatus !== 'AUTHORISED' && xeroStatus !== 'DELETED') return [];
	const documentKey = PAYMENT_DOCUMENTS.find((key) => isObject(payment[key]));
	const document = documentKey ? payment[documentKey] : undefined;
	const field = `Payments.0.${documentKey ?? 'Invoice'}.CurrencyCode`;
	const amount = moneyFromDecimal(ID, payment.Amount, requireText(ID, at(document, 'CurrencyCode'), field), 'Payments.0.Amount');
	const paymentType = text(payment.PaymentType);
	const refund = paymentType !== undefined && REFUND_PAYMENT_TYPES.has(paymentType);
	const contact = at(document, 'Contact');
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? true,
			occurredAt: xeroDate(payment.UpdatedDateUTC, 'Payments.0.UpdatedDateUTC') ?? event.occurredAt!,
			kind: refund ? 'refund' : 'payment',
			status: xeroStatus === 'DELETED' ? 'canceled' : refund ? 'refunded' : 'succeeded',
			amount,
			customer: compact({
				id: text(at(contact, 'ContactID')),
				name: text(at(contact, 'Name')),
				email: text(at(contact, 'EmailAddress')),
				phone: phoneOf(contact),
			}),
			invoice:
				documentKey === 'Invoice'
					? compact({ id: text(at(document, 'InvoiceID')), number: text(at(document, 'InvoiceNumber')) })
					: undefined,
			payment: compact({ id: text(payment.PaymentID) }),
			reference: text(payment.Reference),
			// ACCRECPAYMENT: a customer paid an invoice; ACCPAYPAYMENT: you paid a bill; the document type says which one.
			metadata: compact({ paymentType, documentType: text(at(document, 'Type')) }),
		},
	];
}

/** Xero answers 100 records a page: https://developer.xero.com/documentation/api/accounting/payments#get-payments */
const PAGE_SIZE = 100;

/** The listings polled, one after the other, so that the tenant found once carries through both. */
const LISTINGS = ['Payments', 'Invoices'] as const;
type Listing = (typeof LISTINGS)[number];

/**
 * Where a poll is: the organisation, the listing and its page. A page token holds it as `<tenantId>|<listing>|<page>`;
 * without a token the poll starts at the first page of Payments of the credential's tenant, or, when the credential
 * names none, asks GET /connections for it first (undefined here).
 */
interface Position {
	tenantId: string;
	listing: Listing;
	page: number;
}

function positionOf(token: string | undefined, tools: WebhookTools): Position | undefined {
	if (token === undefined) {
		const tenantId = tools.credentials.tenantId;
		return tenantId ? { tenantId, listing: LISTINGS[0], page: 1 } : undefined;
	}
	const [tenantId, listing, page] = token.split('|');
	if (!tenantId || !LISTINGS.includes(listing as Listing) || !/^[1-9]\d*$/.test(page ?? '')) {
		throw new Error(`Xero: "${token}" is not a page token of this poll`);
	}
	return { tenantId, listing: listing as Listing, page: Number(page) };
}

const tokenOf = ({ tenantId, listing, page }: Position) => `${tenantId}|${listing}|${page}`;

/** If-Modified-Since in the documented form (UTC, yyyy-mm-ddThh:mm:ss), a second early so the cursor's own second is included. */
function modifiedSince(since: string): string {
	return new Date(Math.floor(Date.parse(since) / 1000) * 1000 - 1000).toISOString().slice(0, 19);
}

/** The tenant of a /connections answer: the single organisation it lists. */
function tenantOf(connections: unknown[]): string {
	const tenants = [
		...new Set(
			connections.flatMap((connection) =>
				isObject(connection) && (connection.tenantType ?? 'ORGANISATION') === 'ORGANISATION' && text(connection.tenantId)
					? [text(connection.tenantId)!]
					: [],
			),
		),
	];
	if (tenants.length !== 1) {
		throw new Error(
			`Xero: this connection reaches ${tenants.length} organisations; set Tenant ID in the credential to the one to poll`,
		);
	}
	return tenants[0];
}

/** One listed payment or invoice of the tenant as the event a webhook would announce, with the record as the fetched resource. */
function polledRecord(tenantId: string, stream: Listing, record: unknown, field: string): PolledRecord {
	if (!isObject(record)) throw new ProviderPayloadError(ID, field, 'is not an object');
	const category = stream === 'Payments' ? 'PAYMENT' : 'INVOICE';
	const idField = stream === 'Payments' ? 'PaymentID' : 'InvoiceID';
	const resourceId = requireText(ID, record[idField], `${field}.${idField}`);
	const modifiedAt = xeroDate(requireText(ID, record.UpdatedDateUTC, `${field}.UpdatedDateUTC`), `${field}.UpdatedDateUTC`)!;
	return {
		key: `${stream}:${resourceId}`,
		modifiedAt,
		event: {
			id: `${resourceId}:UPDATE:${modifiedAt}`,
			type: `${category}.UPDATE`,
			occurredAt: modifiedAt,
			// A webhook event's fields, less tenantType.
			data: {
				tenantId,
				resourceId,
				resourceUrl: `https://api.xero.com/api.xro/2.0/${stream}/${resourceId}`,
				eventCategory: category,
				eventType: 'UPDATE',
				eventDateUtc: modifiedAt,
			},
		},
		completion: { [stream]: [record] },
	};
}

// https://developer.xero.com/documentation/api/accounting/payments#get-payments and
// https://developer.xero.com/documentation/api/accounting/invoices#get-invoices (If-Modified-Since, page)
const poll: ProviderPoll = {
	description: 'Xero Payments and Invoices changed since the last poll (If-Modified-Since, 100 a page)',
	// No `streams`: one stream goes through both listings (see Position), since the factory starts each stream afresh and the
	// tenant found through GET /connections is to be asked for once per poll.
	// 60 calls a minute per organisation: https://developer.xero.com/documentation/guides/oauth2/limits/
	minIntervalMs: 1000,
	request(_stream, since, token, tools) {
		const position = positionOf(token, tools);
		if (!position) {
			// https://developer.xero.com/documentation/guides/oauth2/auth-flow
			return { method: 'GET', path: '/connections', description: 'the Xero organisations this connection may read' };
		}
		const { tenantId, listing, page } = position;
		return {
			method: 'GET',
			path: `/api.xro/2.0/${listing}`,
			qs: { page, order: 'UpdatedDateUTC ASC' },
			headers: { 'Xero-tenant-id': tenantId, 'If-Modified-Since': modifiedSince(since), Accept: 'application/json' },
			description: `page ${page} of the Xero ${listing.toLowerCase()} changed since ${since} (tenant ${tenantId})`,
		};
	},
	read(_stream, response, { page: token, tools }) {
		const position = positionOf(token, tools);
		if (!position) {
			if (!Array.isArray(response)) throw new ProviderPayloadError(ID, 'connections', 'is not an array');
			return { records: [], next: tokenOf({ tenantId: tenantOf(response), listing: LISTINGS[0], page: 1 }) };
		}
		const { tenantId, listing, page } = position;
		const list = at(response, listing);
		if (!Array.isArray(list)) throw new ProviderPayloadError(ID, listing, 'is not an array');
		const records = list.map((record, index) => polledRecord(tenantId, listing, record, `${listing}.${index}`));
		// A full page may have a next one; after the last page of Payments come the Invoices.
		if (list.length >= PAGE_SIZE) return { records, next: tokenOf({ tenantId, listing, page: page + 1 }) };
		const following = LISTINGS[LISTINGS.indexOf(listing) + 1];
		return { records, next: following ? tokenOf({ tenantId, listing: following, page: 1 }) : undefined };
	},
};

// https://developer.xero.com/documentation/guides/webhooks/configuring-your-server
function verify(request: WebhookRequest, key: string | undefined): Verification {
	const signature = request.headers['x-xero-signature'];
	if (!signature) return { ok: false, reason: 'no x-xero-signature header' };
	const valid = verifyHmac({ algorithm: 'sha256', key: key ?? '', payload: request.rawBody, signature, encoding: 'base64' });
	return valid ? { ok: true } : { ok: false, reason: 'x-xero-signature does not match the Webhooks Key' };
}

/** Xero's intent-to-receive validation requests are the only deliveries without events. */
function isIntentToReceive(rawBody: Buffer): boolean {
	try {
		const body: unknown = JSON.parse(rawBody.toString('utf8'));
		return isObject(body) && Array.isArray(body.events) && body.events.length === 0;
	} catch {
		return false;
	}
}

const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the Webhooks Key (x-xero-signature header); Xero signs no timestamp',
	secretFields: { webhookSecret: 'Webhooks Key' },
	signatureHeaders: ['x-xero-signature'],
	verify: (request, secrets) => verify(request, secrets.webhookSecret),
	// Intent to receive wants 200 for every correctly signed request and 401 for every other, with no body, and no
	// execution: answered here, before the replay guard (Xero may send the same signed request more than once).
	handshake: (request, secrets) =>
		isIntentToReceive(request.rawBody) ? { status: verify(request, secrets.webhookSecret).ok ? 200 : 401 } : undefined,
	setup:
		'in the Xero developer portal (My Apps → your app → Webhooks) as the Delivery URL, copy the Webhooks Key shown there into the credential, then send "Intent to receive"',
};

export const xero: ProviderAdapter = {
	id: ID,
	displayName: 'Xero',
	api: { credentialType: 'paymentEventsXeroOAuth2Api', hosts: { live: 'https://api.xero.com' } },
	webhook,
	poll,
	events: EVENTS,

	// A Xero webhook delivery, including the empty intent-to-receive validation request.
	detect: ({ body }) =>
		isObject(body) &&
		Array.isArray(body.events) &&
		typeof body.entropy === 'string' &&
		typeof body.firstEventSequence === 'number' &&
		typeof body.lastEventSequence === 'number',

	parse({ body }: ProviderInput): ProviderEvent[] {
		return eventsOf(body).map((event, index) => {
			const resourceId = requireText(ID, event.resourceId, `events.${index}.resourceId`);
			const category = requireText(ID, event.eventCategory, `events.${index}.eventCategory`);
			const eventType = requireText(ID, event.eventType, `events.${index}.eventType`);
			const date = requireText(ID, event.eventDateUtc, `events.${index}.eventDateUtc`);
			requireText(ID, event.tenantId, `events.${index}.tenantId`);
			return {
				// Xero events carry no id of their own; a resource changes at most once per event time.
				id: `${resourceId}:${eventType}:${date}`,
				type: `${category}.${eventType}`,
				occurredAt: eventTime(date, `events.${index}.eventDateUtc`),
				// The event as sent: its tenantId must go in the Xero-tenant-id header of the completion call.
				data: event,
			};
		});
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		if (!(event.type in EVENTS)) return undefined;
		const resourceId = requireText(ID, at(event.data, 'resourceId'), 'resourceId');
		const tenantId = requireText(ID, at(event.data, 'tenantId'), 'tenantId');
		return {
			method: 'GET',
			// https://developer.xero.com/documentation/api/accounting/invoices#get-invoices
			path: `/api.xro/2.0/Invoices/${encodeURIComponent(resourceId)}`,
			headers: { 'Xero-tenant-id': tenantId },
			description: `the Xero invoice ${resourceId} of tenant ${tenantId}`,
		};
	},

	normalize(event, context) {
		if (event.type in POLLED_EVENTS) {
			if (context.completion === undefined) throw new ProviderPayloadError(ID, 'completion', 'is missing: the polled payment');
			return normalizePayment(event, context.completion);
		}
		if (!(event.type in EVENTS)) return [];
		if (context.completion === undefined) {
			throw new ProviderPayloadError(ID, 'completion', 'is missing: fetch the invoice named by complete() first');
		}
		return normalizeInvoice(event, context.completion);
	},
};
