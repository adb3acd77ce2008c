import { ProviderPayloadError } from '../../../nodes/providers/common';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { stripe } from '../../../nodes/providers/stripe';
import { fixtureJson } from './fixtures';

// Fixtures: ../shared/fixtures/stripe/<event>.json ← stripe-ruby-mock webhook fixtures, captured
// from the Stripe API (api_version 2020-08-27); see ../shared/fixtures/PROVENANCE.md.
const receivedAt = new Date('2026-01-01T00:00:00Z');

function normalize(body: unknown) {
	const events = stripe.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(stripe, events[0], { receivedAt });
}

const common = {
	schemaVersion: 1,
	id: 'stripe:evt_000000000000000000000000',
	provider: 'stripe',
	providerEventId: 'evt_000000000000000000000000',
	livemode: false,
	receivedAt: '2026-01-01T00:00:00.000Z',
};
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });
const invoiceUrl =
	'https://invoice.stripe.com/i/acct_0000000000000000/test_00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000';

describe('Stripe adapter on the sample events', () => {
	it('payment_intent.succeeded → Paid, with the card from the expanded charge', () => {
		expect(normalize(fixtureJson('stripe/payment_intent.succeeded.json'))).toEqual([
			{
				...common,
				providerEventType: 'payment_intent.succeeded',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(2000, '20.00'),
				occurredAt: '2022-03-26T18:40:33.000Z',
				payment: { id: 'pi_000000000000000000000000', method: 'card', brand: 'visa', last4: '4242' },
				description: '(created by Stripe CLI)',
			},
		]);
	});

	it('payment_intent.payment_failed → Failed, with the declined test card', () => {
		const [event] = normalize(fixtureJson('stripe/payment_intent.payment_failed.json'));
		expect(event).toMatchObject({ status: 'failed', crmStatus: 'Failed', amount: usd(2000, '20.00') });
		expect(event.payment).toEqual({ id: 'pi_000000000000000000000000', method: 'card', brand: 'visa', last4: '0002' });
	});

	it.each([
		['charge.succeeded.json', 'succeeded', 'Paid', '4242', '2022-03-26T18:40:32.000Z'],
		['charge.failed.json', 'failed', 'Failed', '0002', '2022-03-26T18:40:28.000Z'],
	])('%s → %s', (file, status, crmStatus, last4, occurredAt) => {
		const [event] = normalize(fixtureJson(`stripe/${file}`));
		expect(event).toMatchObject({ kind: 'payment', status, crmStatus, occurredAt, amount: usd(2000, '20.00') });
		expect(event.payment?.last4).toBe(last4);
	});

	it('charge.refunded with the whole amount refunded → Refunded, carrying what was charged', () => {
		const [event] = normalize(fixtureJson('stripe/charge.refunded.json'));
		expect(event).toMatchObject({
			kind: 'refund',
			status: 'refunded',
			crmStatus: 'Refunded',
			amount: usd(100, '1.00'),
			total: usd(100, '1.00'),
			occurredAt: '2022-03-26T18:39:09.000Z',
		});
	});

	it('charge.refunded for part of the charge → partially refunded', () => {
		const body = fixtureJson<{ data: { object: Record<string, unknown> } }>('stripe/charge.refunded.json');
		body.data.object.amount = 2000; // the sample charge, refunded 1.00 of 20.00
		const [event] = normalize(body);
		expect(event).toMatchObject({ status: 'partially_refunded', amount: usd(100, '1.00'), total: usd(2000, '20.00') });
	});

	it('charge.refund.updated → the refund, its charge and its order reference', () => {
		expect(normalize(fixtureJson('stripe/charge.refund.updated.json'))).toEqual([
			{
				...common,
				providerEventType: 'charge.refund.updated',
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: usd(100, '1.00'),
				occurredAt: '2022-03-26T18:39:05.000Z',
				payment: { id: 'ch_000000000000000000000000' },
				reference: '6735',
				metadata: { order_id: '6735' },
			},
		]);
	});

	it('invoice.payment_succeeded → Paid invoice with total, paid and due', () => {
		expect(normalize(fixtureJson('stripe/invoice.payment_succeeded.json'))).toEqual([
			{
				...common,
				providerEventType: 'invoice.payment_succeeded',
				kind: 'invoice',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(2000, '20.00'),
				total: usd(2000, '20.00'),
				amountPaid: usd(2000, '20.00'),
				amountDue: usd(0, '0.00'),
				occurredAt: '2022-03-26T18:40:15.000Z',
				customer: { id: 'cus_00000000000000' },
				invoice: { id: 'in_000000000000000000000000', number: 'EE1DF78D-0001', url: invoiceUrl },
				payment: { id: 'pi_000000000000000000000000' },
				reference: 'EE1DF78D-0001',
				description: '(created by Stripe CLI)',
			},
		]);
	});

	it('invoice.payment_failed → Failed for the amount due', () => {
		const [event] = normalize(fixtureJson('stripe/invoice.payment_failed.json'));
		expect(event).toMatchObject({
			kind: 'invoice',
			status: 'failed',
			crmStatus: 'Failed',
			amount: usd(2000, '20.00'),
			amountPaid: usd(0, '0.00'),
			amountDue: usd(2000, '20.00'),
			invoice: { number: 'C93E45D7-0001' },
		});
	});
});

