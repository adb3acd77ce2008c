/**
 * Exact money handling. Amounts are never floats: parsing, rounding and arithmetic work on decimal
 * strings and BigInt, and a `Money` carries its amount as an integer count of minor units.
 */

export type RoundingMode = 'reject' | 'half-even' | 'half-up';

export interface Money {
	/** Amount in minor units at `exponent` (cents for USD at exponent 2); always a safe integer. */
	minor: number;
	/** The same amount as a decimal string with exactly `exponent` fraction digits: "12.34", "-5.00", "1000". */
	value: string;
	/** Upper-case ISO 4217 code. */
	currency: string;
	/** Number of fraction digits `minor` is counted in (the ISO exponent, or a provider's own). */
	exponent: number;
}

export class UnknownCurrencyError extends Error {
	override name = 'UnknownCurrencyError';
	readonly currency: string;

	constructor(currency: string) {
		super(`Unknown currency "${currency}": not an active ISO 4217 code`);
		this.currency = currency;
	}
}

export class InvalidAmountError extends Error {
	override name = 'InvalidAmountError';
	readonly input: unknown;

	constructor(input: unknown, message: string) {
		super(message);
		this.input = input;
	}
}

export class CurrencyMismatchError extends Error {
	override name = 'CurrencyMismatchError';

	constructor(
		readonly left: string,
		readonly right: string,
	) {
		super(`Currency mismatch: cannot combine ${left} with ${right}`);
	}
}

function frozenTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
	// A null prototype keeps lookups such as "constructor" or "toString" from finding Object's members.
	return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/**
 * ISO 4217 List One (active currency and fund codes) with their minor units, as maintained by the
 * SIX Group (https://www.six-group.com/en/products-services/financial-information/data-standards.html),
 * including amendments up to number 180 (2025-09-22; BGN moved to the historic list on 2026-01-01).
 * Cross-checked against openjdk/jdk test/jdk/java/util/Currency/ISO4217-list-one.txt (amendment 179,
 * 2025-05-02) and the amendment notices 174-180 (HRK, SLL, ZWL, CUC, ANG and BGN withdrawn; SLE, VED,
 * ZWG, XCG and XAD added).
 * Codes whose minor unit ISO gives as "N.A." (XAU, XAG, XPD, XPT, XBA-XBD, XDR, XSU, XUA, XTS, XXX) are
 * left out on purpose, so they are unknown currencies here.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = frozenTable({
	AED: 2, AFN: 2, ALL: 2, AMD: 2, AOA: 2, ARS: 2, AUD: 2, AWG: 2, AZN: 2,
	BAM: 2, BBD: 2, BDT: 2, BHD: 3, BIF: 0, BMD: 2, BND: 2, BOB: 2, BOV: 2, BRL: 2, BSD: 2, BTN: 2, BWP: 2, BYN: 2, BZD: 2,
	CAD: 2, CDF: 2, CHE: 2, CHF: 2, CHW: 2, CLF: 4, CLP: 0, CNY: 2, COP: 2, COU: 2, CRC: 2, CUP: 2, CVE: 2, CZK: 2,
	DJF: 0, DKK: 2, DOP: 2, DZD: 2,
	EGP: 2, ERN: 2, ETB: 2, EUR: 2,
	FJD: 2, FKP: 2,
	GBP: 2, GEL: 2, GHS: 2, GIP: 2, GMD: 2, GNF: 0, GTQ: 2, GYD: 2,
	HKD: 2, HNL: 2, HTG: 2, HUF: 2,
	IDR: 2, ILS: 2, INR: 2, IQD: 3, IRR: 2, ISK: 0,
	JMD: 2, JOD: 3, JPY: 0,
	KES: 2, KGS: 2, KHR: 2, KMF: 0, KPW: 2, KRW: 0, KWD: 3, KYD: 2, KZT: 2,
	LAK: 2, LBP: 2, LKR: 2, LRD: 2, LSL: 2, LYD: 3,
	MAD: 2, MDL: 2, MGA: 2, MKD: 2, MMK: 2, MNT: 2, MOP: 2, MRU: 2, MUR: 2, MVR: 2, MWK: 2, MXN: 2, MXV: 2, MYR: 2, MZN: 2,
	NAD: 2, NGN: 2, NIO: 2, NOK: 2, NPR: 2, NZD: 2,
	OMR: 3,
	PAB: 2, PEN: 2, PGK: 2, PHP: 2, PKR: 2, PLN: 2, PYG: 0,
	QAR: 2,
	RON: 2, RSD: 2, RUB: 2, RWF: 0,
	SAR: 2, SBD: 2, SCR: 2, SDG: 2, SEK: 2, SGD: 2, SHP: 2, SLE: 2, SOS: 2, SRD: 2, SSP: 2, STN: 2, SVC: 2, SYP: 2, SZL: 2,
	THB: 2, TJS: 2, TMT: 2, TND: 3, TOP: 2, TRY: 2, TTD: 2, TWD: 2, TZS: 2,
	UAH: 2, UGX: 0, USD: 2, USN: 2, UYI: 0, UYU: 2, UYW: 4, UZS: 2,
	VED: 2, VES: 2, VND: 0, VUV: 0,
	WST: 2,
	XAD: 2, XAF: 0, XCD: 2, XCG: 2, XOF: 0, XPF: 0,
	YER: 2,
	ZAR: 2, ZMW: 2, ZWG: 2,
});

/**
 * Where a provider's API counts minor units differently from ISO 4217, keyed by lower-case provider
 * id. Providers not listed here (square, quickbooks, xero, ...) use the ISO exponent.
 */
