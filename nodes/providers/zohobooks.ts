import type { PaymentEventInput } from '../core/event';
import { subtractMoney } from '../core/money';
import { safeEqual } from '../core/signature';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type { PolledRecord, ProviderAdapter, ProviderEvent, ProviderInput, ProviderPoll, ProviderWebhook } from './types';

const ID = 'zohobooks';

type Entity = Record<string, unknown>;

/**
 * Zoho Books workflow webhooks (https://www.zoho.com/books/help/settings/automation/workflow-actions/webhooks.html)
 * post the record that fired the rule as `{ "<module>": { ... } }` (the `${JSONString}` placeholder), the
 * record being the object of https://www.zoho.com/books/api/v3/customer-payments/ or .../api/v3/invoices/.
 */
const EVENTS = {
	payment: { description: 'A customer payment was recorded or changed' },
	invoice: { description: 'An invoice was created or changed (sent, partially paid, paid, void, ...)' },
} as const;

const INVOICE_STATUS: Record<string, PaymentStatus> = {
	paid: 'succeeded',
	partially_paid: 'partially_paid',
	void: 'canceled',
};

function isPayment(value: unknown): value is Entity {
	return isObject(value) && value.payment_id !== undefined && 'payment_mode' in value && typeof value.currency_code === 'string';
}

function isInvoice(value: unknown): value is Entity {
	return (
		isObject(value) &&
		value.invoice_id !== undefined &&
		typeof value.invoice_number === 'string' &&
		'balance' in value &&
		typeof value.currency_code === 'string'
	);
}

/** Zoho writes offsets without a colon ("2013-11-18T02:02:51-0800"). */
function zohoTime(value: unknown, field: string): string | undefined {
	const raw = text(value);
	if (raw === undefined) return undefined;
	return isoTime(ID, raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'), field);
}

/** A payment has only a date (in the organisation's time zone); it is stamped at 00:00 UTC of that day. */
function dateOnly(value: unknown, field: string): string {
	const date = requireText(ID, value, field);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new ProviderPayloadError(ID, field, `"${date}" is not a yyyy-mm-dd date`);
	return isoTime(ID, `${date}T00:00:00Z`, field);
}

function normalizePayment(event: ProviderEvent, payment: Entity): PaymentEventInput[] {
	const currency = payment.currency_code;
	const amount = moneyFromDecimal(ID, payment.amount, currency, 'payment.amount');
	const refunded =
		payment.amount_refunded === undefined || payment.amount_refunded === null
			? undefined
			: moneyFromDecimal(ID, payment.amount_refunded, currency, 'payment.amount_refunded');
	const invoice = Array.isArray(payment.invoices) ? payment.invoices[0] : undefined;
	const common = {
		provider: ID,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		occurredAt: event.occurredAt!,
		customer: compact({ id: text(payment.customer_id), name: text(payment.customer_name), email: text(payment.email) }),
		invoice: compact({ id: text(at(invoice, 'invoice_id')), number: text(at(invoice, 'invoice_number')) }),
		payment: compact({ id: text(payment.payment_id), method: text(payment.payment_mode) }),
		reference: text(payment.reference_number),
		description: text(payment.description),
	};
	if (refunded && refunded.minor > 0) {
		const status: PaymentStatus = refunded.minor >= amount.minor ? 'refunded' : 'partially_refunded';
		return [
			{ ...common, providerEventId: `${event.id}:refunded:${refunded.value}`, kind: 'refund', status, amount: refunded, total: amount },
		];
	}
	const status: PaymentStatus = text(payment.status) === 'failure' ? 'failed' : 'succeeded';
	return [{ ...common, providerEventId: event.id, kind: 'payment', status, amount }];
}

function normalizeInvoice(event: ProviderEvent, invoice: Entity): PaymentEventInput[] {
	const currency = invoice.currency_code;
	const total = moneyFromDecimal(ID, invoice.total, currency, 'invoice.total');
	const amountDue = moneyFromDecimal(ID, invoice.balance, currency, 'invoice.balance');
	if (amountDue.minor > total.minor) throw new ProviderPayloadError(ID, 'invoice.balance', 'is more than total');
	// What the invoice no longer owes: payments, credits and write-offs alike.
	const amountPaid = subtractMoney(total, amountDue);
	const zohoStatus = requireText(ID, invoice.status, 'invoice.status');
	const status: PaymentStatus = Object.hasOwn(INVOICE_STATUS, zohoStatus) ? INVOICE_STATUS[zohoStatus] : 'pending';
	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? true,
			occurredAt: event.occurredAt!,
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			customer: compact({ id: text(invoice.customer_id), name: text(invoice.customer_name), email: text(invoice.email) }),
			invoice: compact({ id: text(invoice.invoice_id), number: text(invoice.invoice_number), url: text(invoice.invoice_url) }),
			reference: text(invoice.reference_number),
		},
	];
}

