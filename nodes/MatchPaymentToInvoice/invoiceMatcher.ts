import { parsePaymentEvent, type PaymentEvent } from '../core/event';
import { currencyExponent, fromDecimal, fromMinor, type Money } from '../core/money';
import { toCrmStatus, type PaymentStatus } from '../core/status';
import { at, compact, isObject, text } from '../providers/common';

/** Where each value sits in an open invoice: field names, dotted paths allowed (`CurrencyRef.value`). */
export interface InvoiceFields {
	id: string;
	number: string;
	amountDue: string;
	currency: string;
	total: string;
	customerName: string;
	customerEmail: string;
	url: string;
}

export const DEFAULT_INVOICE_FIELDS: Readonly<InvoiceFields> = {
	id: 'id',
	number: 'number',
	amountDue: 'amountDue',
	currency: 'currency',
	total: 'total',
	customerName: 'customerName',
	customerEmail: 'customerEmail',
	url: 'url',
};

/** How amounts are written in the invoices: a decimal ("120.50" or 120.5) or minor units (12050). */
export type AmountFormat = 'decimal' | 'minor';

export interface OpenInvoice {
	/** Position in the Open Invoices list, counted from 1, for messages. */
	position: number;
	id?: string;
	number?: string;
	url?: string;
	customerName?: string;
	customerEmail?: string;
	currency: string;
	/** As listed, before any credit of this run. */
	amountDue: Money;
	total?: Money;
}

export type MatchResult = 'matched' | 'partial' | 'ambiguous' | 'unmatched';
export type MatchedBy = 'reference' | 'amount-and-payer' | 'amount';

const CONFIDENCE: Readonly<Record<MatchedBy, 'high' | 'medium' | 'low'>> = {
	reference: 'high',
	'amount-and-payer': 'medium',
	amount: 'low',
};

export interface Candidate {
	id?: string;
	number?: string;
	customerName?: string;
	currency: string;
	/** What is still due on it at this point of the run. */
	amountDue: Money;
}

/** Written to `metadata.invoiceMatch` of every event the matcher outputs. */
export interface InvoiceMatch {
	result: MatchResult;
	by?: MatchedBy;
	confidence?: 'high' | 'medium' | 'low';
	/** Matched: what was due before this credit (the event's amountDue is what is left after it). */
	amountDueBefore?: Money;
	/** Matched: how much the credit exceeds what was due. */
	overpaid?: Money;
	/** Needs review: why, in words. */
	reason?: string;
	candidates?: Candidate[];
}

export interface MatchOutcome {
	needsReview: boolean;
	event: PaymentEvent;
}

/** An Open Invoices value the matcher cannot use; names the invoice and the field. */
export class InvalidInvoiceError extends Error {
	override name = 'InvalidInvoiceError';
}

