import type { PaymentEventInput } from '../core/event';
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
import { isWithinTolerance, verifyHmac } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderPoll, ProviderWebhook, Verification } from './types';

const ID = 'stripe';

// https://docs.stripe.com/api/events/types
const EVENTS = {
	'payment_intent.succeeded': { description: 'A PaymentIntent succeeded' },
	'payment_intent.payment_failed': { description: 'A PaymentIntent attempt failed' },
	'payment_intent.processing': { description: 'A PaymentIntent is being processed (bank debits)' },
	'payment_intent.canceled': { description: 'A PaymentIntent was canceled' },
	'charge.succeeded': { description: 'A charge succeeded' },
	'charge.failed': { description: 'A charge failed' },
	'charge.pending': { description: 'A charge is pending' },
	'charge.refunded': { description: 'A charge was refunded, fully or in part' },
	'charge.refund.updated': { description: 'A refund changed status' },
	'refund.created': { description: 'A refund was created' },
	'refund.updated': { description: 'A refund changed status' },
	'refund.failed': { description: 'A refund failed' },
	'charge.dispute.created': { description: 'A customer disputed a charge' },
	'invoice.paid': { description: 'An invoice was paid, in or out of Stripe' },
	'invoice.payment_succeeded': { description: 'An invoice payment attempt succeeded' },
	'invoice.payment_failed': { description: 'An invoice payment attempt failed' },
	'invoice_payment.paid': { description: 'A payment was applied to an invoice' },
} as const;

type StripeObject = Record<string, unknown>;

const PAYMENT_INTENT_STATUS: Record<string, PaymentStatus> = {
	'payment_intent.succeeded': 'succeeded',
	'payment_intent.payment_failed': 'failed',
	'payment_intent.processing': 'pending',
	'payment_intent.canceled': 'canceled',
};
const CHARGE_STATUS: Record<string, PaymentStatus> = {
	'charge.succeeded': 'succeeded',
	'charge.failed': 'failed',
	'charge.pending': 'pending',
};
const REFUND_STATUS: Record<string, PaymentStatus> = {
	succeeded: 'refunded',
	pending: 'pending',
	requires_action: 'pending',
	failed: 'failed',
	canceled: 'canceled',
};

function id(value: unknown): string | undefined {
	return text(value) ?? text(at(value, 'id'));
}

/** The charge that carries billing details and the card: expanded on a PaymentIntent in older API versions. */
function chargeOf(object: StripeObject): StripeObject | undefined {
	if (object.object === 'charge') return object;
	const latest = object.latest_charge;
	if (isObject(latest)) return latest;
	const charges = at(object, 'charges.data');
	return Array.isArray(charges) && isObject(charges[0]) ? charges[0] : undefined;
}

function customerOf(object: StripeObject): PaymentEventInput['customer'] {
	const charge = chargeOf(object);
	const billing = charge?.billing_details;
	const expanded = isObject(object.customer) ? object.customer : undefined;
	const country = text(at(billing, 'address.country'));
	return compact({
		id: id(object.customer),
		name: text(at(billing, 'name')) ?? text(object.customer_name) ?? text(expanded?.name),
		email:
			text(at(billing, 'email')) ??
			text(object.receipt_email) ??
			text(charge?.receipt_email) ??
			text(object.customer_email) ??
			text(expanded?.email),
		phone: normalizePhone(text(at(billing, 'phone')) ?? text(object.customer_phone) ?? text(expanded?.phone), country),
		locale: text(at(expanded, 'preferred_locales.0')),
	});
}

function paymentOf(object: StripeObject): PaymentEventInput['payment'] {
	const charge = chargeOf(object);
	const details = charge?.payment_method_details;
	const method = text(at(details, 'type'));
	const card = method ? at(details, method) : undefined;
	return compact({
		id: id(object.payment_intent) ?? text(object.id),
		method,
		brand: text(at(card, 'brand')),
		last4: text(at(card, 'last4')),
	});
}

function metadataOf(object: StripeObject): Record<string, unknown> | undefined {
	return isObject(object.metadata) && Object.keys(object.metadata).length ? object.metadata : undefined;
}

function referenceOf(object: StripeObject): string | undefined {
	return text(at(object, 'metadata.order_id')) ?? text(at(object, 'metadata.reference')) ?? text(object.number);
}

