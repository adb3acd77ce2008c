import { createPaymentEvent, type PaymentEvent } from '../core/event';
import { fromDecimal, fromMinor, subtractMoney, type Money } from '../core/money';
import { cardLast4 } from '../core/redact';
import { compact, normalizePhone, text } from '../providers/common';
import type { EventKind, PaymentStatus } from '../core/status';

/** A payment recorded by hand: marked paid in an admin dashboard, a POS, or exported by an ERP. */
export interface ManualEntry {
	amount: string | number;
	amountFormat: 'decimal' | 'minor';
	currency: string;
	status: PaymentStatus;
	kind: EventKind;
	reference: string;
	/** Stable id of the entry; defaults to reference + status + amount, so re-sending it is a duplicate. */
	entryId?: string;
	occurredAt?: string;
	livemode?: boolean;
	customer?: { id?: string; name?: string; email?: string; phone?: string; locale?: string };
	description?: string;
	invoice?: { number?: string; url?: string; total?: string | number; amountPaid?: string | number };
	paymentMethod?: string;
	/** Last four digits; a full card number is cut to its last four and never kept. */
	cardLast4?: string;
	metadata?: Record<string, unknown>;
	raw?: unknown;
}

export class InvalidManualEntryError extends Error {
	override name = 'InvalidManualEntryError';
}

const REFUND_STATUSES: ReadonlyArray<PaymentStatus> = ['refunded', 'partially_refunded'];

/** The Metadata field: a JSON object, given as text or already parsed by an expression. */
export function parseMetadata(value: unknown): Record<string, unknown> | undefined {
	if (value === undefined || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new InvalidManualEntryError('Metadata must be a JSON object, e.g. {"orderId": "A-1001"}');
	}
	return parsed as Record<string, unknown>;
}

export function normalizeManualEntry(entry: ManualEntry, now: Date = new Date()): PaymentEvent {
	const reference = text(entry.reference);
	if (!reference) throw new InvalidManualEntryError('Reference is required: it identifies the payment');
	if (text(entry.amount) === undefined) throw new InvalidManualEntryError('Amount is required');

	const toMoney = (value: string | number): Money =>
		entry.amountFormat === 'minor' ? fromMinor(value, entry.currency) : fromDecimal(value, entry.currency);

	let amount = toMoney(entry.amount);
	if (amount.minor < 0) {
		// ERPs often export refunds as negative amounts; the event carries the magnitude.
		if (entry.kind !== 'refund' && !REFUND_STATUSES.includes(entry.status)) {
			throw new InvalidManualEntryError(
				`Amount ${amount.value} is negative; only a refund (kind Refund or status Refunded) may be entered as a negative amount`,
			);
		}
		amount = fromMinor(-amount.minor, amount.currency);
	}

	let invoiceAmounts: Pick<PaymentEvent, 'total' | 'amountPaid' | 'amountDue'> = {};
	const { total, amountPaid } = entry.invoice ?? {};
	if (text(total) !== undefined) {
		const totalMoney = toMoney(total!);
		const paidMoney = text(amountPaid) === undefined ? amount : toMoney(amountPaid!);
		const due = subtractMoney(totalMoney, paidMoney);
		if (due.minor < 0) {
			throw new InvalidManualEntryError(`Amount paid ${paidMoney.value} is more than the invoice total ${totalMoney.value}`);
		}
		invoiceAmounts = { total: totalMoney, amountPaid: paidMoney, amountDue: due };
	}

	let occurredAt = now.toISOString();
	const paidAt = text(entry.occurredAt);
	if (paidAt) {
		const time = Date.parse(paidAt);
		if (Number.isNaN(time)) throw new InvalidManualEntryError(`Date "${entry.occurredAt}" is not a date`);
		occurredAt = new Date(time).toISOString();
	}

	const customer = {
		id: text(entry.customer?.id),
		name: text(entry.customer?.name),
		email: text(entry.customer?.email),
		phone: normalizePhone(entry.customer?.phone),
		locale: text(entry.customer?.locale),
	};
	const invoice = { number: text(entry.invoice?.number), url: text(entry.invoice?.url) };
	const payment = {
		method: text(entry.paymentMethod),
		last4: cardLast4(text(entry.cardLast4)),
	};

	return createPaymentEvent(
		{
			provider: 'manual',
			providerEventId: text(entry.entryId) ?? `${reference}:${entry.status}:${amount.minor}`,
			providerEventType: `manual.${entry.kind}.${entry.status}`,
			livemode: entry.livemode ?? true,
			kind: entry.kind,
			status: entry.status,
			amount,
			...invoiceAmounts,
			occurredAt,
			customer: compact(customer),
			invoice: compact(invoice),
			payment: compact(payment),
			reference,
			description: text(entry.description),
			metadata: entry.metadata && Object.keys(entry.metadata).length ? entry.metadata : undefined,
			raw: entry.raw,
		},
		now,
	);
}
