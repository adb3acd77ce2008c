import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

import { currencyExponent, fromDecimal, fromMinor, rescale, type Money } from '../core/money';

/** A delivery or event that does not have what its provider documents; names the provider and the field. */
export class ProviderPayloadError extends Error {
	override name = 'ProviderPayloadError';

	constructor(
		readonly provider: string,
		readonly field: string,
		problem: string,
		options?: { cause?: unknown },
	) {
		super(`${provider}: ${field}: ${problem}`, options);
	}
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`data.object.amount`), or undefined when any step is missing. */
export function at(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.')) {
		if (!isObject(current) && !Array.isArray(current)) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** A non-empty string (numbers and bigints as their digits), else undefined. */
export function text(value: unknown): string | undefined {
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

export function requireText(provider: string, value: unknown, field: string): string {
	const result = text(value);
	if (result === undefined) throw new ProviderPayloadError(provider, field, 'is missing');
	return result;
}

function toIsoMoney(provider: string, field: string, read: () => Money): Money {
	let money: Money;
	try {
		money = read();
		money = rescale(money, currencyExponent(money.currency));
	} catch (error) {
		const problem = error instanceof Error ? error.message : String(error);
		throw new ProviderPayloadError(provider, field, problem, { cause: error });
	}
	// Events carry magnitudes; the event kind and status say which way the money moved.
	return money.minor < 0 ? fromMinor(-money.minor, money.currency) : money;
}

/**
 * An amount the provider sends in minor units (Stripe `amount: 2000`), read at the provider's own
 * exponent for the currency and returned in ISO 4217 minor units.
 */
export function moneyFromMinor(provider: string, minor: unknown, currency: unknown, field: string): Money {
	const code = requireText(provider, currency, `${field} currency`);
	if (minor === undefined || minor === null || minor === '') throw new ProviderPayloadError(provider, field, 'is missing');
	return toIsoMoney(provider, field, () => fromMinor(minor as number | string | bigint, code, provider));
}

/** An amount the provider sends as a decimal string or JSON number (PayPal `"10.00"`, QuickBooks `10.5`). */
export function moneyFromDecimal(provider: string, value: unknown, currency: unknown, field: string): Money {
	const code = requireText(provider, currency, `${field} currency`);
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw new ProviderPayloadError(provider, field, value === undefined || value === null ? 'is missing' : 'is not a number');
	}
	return toIsoMoney(provider, field, () => fromDecimal(value, code, provider));
}

/** Unix seconds (number or digits) or an ISO 8601 string with a zone, as ISO 8601 UTC. */
export function isoTime(provider: string, value: unknown, field: string): string {
	let time = NaN;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
		time = Number(value) * 1000;
	} else if (typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
		time = Date.parse(value.trim());
	}
	if (Number.isNaN(time)) {
		throw new ProviderPayloadError(provider, field, `${JSON.stringify(value)} is not a time with a zone`);
	}
	return new Date(time).toISOString();
}

/** E.164 ("+14155552671") where the number parses, with `country` for national numbers; else as given. */
export function normalizePhone(phone: unknown, country?: string): string | undefined {
	const raw = text(phone);
	if (raw === undefined) return undefined;
	// Without a country only international numbers can parse; the parser would throw and catch inside.
	if (!country && !raw.startsWith('+')) return raw;
	const parsed = parsePhoneNumberFromString(raw, (country?.toUpperCase() as CountryCode | undefined) ?? undefined);
	return parsed?.isPossible() ? parsed.number : raw;
}

/**
 * An API base URL: the credential's Base URL override when set (a proxy, or a local stand-in in tests),
 * else the host of its environment (the first one listed when it names none).
 */
export function apiBaseUrl(credentials: Readonly<Record<string, unknown>>, hosts: Readonly<Record<string, string>>): string {
	const override = text(credentials.baseUrl);
	if (override) return override.replace(/\/+$/, '');
	const host = hosts[text(credentials.environment) ?? ''] ?? Object.values(hosts)[0];
	return host.replace(/\{(\w+)\}/g, (_placeholder, field: string) => encodeURIComponent(text(credentials[field]) ?? ''));
}

/** Drops undefined members, and returns undefined for an object left empty. */
export function compact<T extends object>(value: T): T | undefined {
	const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
	return Object.keys(kept).length ? kept : undefined;
}

export function header(input: { headers: Readonly<Record<string, string | undefined>> }, name: string): string | undefined {
	return input.headers[name.toLowerCase()];
}
