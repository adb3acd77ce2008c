import type { PaymentEventInput } from '../core/event';
import { subtractMoney, type Money } from '../core/money';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type { CompletionRequest, PolledRecord, ProviderAdapter, ProviderEvent, ProviderInput, ProviderPoll } from './types';

const ID = 'sageintacct';

/**
 * Sage Intacct REST API (https://developer.sage.com/intacct/docs/openapi/ar/accounts-receivable.payment/tag/Payments):
 * AR payments and AR invoices as `GET /objects/accounts-receivable/{payment|invoice}/{key}` returns them
 * (`{ "ia::result": {...}, "ia::meta": {...} }`, e.g. from an HTTP Request node or a scheduled poll), or the
 * bare record. Object references (`{ key, id, href }`, as the list and create operations return them) are thin:
 * `complete` fetches the record they name. The polling trigger reads rows of the query service instead (see `poll`).
 *
 * No trigger: Intacct's outbound webhooks (Platform Triggers "HTTP post" with webhook delivery) post a body the
 * company's administrator writes, so no payload shape is documented to parse.
 */
const PAYMENT = 'accounts-receivable/payment';
const INVOICE = 'accounts-receivable/invoice';

const EVENTS = {
	[PAYMENT]: { description: 'An AR payment received from a customer (complete, reconciled, draft or reversed)' },
	[INVOICE]: { description: 'An AR invoice (posted, partially paid, paid or reversed)' },
} as const;

