import { createPaymentEvent, InvalidPaymentEventError, type PaymentEvent } from '../core/event';
import { currencyExponent, fromDecimal, fromMinor, InvalidAmountError, UnknownCurrencyError, type Money } from '../core/money';
import { redactText } from '../core/redact';
import { EVENT_KINDS, PAYMENT_STATUSES, type EventKind, type PaymentStatus } from '../core/status';
import { compact, isObject, isoTime, normalizePhone } from '../providers/common';
import type { MappedField } from './presets';

export type AmountFormat = 'decimal' | 'decimalComma' | 'minor';

export interface MappingSettings {
	/** The canonical `provider`. */
	source: string;
	/** A path into the posted body per field; '' leaves the field unmapped. */
	paths: Readonly<Record<MappedField, string>>;
	amountFormat: AmountFormat;
	/** For posts that send no currency. */
	defaultCurrency?: string;
	/** For posts that send no status; without it a missing status is refused. */
	defaultStatus?: PaymentStatus;
	/** The user's own status words, added to (and taking precedence over) DEFAULT_STATUS_WORDS. */
	statusWords?: Readonly<Record<string, PaymentStatus>>;
	livemode: boolean;
	includeRaw: boolean;
}

/** A post the trigger refuses with 400: `field` is the key (path) of the post that is wrong, `message` says how. */
export class PostFieldError extends Error {
	override name = 'PostFieldError';

	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

/** Words senders use for a payment's state, lower-case with spaces and hyphens as underscores. */
export const DEFAULT_STATUS_WORDS: Readonly<Record<string, PaymentStatus>> = {
	...Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, status])),
	paid: 'succeeded',
	success: 'succeeded',
	successful: 'succeeded',
	completed: 'succeeded',
	complete: 'succeeded',
	captured: 'succeeded',
	pending: 'pending',
	processing: 'pending',
	failed: 'failed',
	declined: 'failed',
	error: 'failed',
	refunded: 'refunded',
	partially_paid: 'partially_paid',
	partial: 'partially_paid',
	canceled: 'canceled',
	cancelled: 'canceled',
	voided: 'canceled',
};

const LABELS: Readonly<Record<MappedField, string>> = {
	eventId: 'Event ID',
	amount: 'Amount',
	currency: 'Currency',
	status: 'Status',
	kind: 'Kind',
	occurredAt: 'Occurred At',
	customerId: 'Customer ID',
	customerEmail: 'Customer email',
	customerName: 'Customer name',
	customerPhone: 'Customer phone',
	reference: 'Reference',
	description: 'Description',
	invoiceNumber: 'Invoice number',
	invoiceUrl: 'Invoice URL',
};

const FORM = 'application/x-www-form-urlencoded';
const REFUND_STATUSES: readonly PaymentStatus[] = ['refunded', 'partially_refunded'];

export function statusWord(word: string): string {
	return word.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** A posted value quoted in a message: short, and scrubbed of anything that looks like a card number or a secret. */
function quote(value: string): string {
	return JSON.stringify(redactText(value.length > 40 ? `${value.slice(0, 40)}…` : value, { maskEmails: false }));
}

export interface Post {
	/** The body as an object: parsed JSON, or the form's fields (a repeated field becomes a list). */
	body: Record<string, unknown>;
	/** The exact text of each JSON number, by path (JSON.stringify of its keys), filled on first use. */
	numberText: (path: readonly string[]) => string | undefined;
}

function formFields(text: string): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [name, value] of new URLSearchParams(text)) {
		const seen = fields[name];
		fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
	}
	return fields;
}

/**
 * The source text of every number in a JSON document, by path. JSON.parse turns 1.10 into the float 1.1 (and
 * 12345678901234567890 into 12345678901234567000), so amounts and IDs are read from the text instead.
 * The text must already have parsed as JSON.
 */