function base(event: ProviderEvent, object: StripeObject) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: customerOf(object),
		payment: paymentOf(object),
		reference: referenceOf(object),
		description: text(object.description),
		metadata: metadataOf(object),
	};
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const object = at(event.data, 'object');
	if (!isObject(object)) throw new ProviderPayloadError(ID, 'data.object', 'is missing');
	const currency = object.currency;
	const type = event.type;

	if (type in PAYMENT_INTENT_STATUS) {
		const status = PAYMENT_INTENT_STATUS[type];
		const amount = status === 'succeeded' && object.amount_received ? object.amount_received : object.amount;
		return [{ ...base(event, object), kind: 'payment', status, amount: moneyFromMinor(ID, amount, currency, 'data.object.amount') }];
	}
	if (type in CHARGE_STATUS) {
		const amount = moneyFromMinor(ID, object.amount, currency, 'data.object.amount');
		return [{ ...base(event, object), kind: 'payment', status: CHARGE_STATUS[type], amount }];
	}
	if (type === 'charge.refunded') {
		const refunded = moneyFromMinor(ID, object.amount_refunded, currency, 'data.object.amount_refunded');
		const charged = moneyFromMinor(ID, object.amount, currency, 'data.object.amount');
		const status: PaymentStatus = refunded.minor >= charged.minor ? 'refunded' : 'partially_refunded';
		return [{ ...base(event, object), kind: 'refund', status, amount: refunded, total: charged }];
	}
	if (type === 'charge.refund.updated' || type.startsWith('refund.')) {
		const refundStatus = requireText(ID, object.status, 'data.object.status');
		const status = type === 'refund.failed' ? 'failed' : REFUND_STATUS[refundStatus];
		if (!status) throw new ProviderPayloadError(ID, 'data.object.status', `unknown refund status "${refundStatus}"`);
		const amount = moneyFromMinor(ID, object.amount, currency, 'data.object.amount');
		return [{ ...base(event, object), kind: 'refund', status, amount, payment: compact({ id: id(object.charge) }) }];
	}
	if (type === 'charge.dispute.created') {
		const amount = moneyFromMinor(ID, object.amount, currency, 'data.object.amount');
		return [
			{ ...base(event, object), kind: 'dispute', status: 'disputed', amount, payment: compact({ id: id(object.charge) }) },
		];
	}
	if (type === 'invoice.paid' || type === 'invoice.payment_succeeded' || type === 'invoice.payment_failed') {
		const total = moneyFromMinor(ID, object.total, currency, 'data.object.total');
		const amountPaid = moneyFromMinor(ID, object.amount_paid, currency, 'data.object.amount_paid');
		const amountDue = moneyFromMinor(ID, object.amount_remaining, currency, 'data.object.amount_remaining');
		const failed = type === 'invoice.payment_failed';
		const status: PaymentStatus = failed ? 'failed' : amountDue.minor === 0 ? 'succeeded' : 'partially_paid';
		const amount = failed ? moneyFromMinor(ID, object.amount_due, currency, 'data.object.amount_due') : amountPaid;
		return [
			{
				...base(event, object),
				kind: 'invoice',
				status,
				amount,
				total,
				amountPaid,
				amountDue,
				invoice: compact({ id: text(object.id), number: text(object.number), url: text(object.hosted_invoice_url) }),
				payment: compact({ id: id(object.payment_intent) ?? id(object.charge) }),
			},
		];
	}
	if (type === 'invoice_payment.paid') {
		const amount = moneyFromMinor(ID, object.amount_paid, currency, 'data.object.amount_paid');
		return [
			{
				...base(event, object),
				kind: 'payment',
				status: 'succeeded',
				amount,
				invoice: compact({ id: id(object.invoice) }),
				payment: compact({ id: id(at(object, 'payment.payment_intent')) ?? id(at(object, 'payment.charge')) }),
			},
		];
	}
	return [];
}

// https://docs.stripe.com/webhooks#verify-manually
const TOLERANCE_SECONDS = 300;

function verify(rawBody: Buffer, header: string | undefined, secret: string, now: Date): Verification {
	if (!header) return { ok: false, reason: 'no Stripe-Signature header' };
	const parts = header.split(',').map((part) => part.trim().split('='));
	const timestamp = parts.find(([name]) => name === 't')?.[1];
	const signatures = parts.filter(([name]) => name === 'v1').map(([, value]) => value);
	if (!timestamp || signatures.length === 0) return { ok: false, reason: 'Stripe-Signature has no t or v1' };
	if (!isWithinTolerance(timestamp, TOLERANCE_SECONDS, now)) {
		return { ok: false, reason: `the signature's timestamp is more than ${TOLERANCE_SECONDS} s away` };
	}
	const payload = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
	const valid = signatures.some((signature) => verifyHmac({ algorithm: 'sha256', key: secret, payload, signature, encoding: 'hex' }));
	return valid ? { ok: true } : { ok: false, reason: 'no v1 signature matches the signing secret' };
}

interface WebhookEndpoint {
	id: string;
	url: string;
	secret?: string;
}

