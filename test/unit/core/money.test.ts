import { readFileSync } from 'fs';
import { join } from 'path';

import {
	addMoney,
	compareMoney,
	CURRENCY_EXPONENTS,
	CurrencyMismatchError,
	currencyExponent,
	fromDecimal,
	fromMinor,
	InvalidAmountError,
	type Money,
	PROVIDER_EXPONENT_OVERRIDES,
	rescale,
	type RoundingMode,
	subtractMoney,
	toDecimalString,
	toProviderMinor,
	UnknownCurrencyError,
} from '../../../nodes/core/money';

const MAX = Number.MAX_SAFE_INTEGER;

/** Runs `fn` and returns what it threw, failing the test when it throws nothing. */
function thrown(fn: () => unknown): Error {
	try {
		fn();
	} catch (error) {
		if (error instanceof Error) return error;
		throw new Error(`threw a non-Error: ${String(error)}`);
	}
	throw new Error('expected the call to throw, but it returned');
}

const money = (minor: number, currency: string, exponent: number, value: string): Money => ({
	minor,
	value,
	currency,
	exponent,
});

describe('CURRENCY_EXPONENTS', () => {
	const codes = Object.keys(CURRENCY_EXPONENTS);
	const withExponent = (exponent: number) => codes.filter((code) => CURRENCY_EXPONENTS[code] === exponent).sort();

	it('has every key as three upper-case letters and every exponent 0, 2, 3 or 4', () => {
		expect(codes.filter((code) => !/^[A-Z]{3}$/.test(code))).toEqual([]);
		expect(Object.values(CURRENCY_EXPONENTS).filter((e) => ![0, 2, 3, 4].includes(e))).toEqual([]);
	});

	it('has no duplicate code in its source (a duplicate object key would silently win)', () => {
		const source = readFileSync(join(__dirname, '../../../nodes/core/money.ts'), 'utf8');
		const start = source.indexOf('export const CURRENCY_EXPONENTS');
		const block = source.slice(start, source.indexOf('});', start));
		const keys = [...block.matchAll(/\b([A-Z]{3}): \d\b/g)].map((match) => match[1]);
		expect(keys).toHaveLength(codes.length);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('lists the 165 active ISO 4217 codes that have minor units', () => {
		expect(codes).toHaveLength(165);
	});

	it('has exactly the ISO zero-decimal currencies at exponent 0', () => {
		expect(withExponent(0)).toEqual(
			['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'],
		);
	});

	it('has exactly the three-decimal and four-decimal currencies at exponents 3 and 4', () => {
		expect(withExponent(3)).toEqual(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
		expect(withExponent(4)).toEqual(['CLF', 'UYW']);
	});

	it.each(['SLE', 'VES', 'VED', 'ZWG', 'XCG', 'XAD', 'MRU', 'STN', 'BOV', 'CHE', 'CHW', 'COU', 'MXV', 'USN', 'XCD', 'EUR'])(
		'includes current code %s with 2 decimals',
		(code) => {
			expect(CURRENCY_EXPONENTS[code]).toBe(2);
		},
	);

	it.each(['HRK', 'SLL', 'MRO', 'STD', 'VEF', 'CUC', 'ANG', 'ZWL', 'BGN', 'BYR', 'LTL'])(
		'leaves out withdrawn code %s',
		(code) => {
			expect(Object.hasOwn(CURRENCY_EXPONENTS, code)).toBe(false);
		},
	);

	it.each(['XAU', 'XAG', 'XPT', 'XPD', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XSU', 'XUA', 'XTS', 'XXX'])(
		'leaves out %s, whose ISO minor unit is "N.A."',
		(code) => {
			expect(Object.hasOwn(CURRENCY_EXPONENTS, code)).toBe(false);
		},
	);

	it('is frozen and has no inherited keys', () => {
		expect(Object.isFrozen(CURRENCY_EXPONENTS)).toBe(true);
		expect(() => {
			(CURRENCY_EXPONENTS as Record<string, number>).USD = 3;
		}).toThrow(TypeError);
		expect(CURRENCY_EXPONENTS.USD).toBe(2);
		expect(CURRENCY_EXPONENTS['constructor']).toBeUndefined();
		expect(CURRENCY_EXPONENTS['toString']).toBeUndefined();
	});
});

describe('PROVIDER_EXPONENT_OVERRIDES', () => {
	it('has exactly the documented overrides', () => {
		expect(JSON.parse(JSON.stringify(PROVIDER_EXPONENT_OVERRIDES))).toEqual({
			paypal: { HUF: 0, TWD: 0 },
			stripe: { MGA: 0, ISK: 2, UGX: 2 },
			adyen: { CLP: 2, CVE: 0, IDR: 0, ISK: 2 },
			checkoutcom: { CLP: 2 },
		});
	});

	it('only overrides known currencies, and only where the provider really differs from ISO', () => {
		for (const [provider, overrides] of Object.entries(PROVIDER_EXPONENT_OVERRIDES)) {
			expect(provider).toMatch(/^[a-z0-9]+$/);
			for (const [code, exponent] of Object.entries(overrides)) {
				expect(Object.hasOwn(CURRENCY_EXPONENTS, code)).toBe(true);
				expect(`${provider} ${code} ${exponent}`).not.toBe(`${provider} ${code} ${CURRENCY_EXPONENTS[code]}`);
			}
		}
	});

	it('is frozen all the way down', () => {
		expect(Object.isFrozen(PROVIDER_EXPONENT_OVERRIDES)).toBe(true);
		expect(Object.isFrozen(PROVIDER_EXPONENT_OVERRIDES.paypal)).toBe(true);
	});
});

describe('currencyExponent', () => {
	it.each([
		['JPY', 0],
		['KRW', 0],
		['VND', 0],
		['ISK', 0],
		['UYI', 0],
		['USD', 2],
		['EUR', 2],
		['GBP', 2],
		['BHD', 3],
		['IQD', 3],
		['JOD', 3],
		['KWD', 3],
		['LYD', 3],
		['OMR', 3],
		['TND', 3],
		['CLF', 4],
		['UYW', 4],
	])('%s has exponent %i', (code, exponent) => {
		expect(currencyExponent(code)).toBe(exponent);
	});

	it.each(['usd', 'Usd', ' USD ', '\tusd\n'])('accepts %j case-insensitively and trimmed', (code) => {
		expect(currencyExponent(code)).toBe(2);
	});

	it.each(['ABC', 'HRK', '', '   ', 'XAU', 'US', 'USDD', 'US D', 'constructor', 'toString', '123'])(
		'rejects %j as an unknown currency',
		(code) => {
			const error = thrown(() => currencyExponent(code));
			expect(error).toBeInstanceOf(UnknownCurrencyError);
			expect(error.name).toBe('UnknownCurrencyError');
			expect((error as UnknownCurrencyError).currency).toBe(code.trim());
			expect(error.message).toBe(`Unknown currency "${code.trim()}": not an active ISO 4217 code`);
		},
	);

	it('says exactly what was wrong', () => {
		expect(() => currencyExponent('ABC')).toThrow('Unknown currency "ABC": not an active ISO 4217 code');
	});

	it('rejects a missing currency passed through a cast', () => {
		const error = thrown(() => currencyExponent(null as unknown as string));
		expect(error).toBeInstanceOf(UnknownCurrencyError);
		expect((error as UnknownCurrencyError).currency).toBe('null');
		expect(thrown(() => currencyExponent(undefined as unknown as string))).toBeInstanceOf(UnknownCurrencyError);
	});

	it.each([
		['paypal', 'HUF', 0],
		['paypal', 'TWD', 0],
		['paypal', 'JPY', 0],
		['paypal', 'USD', 2],
		['PayPal', 'huf', 0],
		[' PAYPAL ', 'twd', 0],
		['stripe', 'MGA', 0],
		['stripe', 'ISK', 2],
		['stripe', 'UGX', 2],
		['stripe', 'HUF', 2],
		['stripe', 'TWD', 2],
		['stripe', 'JPY', 0],
		['stripe', 'BHD', 3],
		['adyen', 'CLP', 2],
		['checkoutcom', 'CLP', 2],
		['checkoutcom', 'JPY', 0],
		['adyen', 'CVE', 0],
		['adyen', 'IDR', 0],
		['adyen', 'ISK', 2],
		['adyen', 'HUF', 2],
		['square', 'HUF', 2],
		['square', 'MGA', 2],
		['quickbooks', 'ISK', 0],
		['', 'MGA', 2],
		['constructor', 'USD', 2],
		['__proto__', 'USD', 2],
	])('provider %j: %s has exponent %i', (provider, code, exponent) => {
		expect(currencyExponent(code, provider)).toBe(exponent);
	});

	it('uses ISO when no provider is given', () => {
		expect(currencyExponent('HUF')).toBe(2);
		expect(currencyExponent('MGA')).toBe(2);
		expect(currencyExponent('ISK', undefined)).toBe(0);
	});

	it('still rejects unknown currencies when a provider is given', () => {
		expect(() => currencyExponent('HRK', 'paypal')).toThrow(UnknownCurrencyError);
	});
});

describe('toDecimalString', () => {
	it.each<[number | bigint, number, string]>([
		[1234, 2, '12.34'],
		[5, 2, '0.05'],
		[-5, 2, '-0.05'],
		[-500, 2, '-5.00'],
		[0, 2, '0.00'],
		[-0, 2, '0.00'],
		[1000, 0, '1000'],
		[-1500, 0, '-1500'],
		[0, 0, '0'],
		[1, 3, '0.001'],
		[1234, 3, '1.234'],
		[12345, 4, '1.2345'],
		[MAX, 2, '90071992547409.91'],
		[-MAX, 0, '-9007199254740991'],
		[1234n, 2, '12.34'],
		[12345678901234567890n, 2, '123456789012345678.90'],
		[-7n, 4, '-0.0007'],
	])('(%p, %i) -> %j', (minor, exponent, expected) => {
		expect(toDecimalString(minor, exponent)).toBe(expected);
	});

	it.each([1.5, NaN, Infinity, MAX + 1])('rejects minor %p', (minor) => {
		const error = thrown(() => toDecimalString(minor, 2));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(`Invalid minor amount ${String(minor)}: must be a safe integer or a bigint`);
	});

	it('rejects a string passed through a cast', () => {
		expect(() => toDecimalString('12' as unknown as number, 2)).toThrow(InvalidAmountError);
	});

	it.each([-1, 1.5, NaN, 19])('rejects exponent %p', (exponent) => {
		expect(() => toDecimalString(1, exponent)).toThrow(RangeError);
	});
});

describe('fromMinor', () => {
	it('builds Money from a number, a string of digits and a bigint', () => {
		const expected = { minor: 1999, value: '19.99', currency: 'USD', exponent: 2 };
		expect(fromMinor(1999, 'USD')).toEqual(expected);
		expect(fromMinor('1999', 'usd')).toEqual(expected);
		expect(fromMinor(1999n, ' Usd ')).toEqual(expected);
		expect(fromMinor('  1999 ', 'USD')).toEqual(expected);
	});

	it.each<[number | string, string, number, string]>([
		[-500, 'USD', -500, '-5.00'],
		['-500', 'EUR', -500, '-5.00'],
		[500, 'JPY', 500, '500'],
		[500, 'KRW', 500, '500'],
		[1234, 'BHD', 1234, '1.234'],
		[-5, 'KWD', -5, '-0.005'],
		[12345, 'CLF', 12345, '1.2345'],
		[1, 'UYW', 1, '0.0001'],
		[0, 'USD', 0, '0.00'],
		['0', 'VND', 0, '0'],
		['-0', 'USD', 0, '0.00'],
		['007', 'USD', 7, '0.07'],
	])('(%p, %s) -> minor %p, value %j', (input, currency, minor, value) => {
		const result = fromMinor(input, currency);
		expect(result.minor).toBe(minor);
		expect(Object.is(result.minor, -0)).toBe(false);
		expect(result.value).toBe(value);
	});

	it('reads the amount at the provider exponent when a provider is given', () => {
		expect(fromMinor(1500, 'HUF', 'paypal')).toEqual({ minor: 1500, value: '1500', currency: 'HUF', exponent: 0 });
		expect(fromMinor(1000, 'MGA', 'stripe')).toEqual({ minor: 1000, value: '1000', currency: 'MGA', exponent: 0 });
		expect(fromMinor(500, 'ISK', 'stripe')).toEqual({ minor: 500, value: '5.00', currency: 'ISK', exponent: 2 });
		expect(fromMinor(1999, 'USD', 'stripe')).toEqual({ minor: 1999, value: '19.99', currency: 'USD', exponent: 2 });
	});

	it('accepts the limits of the safe integer range', () => {
		expect(fromMinor(MAX, 'USD').value).toBe('90071992547409.91');
		expect(fromMinor(-MAX, 'USD').minor).toBe(-MAX);
		expect(fromMinor(String(MAX), 'JPY').minor).toBe(MAX);
		expect(fromMinor(BigInt(MAX), 'JPY').minor).toBe(MAX);
	});

	it.each<[number | bigint | string]>([['9007199254740992'], ['-9007199254740992'], [2n ** 53n], [-(2n ** 63n)], ['1' + '0'.repeat(40)]])(
		'rejects %p as beyond Number.MAX_SAFE_INTEGER',
		(input) => {
			const error = thrown(() => fromMinor(input, 'USD'));
			expect(error).toBeInstanceOf(InvalidAmountError);
			expect(error.message).toContain('is too large');
			expect(error.message).toContain('exceeds Number.MAX_SAFE_INTEGER (9007199254740991)');
			expect((error as InvalidAmountError).input).toBe(input);
		},
	);

	it.each<[unknown]>([
		[12.5],
		[NaN],
		[Infinity],
		[-Infinity],
		[MAX + 1],
		['12.5'],
		['1e3'],
		['12,34'],
		['+5'],
		[''],
		['  '],
		['abc'],
		['0x10'],
		['--5'],
		[null],
		[undefined],
		[{}],
		[true],
	])('rejects %p with a helpful message', (input) => {
		const error = thrown(() => fromMinor(input as number, 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.name).toBe('InvalidAmountError');
		expect((error as InvalidAmountError).input).toBe(input);
		expect(error.message).toContain('Invalid minor amount');
		expect(error.message).toContain('for USD: expected an integer count of minor units');
	});

	it('checks the currency first', () => {
		expect(() => fromMinor(100, 'ABC')).toThrow(UnknownCurrencyError);
		expect(() => fromMinor('garbage', 'XAU')).toThrow(UnknownCurrencyError);
	});
});

describe('fromDecimal with strings', () => {
	it.each<[string, string, number, string]>([
		['12.34', 'USD', 1234, '12.34'],
		['12.3', 'USD', 1230, '12.30'],
		['12', 'USD', 1200, '12.00'],
		['-0.50', 'USD', -50, '-0.50'],
		['+3', 'USD', 300, '3.00'],
		['+3.5', 'EUR', 350, '3.50'],
		['12.3400', 'USD', 1234, '12.34'],
		['0012.50', 'USD', 1250, '12.50'],
		[' 7.5 ', 'USD', 750, '7.50'],
		['0', 'USD', 0, '0.00'],
		['500', 'JPY', 500, '500'],
		['500.00', 'JPY', 500, '500'],
		['1000', 'KRW', 1000, '1000'],
		['25000', 'VND', 25000, '25000'],
		['1500', 'ISK', 1500, '1500'],
		['1.234', 'BHD', 1234, '1.234'],
		['1.5', 'IQD', 1500, '1.500'],
		['0.5', 'KWD', 500, '0.500'],
		['-2.001', 'JOD', -2001, '-2.001'],
		['3', 'LYD', 3000, '3.000'],
		['0.010', 'OMR', 10, '0.010'],
		['9.999', 'TND', 9999, '9.999'],
		['1.2345', 'CLF', 12345, '1.2345'],
		['0.0001', 'UYW', 1, '0.0001'],
		['12.34', 'usd', 1234, '12.34'],
	])('(%j, %s) -> minor %p, value %j', (input, currency, minor, value) => {
		expect(fromDecimal(input, currency)).toEqual({
			minor,
			value,
			currency: currency.toUpperCase(),
			exponent: currencyExponent(currency),
		});
	});

	it('never produces a negative zero', () => {
		for (const input of ['-0', '-0.00', '-0.000']) {
			const result = fromDecimal(input, 'USD');
			expect(Object.is(result.minor, 0)).toBe(true);
			expect(result.value).toBe('0.00');
		}
	});

	it.each([
		['12.345', 'USD', 3, 2],
		['12.001', 'USD', 3, 2],
		['500.5', 'JPY', 1, 0],
		['1.2345', 'BHD', 4, 3],
		['1.23456', 'CLF', 5, 4],
	])('rejects %j in %s: %i fraction digits where %i are allowed', (input, currency, digits, allowed) => {
		const error = thrown(() => fromDecimal(input, currency));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			`Invalid amount "${input}" for ${currency}: it has ${digits} fraction digits but ${currency} allows ${allowed}; ` +
				'pass a rounding mode to round it',
		);
		expect((error as InvalidAmountError).input).toBe(input);
	});

	it.each([
		'12,34',
		'1,234.56',
		'1.234,56',
		'abc',
		'',
		'   ',
		'1e3',
		'1E3',
		'1e-2',
		'12.',
		'.5',
		'--1',
		'+-1',
		'1 000',
		'$12',
		'12 USD',
		'12.34.56',
		'NaN',
		'Infinity',
		'0x10',
		'١٢',
	])('rejects %j as not a plain decimal', (input) => {
		const error = thrown(() => fromDecimal(input, 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			`Invalid amount ${JSON.stringify(input)} for USD: expected a plain decimal such as "12.34" ` +
				'(optional sign, digits, optional "." and fraction; no thousands separators or exponents)',
		);
		expect((error as InvalidAmountError).input).toBe(input);
	});

	it.each<[unknown, string]>([
		[null, 'null'],
		[undefined, 'undefined'],
		[{}, '[object Object]'],
		[true, 'true'],
		[12n, '12n'],
	])('rejects %p passed through a cast', (input, shown) => {
		const error = thrown(() => fromDecimal(input as string, 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(`Invalid amount ${shown} for USD: expected a decimal string such as "12.34" or a finite number`);
	});

	it('accepts the largest amount that fits a safe integer and rejects the next one', () => {
		expect(fromDecimal('90071992547409.91', 'USD').minor).toBe(MAX);
		expect(fromDecimal('-90071992547409.91', 'USD').minor).toBe(-MAX);
		expect(fromDecimal('9007199254740991', 'JPY').minor).toBe(MAX);
		expect(fromDecimal('900719925474.0991', 'CLF').minor).toBe(MAX);

		const error = thrown(() => fromDecimal('90071992547409.92', 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			'Amount "90071992547409.92" is too large: 9007199254740992 minor units of USD exceeds Number.MAX_SAFE_INTEGER (9007199254740991)',
		);
		expect(() => fromDecimal('9007199254740992', 'JPY')).toThrow(InvalidAmountError);
		expect(() => fromDecimal('1' + '0'.repeat(400), 'USD')).toThrow('is too large');
	});

	it('checks the currency first', () => {
		expect(() => fromDecimal('12.34', 'HRK')).toThrow(UnknownCurrencyError);
		expect(() => fromDecimal('not money', '')).toThrow(UnknownCurrencyError);
	});
});

describe('fromDecimal with JSON numbers', () => {
	it('reads 4.35 as 435 cents, where 4.35 * 100 is 434.99999999999994', () => {
		expect(4.35 * 100).not.toBe(435);
		expect(fromDecimal(4.35, 'USD').minor).toBe(435);
	});

	it('reads 19.99 as 1999 cents, where 19.99 * 100 is 1998.9999999999998', () => {
		expect(19.99 * 100).not.toBe(1999);
		expect(fromDecimal(19.99, 'USD')).toEqual({ minor: 1999, value: '19.99', currency: 'USD', exponent: 2 });
	});

	it.each<[number, string, number]>([
		[1.15, 'USD', 115],
		[8.2, 'USD', 820],
		[12.34, 'EUR', 1234],
		[-12.34, 'USD', -1234],
		[1234.5, 'USD', 123450],
		[123456789.12, 'USD', 12345678912],
		[0, 'USD', 0],
		[1500, 'JPY', 1500],
		[1.234, 'KWD', 1234],
		[0.5, 'BHD', 500],
		[1.2345, 'CLF', 12345],
		[1e15, 'JPY', 1e15],
		[0.0001, 'CLF', 1],
	])('reads %p %s as minor %p', (input, currency, minor) => {
		expect(fromDecimal(input, currency).minor).toBe(minor);
	});

	it('reads -0 as 0', () => {
		expect(Object.is(fromDecimal(-0, 'USD').minor, 0)).toBe(true);
	});

	it('rejects 0.1 + 0.2, whose shortest decimal is 0.30000000000000004', () => {
		const error = thrown(() => fromDecimal(0.1 + 0.2, 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			'Invalid amount 0.30000000000000004 for USD: it has 17 fraction digits but USD allows 2; pass a rounding mode to round it',
		);
		expect(fromDecimal(0.1 + 0.2, 'USD', undefined, { rounding: 'half-even' }).minor).toBe(30);
	});

	it('rejects 1.005 USD instead of guessing, and rounds it exactly when asked', () => {
		expect(Math.round(1.005 * 100)).toBe(100);
		expect(() => fromDecimal(1.005, 'USD')).toThrow(InvalidAmountError);
		expect(fromDecimal(1.005, 'USD', undefined, { rounding: 'half-up' }).minor).toBe(101);
		expect(fromDecimal(1.005, 'USD', undefined, { rounding: 'half-even' }).minor).toBe(100);
	});

	it('expands e-notation exactly: 1e-7 has 7 fraction digits, 1.5e-7 rounds to 0', () => {
		expect(String(1e-7)).toBe('1e-7');
		expect(() => fromDecimal(1e-7, 'USD')).toThrow('it has 7 fraction digits but USD allows 2');
		expect(() => fromDecimal(-1.5e-7, 'CLF')).toThrow('it has 8 fraction digits but CLF allows 4');
		expect(fromDecimal(1.5e-7, 'USD', undefined, { rounding: 'half-up' }).minor).toBe(0);
	});

	it('expands 1e21 exactly and rejects it as too large', () => {
		expect(String(1e21)).toBe('1e+21');
		const error = thrown(() => fromDecimal(1e21, 'JPY'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			'Amount 1e+21 is too large: 1000000000000000000000 minor units of JPY exceeds Number.MAX_SAFE_INTEGER (9007199254740991)',
		);
		expect(() => fromDecimal(-1.5e300, 'USD')).toThrow('is too large');
	});

	it('takes a number near the limit as the number it really is (use strings there)', () => {
		expect(String(90071992547409.91)).toBe('90071992547409.9');
		expect(fromDecimal(90071992547409.91, 'USD').minor).toBe(9007199254740990);
	});

	it.each([NaN, Infinity, -Infinity])('rejects %p as not finite', (input) => {
		const error = thrown(() => fromDecimal(input, 'USD'));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(`Invalid amount ${String(input)} for USD: must be a finite number`);
		expect((error as InvalidAmountError).input).toBe(input);
	});
});

describe('fromDecimal rounding', () => {
	const round = (input: string, currency: string, rounding: RoundingMode) =>
		fromDecimal(input, currency, undefined, { rounding }).minor;

	it.each<[string, string, number]>([
		['0.125', 'USD', 12],
		['0.135', 'USD', 14],
		['0.145', 'USD', 14],
		['0.1251', 'USD', 13],
		['0.1249', 'USD', 12],
		['-0.125', 'USD', -12],
		['-0.135', 'USD', -14],
		['2.5', 'JPY', 2],
		['3.5', 'JPY', 4],
		['-2.5', 'JPY', -2],
		['1.0005', 'BHD', 1000],
		['1.0015', 'BHD', 1002],
		['0.12', 'USD', 12],
		['0.120000', 'USD', 12],
	])('half-even: %j %s -> %p', (input, currency, minor) => {
		expect(round(input, currency, 'half-even')).toBe(minor);
	});

	it.each<[string, string, number]>([
		['0.125', 'USD', 13],
		['0.135', 'USD', 14],
		['0.124', 'USD', 12],
		['0.1249999', 'USD', 12],
		['-0.125', 'USD', -13],
		['-0.124', 'USD', -12],
		['2.5', 'JPY', 3],
		['-2.5', 'JPY', -3],
		['0.00005', 'CLF', 1],
		['0.12', 'USD', 12],
	])('half-up (ties away from zero): %j %s -> %p', (input, currency, minor) => {
		expect(round(input, currency, 'half-up')).toBe(minor);
	});

	it('rounds to zero without a negative zero', () => {
		const result = fromDecimal('-0.004', 'USD', undefined, { rounding: 'half-up' });
		expect(Object.is(result.minor, 0)).toBe(true);
		expect(result.value).toBe('0.00');
	});

	it("rejects by default and with 'reject'", () => {
		expect(() => fromDecimal('0.125', 'USD')).toThrow(InvalidAmountError);
		expect(() => round('0.125', 'USD', 'reject')).toThrow('pass a rounding mode to round it');
	});

	it('rejects an unknown rounding mode', () => {
		expect(() => round('0.125', 'USD', 'up' as RoundingMode)).toThrow(
			'Invalid rounding mode "up": use one of reject, half-even, half-up',
		);
	});
});

describe('fromDecimal with a provider', () => {
	it('reads PayPal HUF and TWD as whole units', () => {
		expect(fromDecimal('1500', 'HUF', 'paypal')).toEqual({ minor: 1500, value: '1500', currency: 'HUF', exponent: 0 });
		expect(fromDecimal('1500.00', 'HUF', 'paypal').minor).toBe(1500);
		expect(fromDecimal(300, 'TWD', 'paypal').minor).toBe(300);
		expect(() => fromDecimal('1500.50', 'HUF', 'paypal')).toThrow('it has 2 fraction digits but HUF allows 0');
	});

	it('reads Stripe ISK at two decimals', () => {
		expect(fromDecimal('5', 'ISK', 'stripe')).toEqual({ minor: 500, value: '5.00', currency: 'ISK', exponent: 2 });
	});
});

describe('rescale', () => {
	it('converts PayPal HUF (0 decimals) to ISO (2 decimals) exactly', () => {
		const paypal = fromMinor(1500, 'HUF', 'paypal');
		expect(rescale(paypal, currencyExponent('HUF'))).toEqual({
			minor: 150000,
			value: '1500.00',
			currency: 'HUF',
			exponent: 2,
		});
		expect(paypal).toEqual({ minor: 1500, value: '1500', currency: 'HUF', exponent: 0 });
	});

	it('converts ISO HUF back to PayPal when exact', () => {
		expect(rescale(money(150000, 'HUF', 2, '1500.00'), 0)).toEqual({ minor: 1500, value: '1500', currency: 'HUF', exponent: 0 });
		expect(rescale(money(-150000, 'HUF', 2, '-1500.00'), 0).minor).toBe(-1500);
	});

	it('rejects an inexact decrease unless a rounding mode is given', () => {
		const huf = money(150050, 'HUF', 2, '1500.50');
		const error = thrown(() => rescale(huf, 0));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toBe(
			'Cannot express 1500.50 HUF with 0 fraction digits without rounding; pass a rounding mode to round it',
		);
		expect((error as InvalidAmountError).input).toBe(huf);
		expect(rescale(huf, 0, 'half-up').minor).toBe(1501);
		expect(rescale(huf, 0, 'half-even').minor).toBe(1500);
		expect(rescale(money(150150, 'HUF', 2, '1501.50'), 0, 'half-even').minor).toBe(1502);
		expect(rescale(money(-150050, 'HUF', 2, '-1500.50'), 0, 'half-up').minor).toBe(-1501);
		expect(rescale(money(150049, 'HUF', 2, '1500.49'), 0, 'half-up').minor).toBe(1500);
	});

	it('keeps the amount when the exponent does not change', () => {
		expect(rescale(money(1234, 'USD', 2, '12.34'), 2)).toEqual(money(1234, 'USD', 2, '12.34'));
	});

	it('increases the exponent by several digits', () => {
		expect(rescale(money(5, 'JPY', 0, '5'), 4)).toEqual({ minor: 50000, value: '5.0000', currency: 'JPY', exponent: 4 });
	});

	it('rejects a result beyond Number.MAX_SAFE_INTEGER', () => {
		const error = thrown(() => rescale(money(MAX, 'JPY', 0, String(MAX)), 2));
		expect(error).toBeInstanceOf(InvalidAmountError);
		expect(error.message).toContain('is too large: 900719925474099100 minor units of JPY exceeds Number.MAX_SAFE_INTEGER');
	});

	it('rejects invalid Money and exponents', () => {
		expect(() => rescale(money(1.5, 'USD', 2, '0.015'), 2)).toThrow('Invalid Money: minor 1.5 is not a safe integer');
		expect(() => rescale(money(1, 'USD', 2, '0.01'), -1)).toThrow(RangeError);
		expect(() => rescale(money(1, 'USD', 2, '0.01'), 2.5)).toThrow(RangeError);
	});
});

describe('toProviderMinor', () => {
	it.each<[string, string, string, number]>([
		['1000', 'MGA', 'stripe', 1000],
		['1000.40', 'MGA', 'paypal', 100040],
		['5', 'ISK', 'stripe', 500],
		['5', 'UGX', 'stripe', 500],
		['19.99', 'USD', 'stripe', 1999],
		['500', 'JPY', 'stripe', 500],
		['1.230', 'KWD', 'stripe', 1230],
		['1500', 'HUF', 'paypal', 1500],
		['1500', 'HUF', 'stripe', 150000],
		['300', 'TWD', 'paypal', 300],
		['1000', 'CLP', 'adyen', 100000],
		['15000', 'IDR', 'adyen', 15000],
		['12', 'CVE', 'adyen', 12],
		['79', 'ISK', 'adyen', 7900],
		['12.34', 'USD', 'square', 1234],
	])('%s %s -> %s amount %p', (value, currency, provider, expected) => {
		expect(toProviderMinor(fromDecimal(value, currency), provider)).toBe(expected);
	});

	it('rejects an amount the provider cannot express, unless a rounding mode is given', () => {
		const huf = fromDecimal('1500.50', 'HUF');
		expect(() => toProviderMinor(huf, 'paypal')).toThrow(InvalidAmountError);
		expect(toProviderMinor(huf, 'paypal', 'half-up')).toBe(1501);
		expect(() => toProviderMinor(fromDecimal('12.34', 'CVE'), 'adyen')).toThrow(InvalidAmountError);
	});

	it('round-trips a Stripe MGA webhook amount to ISO and back', () => {
		const fromStripe = fromMinor(1000, 'MGA', 'stripe');
		const iso = rescale(fromStripe, currencyExponent('MGA'));
		expect(iso).toEqual({ minor: 100000, value: '1000.00', currency: 'MGA', exponent: 2 });
		expect(toProviderMinor(iso, 'stripe')).toBe(1000);
	});
});

describe('addMoney, subtractMoney and compareMoney', () => {
	const usd = (value: string) => fromDecimal(value, 'USD');

	it('computes an invoice amount due as total - amount paid', () => {
		expect(subtractMoney(usd('100.00'), usd('40.50'))).toEqual({ minor: 5950, value: '59.50', currency: 'USD', exponent: 2 });
	});

	it('adds exactly where floats would not', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(addMoney(usd('0.10'), usd('0.20'))).toEqual({ minor: 30, value: '0.30', currency: 'USD', exponent: 2 });
	});

	it('handles negative results and zero-decimal currencies', () => {
		expect(subtractMoney(usd('5'), usd('15')).value).toBe('-10.00');
		expect(addMoney(fromDecimal('1000', 'JPY'), fromDecimal('-250', 'JPY'))).toEqual({
			minor: 750,
			value: '750',
			currency: 'JPY',
			exponent: 0,
		});
		expect(subtractMoney(fromDecimal('1.500', 'BHD'), fromDecimal('0.001', 'BHD')).value).toBe('1.499');
	});

	it('aligns a provider exponent with ISO before combining', () => {
		const paypal = fromMinor(1500, 'HUF', 'paypal');
		const iso = fromDecimal('0.50', 'HUF');
		expect(addMoney(paypal, iso)).toEqual({ minor: 150050, value: '1500.50', currency: 'HUF', exponent: 2 });
		expect(compareMoney(paypal, fromDecimal('1500', 'HUF'))).toBe(0);
	});

	it('does not modify its arguments', () => {
		const a = usd('1.00');
		const b = usd('2.00');
		addMoney(a, b);
		subtractMoney(a, b);
		expect(a).toEqual({ minor: 100, value: '1.00', currency: 'USD', exponent: 2 });
		expect(b).toEqual({ minor: 200, value: '2.00', currency: 'USD', exponent: 2 });
	});

	it('rejects different currencies, naming both', () => {
		for (const fn of [addMoney, subtractMoney, compareMoney]) {
			const error = thrown(() => fn(usd('1'), fromDecimal('1', 'EUR')));
			expect(error).toBeInstanceOf(CurrencyMismatchError);
			expect(error).toBeInstanceOf(Error);
			expect(error.name).toBe('CurrencyMismatchError');
			expect(error.message).toBe('Currency mismatch: cannot combine USD with EUR');
		}
	});

	it('rejects a sum or difference beyond Number.MAX_SAFE_INTEGER', () => {
		const max = fromMinor(MAX, 'USD');
		expect(() => addMoney(max, usd('0.01'))).toThrow(
			'The sum of 90071992547409.91 and 0.01 USD is too large: 9007199254740992 minor units of USD exceeds Number.MAX_SAFE_INTEGER',
		);
		expect(() => subtractMoney(fromMinor(-MAX, 'USD'), usd('0.01'))).toThrow(InvalidAmountError);
		expect(addMoney(max, usd('0')).minor).toBe(MAX);
	});

	it('compares amounts', () => {
		expect(compareMoney(usd('1.00'), usd('2.00'))).toBe(-1);
		expect(compareMoney(usd('2.00'), usd('1.00'))).toBe(1);
		expect(compareMoney(usd('1.50'), usd('1.5'))).toBe(0);
		expect(compareMoney(usd('-1.00'), usd('0.00'))).toBe(-1);
	});
});
