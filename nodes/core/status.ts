/** Detailed payment status carried by every canonical event. */
export const PAYMENT_STATUSES = [
	'succeeded',
	'pending',
	'failed',
	'canceled',
	'refunded',
	'partially_refunded',
	'partially_paid',
	'disputed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The coarse status written to CRMs and shown to staff. */
export const CRM_STATUSES = ['Paid', 'Partially paid', 'Pending', 'Failed', 'Refunded'] as const;
export type CrmStatus = (typeof CRM_STATUSES)[number];

export const EVENT_KINDS = ['payment', 'refund', 'invoice', 'dispute', 'payout'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const CRM_STATUS_OF: Readonly<Record<PaymentStatus, CrmStatus>> = {
	succeeded: 'Paid',
	pending: 'Pending',
	failed: 'Failed',
	canceled: 'Failed',
	refunded: 'Refunded',
	partially_refunded: 'Refunded',
	partially_paid: 'Partially paid',
	// The funds are held until the dispute is decided; "Failed" would start payment reminders
	// to a customer who is in a chargeback.
	disputed: 'Pending',
};

export function toCrmStatus(status: PaymentStatus): CrmStatus {
	return CRM_STATUS_OF[status];
}

export function isPaymentStatus(value: unknown): value is PaymentStatus {
	return typeof value === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

export function isCrmStatus(value: unknown): value is CrmStatus {
	return typeof value === 'string' && (CRM_STATUSES as readonly string[]).includes(value);
}

/**
 * How far along its life a payment is. Only used to break ties between events stamped with the
 * same time (providers often stamp to the second): the later stage wins.
 */
export const STATUS_PRECEDENCE: Readonly<Record<PaymentStatus, number>> = {
	pending: 0,
	failed: 1,
	canceled: 1,
	partially_paid: 2,
	succeeded: 3,
	disputed: 4,
	partially_refunded: 4,
	refunded: 5,
};

const CRM_STATUS_PRECEDENCE: Readonly<Record<CrmStatus, number>> = {
	Pending: 0,
	Failed: 1,
	'Partially paid': 2,
	Paid: 3,
	Refunded: 5,
};

export interface AppliedStatus {
	/** ISO 8601 time of the provider event that set the status. */
	occurredAt: string;
	status: PaymentStatus | CrmStatus;
	eventId?: string;
}

export type GuardDecision =
	| { apply: true; reason: 'first' | 'newer' | 'same-time-later-stage' }
	| { apply: false; reason: 'duplicate' | 'older' | 'same-time-not-later-stage' };

function precedence(status: PaymentStatus | CrmStatus): number {
	if (isPaymentStatus(status)) return STATUS_PRECEDENCE[status];
	if (isCrmStatus(status)) return CRM_STATUS_PRECEDENCE[status];
	throw new Error(`Unknown payment status "${String(status)}"`);
}

function timeOf(label: string, iso: string): number {
	const time = Date.parse(iso);
	if (Number.isNaN(time)) throw new Error(`${label} "${iso}" is not an ISO 8601 date`);
	return time;
}

/**
 * The stale-event guard: may `incoming` overwrite the status a record already holds?
 * An older event never does; at the same instant only a later stage does; the same event twice is
 * a duplicate. A record with no applied event accepts anything.
 */
export function decideStatusUpdate(incoming: AppliedStatus, current?: AppliedStatus | null): GuardDecision {
	const incomingTime = timeOf('incoming occurredAt', incoming.occurredAt);
	if (!current) return { apply: true, reason: 'first' };
	if (incoming.eventId !== undefined && incoming.eventId === current.eventId) {
		return { apply: false, reason: 'duplicate' };
	}
	const currentTime = timeOf('current occurredAt', current.occurredAt);
	if (incomingTime > currentTime) return { apply: true, reason: 'newer' };
	if (incomingTime < currentTime) return { apply: false, reason: 'older' };
	return precedence(incoming.status) > precedence(current.status)
		? { apply: true, reason: 'same-time-later-stage' }
		: { apply: false, reason: 'same-time-not-later-stage' };
}
