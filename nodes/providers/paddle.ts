import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromMinor, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';

const ID = 'paddle';

// https://developer.paddle.com/webhooks/overview (Paddle Billing; Paddle Classic alerts are a different format)
const EVENTS = {
	'transaction.completed': { description: 'A transaction was paid and fully processed' },
	'transaction.paid': { description: 'A transaction was paid' },
	'transaction.payment_failed': { description: 'A payment attempt on a transaction failed' },
	'adjustment.created': { description: 'A refund was requested' },
	'adjustment.updated': { description: 'A refund was approved or rejected' },
} as const;

type PaddleObject = Record<string, unknown>;

const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	'transaction.completed': 'succeeded',
	'transaction.paid': 'succeeded',
	'transaction.payment_failed': 'failed',
};

// https://developer.paddle.com/api-reference/adjustments/overview
const REFUND_STATUS: Record<string, PaymentStatus> = {
	pending_approval: 'pending',
	approved: 'refunded',
	rejected: 'failed',
	reversed: 'canceled',
};

function base(event: ProviderEvent, object: PaddleObject) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		// Notifications do not say whether they come from the sandbox.
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: compact({ id: text(object.customer_id) }),
		metadata: isObject(object.custom_data) && Object.keys(object.custom_data).length ? object.custom_data : undefined,
	};
}

function transactionEvent(event: ProviderEvent, transaction: PaddleObject, status: PaymentStatus): PaymentEventInput[] {
	const totals = at(transaction, 'details.totals');
	const amount = moneyFromMinor(ID, at(totals, 'grand_total'), at(totals, 'currency_code'), 'data.details.totals.grand_total');
	// Payment attempts, most recent first; a paid transaction's card is the one that was captured.
	const attempts = Array.isArray(transaction.payments) ? transaction.payments.filter(isObject) : [];
	const attempt = (status === 'succeeded' && attempts.find((payment) => payment.status === 'captured')) || attempts[0];
	const method = text(at(attempt, 'method_details.type'));
	const card = method === 'card' ? at(attempt, 'method_details.card') : undefined;
	const invoiceNumber = text(transaction.invoice_number);
	return [
		{
			...base(event, transaction),
			kind: 'payment',
			status,
			amount,
			invoice: compact({ id: text(transaction.invoice_id), number: invoiceNumber }),
			payment: compact({ id: text(transaction.id), method, brand: text(at(card, 'type')), last4: text(at(card, 'last4')) }),
			reference: invoiceNumber,
		},
	];
}

function adjustmentEvent(event: ProviderEvent, adjustment: PaddleObject): PaymentEventInput[] {
	// Credits, chargebacks and their reversals are other actions: only refunds are mapped.
	if (adjustment.action !== 'refund') return [];
	const adjustmentStatus = requireText(ID, adjustment.status, 'data.status');
	let status = Object.hasOwn(REFUND_STATUS, adjustmentStatus) ? REFUND_STATUS[adjustmentStatus] : undefined;
	if (!status) throw new ProviderPayloadError(ID, 'data.status', `unknown adjustment status "${adjustmentStatus}"`);
	if (status === 'refunded' && adjustment.type === 'partial') status = 'partially_refunded';
	const totals = adjustment.totals;
	const amount = moneyFromMinor(ID, at(totals, 'total'), at(totals, 'currency_code'), 'data.totals.total');
	return [
		{
			...base(event, adjustment),
			kind: 'refund',
			status,
			amount,
			payment: compact({ id: text(adjustment.transaction_id) }),
		},
	];
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const object = event.data;
	if (!isObject(object)) throw new ProviderPayloadError(ID, 'data', 'is missing');
	if (Object.hasOwn(TRANSACTION_STATUS, event.type)) return transactionEvent(event, object, TRANSACTION_STATUS[event.type]);
	if (event.type === 'adjustment.created' || event.type === 'adjustment.updated') return adjustmentEvent(event, object);
	return [];
}

export const paddle: ProviderAdapter = {
	id: ID,
	displayName: 'Paddle',
	events: EVENTS,

	detect: ({ body }) =>
		isObject(body) &&
		typeof body.event_id === 'string' &&
		typeof body.event_type === 'string' &&
		typeof body.notification_id === 'string' &&
		isObject(body.data),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Paddle notification object');
		return [
			{
				id: requireText(ID, body.event_id, 'event_id'),
				type: requireText(ID, body.event_type, 'event_type'),
				occurredAt: isoTime(ID, body.occurred_at, 'occurred_at'),
				data: body.data,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