/**
 * Zoho Books' help (https://www.zoho.com/books/help/settings/automation/workflow-actions/webhooks.html) documents custom
 * headers on a webhook but no signature scheme, so the webhook carries a shared secret in a header of its own.
 */
const SECRET_HEADER = 'x-payment-events-secret';
const MIN_SECRET_LENGTH = 16;

const webhook: ProviderWebhook = {
	authentication:
		'a shared secret sent in the X-Payment-Events-Secret header of the Zoho Books webhook (Zoho Books documents no webhook signature), compared in constant time',
	secretFields: { webhookSecret: 'Webhook Header Secret' },
	signatureHeaders: [SECRET_HEADER],
	verify(request, secrets) {
		if ((secrets.webhookSecret ?? '').length < MIN_SECRET_LENGTH) {
			return { ok: false, reason: `the Webhook Header Secret is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value` };
		}
		const sent = request.headers[SECRET_HEADER];
		if (!sent) return { ok: false, reason: 'no X-Payment-Events-Secret header' };
		return safeEqual(sent, secrets.webhookSecret) ? { ok: true } : { ok: false, reason: 'the X-Payment-Events-Secret header does not match' };
	},
	setup:
		'in Zoho Books under Settings → Workflow Actions → Webhooks (module Customer Payments or Invoices, method POST, body ${JSONString}, ' +
		'header X-Payment-Events-Secret set to the Webhook Header Secret of the credential), then run that webhook from a workflow rule (Settings → Workflow Rules)',
};

