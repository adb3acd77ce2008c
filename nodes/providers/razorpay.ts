import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	header,
	isObject,
	isoTime,
	moneyFromMinor,
	normalizePhone,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook } from './types';

const ID = 'razorpay';

// https://razorpay.com/docs/webhooks/payments/ , https://razorpay.com/docs/webhooks/orders/ and
// https://razorpay.com/docs/webhooks/refunds/ . Other events (refund.created, disputes, ...) normalize to no event.
const EVENTS = {
	'payment.authorized': { description: 'A payment was authorised and awaits capture' },
	'payment.captured': { description: 'A payment was captured' },
	'payment.failed': { description: 'A payment failed' },
	'order.paid': { description: 'An order was paid' },
	'refund.processed': { description: 'A refund was processed' },
	'refund.failed': { description: 'A refund could not be processed' },
} as const;

type RazorpayObject = Record<string, unknown>;

const PAYMENT_STATUS: Record<string, PaymentStatus> = {
	'payment.authorized': 'pending',
	'payment.captured': 'succeeded',
	'payment.failed': 'failed',
	'order.paid': 'succeeded',
};

function isRazorpayEvent(body: unknown): body is RazorpayObject {
	return (
		isObject(body) &&
		body.entity === 'event' &&
		typeof body.event === 'string' &&
		Array.isArray(body.contains) &&
		isObject(body.payload)
	);
}

/** The entity of `name` in the payload (`payload.payment.entity`), when present. */
function entityOf(event: ProviderEvent, name: string): RazorpayObject | undefined {
	const entity = at(event.data, `payload.${name}.entity`);
	return isObject(entity) ? entity : undefined;
}

function requireEntity(event: ProviderEvent, name: string): RazorpayObject {
	const entity = entityOf(event, name);
	if (!entity) throw new ProviderPayloadError(ID, `payload.${name}.entity`, 'is missing');
	return entity;
}

function customerOf(payment: RazorpayObject | undefined): PaymentEventInput['customer'] {
	return compact({
		id: text(payment?.customer_id),
		name: text(at(payment, 'card.name')),
		email: text(payment?.email),
		phone: normalizePhone(payment?.contact),
	});
}

function paymentOf(payment: RazorpayObject | undefined, id?: string): PaymentEventInput['payment'] {
	return compact({
		id: id ?? text(payment?.id),
		method: text(payment?.method),
		brand: text(at(payment, 'card.network')),
		last4: text(at(payment, 'card.last4')),
	});
}

/** Notes are an object of the merchant's keys, or an empty array when there are none. */
function notesOf(object: RazorpayObject | undefined): Record<string, unknown> | undefined {
	const notes = object?.notes;
	return isObject(notes) && Object.keys(notes).length ? notes : undefined;
}

function base(event: ProviderEvent, payment: RazorpayObject | undefined) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		// Events do not say whether they come from test or live mode; the node knows it from the credential.
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: customerOf(payment),
		description: text(payment?.description),
	};
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const type = event.type;

	if (type in PAYMENT_STATUS) {
		const payment = requireEntity(event, 'payment');
		const order = entityOf(event, 'order');
		return [
			{
				...base(event, payment),
				kind: 'payment',
				status: PAYMENT_STATUS[type],
				amount: moneyFromMinor(ID, payment.amount, payment.currency, 'payload.payment.entity.amount'),
				payment: paymentOf(payment),
				invoice: compact({ id: text(payment.invoice_id) }),
				// The merchant's own receipt for the order when the event carries the order, else Razorpay's order id.
				reference: text(order?.receipt) ?? text(payment.order_id),
				metadata: notesOf(payment),
			},
		];
	}
	if (type === 'refund.processed' || type === 'refund.failed') {
		const refund = requireEntity(event, 'refund');
		const payment = entityOf(event, 'payment');
		const amount = moneyFromMinor(ID, refund.amount, refund.currency, 'payload.refund.entity.amount');
		const total = payment && moneyFromMinor(ID, payment.amount, payment.currency, 'payload.payment.entity.amount');
		let status: PaymentStatus = 'failed';
		if (type === 'refund.processed') status = payment?.refund_status === 'partial' ? 'partially_refunded' : 'refunded';
		return [
			{
				...base(event, payment),
				kind: 'refund',
				status,
				amount,
				total: total?.currency === amount.currency ? total : undefined,
				payment: paymentOf(payment, text(refund.payment_id)),
				reference: text(refund.receipt) ?? text(payment?.order_id),
				metadata: notesOf(refund),
			},
		];
	}
	return [];
}

// https://razorpay.com/docs/webhooks/validate-test/ : hex HMAC-SHA256 of the raw body, keyed with the webhook secret.
// The signature covers no timestamp; Razorpay's own retry of an accepted delivery is refused as a replay.
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the webhook secret (X-Razorpay-Signature header)',
	secretFields: { webhookSecret: 'Webhook Secret' },
	signatureHeaders: ['x-razorpay-signature'],
	verify(request, secrets) {
		const signature = request.headers['x-razorpay-signature'];
		if (!signature) return { ok: false, reason: 'no X-Razorpay-Signature header' };
		const valid = verifyHmac({ algorithm: 'sha256', key: secrets.webhookSecret, payload: request.rawBody, signature, encoding: 'hex' });
		return valid ? { ok: true } : { ok: false, reason: 'X-Razorpay-Signature does not match the webhook secret' };
	},
	// https://razorpay.com/docs/webhooks/setup-edit-payments/ : the webhooks API is only open to partners.
	setup: 'in the Razorpay Dashboard under Accounts & Settings → Webhooks, with the same secret as the credential',
};

export const razorpay: ProviderAdapter = {
	id: ID,
	displayName: 'Razorpay',
	events: EVENTS,
	api: { credentialType: 'paymentEventsRazorpayApi', hosts: { live: 'https://api.razorpay.com' } },
	webhook,

	// A Razorpay webhook body as delivered (n8n has no built-in Razorpay trigger).
	detect: ({ body }) => isRazorpayEvent(body),

	parse(input: ProviderInput): ProviderEvent[] {
		const body = input.body;
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Razorpay webhook event');
		const type = requireText(ID, body.event, 'event');
		const createdAt = requireText(ID, body.created_at, 'created_at');
		// The body has no event id; Razorpay sends one in a header. Without it (an item that lost its headers) the
		// event, the id of its first entity and its time identify it just as stably.
		let id = header(input, 'x-razorpay-event-id');
		if (id === undefined) {
			if (!Array.isArray(body.contains)) throw new ProviderPayloadError(ID, 'contains', 'is not an array');
			const first = requireText(ID, body.contains[0], 'contains[0]');
			const entityId = requireText(ID, at(body.payload, `${first}.entity.id`), `payload.${first}.entity.id`);
			id = `${type}:${entityId}:${createdAt}`;
		}
		return [{ id, type, occurredAt: isoTime(ID, body.created_at, 'created_at'), data: body }];
	},

	normalize: (event) => normalizeEvent(event),
};