export const PROVIDER_EXPONENT_OVERRIDES: Readonly<Record<string, Readonly<Record<string, number>>>> = frozenTable({
	// https://developer.paypal.com/reference/currency-codes/ : HUF, JPY and TWD "do not support decimals" (JPY is 0 in ISO too).
	paypal: frozenTable({ HUF: 0, TWD: 0 }),
	// https://docs.stripe.com/currencies : MGA is in the zero-decimal list; the "special cases" say ISK and UGX
	// must still be sent with two decimals (5 ISK -> 500). HUF and TWD are zero-decimal only for payouts,
	// charges use two decimals as ISO does, so they are not overridden.
	stripe: frozenTable({ MGA: 0, ISK: 2, UGX: 2 }),
	// https://docs.adyen.com/development-resources/currency-codes : rows marked "differs from standard"
	// (also odoo/odoo addons/payment_adyen/const.py CURRENCY_DECIMALS).
	adyen: frozenTable({ CLP: 2, CVE: 0, IDR: 0, ISK: 2 }),
	// https://www.checkout.com/docs/resources/calculating-the-amount : CLP is sent with two decimals (x100).
	checkoutcom: frozenTable({ CLP: 2 }),
});

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_EXPONENT = 18;
const ROUNDING_MODES: ReadonlyArray<RoundingMode> = ['reject', 'half-even', 'half-up'];

function describe(input: unknown): string {
	if (typeof input === 'string') return JSON.stringify(input);
	if (typeof input === 'bigint') return `${input}n`;
	return String(input);
}

function normalizeCurrency(currency: string): string {
	const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
	if (!/^[A-Z]{3}$/.test(code) || !Object.hasOwn(CURRENCY_EXPONENTS, code)) {
		throw new UnknownCurrencyError(typeof currency === 'string' ? currency.trim() : String(currency));
	}
	return code;
}

function assertExponent(exponent: number): void {
	if (!Number.isInteger(exponent) || exponent < 0 || exponent > MAX_EXPONENT) {
		throw new RangeError(`Invalid exponent ${String(exponent)}: must be an integer from 0 to ${MAX_EXPONENT}`);
	}
}

function assertRounding(mode: RoundingMode): void {
	if (!ROUNDING_MODES.includes(mode)) {
		throw new RangeError(`Invalid rounding mode ${describe(mode)}: use one of ${ROUNDING_MODES.join(', ')}`);
	}
}

function pow10(exponent: number): bigint {
	return 10n ** BigInt(exponent);
}

/** Divides exactly or by `mode`; undefined when the division is inexact and mode is 'reject'. */
function divideRounded(n: bigint, divisor: bigint, mode: RoundingMode): bigint | undefined {
	const quotient = n / divisor;
	const remainder = n % divisor;
	if (remainder === 0n) return quotient;
	if (mode === 'reject') return undefined;
	const twice = (remainder < 0n ? -remainder : remainder) * 2n;
	const awayFromZero = twice > divisor || (twice === divisor && (mode === 'half-up' || quotient % 2n !== 0n));
	return awayFromZero ? quotient + (n < 0n ? -1n : 1n) : quotient;
}

