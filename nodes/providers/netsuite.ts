import type { PaymentEventInput } from '../core/event';
import { CURRENCY_EXPONENTS, subtractMoney } from '../core/money';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';

const ID = 'netsuite';

// NetSuite has no payment webhooks: the payload is one record as the SuiteTalk REST record API returns it
// (GET /services/rest/record/v1/<type>/<id>, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/book_1559132836.html),
// e.g. as an n8n HTTP Request node emits it. The record type is read from the record's own self link.
const EVENTS = {
	invoice: { description: 'An invoice record (open, partially paid, paid in full or voided)' },
	customerdeposit: { description: 'A customer deposit (a prepayment received from a customer)' },
} as const;

/**
 * Money records no verified REST sample has been seen for: a silent [] would look like "nothing to do",
 * so these fail loudly until they are mapped.
 */
const UNMAPPED_MONEY_RECORDS = new Set(['customerpayment']);

/** `.../services/rest/record/v1/<type>/<id>`: the record's own URL (sublists add further segments). */
const RECORD_URL = /\/services\/rest\/record\/v1\/([a-z0-9_]+)\/([^/?#]+)\/?(?:[?#].*)?$/i;

type NetSuiteRecord = Record<string, unknown>;

function selfHref(record: NetSuiteRecord): string | undefined {
	const links = record.links;
	if (!Array.isArray(links)) return undefined;
	return text(at(links.find((link) => at(link, 'rel') === 'self'), 'href'));
}

/** Sandbox accounts are named `<account>_SB<n>`, which their REST hosts write as `<account>-sb<n>`. */
function isSandbox(href: string): boolean {
	return /^https?:\/\/[^/]*-sb\d+\./i.test(href);
}

/**
 * The transaction's ISO currency. A currency reference's refName is the currency record's name ("USA",
 * "British pound"), not its code; the code is the currency record's `symbol`, which some responses also
 * carry on the transaction as `currencysymbol`.
 */
function currencyOf(record: NetSuiteRecord): string {
	const symbol = text(at(record, 'currency.symbol')) ?? text(record.currencysymbol) ?? text(record.currencySymbol);
	if (symbol !== undefined) return symbol;
	const name = text(at(record, 'currency.refName'));
	if (name !== undefined && /^[A-Z]{3}$/.test(name) && Object.hasOwn(CURRENCY_EXPONENTS, name)) return name;
	const currencyId = text(at(record, 'currency.id')) ?? '<id>';
	throw new ProviderPayloadError(
		ID,
		'currency',
		name === undefined
			? 'is missing: the record names no currency'
			: `refName "${name}" is the currency record's name, not an ISO 4217 code: expand the currency, i.e. fetch ` +
					`/services/rest/record/v1/currency/${currencyId} and put that record in currency (its symbol is the ISO code)`,
	);
}

/** `"Paid In Full"` (older responses) and `{ id: "paidInFull", refName: "Paid In Full" }` both read as `paidinfull`. */
function statusOf(record: NetSuiteRecord): string | undefined {
	const status = record.status;
	const raw = isObject(status) ? (text(status.id) ?? text(status.refName)) : text(status);
	return raw?.toLowerCase().replace(/[^a-z]/g, '');
}

function customerOf(record: NetSuiteRecord): PaymentEventInput['customer'] {
	const entity = isObject(record.entity) ? record.entity : record.customer;
	return compact({ id: text(at(entity, 'id')), name: text(at(entity, 'refName')), email: text(record.email) });
}

function base(event: ProviderEvent, record: NetSuiteRecord) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		occurredAt: event.occurredAt!,
		customer: customerOf(record),
		description: text(record.memo),
	};
}

/** Older REST responses spell the amount fields in lower case (`amountremaining`). */
function field(record: NetSuiteRecord, name: string): [unknown, string] {
	const lower = name.toLowerCase();
	return record[name] === undefined && record[lower] !== undefined ? [record[lower], lower] : [record[name], name];
}

