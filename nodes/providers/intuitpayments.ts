import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromDecimal,
	requireText,
	text,
} from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';

const ID = 'intuitpayments';

/**
 * QuickBooks Payments API charges and refunds, as returned by GET /quickbooks/v4/payments/charges/{id} and
 * .../charges/{id}/refunds/{refundId} (https://developer.intuit.com/app/developer/qbpayments/docs/api/resources/all-entities/charges).
 * The Payments API sends no webhooks: these objects reach the node from an HTTP Request or a poll.
 */
const CHARGE_STATUS: Record<string, { kind: EventKind; status: PaymentStatus; description: string }> = {
	AUTHORIZED: { kind: 'payment', status: 'pending', description: 'The charge is authorized, not yet captured' },
	CAPTURED: { kind: 'payment', status: 'succeeded', description: 'The charge was captured' },
	SETTLED: { kind: 'payment', status: 'succeeded', description: 'The charge was settled' },
	DECLINED: { kind: 'payment', status: 'failed', description: 'The charge was declined' },
	CANCELLED: { kind: 'payment', status: 'canceled', description: 'The authorization was cancelled' },
	REFUNDED: { kind: 'refund', status: 'refunded', description: 'The charge was refunded' },
};

const EVENTS = Object.fromEntries(
	Object.entries(CHARGE_STATUS).map(([status, { description }]) => [`charge.${status}`, { description }]),
);

type Resource = Record<string, unknown>;

/** A charge: an id, an upper-case status, a decimal-string amount and the payment context. */
function isCharge(body: unknown): body is Resource {
	return (
		isObject(body) &&
		typeof body.id === 'string' &&
		typeof body.status === 'string' &&
		Object.hasOwn(CHARGE_STATUS, body.status) &&
		typeof body.amount === 'string' &&
		typeof body.currency === 'string' &&
		isObject(body.context) &&
		(isObject(body.card) || isObject(body.bankAccount) || typeof body.token === 'string')
	);
}

/** A refund or void of a charge: `type` REFUND or VOID, no card and no currency. */
function isRefund(body: unknown): body is Resource {
	return (
		isObject(body) &&
		typeof body.id === 'string' &&
		(body.type === 'REFUND' || body.type === 'VOID') &&
		typeof body.status === 'string' &&
		typeof body.amount === 'string' &&
		typeof body.created === 'string' &&
		isObject(body.context)
	);
}


function normalizeCharge(event: ProviderEvent): PaymentEventInput[] {
	const charge = event.data as Resource;
	const mapped = CHARGE_STATUS[requireText(ID, charge.status, 'status')];
	// A capture of less than the authorized amount is reported in captureDetail.
	const captured = mapped.status === 'succeeded' ? at(charge, 'captureDetail.amount') : undefined;
	const amount = moneyFromDecimal(ID, captured ?? charge.amount, charge.currency, captured ? 'captureDetail.amount' : 'amount');
	const card = isObject(charge.card) ? charge.card : undefined;
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			// A charge does not say which environment it is from; the node knows it from the credential.
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: mapped.kind,
			status: mapped.status,
			amount,
			customer: compact({ name: text(card?.name) ?? text(at(charge, 'bankAccount.name')) }),
			payment: compact({
				id: text(charge.id),
				method: card ? 'card' : isObject(charge.bankAccount) ? 'bank_account' : undefined,
				brand: text(card?.cardType),
				last4: cardLast4(card?.number),
			}),
			reference: text(at(charge, 'context.clientTransID')),
			description: text(charge.description),
		},
	];
}

export const intuitpayments: ProviderAdapter = {
	id: ID,
	displayName: 'QuickBooks Payments (Intuit)',
	events: EVENTS,

	// Resources of the Payments API, not QuickBooks Online webhooks (eventNotifications / CloudEvents).
	detect: ({ body }) => isCharge(body) || isRefund(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isCharge(body) && !isRefund(body)) {
			throw new ProviderPayloadError(ID, 'body', 'is not a QuickBooks Payments charge or refund object');
		}
		const id = requireText(ID, body.id, 'id');
		const status = requireText(ID, body.status, 'status');
		const resource = isCharge(body) ? 'charge' : 'refund';
		return [
			{
				// The same charge is read again as its status moves on; each status is its own event.
				id: `${id}:${status}`,
				type: `${resource}.${status}`,
				occurredAt: isoTime(ID, body.created, 'created'),
				data: body,
			},
		];
	},

	normalize(event) {
		if (event.type.startsWith('charge.')) return normalizeCharge(event);
		// Refund objects carry neither the currency nor the charge id, so they cannot become a canonical event alone.
		throw new ProviderPayloadError(
			ID,
			'currency',
			'is missing: a QuickBooks Payments refund object has no currency; normalize the refunded charge instead',
		);
	},
};