/** `what` names the amount in the error raised when it does not fit a safe integer. */
function makeMoney(minor: bigint, currency: string, exponent: number, input: unknown, what: string): Money {
	if (minor > MAX_SAFE || minor < -MAX_SAFE) {
		throw new InvalidAmountError(
			input,
			`${what} is too large: ${minor} minor units of ${currency} exceeds Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER})`,
		);
	}
	return { minor: Number(minor), value: toDecimalString(minor, exponent), currency, exponent };
}

function moneyMinor(money: Money): bigint {
	if (!Number.isSafeInteger(money?.minor)) {
		throw new InvalidAmountError(money, `Invalid Money: minor ${describe(money?.minor)} is not a safe integer`);
	}
	assertExponent(money.exponent);
	return BigInt(money.minor);
}

/** The number of fraction digits of `currency` (ISO 4217), or of `provider`'s API where it differs. */
export function currencyExponent(currency: string, provider?: string): number {
	const code = normalizeCurrency(currency);
	if (typeof provider === 'string') {
		const id = provider.trim().toLowerCase();
		const overrides = Object.hasOwn(PROVIDER_EXPONENT_OVERRIDES, id) ? PROVIDER_EXPONENT_OVERRIDES[id] : undefined;
		if (overrides && Object.hasOwn(overrides, code)) return overrides[code];
	}
	return CURRENCY_EXPONENTS[code];
}

/** Formats an integer count of minor units: (1234, 2) -> "12.34", (-5, 2) -> "-0.05", (1000, 0) -> "1000". */
export function toDecimalString(minor: number | bigint, exponent: number): string {
	assertExponent(exponent);
	if (typeof minor !== 'bigint' && !Number.isSafeInteger(minor)) {
		throw new InvalidAmountError(minor, `Invalid minor amount ${describe(minor)}: must be a safe integer or a bigint`);
	}
	// A safe integer prints exactly without going through BigInt (this runs for every amount of every event).
	const negative = minor < 0;
	const sign = negative ? '-' : '';
	const digits = typeof minor === 'number' ? String(Math.abs(minor)) : (negative ? -minor : minor).toString();
	if (exponent === 0) return sign + digits;
	const padded = digits.padStart(exponent + 1, '0');
	return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * Money from an integer count of minor units as a provider sends it (Stripe `amount: 1999`).
 * With `provider`, `minor` is read at that provider's exponent; `rescale` converts it to ISO.
 */
export function fromMinor(minor: number | bigint | string, currency: string, provider?: string): Money {
	const code = normalizeCurrency(currency);
	const exponent = currencyExponent(code, provider);
	let big: bigint;
	if (typeof minor === 'bigint') {
		big = minor;
	} else if (typeof minor === 'number' && Number.isSafeInteger(minor)) {
		big = BigInt(minor);
	} else if (typeof minor === 'string' && /^-?\d+$/.test(minor.trim())) {
		big = BigInt(minor.trim());
	} else {
		throw new InvalidAmountError(
			minor,
			`Invalid minor amount ${describe(minor)} for ${code}: expected an integer count of minor units ` +
				'(a safe integer, a bigint, or a string of digits with an optional leading "-")',
		);
	}
	return makeMoney(big, code, exponent, minor, `Minor amount ${describe(minor)}`);
}

/** "1.5e-7" -> "0.00000015"; "1e+21" -> "1000000000000000000000" (String(number) uses e-notation at the extremes). */
function expandExponent(text: string): string {
	const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (!match) return text;
	const [, sign, int, frac = '', exp] = match;
	const digits = int + frac;
	const point = int.length + Number(exp);
	if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
	if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
	return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Money from a decimal amount: "12.34", "-0.50", "+3", or a JSON number such as 12.34. A number is
 * read through its shortest round-trip decimal string, never multiplied, so 4.35 is exactly 435 cents.
 * Thousands separators and exponent notation in strings are rejected. More fraction digits than the
 * currency has are rejected unless they are zeros or `options.rounding` says how to round
 * ('half-up' rounds ties away from zero, 'half-even' to the even neighbour).
 */
export function fromDecimal(
	value: string | number,
	currency: string,
	provider?: string,
	options: { rounding?: RoundingMode } = {},
): Money {
	const code = normalizeCurrency(currency);
	const exponent = currencyExponent(code, provider);
	const rounding = options.rounding ?? 'reject';
	assertRounding(rounding);

	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) {
			throw new InvalidAmountError(value, `Invalid amount ${describe(value)} for ${code}: must be a finite number`);
		}
		text = expandExponent(String(value));
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		throw new InvalidAmountError(
			value,
			`Invalid amount ${describe(value)} for ${code}: expected a decimal string such as "12.34" or a finite number`,
		);
	}

	const match = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) {
		throw new InvalidAmountError(
			value,
			`Invalid amount ${describe(value)} for ${code}: expected a plain decimal such as "12.34" ` +
				'(optional sign, digits, optional "." and fraction; no thousands separators or exponents)',
		);
	}
	const [, sign, int, frac = ''] = match;
	const scaled = BigInt(int + frac) * (sign === '-' ? -1n : 1n);

	let minor: bigint | undefined;
	if (frac.length <= exponent) {
		minor = scaled * pow10(exponent - frac.length);
	} else {
		minor = divideRounded(scaled, pow10(frac.length - exponent), rounding);
		if (minor === undefined) {
			throw new InvalidAmountError(
				value,
				`Invalid amount ${describe(value)} for ${code}: it has ${frac.length} fraction digits but ${code} ` +
					`allows ${exponent}; pass a rounding mode to round it`,
			);
		}
	}
	return makeMoney(minor, code, exponent, value, `Amount ${describe(value)}`);
}

