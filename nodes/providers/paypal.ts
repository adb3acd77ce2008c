import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';

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

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
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

export const paypal: ProviderAdapter = {
	id: ID,
	displayName: 'PayPal',
	events: EVENTS,

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
