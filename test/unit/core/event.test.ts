import fs from 'node:fs';
import path from 'node:path';

import {
	InvalidPaymentEventError,
	createPaymentEvent,
	parsePaymentEvent,
	paymentEventJsonSchema,
	type PaymentEventInput,
} from '../../../nodes/core/event';

const NOW = new Date('2026-11-21T12:00:00.000Z');

// Field values from Stripe's payment_intent.succeeded sample (../shared/fixtures/stripe/payment_intent.succeeded.json).
const input: PaymentEventInput = {
	provider: 'stripe',
	providerEventId: 'evt_00000000000000',
	providerEventType: 'payment_intent.succeeded',
	livemode: false,
	kind: 'payment',
	status: 'succeeded',
	amount: { minor: 1000, value: '10.00', currency: 'USD', exponent: 2 },
	occurredAt: '2026-11-21T11:59:58.000Z',
	payment: { id: 'pi_00000000000000', method: 'card', brand: 'visa', last4: '4242' },
	metadata: undefined,
};

describe('createPaymentEvent', () => {
	it('derives id, crmStatus, schemaVersion and receivedAt, and drops undefined fields', () => {
		const event = createPaymentEvent(input, NOW);
		expect(event).toEqual({
			...input,
			metadata: undefined,
			schemaVersion: 1,
			id: 'stripe:evt_00000000000000',
			crmStatus: 'Paid',
			receivedAt: '2026-11-21T12:00:00.000Z',
		});
		expect(Object.keys(event)).not.toContain('metadata');
	});

	it('carries invoice totals in the same currency', () => {
		const event = createPaymentEvent(
			{
				...input,
				kind: 'invoice',
				status: 'partially_paid',
				total: { minor: 2500, value: '25.00', currency: 'USD', exponent: 2 },
				amountPaid: { minor: 1000, value: '10.00', currency: 'USD', exponent: 2 },
				amountDue: { minor: 1500, value: '15.00', currency: 'USD', exponent: 2 },
			},
			NOW,
		);
		expect(event.crmStatus).toBe('Partially paid');
		expect(event.amountDue?.value).toBe('15.00');
	});
});

describe('parsePaymentEvent rejects what is not a canonical event, naming each field', () => {
	const valid = createPaymentEvent(input, NOW);
	const cases: Array<[string, Record<string, unknown>, string]> = [
		['a float amount', { amount: { ...valid.amount, minor: 10.5 } }, 'amount.minor'],
		['a value that disagrees with minor', { amount: { ...valid.amount, value: '10.50' } }, 'amount.value'],
		['an exponent that is not the ISO one', { amount: { minor: 1000, value: '1000', currency: 'USD', exponent: 0 } }, 'amount.exponent'],
		['KWD with two decimals', { amount: { minor: 1000, value: '10.00', currency: 'KWD', exponent: 2 } }, 'amount.exponent'],
		['an unknown currency', { amount: { minor: 1000, value: '10.00', currency: 'ABC', exponent: 2 } }, 'amount.currency'],
		['a lower-case currency', { amount: { ...valid.amount, currency: 'usd' } }, 'amount.currency'],
		['a negative amount', { amount: { minor: -1000, value: '-10.00', currency: 'USD', exponent: 2 } }, 'amount.minor'],
		['a crmStatus that contradicts status', { crmStatus: 'Failed' }, 'crmStatus'],
		['an id not built from provider and event id', { id: 'evt_00000000000000' }, 'id'],
		['an unknown status', { status: 'settled' }, 'status'],
		['a local time without zone', { occurredAt: '2026-11-21 11:59:58' }, 'occurredAt'],
		['a full card number', { payment: { last4: '4242424242424242' } }, 'payment.last4'],
		['an unknown top-level field', { cardNumber: '4242424242424242' }, '(event)'],
		['a total in another currency', { total: { minor: 1000, value: '10.00', currency: 'EUR', exponent: 2 } }, 'total.currency'],
	];

	it.each(cases)('%s', (_name, change, field) => {
		let caught: unknown;
		try {
			parsePaymentEvent({ ...valid, ...change });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidPaymentEventError);
		expect((caught as InvalidPaymentEventError).issues.some((issue) => issue.startsWith(`${field}:`))).toBe(true);
	});

	it('accepts a valid event unchanged', () => {
		expect(parsePaymentEvent(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
	});
});

describe('JSON Schema', () => {
	const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../nodes/core/payment-event.schema.json'), 'utf8'));

	it('is the one generated from the zod schema (run `npm run schema` after changing event.ts)', () => {
		expect(shipped).toEqual(paymentEventJsonSchema());
	});

	it('describes the canonical fields', () => {
		expect(shipped.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
		expect(shipped.additionalProperties).toBe(false);
		expect(shipped.required).toEqual(
			expect.arrayContaining(['schemaVersion', 'id', 'provider', 'status', 'crmStatus', 'amount', 'occurredAt']),
		);
		expect(shipped.properties.crmStatus.enum).toEqual(['Paid', 'Partially paid', 'Pending', 'Failed', 'Refunded']);
		expect(shipped.properties.amount.properties.minor.type).toBe('integer');
	});
});