const webhook: ProviderWebhook = {
	authentication: `HMAC-SHA256 of the timestamp and raw body (Stripe-Signature header), at most ${TOLERANCE_SECONDS} s old`,
	secretFields: { webhookSecret: 'Webhook Signing Secret' },
	signatureHeaders: ['stripe-signature'],
	signsEachAttempt: true,
	verify: (request, secrets, tools) => verify(request.rawBody, request.headers['stripe-signature'], secrets.webhookSecret, tools.now),
	// https://docs.stripe.com/api/webhook_endpoints
	subscription: {
		secretField: 'webhookSecret',
		secretOnlyAtCreation: true,
		async find(tools, url) {
			let startingAfter: string | undefined;
			for (;;) {
				const page = (await tools.callApi({
					method: 'GET',
					path: '/v1/webhook_endpoints',
					qs: { limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) },
					description: 'the webhook endpoints',
				})) as { data: WebhookEndpoint[]; has_more: boolean };
				const found = page.data.find((endpoint) => endpoint.url === url);
				if (found) return { id: found.id };
				if (!page.has_more || page.data.length === 0) return undefined;
				startingAfter = page.data[page.data.length - 1].id;
			}
		},
		async create(tools, url, eventTypes) {
			const created = (await tools.callApi({
				method: 'POST',
				path: '/v1/webhook_endpoints',
				form: { url, enabled_events: eventTypes, description: 'n8n payment events trigger' },
				description: `the webhook endpoint for ${url}`,
			})) as WebhookEndpoint;
			return { id: created.id, secret: created.secret };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/v1/webhook_endpoints/${id}`, description: `the webhook endpoint ${id}` });
		},
	},
};

function parseEvent(body: unknown, field = 'body'): ProviderEvent {
	if (!isObject(body)) throw new ProviderPayloadError(ID, field, 'is not a Stripe event object');
	return {
		id: requireText(ID, body.id, 'id'),
		type: requireText(ID, body.type, 'type'),
		occurredAt: isoTime(ID, body.created, 'created'),
		livemode: body.livemode === true,
		data: body.data,
	};
}

/** Stripe's list page size, at most 100: https://docs.stripe.com/api/pagination */
const PAGE_SIZE = 100;

// https://docs.stripe.com/api/events/list: the events the webhooks would have sent, newest first, kept 30 days.
const poll: ProviderPoll = {
	description: "Stripe's Events API (the events a webhook would receive, kept by Stripe for 30 days)",
	// Stripe allows 25 read requests a second in test mode and 100 in live mode: https://docs.stripe.com/rate-limits
	minIntervalMs: 50,
	request(_stream, since, page) {
		// `types[]` takes at most 20 names: the adapter knows 17.
		const types = Object.fromEntries(Object.keys(EVENTS).map((type, n) => [`types[${n}]`, type]));
		return {
			method: 'GET',
			path: '/v1/events',
			qs: {
				// Whole seconds, rounded down, so the event at `since` itself is listed again (the poller drops what it saw).
				'created[gte]': Math.floor(Date.parse(since) / 1000),
				limit: PAGE_SIZE,
				...types,
				...(page ? { starting_after: page } : {}),
			},
			description: `the events since ${since}`,
		};
	},
	read(_stream, response) {
		const data = at(response, 'data');
		if (!isObject(response) || !Array.isArray(data)) throw new ProviderPayloadError(ID, 'data', 'is not a list of events');
		const records = data.map((body, n) => {
			const event = parseEvent(body, `data.${n}`);
			const objectId = requireText(ID, at(event.data, 'object.id'), `data.${n}.data.object.id`);
			// A charge of a PaymentIntent is the same payment as the PaymentIntent: keyed alike, the charge.succeeded and
			// payment_intent.succeeded of one payment report one change, not two.
			const intent = event.type in CHARGE_STATUS ? id(at(event.data, 'object.payment_intent')) : undefined;
			return { key: intent ?? objectId, modifiedAt: event.occurredAt!, event };
		});
		// Newest first: the next page starts after the oldest event of this one.
		const last = data.length ? text(at(data[data.length - 1], 'id')) : undefined;
		return { records, next: response.has_more === true ? last : undefined };
	},
};

export const stripe: ProviderAdapter = {
	id: ID,
	displayName: 'Stripe',
	events: EVENTS,
	api: { credentialType: 'paymentEventsStripeApi', hosts: { live: 'https://api.stripe.com' } },
	webhook,
	poll,

	// A Stripe event as delivered, and as n8n's Stripe Trigger emits it.
	detect: ({ body }) => isObject(body) && body.object === 'event' && typeof body.type === 'string' && isObject(body.data),

	parse: ({ body }: ProviderInput): ProviderEvent[] => [parseEvent(body)],

	normalize: (event) => normalizeEvent(event),
};
