import { randomUUID } from 'node:crypto';

import type { PaymentEventInput } from '../core/event';
import { addMoney, compareMoney, subtractMoney, type Money } from '../core/money';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromMinor,
	normalizePhone,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderPoll, ProviderWebhook } from './types';

const ID = 'square';

// https://developer.squareup.com/reference/square/webhooks
const EVENTS = {
	'payment.created': { description: 'A payment was created' },
	'payment.updated': { description: 'A payment changed (approved, completed, canceled, failed)' },
	'refund.created': { description: 'A refund was created' },
	'refund.updated': { description: 'A refund changed status' },
	'invoice.payment_made': { description: 'A payment was made toward an invoice' },
	'invoice.refunded': { description: 'A refund was applied to an invoice payment' },
	'invoice.scheduled_charge_failed': { description: 'An automatic invoice payment failed' },
} as const;

type SquareObject = Record<string, unknown>;

// https://developer.squareup.com/reference/square/objects/Payment (status)
const PAYMENT_STATUS: Record<string, PaymentStatus> = {
	COMPLETED: 'succeeded',
	APPROVED: 'pending',
	PENDING: 'pending',
	FAILED: 'failed',
	CANCELED: 'canceled',
};
// https://developer.squareup.com/reference/square/objects/PaymentRefund (status)
const REFUND_STATUS: Record<string, PaymentStatus> = {
	PENDING: 'pending',
	COMPLETED: 'refunded',
	REJECTED: 'failed',
	FAILED: 'failed',
};

/** Square's Money object: `{ amount: <minor units>, currency }`. */
function money(value: unknown, field: string): Money {
	return moneyFromMinor(ID, at(value, 'amount'), at(value, 'currency'), field);
}

function objectAt(event: ProviderEvent, name: string): SquareObject {
	const object = at(event.data, `object.${name}`);
	if (!isObject(object)) throw new ProviderPayloadError(ID, `data.object.${name}`, 'is missing');
	return object;
}

function statusOf(table: Record<string, PaymentStatus>, value: unknown, field: string): PaymentStatus {
	const status = requireText(ID, value, field);
	if (!(status in table)) throw new ProviderPayloadError(ID, field, `unknown status "${status}"`);
	return table[status];
}

/** "Given Family" from an invoice recipient (given_name, family_name) or an address (first_name, last_name). */
function fullName(person: unknown): string | undefined {
	const given = text(at(person, 'given_name')) ?? text(at(person, 'first_name'));
	const family = text(at(person, 'family_name')) ?? text(at(person, 'last_name'));
	return text([given, family].filter(Boolean).join(' '));
}

function base(event: ProviderEvent) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
	};
}

function normalizePayment(event: ProviderEvent): PaymentEventInput[] {
	const payment = objectAt(event, 'payment');
	const status = statusOf(PAYMENT_STATUS, payment.status, 'data.object.payment.status');
	// total_money is amount_money plus the tip: what the buyer paid.
	const amount = isObject(payment.total_money)
		? money(payment.total_money, 'data.object.payment.total_money')
		: money(payment.amount_money, 'data.object.payment.amount_money');
	const address = isObject(payment.billing_address) ? payment.billing_address : payment.shipping_address;
	const card = at(payment, 'card_details.card');
	return [
		{
			...base(event),
			kind: 'payment',
			status,
			amount,
			customer: compact({
				id: text(payment.customer_id),
				name: fullName(address),
				email: text(payment.buyer_email_address),
			}),
			payment: compact({
				id: text(payment.id),
				method: text(payment.source_type),
				brand: text(at(card, 'card_brand')),
				last4: text(at(card, 'last_4')),
			}),
			reference: text(payment.reference_id) ?? text(payment.order_id),
			description: text(payment.note),
		},
	];
}

function normalizeRefund(event: ProviderEvent): PaymentEventInput[] {
	const refund = objectAt(event, 'refund');
	return [
		{
			...base(event),
			kind: 'refund',
			status: statusOf(REFUND_STATUS, refund.status, 'data.object.refund.status'),
			amount: money(refund.amount_money, 'data.object.refund.amount_money'),
			payment: compact({ id: text(refund.payment_id) }),
			reference: text(refund.order_id),
			description: text(refund.reason),
		},
	];
}

/**
 * An invoice's total, paid and due amounts. Square's Invoice has no total field: each payment request
 * carries its computed amount and what was paid toward it (the order total is split across them).
 * https://developer.squareup.com/reference/square/objects/InvoicePaymentRequest
 */