describe('Stripe amounts in other currencies', () => {
	const charge = () => fixtureJson<{ data: { object: Record<string, unknown> } }>('stripe/charge.succeeded.json');

	it('JPY is zero-decimal: 2000 is ¥2000', () => {
		const body = charge();
		body.data.object.currency = 'jpy';
		expect(normalize(body)[0].amount).toEqual({ minor: 2000, value: '2000', currency: 'JPY', exponent: 0 });
	});

	it('KWD has three decimals: 2000 is 2.000 KWD', () => {
		const body = charge();
		body.data.object.currency = 'kwd';
		expect(normalize(body)[0].amount).toEqual({ minor: 2000, value: '2.000', currency: 'KWD', exponent: 3 });
	});

	it('MGA is zero-decimal at Stripe but has two decimals in ISO 4217', () => {
		const body = charge();
		body.data.object.currency = 'mga';
		expect(normalize(body)[0].amount).toEqual({ minor: 200000, value: '2000.00', currency: 'MGA', exponent: 2 });
	});

	it('an unknown currency is a named error', () => {
		const body = charge();
		body.data.object.currency = 'xyz';
		expect(() => normalize(body)).toThrow('stripe: data.object.amount: Unknown currency "xyz"');
	});
});

describe('Stripe detection and malformed events', () => {
	it('recognises Stripe events, not other payloads', () => {
		expect(stripe.detect({ body: fixtureJson('stripe/invoice.payment_failed.json'), headers: {} })).toBe(true);
		expect(stripe.detect({ body: fixtureJson('square/payment.created.json'), headers: {} })).toBe(false);
		expect(stripe.detect({ body: fixtureJson('paypal/PAYMENT.SALE.COMPLETED.json'), headers: {} })).toBe(false);
		expect(stripe.detect({ body: 'id=tr_7r4n54c710n', headers: {} })).toBe(false);
	});

	it('names the missing field', () => {
		const body = fixtureJson<Record<string, unknown>>('stripe/charge.succeeded.json');
		delete body.created;
		expect(() => normalize(body)).toThrow(ProviderPayloadError);
		expect(() => normalize(body)).toThrow('stripe: created: undefined is not a time with a zone');
		const noObject = { ...fixtureJson<Record<string, unknown>>('stripe/charge.succeeded.json'), data: {} };
		expect(() => normalize(noObject)).toThrow('stripe: data.object: is missing');
		const noAmount = fixtureJson<{ data: { object: Record<string, unknown> } }>('stripe/charge.succeeded.json');
		delete noAmount.data.object.amount;
		expect(() => normalize(noAmount)).toThrow('stripe: data.object.amount: is missing');
	});

	it('maps events that are not about money to nothing', () => {
		const body = { ...fixtureJson<Record<string, unknown>>('stripe/charge.succeeded.json'), type: 'customer.updated' };
		expect(normalize(body)).toEqual([]);
	});
});