/** A record's own link: `/objects/<application>/<object>/<key>` (the API writes some without the leading slash). */
const OBJECT_HREF = /^\/?objects\/([a-z0-9-]+\/[a-z0-9-]+)\/([^/?#]+)$/i;

type IntacctObject = Record<string, unknown>;

function hrefOf(item: unknown): { type: string; key: string } | undefined {
	const match = OBJECT_HREF.exec(text(at(item, 'href')) ?? '');
	return match ? { type: match[1].toLowerCase(), key: decodeURIComponent(match[2]) } : undefined;
}

function isArObject(item: unknown): item is IntacctObject {
	const href = hrefOf(item);
	return isObject(item) && href !== undefined && href.type in EVENTS;
}

/** A reference carries only `key`, `id` and `href`; a record as GET returns it has its state and amounts. */
function isRecord(item: IntacctObject): boolean {
	return typeof item.state === 'string';
}

/** The items of a delivery: `ia::result` (one object or a list), else the body itself. */
function itemsOf(body: unknown): unknown[] | undefined {
	if (!isObject(body)) return undefined;
	if (!('ia::result' in body)) return [body];
	const result = body['ia::result'];
	if (Array.isArray(result)) return result;
	return isObject(result) ? [result] : undefined;
}

/** `name` inside the item at `prefix` ('' for the record itself), for error messages. */
function path(prefix: string, name: string): string {
	return prefix ? `${prefix}.${name}` : name;
}

function keyOf(record: IntacctObject, field: string): string {
	return text(record.key) ?? requireText(ID, hrefOf(record)?.key, path(field, 'key'));
}

/** What changes when money moves: the state and the amount still due (invoice) or received (payment). */
function versionOf(type: string, record: IntacctObject, field: string): string {
	const modified = requireText(ID, at(record, 'audit.modifiedDateTime'), path(field, 'audit.modifiedDateTime'));
	const state = requireText(ID, record.state, path(field, 'state'));
	const amount = type === INVOICE ? text(record.totalTxnAmountDue) : text(at(record, 'txnCurrency.totalAmount'));
	return `${modified}:${state}:${amount ?? ''}`;
}

/** The id of one state of a record: a re-read unchanged record keeps it, any change of state or amount makes a new one. */
function recordEventId(type: string, record: IntacctObject, field: string): string {
	return `${type === INVOICE ? 'invoice' : 'payment'}:${keyOf(record, field)}:${versionOf(type, record, field)}`;
}

/** A date-only field (`2024-10-10`, in the company's time zone) stamped at 00:00 UTC of that day. */
function dateOnly(value: unknown, field: string): string | undefined {
	const date = text(value);
	if (date === undefined) return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ProviderPayloadError(ID, field, `"${date}" is not a yyyy-mm-dd date`);
	return isoTime(ID, `${date}T00:00:00Z`, field);
}

function modifiedAt(record: IntacctObject, field: string): string | undefined {
	const modified = text(at(record, 'audit.modifiedDateTime'));
	return modified === undefined ? undefined : isoTime(ID, modified, path(field, 'audit.modifiedDateTime'));
}

function customerOf(record: IntacctObject): PaymentEventInput['customer'] {
	return compact({
		id: text(at(record, 'customer.id')),
		name: text(at(record, 'customer.name')) ?? text(record.payerName),
	});
}

// https://developer.sage.com/intacct/docs/openapi/ar/accounts-receivable.payment/: `state` of an AR payment.
const PAYMENT_STATUS: Record<string, PaymentStatus | null> = {
	complete: 'succeeded',
	reconciled: 'succeeded',
	// Saved but not yet submitted (posted to the General Ledger).
	draft: 'pending',
	// The payment was reversed (misapplied or entered twice): the money is no longer counted as received.
	reversed: 'canceled',
	// The reversing entry itself; the original's `reversed` state already reports the reversal.
	reversal: null,
};

function normalizePayment(record: IntacctObject, providerEventId: string): PaymentEventInput[] {
	const state = requireText(ID, record.state, 'state');
	if (!Object.hasOwn(PAYMENT_STATUS, state)) throw new ProviderPayloadError(ID, 'state', `unknown AR payment state "${state}"`);
	const status = PAYMENT_STATUS[state];
	if (status === null) return [];

	// The amount in the currency the customer paid in; companies without multi-currency may send only the base one.
	const side = isObject(record.txnCurrency) && text(at(record, 'txnCurrency.totalAmount')) ? 'txnCurrency' : 'baseCurrency';
	const amount = moneyFromDecimal(ID, at(record, `${side}.totalAmount`), at(record, `${side}.currency`), `${side}.totalAmount`);

	const details = Array.isArray(record.paymentDetails) ? record.paymentDetails : [];
	const invoiceIds = [
		...new Set(details.map((detail) => text(at(detail, 'arInvoice.id')) ?? text(at(detail, 'arInvoice.key'))).filter((id) => id)),
	] as string[];

	const occurredAt =
		modifiedAt(record, '') ??
		dateOnly(record.paidDate, 'paidDate') ??
		dateOnly(at(record, 'paymentSummary.receiptDate'), 'paymentSummary.receiptDate');
	if (occurredAt === undefined) throw new ProviderPayloadError(ID, 'audit.modifiedDateTime', 'is missing');

	return [
		{
			provider: ID,
			providerEventId,
			providerEventType: PAYMENT,
			livemode: true,
			occurredAt,
			kind: 'payment',
			status,
			amount,
			customer: customerOf(record),
			// A payment can settle several invoices; the event names the invoice when there is one.
			invoice: invoiceIds.length === 1 ? { id: invoiceIds[0] } : undefined,
			payment: compact({ id: keyOf(record, ''), method: text(record.paymentMethod) }),
			reference: text(record.referenceNumber) ?? text(record.documentNumber),
			description: text(record.description),
			metadata: compact({
				intacctState: state,
				invoiceIds: invoiceIds.length > 1 ? invoiceIds : undefined,
				webURL: text(record.webURL),
			}),
		},
	];
}

// https://developer.sage.com/intacct/docs/openapi/ar/accounts-receivable.invoice/: `state` of an AR invoice.
const KNOWN_INVOICE_STATES = new Set(['reversed', 'reversal', 'draft', 'noValue', 'posted', 'paid', 'partiallyPaid', 'selected']);

function invoiceStatus(state: string, amountPaid: Money, amountDue: Money): PaymentStatus | undefined {
	// A draft was never posted, so nothing was owed; a reversal is the counter-entry of a reversed invoice.
	if (state === 'draft' || state === 'reversal') return undefined;
	if (state === 'reversed') return 'canceled';
	if (state === 'paid') return 'succeeded';
	if (state === 'partiallyPaid') return 'partially_paid';
	// posted, selected (for payment, not yet paid) and noValue: the amounts tell.
	if (amountDue.minor === 0) return 'succeeded';
	return amountPaid.minor > 0 ? 'partially_paid' : 'pending';
}

function normalizeInvoice(record: IntacctObject, providerEventId: string): PaymentEventInput[] {
	const state = requireText(ID, record.state, 'state');
	if (!KNOWN_INVOICE_STATES.has(state)) throw new ProviderPayloadError(ID, 'state', `unknown AR invoice state "${state}"`);

	const currency = text(at(record, 'currency.txnCurrency')) ?? text(at(record, 'currency.baseCurrency'));
	const total = moneyFromDecimal(ID, record.totalTxnAmount, currency, 'totalTxnAmount');
	const amountDue = moneyFromDecimal(ID, record.totalTxnAmountDue, currency, 'totalTxnAmountDue');
	if (amountDue.minor > total.minor) throw new ProviderPayloadError(ID, 'totalTxnAmountDue', 'is more than totalTxnAmount');
	const paid = at(record, 'paymentInformation.totalTxnAmountPaid');
	const amountPaid =
		paid === undefined || paid === null
			? subtractMoney(total, amountDue)
			: moneyFromDecimal(ID, paid, currency, 'paymentInformation.totalTxnAmountPaid');

	const status = invoiceStatus(state, amountPaid, amountDue);
	if (!status) return [];
	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;

	const occurredAt = modifiedAt(record, '') ?? dateOnly(record.invoiceDate, 'invoiceDate');
	if (occurredAt === undefined) throw new ProviderPayloadError(ID, 'audit.modifiedDateTime', 'is missing');

	return [
		{
			provider: ID,
			providerEventId,
			providerEventType: INVOICE,
			livemode: true,
			occurredAt,
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			customer: customerOf(record),
			invoice: compact({ id: keyOf(record, ''), number: text(record.invoiceNumber) }),
			reference: text(record.referenceNumber),
			description: text(record.description),
			metadata: compact({
				intacctState: state,
				dueDate: text(record.dueDate),
				fullyPaidDate: text(at(record, 'paymentInformation.fullyPaidDate')),
				webURL: text(record.webURL),
			}),
		},
	];
}

/** The record a GET returned (`{ "ia::result": record }`), checked to be the one the reference named. */
function fetchedRecord(event: ProviderEvent, completion: unknown): IntacctObject {
	const record = isObject(completion) && 'ia::result' in completion ? completion['ia::result'] : completion;
	if (!isObject(record) || !isRecord(record)) {
		throw new ProviderPayloadError(ID, 'completion.ia::result', `is not the Sage Intacct ${event.type} record`);
	}
	const wanted = keyOf(event.data as IntacctObject, '');
	const got = keyOf(record, 'completion.ia::result');
	const type = hrefOf(record)?.type ?? event.type;
	if (got !== wanted || type !== event.type) {
		throw new ProviderPayloadError(ID, 'completion.ia::result', `is ${type} ${got}, not the ${event.type} ${wanted} asked for`);
	}
	return record;
}

/**
 * What a poll asks the query service for: exactly the fields `normalizePayment` / `normalizeInvoice` read (besides the
 * lists, which a query cannot return: a polled payment names no invoice).
 */
const QUERY_FIELDS: Record<string, readonly string[]> = {
	[PAYMENT]: [
		'key',
		'id',
		'href',
		'state',
		'paymentMethod',
		'customer.id',
		'customer.name',
		'payerName',
		'documentNumber',
		'referenceNumber',
		'description',
		'webURL',
		'paidDate',
		'paymentSummary.receiptDate',
		'baseCurrency.currency',
		'baseCurrency.totalAmount',
		'txnCurrency.currency',
		'txnCurrency.totalAmount',
		'audit.modifiedDateTime',
	],
	[INVOICE]: [
		'key',
		'id',
		'href',
		'invoiceNumber',
		'state',
		'customer.id',
		'customer.name',
		'referenceNumber',
		'description',
		'webURL',
		'invoiceDate',
		'dueDate',
		'currency.baseCurrency',
		'currency.txnCurrency',
		'totalTxnAmount',
		'totalTxnAmountDue',
		'paymentInformation.totalTxnAmountPaid',
		'paymentInformation.fullyPaidDate',
		'audit.modifiedDateTime',
	],
};

/** Rows per query page: the query service returns at most 4,000. */
const PAGE_SIZE = 1000;

/**
 * A query row names related fields with dots (`"department.key": "10"`); the record GET returns nests them
 * (`department: { key }`). The row, nested the same way, is what `normalize` reads.
 */
function nestRow(row: IntacctObject): IntacctObject {
	const record: IntacctObject = {};
	for (const [name, value] of Object.entries(row)) {
		const parts = name.split('.');
		let target = record;
		for (const part of parts.slice(0, -1)) {
			if (!isObject(target[part])) target[part] = {};
			target = target[part] as IntacctObject;
		}
		const last = parts[parts.length - 1];
		target[last] = isObject(value) && isObject(target[last]) ? { ...(target[last] as IntacctObject), ...value } : value;
	}
	return record;
}

// https://developer.sage.com/intacct/docs/openapi/common/ (Common Resources → Query, `POST /services/core/query`).
const poll: ProviderPoll = {
	description: 'AR payments and AR invoices, through the query service',
	streams: [PAYMENT, INVOICE],
	request(stream, since, page) {
		// Intacct's date-times have whole seconds: asking from the second `since` falls in keeps the query inclusive.
		const from = new Date(Math.floor(Date.parse(since) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
		return {
			method: 'POST',
			path: '/services/core/query',
			body: {
				object: stream,
				fields: QUERY_FIELDS[stream],
				filters: [{ $gte: { 'audit.modifiedDateTime': from } }],
				orderBy: [{ 'audit.modifiedDateTime': 'asc' }, { key: 'asc' }],
				start: page === undefined ? 1 : Number(page),
				size: PAGE_SIZE,
			},
			description: `the Sage Intacct ${stream === PAYMENT ? 'AR payments' : 'AR invoices'} changed since ${from}`,
		};
	},
	read(stream, response) {
		const rows = isObject(response) ? response['ia::result'] : undefined;
		if (!Array.isArray(rows)) throw new ProviderPayloadError(ID, 'ia::result', 'is not the list of a query response');
		const records = rows.map((row, index): PolledRecord => {
			const field = `ia::result.${index}`;
			if (!isObject(row)) throw new ProviderPayloadError(ID, field, 'is not an object');
			const record = nestRow(row);
			const href = hrefOf(record);
			if (href && href.type !== stream) throw new ProviderPayloadError(ID, path(field, 'href'), `is not a ${stream}`);
			const changed = modifiedAt(record, field);
			if (changed === undefined) throw new ProviderPayloadError(ID, path(field, 'audit.modifiedDateTime'), 'is missing');
			return {
				key: `${stream === PAYMENT ? 'payment' : 'invoice'}:${keyOf(record, field)}`,
				modifiedAt: changed,
				event: { id: recordEventId(stream, record, field), type: stream, occurredAt: changed, data: record },
			};
		});
		const next = text(at(response, 'ia::meta.next'));
		return { records, next };
	},
};

export const sageintacct: ProviderAdapter = {
	id: ID,
	displayName: 'Sage Intacct',
	// https://developer.sage.com/intacct/docs/developer-portal/guides/oauth2: bearer tokens for api.intacct.com.
	api: { credentialType: 'paymentEventsSageIntacctOAuth2Api', hosts: { live: 'https://api.intacct.com/ia/api/v1' } },
	events: EVENTS,
	poll,

	// An AR payment or invoice (record or reference), alone or as the `ia::result` of a REST response.
	detect({ body }) {
		const items = itemsOf(body);
		return items !== undefined && items.length > 0 && items.every(isArObject);
	},

	parse({ body }: ProviderInput): ProviderEvent[] {
		const items = itemsOf(body);
		if (!items) throw new ProviderPayloadError(ID, 'body', 'is not a Sage Intacct REST response or object');
		return items.map((item, index) => {
			const field = !isObject(body) || !('ia::result' in body) ? '' : Array.isArray(body['ia::result']) ? `ia::result.${index}` : 'ia::result';
			if (!isObject(item)) throw new ProviderPayloadError(ID, field || 'body', 'is not an object');
			const href = hrefOf(item);
			if (!href) throw new ProviderPayloadError(ID, path(field, 'href'), 'does not name a Sage Intacct object');
			if (!(href.type in EVENTS) || !isRecord(item)) {
				// A reference (completed by a GET), or an object that is not about money.
				return { id: `${href.type}:${href.key}`, type: href.type, data: item };
			}
			return {
				id: recordEventId(href.type, item, field),
				type: href.type,
				occurredAt: modifiedAt(item, field),
				data: item,
			};
		});
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		if (!(event.type in EVENTS) || !isObject(event.data) || isRecord(event.data)) return undefined;
		const key = keyOf(event.data, '');
		const noun = event.type === PAYMENT ? 'AR payment' : 'AR invoice';
		return {
			method: 'GET',
			// https://developer.sage.com/intacct/docs/openapi/ar/: Get a payment / Get an invoice.
			path: `/objects/${event.type}/${encodeURIComponent(key)}`,
			description: `the Sage Intacct ${noun} ${key}`,
		};
	},

	normalize(event, context) {
		if (!(event.type in EVENTS)) return [];
		if (!isObject(event.data)) throw new ProviderPayloadError(ID, 'body', 'is not a Sage Intacct object');
		let record = event.data;
		if (!isRecord(record)) {
			if (context.completion === undefined) {
				throw new ProviderPayloadError(ID, 'completion', `is missing: fetch the ${event.type} named by complete() first`);
			}
			record = fetchedRecord(event, context.completion);
		}
		const id = recordEventId(event.type, record, '');
		return event.type === PAYMENT ? normalizePayment(record, id) : normalizeInvoice(record, id);
	},
};