/**
 * The same amount counted at another exponent, e.g. PayPal's HUF (exponent 0) to ISO (exponent 2).
 * Increasing the exponent is exact; decreasing it rejects a non-zero remainder unless a rounding mode is given.
 */
export function rescale(money: Money, exponent: number, rounding: RoundingMode = 'reject'): Money {
	const minor = moneyMinor(money);
	assertExponent(exponent);
	assertRounding(rounding);
	if (exponent === money.exponent) return { ...money };
	let scaled: bigint | undefined;
	if (exponent >= money.exponent) {
		scaled = minor * pow10(exponent - money.exponent);
	} else {
		scaled = divideRounded(minor, pow10(money.exponent - exponent), rounding);
		if (scaled === undefined) {
			throw new InvalidAmountError(
				money,
				`Cannot express ${money.value} ${money.currency} with ${exponent} fraction digits without rounding; ` +
					'pass a rounding mode to round it',
			);
		}
	}
	return makeMoney(scaled, money.currency, exponent, money, `${money.value} ${money.currency} at exponent ${exponent}`);
}

/** The integer `provider`'s API expects for this amount, e.g. Stripe MGA 1000 -> 1000, Stripe ISK 5 -> 500. */
export function toProviderMinor(money: Money, provider: string, rounding: RoundingMode = 'reject'): number {
	return rescale(money, currencyExponent(money.currency, provider), rounding).minor;
}

/** Both amounts at the larger of their exponents; they must be in the same currency. */
function aligned(a: Money, b: Money): [bigint, bigint, number] {
	if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
	const exponent = Math.max(a.exponent, b.exponent);
	return [BigInt(rescale(a, exponent).minor), BigInt(rescale(b, exponent).minor), exponent];
}

export function addMoney(a: Money, b: Money): Money {
	const [x, y, exponent] = aligned(a, b);
	return makeMoney(x + y, a.currency, exponent, [a, b], `The sum of ${a.value} and ${b.value} ${a.currency}`);
}

/** a - b, e.g. an invoice's amount due: total - amountPaid. */
export function subtractMoney(a: Money, b: Money): Money {
	const [x, y, exponent] = aligned(a, b);
	return makeMoney(x - y, a.currency, exponent, [a, b], `${a.value} minus ${b.value} ${a.currency}`);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
	const [x, y] = aligned(a, b);
	return x < y ? -1 : x > y ? 1 : 0;
}