/** The message of what `read` throws, or its value. Keeps the named error thrown outside any catch. */
function attempt<T>(read: () => T): { value: T } | { problem: string } {
	try {
		return { value: read() };
	} catch (error) {
		return { problem: error instanceof Error ? error.message : String(error) };
	}
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * The Open Invoices parameter as invoices. Accepts a list of objects (or JSON text of one); an n8n item
 * (`{ json: {...} }`, from `$('Node').all()` without `.map(i => i.json)`) is read through its `json`.
 * Currency must be an ISO 4217 code; amounts are parsed exactly (money.ts): a decimal string, or a number
 * with no more decimals than the currency has (0.1 + 0.2 = 0.30000000000000004 is refused, never rounded).
 * Every invoice needs an ID or a number, no two may share one, and nothing due may be negative.
 */
export function readOpenInvoices(list: unknown, fields: InvoiceFields, format: AmountFormat = 'decimal'): OpenInvoice[] {
	let entries = list;
	if (typeof entries === 'string') {
		const parsed = attempt(() => JSON.parse((entries as string).trim() || '[]') as unknown);
		if ('problem' in parsed) throw new InvalidInvoiceError(`Open Invoices is text that is not JSON (${parsed.problem})`);
		entries = parsed.value;
	}
	if (!Array.isArray(entries)) {
		throw new InvalidInvoiceError(
			`Open Invoices must be a list of invoices, e.g. {{ $('QuickBooks').all().map(item => item.json) }}, not ${kindOf(entries)}`,
		);
	}

	const invoices: OpenInvoice[] = [];
	const seen = new Map<string, OpenInvoice>();
	entries.forEach((entry: unknown, index) => {
		const position = index + 1;
		const record = isObject(entry) && isObject(entry.json) && at(entry, fields.amountDue) === undefined ? entry.json : entry;
		if (!isObject(record)) throw new InvalidInvoiceError(`Open invoice ${position} is not an object but ${kindOf(record)}`);
		const id = text(at(record, fields.id));
		const number = text(at(record, fields.number));
		if (id === undefined && number === undefined) {
			throw new InvalidInvoiceError(`Open invoice ${position} has neither an ID (field "${fields.id}") nor a number (field "${fields.number}")`);
		}
		const label = `Open invoice ${position} (${number ?? id})`;
		const fieldError = (field: string, problem: string) => new InvalidInvoiceError(`${label}, field "${field}": ${problem}`);

		const currency = text(at(record, fields.currency));
		if (currency === undefined) throw fieldError(fields.currency, 'is missing');
		const code = attempt(() => {
			currencyExponent(currency);
			return currency.toUpperCase();
		});
		if ('problem' in code) throw fieldError(fields.currency, code.problem);

		const amount = (field: string, required: boolean): Money | undefined => {
			const raw = at(record, field);
			if (raw === undefined || raw === null || raw === '') {
				if (required) throw fieldError(field, 'is missing');
				return undefined;
			}
			if (typeof raw !== 'string' && typeof raw !== 'number') {
				throw fieldError(field, `must be a decimal string such as "120.50" or a number, not ${kindOf(raw)}`);
			}
			const money = attempt(() =>
				format === 'minor' ? fromMinor(raw, code.value) : fromDecimal(raw, code.value),
			);
			if ('problem' in money) throw fieldError(field, money.problem);
			if (money.value.minor < 0) throw fieldError(field, `${money.value.value} ${code.value} is negative`);
			return money.value;
		};
		const amountDue = amount(fields.amountDue, true)!;
		const total = amount(fields.total, false);
		if (total && total.minor < amountDue.minor) {
			throw fieldError(fields.total, `${total.value} ${code.value} is less than the amount due ${amountDue.value}`);
		}

		const invoice: OpenInvoice = {
			position,
			id,
			number,
			url: text(at(record, fields.url)),
			customerName: text(at(record, fields.customerName)),
			customerEmail: text(at(record, fields.customerEmail)),
			currency: code.value,
			amountDue,
			total,
		};
		const key = id !== undefined ? `ID "${id}"` : `number "${number}"`;
		const earlier = seen.get(key);
		if (earlier) throw new InvalidInvoiceError(`${label} repeats open invoice ${earlier.position}: both have ${key}`);
		seen.set(key, invoice);
		invoices.push(invoice);
	});
	return invoices;
}

// Spaces and dashes are ignored when comparing invoice numbers: "INV 1042", "inv-1042" and "INV1042" are one number.
const IGNORED_IN_NUMBERS = /[\s\p{Pd}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** An invoice number as compared: NFKC, lower case, without spaces and dashes. */
export function numberKey(number: string): string {
	let key = '';
	for (const char of number.normalize('NFKC')) if (!IGNORED_IN_NUMBERS.test(char)) key += char.toLowerCase();
	return key;
}

/**
 * The keys of every whole-token stretch of `reference` (at most `longest` characters once spaces and dashes are
 * dropped): a stretch neither preceded nor followed by a letter or digit, so INV-1042 is found in
 * "INV 1042 Smith" but not in "INV-10423" or "XINV-1042".
 */
function wholeTokenKeys(reference: string, longest: number): Set<string> {
	const chars = [...reference.normalize('NFKC')];
	const kept: Array<{ char: string; at: number }> = [];
	chars.forEach((char, position) => {
		if (!IGNORED_IN_NUMBERS.test(char)) kept.push({ char: char.toLowerCase(), at: position });
	});
	const isWord = (position: number) => position >= 0 && position < chars.length && WORD_CHARACTER.test(chars[position]);
	const keys = new Set<string>();
	for (let start = 0; start < kept.length; start++) {
		if (isWord(kept[start].at - 1)) continue;
		let key = '';
		for (let end = start; end < kept.length && end - start < longest; end++) {
			key += kept[end].char;
			if (!isWord(kept[end].at + 1)) keys.add(key);
		}
	}
	return keys;
}

// Legal forms and titles say nothing about who paid: "SMITH WELDING LTD" is Smith Welding.
const IGNORED_NAME_TOKENS = new Set([
	'ab', 'ag', 'as', 'bv', 'co', 'company', 'corp', 'corporation', 'dr', 'gmbh', 'inc', 'incorporated', 'kg', 'limited',
	'llc', 'llp', 'ltd', 'miss', 'mr', 'mrs', 'ms', 'nv', 'oy', 'plc', 'pte', 'pty', 'sa', 'sarl', 'sas', 'spa', 'srl', 'the',
]);

/** A name as compared: accents dropped, lower case, words of two or more letters, legal forms and titles left out. */
export function nameTokens(name: string | undefined): Set<string> {
	if (!name) return new Set();
	const words = name
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u);
	return new Set(words.filter((word) => word.length > 1 && !IGNORED_NAME_TOKENS.has(word)));
}

/**
 * A payer resembles a customer when every word of the name with fewer words is in the other one, in any
 * order: "SMITH J" and "J. Smith" resemble "John Smith" (single letters are left out), "SMITH WELDING LTD"
 * resembles "Smith Welding", "John Doe" does not resemble "John Smith".
 */
export function namesResemble(payer: ReadonlySet<string>, customer: ReadonlySet<string>): boolean {
	if (payer.size === 0 || customer.size === 0) return false;
	const [fewer, more] = payer.size <= customer.size ? [payer, customer] : [customer, payer];
	return [...fewer].every((word) => more.has(word));
}

function label(invoice: OpenInvoice): string {
	return invoice.number ?? `ID ${invoice.id}`;
}

function byPosition(a: OpenInvoice, b: OpenInvoice): number {
	return a.position - b.position;
}

/**
 * Matches bank credits to open invoices, one credit after the other: (1) an invoice number in the reference or
 * description; otherwise (2) the amount due, in the same currency, for a customer whose name resembles the
 * payer's; otherwise (3) the amount due alone, when exactly one invoice is for it. Several candidates at the
 * deciding level make the credit ambiguous. A credit applied to an invoice lowers what the next credit sees due.
 */
export class InvoiceMatcher {
	private readonly due = new Map<OpenInvoice, number>();
	private readonly byNumber = new Map<string, OpenInvoice[]>();
	private readonly byAmount = new Map<string, Set<OpenInvoice>>();
	private readonly names = new Map<OpenInvoice, Set<string>>();
	private readonly longestNumber: number;

	constructor(
		invoices: OpenInvoice[],
		private readonly options: { matchAmountAlone: boolean } = { matchAmountAlone: true },
	) {
		let longest = 0;
		for (const invoice of invoices) {
			this.setDue(invoice, invoice.amountDue.minor);
			this.names.set(invoice, nameTokens(invoice.customerName));
			const key = invoice.number === undefined ? '' : numberKey(invoice.number);
			if (key === '') continue;
			this.byNumber.set(key, [...(this.byNumber.get(key) ?? []), invoice]);
			longest = Math.max(longest, key.length);
		}
		this.longestNumber = longest;
	}

	match(event: PaymentEvent): MatchOutcome {
		if (event.kind !== 'payment' || event.status !== 'succeeded') {
			return this.review(event, {
				result: 'unmatched',
				reason: `Only received payments (kind "payment", status "succeeded") are matched; this is a ${event.kind} with status "${event.status}"`,
			});
		}
		const { currency, minor, value } = event.amount;

		const named = this.namedIn([event.reference, event.description]);
		if (named.length > 0) {
			const sameCurrency = named.filter((invoice) => invoice.currency === currency);
			if (sameCurrency.length === 1) return this.apply(event, sameCurrency[0], 'reference');
			if (sameCurrency.length > 1) {
				return this.review(event, {
					result: 'ambiguous',
					by: 'reference',
					reason: `The reference names ${sameCurrency.length} open invoices: ${sameCurrency.map(label).join(', ')}`,
					candidates: sameCurrency.map((invoice) => this.candidate(invoice)),
				});
			}
			return this.review(event, {
				result: 'unmatched',
				reason: `The reference names ${named.map((invoice) => `${label(invoice)} (in ${invoice.currency})`).join(', ')}, but the credit is in ${currency}`,
				candidates: named.map((invoice) => this.candidate(invoice)),
			});
		}

		const sameAmount = [...(this.byAmount.get(`${currency} ${minor}`) ?? [])].sort(byPosition);
		if (sameAmount.length === 0) {
			return this.review(event, {
				result: 'unmatched',
				reason: `No open invoice is named in the reference, and none has ${value} ${currency} due`,
			});
		}
		const payer = nameTokens(event.customer?.name);
		const alike = sameAmount.filter((invoice) => namesResemble(payer, this.names.get(invoice)!));
		if (alike.length === 1) return this.apply(event, alike[0], 'amount-and-payer');
		if (alike.length > 1) {
			return this.review(event, {
				result: 'ambiguous',
				by: 'amount-and-payer',
				reason: `${alike.length} open invoices have ${value} ${currency} due for a customer like the payer "${event.customer?.name}"`,
				candidates: alike.map((invoice) => this.candidate(invoice)),
			});
		}
		if (sameAmount.length > 1) {
			return this.review(event, {
				result: 'ambiguous',
				by: 'amount',
				reason: `${sameAmount.length} open invoices have ${value} ${currency} due, and neither the reference nor the payer tells them apart`,
				candidates: sameAmount.map((invoice) => this.candidate(invoice)),
			});
		}
		if (this.options.matchAmountAlone) return this.apply(event, sameAmount[0], 'amount');
		return this.review(event, {
			result: 'unmatched',
			reason: `Only ${label(sameAmount[0])} has ${value} ${currency} due, but its customer is not like the payer and Match by Amount Alone is off`,
			candidates: [this.candidate(sameAmount[0])],
		});
	}

	private namedIn(texts: Array<string | undefined>): OpenInvoice[] {
		const found = new Set<OpenInvoice>();
		if (this.longestNumber === 0) return [];
		for (const reference of texts) {
			if (!reference) continue;
			for (const key of wholeTokenKeys(reference, this.longestNumber)) {
				for (const invoice of this.byNumber.get(key) ?? []) found.add(invoice);
			}
		}
		return [...found].sort(byPosition);
	}

	private apply(event: PaymentEvent, invoice: OpenInvoice, by: MatchedBy): MatchOutcome {
		const dueBefore = this.due.get(invoice)!;
		if (dueBefore === 0) {
			return this.review(event, {
				result: 'unmatched',
				by,
				reason:
					invoice.amountDue.minor > 0
						? `${label(invoice)} was already paid by an earlier credit of this run`
						: `${label(invoice)} has nothing left to pay`,
				candidates: [this.candidate(invoice)],
			});
		}
		const paid = event.amount.minor;
		const dueAfter = Math.max(dueBefore - paid, 0);
		this.setDue(invoice, dueAfter);
		const money = (minor: number) => fromMinor(minor, invoice.currency);
		const status: PaymentStatus = paid >= dueBefore ? 'succeeded' : 'partially_paid';
		const match: InvoiceMatch = {
			result: status === 'succeeded' ? 'matched' : 'partial',
			by,
			confidence: CONFIDENCE[by],
			amountDueBefore: money(dueBefore),
			...(paid > dueBefore ? { overpaid: money(paid - dueBefore) } : {}),
		};
		// A credit carries no invoice amounts of its own; these describe the invoice it paid.
		const credit: Partial<PaymentEvent> = { ...event };
		delete credit.total;
		delete credit.amountPaid;
		delete credit.amountDue;
		const matched = parsePaymentEvent(compact({
			...credit,
			status,
			crmStatus: toCrmStatus(status),
			invoice: compact({ id: invoice.id, number: invoice.number, url: invoice.url }),
			amountDue: money(dueAfter),
			...(invoice.total ? { total: invoice.total, amountPaid: money(invoice.total.minor - dueAfter) } : {}),
			customer: compact({ ...event.customer, email: event.customer?.email ?? invoice.customerEmail }),
			metadata: { ...event.metadata, invoiceMatch: match },
		}));
		return { needsReview: false, event: matched };
	}

	private review(event: PaymentEvent, match: InvoiceMatch): MatchOutcome {
		return { needsReview: true, event: parsePaymentEvent({ ...event, metadata: { ...event.metadata, invoiceMatch: match } }) };
	}

	private candidate(invoice: OpenInvoice): Candidate {
		return compact({
			id: invoice.id,
			number: invoice.number,
			customerName: invoice.customerName,
			currency: invoice.currency,
			amountDue: fromMinor(this.due.get(invoice)!, invoice.currency),
		})!;
	}

	private setDue(invoice: OpenInvoice, minor: number): void {
		const before = this.due.get(invoice);
		if (before !== undefined) this.byAmount.get(`${invoice.currency} ${before}`)?.delete(invoice);
		this.due.set(invoice, minor);
		// Nothing due: only a reference can still name the invoice (and sends the credit to review).
		if (minor === 0) return;
		const key = `${invoice.currency} ${minor}`;
		if (!this.byAmount.has(key)) this.byAmount.set(key, new Set());
		this.byAmount.get(key)!.add(invoice);
	}
}