function invoiceAmounts(invoice: SquareObject): { total: Money; amountPaid: Money; amountDue: Money } {
	const requests = invoice.payment_requests;
	if (!Array.isArray(requests) || requests.length === 0) {
		throw new ProviderPayloadError(ID, 'data.object.invoice.payment_requests', 'is missing');
	}
	let total: Money | undefined;
	let amountPaid: Money | undefined;
	requests.forEach((request, n) => {
		const field = `data.object.invoice.payment_requests.${n}`;
		const computed = money(at(request, 'computed_amount_money'), `${field}.computed_amount_money`);
		const completed = isObject(at(request, 'total_completed_amount_money'))
			? money(at(request, 'total_completed_amount_money'), `${field}.total_completed_amount_money`)
			: moneyFromMinor(ID, 0, computed.currency, `${field}.total_completed_amount_money`);
		try {
			total = total ? addMoney(total, computed) : computed;
			amountPaid = amountPaid ? addMoney(amountPaid, completed) : completed;
		} catch (error) {
			throw new ProviderPayloadError(ID, field, error instanceof Error ? error.message : String(error), { cause: error });
		}
	});
	// Tips can make the paid amount exceed the requested one; nothing is owed then.
	const owed = compareMoney(amountPaid!, total!) < 0;
	const amountDue = owed ? subtractMoney(total!, amountPaid!) : moneyFromMinor(ID, 0, total!.currency, 'amountDue');
	return { total: total!, amountPaid: amountPaid!, amountDue };
}

function normalizeInvoice(event: ProviderEvent): PaymentEventInput[] {
	const invoice = objectAt(event, 'invoice');
	const amounts = invoiceAmounts(invoice);
	let status: PaymentStatus;
	let amount = amounts.amountPaid;
	if (event.type === 'invoice.scheduled_charge_failed') {
		status = 'failed';
		amount = isObject(invoice.next_payment_amount_money)
			? money(invoice.next_payment_amount_money, 'data.object.invoice.next_payment_amount_money')
			: amounts.amountDue;
	} else if (event.type === 'invoice.refunded') {
		// The invoice does not say how much was refunded; its status says whether all of it was.
		status = invoice.status === 'PARTIALLY_REFUNDED' ? 'partially_refunded' : 'refunded';
	} else {
		status = amounts.amountDue.minor === 0 ? 'succeeded' : 'partially_paid';
	}
	const recipient = invoice.primary_recipient;
	return [
		{
			...base(event),
			kind: 'invoice',
			status,
			amount,
			...amounts,
			customer: compact({
				id: text(at(recipient, 'customer_id')),
				name: fullName(recipient) ?? text(at(recipient, 'company_name')),
				email: text(at(recipient, 'email_address')),
				phone: normalizePhone(at(recipient, 'phone_number'), text(at(recipient, 'address.country'))),
			}),
			invoice: compact({ id: text(invoice.id), number: text(invoice.invoice_number), url: text(invoice.public_url) }),
			reference: text(invoice.order_id),
			description: text(invoice.title),
		},
	];
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	if (event.type === 'payment.created' || event.type === 'payment.updated') return normalizePayment(event);
	if (event.type === 'refund.created' || event.type === 'refund.updated') return normalizeRefund(event);
	if (event.type in EVENTS && event.type.startsWith('invoice.')) return normalizeInvoice(event);
	return [];
}

// https://developer.squareup.com/docs/webhooks/step3validate: base64 HMAC-SHA256, keyed with the subscription's
// signature key, of the notification URL followed by the raw body. Square signs no timestamp.
const SIGNATURE_HEADER = 'x-square-hmacsha256-signature';

interface WebhookSubscription {
	id: string;
	notification_url?: string;
	signature_key?: string;
}

const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the notification URL and the raw body (x-square-hmacsha256-signature)',
	secretFields: { webhookSecret: 'Signature Key' },
	signatureHeaders: [SIGNATURE_HEADER],
	verify(request, secrets) {
		const signature = request.headers[SIGNATURE_HEADER];
		if (!signature) return { ok: false, reason: 'no x-square-hmacsha256-signature header' };
		const payload = Buffer.concat([Buffer.from(request.url, 'utf8'), request.rawBody]);
		const valid = verifyHmac({ algorithm: 'sha256', key: secrets.webhookSecret, payload, signature, encoding: 'base64' });
		return valid ? { ok: true } : { ok: false, reason: 'the signature does not match the signature key and notification URL' };
	},
	// https://developer.squareup.com/reference/square/webhook-subscriptions-api: the key is returned only on create.
	subscription: {
		secretField: 'webhookSecret',
		secretOnlyAtCreation: true,
		async find(tools, url) {
			let cursor: string | undefined;
			for (;;) {
				const page = (await tools.callApi({
					method: 'GET',
					path: '/v2/webhooks/subscriptions',
					qs: { limit: 100, ...(cursor ? { cursor } : {}) },
					description: 'the webhook subscriptions',
				})) as { subscriptions?: WebhookSubscription[]; cursor?: string };
				const found = (page.subscriptions ?? []).find((subscription) => subscription.notification_url === url);
				if (found) return { id: found.id, secret: found.signature_key };
				if (!page.cursor || page.cursor === cursor) return undefined;
				cursor = page.cursor;
			}
		},
		async create(tools, url, eventTypes) {
			const created = (await tools.callApi({
				method: 'POST',
				path: '/v2/webhooks/subscriptions',
				body: {
					idempotency_key: randomUUID(),
					subscription: { name: 'n8n payment events trigger', event_types: eventTypes, notification_url: url },
				},
				description: `the webhook subscription for ${url}`,
			})) as { subscription: WebhookSubscription };
			return { id: created.subscription.id, secret: created.subscription.signature_key };
		},
		async delete(tools, id) {
			await tools.callApi({
				method: 'DELETE',
				path: `/v2/webhooks/subscriptions/${encodeURIComponent(id)}`,
				description: `the webhook subscription ${id}`,
			});
		},
	},
};