function normalizeInvoice(event: ProviderEvent, record: NetSuiteRecord): PaymentEventInput[] {
	const status = statusOf(record);
	// Invoices pending approval or rejected never posted, so nothing was owed.
	if (status === 'pendingapproval' || status === 'rejected') return [];

	const currency = currencyOf(record);
	const total = moneyFromDecimal(ID, record.total, currency, 'total');
	const [remaining, remainingField] = field(record, 'amountRemaining');
	const amountDue = moneyFromDecimal(ID, remaining, currency, remainingField);
	if (amountDue.minor > total.minor) throw new ProviderPayloadError(ID, remainingField, 'is more than total');
	const [paid, paidField] = field(record, 'amountPaid');
	const amountPaid = paid === undefined ? subtractMoney(total, amountDue) : moneyFromDecimal(ID, paid, currency, paidField);

	let paymentStatus: PaymentStatus;
	if (status === 'voided') paymentStatus = 'canceled';
	else if (amountDue.minor === 0) paymentStatus = 'succeeded';
	else if (amountPaid.minor > 0) paymentStatus = 'partially_paid';
	else paymentStatus = 'pending';
	const amount = paymentStatus === 'pending' ? amountDue : paymentStatus === 'canceled' ? total : amountPaid;

	return [
		{
			...base(event, record),
			kind: 'invoice',
			status: paymentStatus,
			amount,
			total,
			amountPaid,
			amountDue,
			invoice: compact({ id: text(record.id), number: text(record.tranId) }),
		},
	];
}

// Customer deposit statuses as NetSuite lists them (transaction status CustDep:A-D).
const DEPOSIT_STATUS: Record<string, PaymentStatus> = {
	notdeposited: 'succeeded',
	deposited: 'succeeded',
	fullyapplied: 'succeeded',
	unapprovedpayment: 'pending',
};

function normalizeCustomerDeposit(event: ProviderEvent, record: NetSuiteRecord): PaymentEventInput[] {
	const status = statusOf(record);
	if (status === undefined) throw new ProviderPayloadError(ID, 'status', 'is missing');
	const paymentStatus = DEPOSIT_STATUS[status];
	if (!paymentStatus) {
		throw new ProviderPayloadError(ID, 'status', `unknown customer deposit status ${JSON.stringify(record.status)}`);
	}
	return [
		{
			...base(event, record),
			kind: 'payment',
			status: paymentStatus,
			amount: moneyFromDecimal(ID, record.payment, currencyOf(record), 'payment'),
			payment: compact({ id: text(record.id) }),
			reference: text(record.tranId),
		},
	];
}

/** What a change of payment state changes: the status and the amount still due (invoice) or received (deposit). */
function paymentState(type: string, record: NetSuiteRecord): string {
	const amount = type === 'invoice' ? field(record, 'amountRemaining')[0] : record.payment;
	return `${statusOf(record) ?? ''}:${text(amount) ?? ''}`;
}

export const netsuite: ProviderAdapter = {
	id: ID,
	displayName: 'Oracle NetSuite',
	events: EVENTS,

	// Any record of the REST record API: it names itself with a self link to /services/rest/record/v1/<type>/<id>.
	detect: ({ body }) => isObject(body) && RECORD_URL.test(selfHref(body) ?? ''),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a NetSuite REST record');
		const href = selfHref(body);
		const match = href === undefined ? null : RECORD_URL.exec(href);
		if (!match) {
			throw new ProviderPayloadError(ID, 'links', 'has no self link to /services/rest/record/v1/<type>/<id>');
		}
		const type = match[1].toLowerCase();
		const id = requireText(ID, body.id, 'id');
		if (!(type in EVENTS)) return [{ id: `${type}:${id}`, type, livemode: !isSandbox(href!), data: body }];
		// One event per state of the record: a re-read unchanged record keeps its id, any change gives a new one.
		// lastModifiedDate is stamped to the minute, so the payment state is part of the id too.
		const modified = requireText(ID, body.lastModifiedDate, 'lastModifiedDate');
		return [
			{
				id: `${type}:${id}:${modified}:${paymentState(type, body)}`,
				type,
				occurredAt: isoTime(ID, modified, 'lastModifiedDate'),
				livemode: !isSandbox(href!),
				data: body,
			},
		];
	},

	normalize(event) {
		if (!isObject(event.data)) throw new ProviderPayloadError(ID, 'body', 'is not a NetSuite REST record');
		if (event.type === 'invoice') return normalizeInvoice(event, event.data);
		if (event.type === 'customerdeposit') return normalizeCustomerDeposit(event, event.data);
		if (UNMAPPED_MONEY_RECORDS.has(event.type)) {
			throw new ProviderPayloadError(ID, 'links', `${event.type} records are not supported yet`);
		}
		return [];
	},
};