export function jsonNumberTexts(text: string): Map<string, string> {
	const found = new Map<string, string>();
	const scalar = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
	let i = 0;
	const space = () => {
		while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
	};
	const string = (): string => {
		const start = i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const value = (path: string[]): void => {
		space();
		if (text[i] === '{') {
			i++;
			space();
			if (text[i] === '}') return void i++;
			for (;;) {
				space();
				const key = string();
				space();
				i++; // ':'
				value([...path, key]);
				space();
				if (text[i++] === '}') return;
			}
		}
		if (text[i] === '[') {
			i++;
			space();
			if (text[i] === ']') return void i++;
			for (let index = 0; ; index++) {
				value([...path, String(index)]);
				space();
				if (text[i++] === ']') return;
			}
		}
		if (text[i] === '"') return void string();
		scalar.lastIndex = i;
		const token = scalar.exec(text)?.[0] ?? '';
		i += token.length;
		if (/^-?\d/.test(token)) found.set(JSON.stringify(path), token);
	};
	value([]);
	return found;
}

/** Reads a post as JSON, or as a form when its Content-Type says so; refuses anything else naming the body. */
export function readPost(rawBody: Buffer, contentType: string | undefined): Post {
	const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
	const type = contentType?.split(';')[0].trim().toLowerCase();
	if (type === FORM) return { body: formFields(text), numberText: () => undefined };
	if (text.trim() === '') throw new PostFieldError('body', 'The body is empty: post JSON, or a form (application/x-www-form-urlencoded)');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new PostFieldError(
			'body',
			`The body is not valid JSON (${(error as Error).message}); post JSON, or a form with Content-Type ${FORM}`,
		);
	}
	// Zapier's "Wrap Request In Array" posts the one object inside a list.
	const wrapped = Array.isArray(parsed) && parsed.length === 1 && isObject(parsed[0]);
	const body = wrapped ? (parsed as unknown[])[0] : parsed;
	if (!isObject(body)) throw new PostFieldError('body', 'The body must be a JSON object (or a list holding one object)');
	let numbers: Map<string, string> | undefined;
	return {
		body,
		numberText: (path) => {
			try {
				numbers ??= jsonNumberTexts(text);
			} catch {
				// Nesting deeper than the stack allows: no number in it can be read exactly.
				numbers = new Map();
			}
			return numbers.get(JSON.stringify(wrapped ? ['0', ...path] : path));
		},
	};
}

/** The keys a path names: `amount`, `data.object.amount`, `items[0].price`; a top-level key containing dots or brackets as is. */
function keysOf(body: Record<string, unknown>, path: string): string[] {
	if (Object.hasOwn(body, path)) return [path];
	return path
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
}