function parseEvent(body: unknown, field = 'body', createdAt?: unknown): ProviderEvent {
	if (!isObject(body)) throw new ProviderPayloadError(ID, field, 'is not a Square webhook event');
	if (!isObject(body.data)) throw new ProviderPayloadError(ID, 'data', 'is missing');
	return {
		id: requireText(ID, body.event_id, 'event_id'),
		type: requireText(ID, body.type, 'type'),
		occurredAt: isoTime(ID, createdAt ?? body.created_at, 'created_at'),
		// Square events do not say whether they come from the sandbox; the trigger knows from its credential.
		data: body.data,
	};
}

/** SearchEvents returns at most 100 events a page. */
const PAGE_SIZE = 100;

/** A time as the Events API states it: its reference sample has no zone ("2022-04-26T10:08:40.454726"); Square keeps UTC. */
function utc(value: unknown): unknown {
	return typeof value === 'string' && /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim()) ? `${value.trim()}Z` : value;
}

// https://developer.squareup.com/reference/square/events-api/search-events: the webhook events of the last 28 days,
// searchable once the Events API is enabled for the account (PUT /v2/events/enable).
const poll: ProviderPoll = {
	description:
		"Square's Events API (payments, refunds and invoice payments, kept for 28 days; enable it once for the account with PUT /v2/events/enable, since only events after that are searchable)",
	// Square rate-limits per application without publishing the numbers (429 RATE_LIMITED): keep requests spaced.
	minIntervalMs: 100,
	request(_stream, since, page) {
		return {
			method: 'POST',
			path: '/v2/events',
			body: {
				limit: PAGE_SIZE,
				...(page ? { cursor: page } : {}),
				query: {
					// `start_at` is inclusive: an event at `since` is listed again, and the poller drops what it saw.
					filter: { event_types: Object.keys(EVENTS), created_at: { start_at: since } },
					sort: { field: 'DEFAULT', order: 'ASC' },
				},
			},
			description: `the events since ${since}`,
		};
	},
	read(_stream, response) {
		if (!isObject(response)) throw new ProviderPayloadError(ID, 'body', 'is not a SearchEvents response');
		const errors = Array.isArray(response.errors) ? response.errors : [];
		// "If there are errors processing the request, the events field will not be present."
		if (response.events === undefined && errors.length) {
			const detail = text(at(errors[0], 'detail')) ?? text(at(errors[0], 'code')) ?? 'an error';
			throw new ProviderPayloadError(ID, 'errors', `Square answered ${detail}`);
		}
		const events = response.events ?? [];
		if (!Array.isArray(events)) throw new ProviderPayloadError(ID, 'events', 'is not a list');
		const records = events.map((body, n) => {
			const event = parseEvent(body, `events.${n}`, utc(at(body, 'created_at')));
			// The object's own id (what normalize reports): Square's samples do not always repeat it as data.id.
			const type = text(at(event.data, 'type'));
			const objectId = text(type && at(event.data, `object.${type}.id`)) ?? requireText(ID, at(event.data, 'id'), `events.${n}.data.id`);
			return { key: objectId, modifiedAt: event.occurredAt!, event };
		});
		return { records, next: text(response.cursor) };
	},
};

export const square: ProviderAdapter = {
	id: ID,
	displayName: 'Square',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsSquareApi',
		hosts: { production: 'https://connect.squareup.com', sandbox: 'https://connect.squareupsandbox.com' },
	},
	webhook,
	poll,

	// A Square webhook event: merchant_id, type, event_id, created_at and data { type, id, object }.
	detect: ({ body }) =>
		isObject(body) &&
		typeof body.merchant_id === 'string' &&
		typeof body.event_id === 'string' &&
		typeof body.type === 'string' &&
		isObject(body.data) &&
		typeof body.data.type === 'string',

	parse: ({ body }: ProviderInput): ProviderEvent[] => [parseEvent(body)],

	normalize: (event) => normalizeEvent(event),
};