// https://www.zoho.com/books/api/v3/introduction/ ("Multiple Data Centers"): one API domain per Zoho data centre.
export const ZOHO_DATA_CENTRES = {
	us: { name: 'United States (zoho.com)', accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com/books/v3' },
	eu: { name: 'Europe (zoho.eu)', accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu/books/v3' },
	in: { name: 'India (zoho.in)', accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in/books/v3' },
	uk: { name: 'United Kingdom (zoho.uk)', accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk/books/v3' },
	au: { name: 'Australia (zoho.com.au)', accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au/books/v3' },
	jp: { name: 'Japan (zoho.jp)', accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp/books/v3' },
	ca: { name: 'Canada (zohocloud.ca)', accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca/books/v3' },
	cn: { name: 'China (zoho.com.cn)', accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn/books/v3' },
	sa: { name: 'Saudi Arabia (zoho.sa)', accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa/books/v3' },
} as const;

/** Zoho's time format for filters: local time with a colon-less offset ("2018-11-18T02:02:51-0800"); UTC here. */
function zohoFilterTime(iso: string): string {
	return `${new Date(iso).toISOString().slice(0, 19)}+0000`;
}

/** `page_context` is an object in the pagination docs and a one-element array in the list-invoices example. */
function pageContextOf(response: unknown): Record<string, unknown> | undefined {
	const context = at(response, 'page_context');
	const first = Array.isArray(context) ? context[0] : context;
	return isObject(first) ? first : undefined;
}

/**
 * Invoices changed since the cursor, through GET /invoices (https://www.zoho.com/books/api/v3/invoices/#list-invoices):
 * `last_modified_time` keeps invoices modified after the given time, pages of up to 200 (page, per_page,
 * page_context.has_more_page, https://www.zoho.com/books/api/v3/pagination/). A payment shows on its invoice as
 * the balance falling and the status turning partially_paid or paid, which is what the webhook trigger reports too.
 */
const poll: ProviderPoll = {
	description: 'Zoho Books invoices (balance and status), through the invoice list filtered by last modified time',
	streams: ['invoices'],
	// https://www.zoho.com/books/api/v3/introduction/#api-call-limit: 100 requests a minute per organization.
	minIntervalMs: 600,
	request(_stream, since, page, tools) {
		const organization = tools.credentials.organizationId;
		if (!organization) {
			throw new Error(
				'Zoho Books: the credential has no Organization ID, which the polling trigger needs (Zoho Books → Settings → ' +
					'Organization Profile, or the organization_id of GET /organizations)',
			);
		}
		// The filter keeps times strictly after the value; a second earlier makes it include the cursor itself.
		const after = new Date(Date.parse(since) - 1000).toISOString();
		return {
			method: 'GET',
			path: '/invoices',
			qs: {
				organization_id: organization,
				last_modified_time: zohoFilterTime(after),
				sort_column: 'created_time',
				page: Number(page ?? 1),
				per_page: 200,
			},
			description: `the invoices changed since ${since} (page ${page ?? 1})`,
		};
	},
	read(_stream, response) {
		const invoices = at(response, 'invoices');
		if (!Array.isArray(invoices)) throw new ProviderPayloadError(ID, 'invoices', 'is not a list of invoices');
		const records = invoices.map((invoice, index): PolledRecord => {
			if (!isObject(invoice)) throw new ProviderPayloadError(ID, `invoices.${index}`, 'is not an invoice');
			// The same event the webhook's ${JSONString} body of this invoice gives.
			const [event] = zohobooks.parse({ body: { invoice }, headers: {} });
			return { key: `invoice:${requireText(ID, invoice.invoice_id, `invoices.${index}.invoice_id`)}`, modifiedAt: event.occurredAt!, event };
		});
		const context = pageContextOf(response);
		const more = context?.has_more_page === true && records.length > 0;
		return { records, next: more ? String(Number(context?.page ?? 1) + 1) : undefined };
	},
};

export const zohobooks: ProviderAdapter = {
	id: ID,
	displayName: 'Zoho Books',
	api: {
		credentialType: 'paymentEventsZohoBooksOAuth2Api',
		hosts: Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { api }]) => [centre, api])),
	},
	events: EVENTS,
	webhook,
	poll,

	detect: ({ body }) => isObject(body) && (isPayment(body.payment) || isInvoice(body.invoice)),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Zoho Books webhook object');
		if (isObject(body.payment)) {
			const payment = body.payment;
			const id = requireText(ID, payment.payment_id, 'payment.payment_id');
			const modified = text(payment.last_modified_time);
			// Webhooks carry no event id: the record's id and version (or status) make one.
			return [
				{
					id: `payment:${id}:${modified ?? requireText(ID, payment.status, 'payment.status')}`,
					type: 'payment',
					occurredAt: zohoTime(modified, 'payment.last_modified_time') ?? dateOnly(payment.date, 'payment.date'),
					data: payment,
				},
			];
		}
		if (isObject(body.invoice)) {
			const invoice = body.invoice;
			const id = requireText(ID, invoice.invoice_id, 'invoice.invoice_id');
			const modified = requireText(ID, invoice.last_modified_time, 'invoice.last_modified_time');
			return [
				{
					id: `invoice:${id}:${modified}`,
					type: 'invoice',
					occurredAt: zohoTime(modified, 'invoice.last_modified_time'),
					data: invoice,
				},
			];
		}
		throw new ProviderPayloadError(ID, 'body', 'has neither a payment nor an invoice object');
	},

	normalize(event) {
		const data = event.data as Entity;
		return event.type === 'payment' ? normalizePayment(event, data) : normalizeInvoice(event, data);
	},
};