function valueAt(body: Record<string, unknown>, keys: readonly string[]): unknown {
	let current: unknown = body;
	for (const key of keys) {
		if ((!isObject(current) && !Array.isArray(current)) || !Object.hasOwn(current, key)) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** Turns a post into one canonical event, or throws PostFieldError naming the key that is wrong. */
export function eventFromPost(post: Post, settings: MappingSettings, now: Date = new Date()): PaymentEvent {
	const { paths } = settings;
	const fieldName = (field: MappedField) => paths[field] || field;
	const fail = (field: MappedField, problem: string): never => {
		throw new PostFieldError(fieldName(field), `${LABELS[field]} (${fieldName(field)}) ${problem}`);
	};

	/** The posted value as text: strings trimmed, JSON numbers exactly as written; undefined when absent or empty. */
	const read = (field: MappedField): { value: string; number: boolean } | undefined => {
		const path = paths[field];
		if (!path) return undefined;
		const keys = keysOf(post.body, path);
		const value = valueAt(post.body, keys);
		if (value === undefined || value === null) return undefined;
		if (typeof value === 'string') return value.trim() === '' ? undefined : { value: value.trim(), number: false };
		if (typeof value === 'number') {
			const written = post.numberText(keys);
			if (written === undefined) fail(field, `could not be read exactly (${value}); send it as a string`);
			return { value: written!, number: true };
		}
		if (typeof value === 'boolean') return fail(field, `is ${value}, not a text or a number`);
		return fail(field, `is ${Array.isArray(value) ? 'a list' : 'an object'}, not a value: point the path at a field inside it`);
	};
	const optional = (field: MappedField) => read(field)?.value;

	const eventId = read('eventId')?.value ?? fail('eventId', 'is missing: it identifies the payment, so that a repeated post runs nothing');

	const currencyCode = optional('currency') ?? settings.defaultCurrency?.trim();
	if (!currencyCode) return fail('currency', 'is missing, and the node has no Default Currency');
	let exponent: number;
	let currency: string;
	try {
		exponent = currencyExponent(currencyCode);
		currency = currencyCode.toUpperCase();
	} catch (error) {
		if (!(error instanceof UnknownCurrencyError)) throw error;
		return fail('currency', `${quote(currencyCode)} is not an ISO 4217 currency code such as USD, EUR or JPY`);
	}

	const statusText = optional('status');
	let status: PaymentStatus;
	if (statusText === undefined) {
		status = settings.defaultStatus ?? fail('status', 'is missing, and the node has no Default Status');
	} else {
		const word = statusWord(statusText);
		const user = settings.statusWords ?? {};
		const known = Object.hasOwn(user, word) ? user[word] : Object.hasOwn(DEFAULT_STATUS_WORDS, word) ? DEFAULT_STATUS_WORDS[word] : undefined;
		status = known ?? fail('status', `${quote(statusText)} is not a known status word: add it under Status Words in the node`);
	}

	const kindText = optional('kind');
	const kind = (kindText === undefined ? 'payment' : kindText.toLowerCase()) as EventKind;
	if (!EVENT_KINDS.includes(kind)) fail('kind', `${quote(kindText!)} is not one of ${EVENT_KINDS.join(', ')}`);

	const posted = read('amount') ?? fail('amount', 'is missing');
	let amount = readAmount(posted, settings.amountFormat, currency, exponent, (problem) => fail('amount', problem));
	if (amount.minor < 0) {
		// ERPs often post refunds as negative amounts; the event carries the magnitude.
		if (kind !== 'refund' && !REFUND_STATUSES.includes(status)) {
			fail('amount', `${quote(posted.value)} is negative; only a refund (kind refund, or status refunded) may be`);
		}
		amount = fromMinor(-amount.minor, currency);
	}

	let occurredAt = now.toISOString();
	const time = optional('occurredAt');
	if (time !== undefined) {
		try {
			occurredAt = isoTime(settings.source, time, fieldName('occurredAt'));
		} catch {
			occurredAt = '';
		}
		if (!/^\d{4}-/.test(occurredAt)) {
			fail('occurredAt', `${quote(time)} is not a time with a zone: send ISO 8601 such as 2024-05-01T10:00:00Z, or unix seconds`);
		}
	}

	try {
		return createPaymentEvent(
			{
				provider: settings.source,
				providerEventId: eventId,
				providerEventType: `${settings.source}.${kind}.${status}`,
				livemode: settings.livemode,
				kind,
				status,
				amount,
				occurredAt,
				customer: compact({
					id: optional('customerId'),
					name: optional('customerName'),
					email: optional('customerEmail'),
					phone: normalizePhone(optional('customerPhone')),
				}),
				invoice: compact({ number: optional('invoiceNumber'), url: optional('invoiceUrl') }),
				reference: optional('reference'),
				description: optional('description'),
				raw: settings.includeRaw ? post.body : undefined,
			},
			now,
		);
	} catch (error) {
		if (error instanceof InvalidPaymentEventError) throw new PostFieldError('body', error.message);
		throw error;
	}
}

/** The amount in the chosen format, exactly: decimal text is never turned into a float. */
function readAmount(
	posted: { value: string; number: boolean },
	format: AmountFormat,
	currency: string,
	exponent: number,
	fail: (problem: string) => never,
): Money {
	const { value } = posted;
	if (/e/i.test(value)) return fail(`${quote(value)} is in exponent notation; send a plain number such as 49.90`);
	if (format === 'minor') {
		if (!/^[+-]?\d+$/.test(value)) {
			return fail(`${quote(value)} is not a whole number of minor units (Amount Format is minor units: 4990 for 49.90 ${currency})`);
		}
		try {
			return fromMinor(value.replace(/^\+/, ''), currency);
		} catch (error) {
			if (error instanceof InvalidAmountError) return fail(`${quote(value)}: ${error.message}`);
			throw error;
		}
	}
	// A JSON number always has a decimal point, whatever the Amount Format says of text.
	const comma = format === 'decimalComma' && !posted.number;
	const pattern = comma ? /^[+-]?\d+(,\d+)?$/ : /^[+-]?\d+(\.\d+)?$/;
	if (!pattern.test(value)) {
		return fail(`${quote(value)} is not a plain decimal such as ${comma ? '49,90' : '49.90'} (no thousands separators or currency signs)`);
	}
	const decimal = comma ? value.replace(',', '.') : value;
	const fraction = decimal.split('.')[1] ?? '';
	if (fraction.replace(/0+$/, '').length > exponent) {
		return fail(`${quote(value)} has more decimals than ${currency} allows (${exponent})`);
	}
	try {
		return fromDecimal(decimal, currency);
	} catch (error) {
		if (error instanceof InvalidAmountError) return fail(`${quote(value)}: ${error.message}`);
		throw error;
	}
}
