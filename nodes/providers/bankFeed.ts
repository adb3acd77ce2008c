import type { PaymentEventInput } from '../core/event';
import type { Money } from '../core/money';
import { ProviderPayloadError, compact, isoTime, text } from './common';
import type { ProviderEvent, WebhookTools } from './types';

/**
 * Helpers shared by the open-banking sources (plaid.ts, truelayer.ts, gocardlessbank.ts), whose transactions carry a
 * booking date rather than a time.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How far before the last poll a bank feed is read again. Banks list a transaction up to days after the date they book
 * it on, so a window that started at the last poll would miss it; the trigger skips what it already reported.
 */
export const LOOKBACK_DAYS = 7;

/**
 * A booking or value date as an ISO 8601 UTC time. A date alone ("2020-10-30") is midnight UTC, and so is a time without
 * a zone ("2018-03-06T00:00:00"): banks give the day, not the moment, and name no zone.
 */
export function bookingTime(provider: string, value: unknown, field: string): string {
	const raw = text(value);
	if (raw === undefined) throw new ProviderPayloadError(provider, field, 'is missing');
	const local = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.exec(raw);
	if (!local) return isoTime(provider, raw, field);
	const time = Date.parse(`${local[1]}${local[2] ?? 'T00:00:00'}Z`);
	if (Number.isNaN(time)) throw new ProviderPayloadError(provider, field, `${JSON.stringify(raw)} is not a date`);
	return new Date(time).toISOString();
}

/** The UTC calendar date `days` days before `time` (YYYY-MM-DD), as bank APIs take their date filters. */
export function dateBefore(time: string | Date, days: number): string {
	const start = typeof time === 'string' ? Date.parse(time) : time.getTime();
	return new Date(start - days * DAY_MS).toISOString().slice(0, 10);
}

/** What a bank feed says of one credit into the account. */
export interface BankCredit {
	amount: Money;
	pending: boolean;
	payer?: string;
	/** What stays the same from the pending credit to the booked one: "the same payment". */
	paymentId: string;
	paymentMethod?: string;
	reference?: string;
	description?: string;
	metadata?: Record<string, unknown>;
}

/** The canonical `payment` event of a credit: succeeded once booked, pending before. */
export function creditEvent(provider: string, event: ProviderEvent, credit: BankCredit): PaymentEventInput {
	return {
		provider,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		occurredAt: event.occurredAt!,
		kind: 'payment',
		status: credit.pending ? 'pending' : 'succeeded',
		amount: credit.amount,
		customer: compact({ name: credit.payer }),
		payment: compact({ id: credit.paymentId, method: credit.paymentMethod }),
		reference: credit.reference,
		description: credit.description,
		metadata: credit.metadata && compact(credit.metadata),
	};
}

/** A credential field the feed's requests need, e.g. the account to read; missing, an error saying where to find it. */
export function requiredField(tools: WebhookTools, field: string, missing: string): string {
	const value = tools.credentials[field];
	if (!value) throw new Error(missing);
	return value;
}
