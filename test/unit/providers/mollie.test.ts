import { toPaymentEvents } from '../../../nodes/providers/index';
import { mollie } from '../../../nodes/providers/mollie';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures: ../shared/fixtures/mollie (official SDKs, see PROVENANCE.md) and test/fixtures/mollie/payment_paid.get.json
// (mollie-api-php's GET payment test response, see SOURCES.md there).
const receivedAt = new Date('2026-01-01T00:00:00Z');
const eur = (minor: number, value: string) => ({ minor, value, currency: 'EUR', exponent: 2 });

type Json = Record<string, unknown>;

const legacyForm = () => fixtureBytes('mollie/legacy_payment_webhook.form.txt').toString('utf8');
/** The payment the classic webhook's id fetches: the SDK template with its literal id placeholder filled in. */
const fetchedPayment = (id: string) =>
	JSON.parse(fixtureBytes('mollie/payment_resource_fetched_after_webhook.json').toString('utf8').replace('{{ RESOURCE_ID }}', id)) as Json;
const paidPayment = () => fixtureJson('mollie/payment_paid.get.json');

function parseOne(body: unknown): ProviderEvent {
	const events = mollie.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return events[0];
}

describe('Mollie classic webhooks (thin: id=tr_…)', () => {
	it('the form body names the payment to fetch, with its refunds and chargebacks', () => {
		const event = parseOne(legacyForm());
		expect(event).toEqual({ id: 'tr_7r4n54c710n', type: 'payment', data: { id: 'tr_7r4n54c710n' } });
		expect(mollie.complete!(event)).toEqual({
			method: 'GET',
			path: '/v2/payments/tr_7r4n54c710n',
			qs: { embed: 'refunds,chargebacks' },
			description: 'the Mollie payment tr_7r4n54c710n',
		});
	});

	it('the same webhook as n8n parses the form ({ id }) gives the same event', () => {
		expect(parseOne({ id: 'tr_7r4n54c710n' })).toEqual(parseOne(legacyForm()));
	});

	it('+ the fetched open payment → Pending, one event id per payment status', () => {
		const event = parseOne(legacyForm());
		expect(toPaymentEvents(mollie, event, { receivedAt, completion: fetchedPayment('tr_7r4n54c710n') })).toEqual([
			{
				schemaVersion: 1,
				id: 'mollie:tr_7r4n54c710n:open',
				provider: 'mollie',
				providerEventId: 'tr_7r4n54c710n:open',
				providerEventType: 'payment.open',
				livemode: false,
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: eur(2000, '20.00'),
				occurredAt: '2018-03-13T14:02:29.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				payment: { id: 'tr_7r4n54c710n', method: 'ideal' },
				reference: '1234',
				description: 'My first API payment',
				metadata: { order_id: '1234' },
			},
		]);
	});

	it('+ a fetched paid payment → Paid at paidAt, with the consumer and locale', () => {
		const event = parseOne({ id: 'tr_44aKxzEbr8' });
		expect(toPaymentEvents(mollie, event, { receivedAt, completion: paidPayment() })).toEqual([
			{
				schemaVersion: 1,
				id: 'mollie:tr_44aKxzEbr8:paid',
				provider: 'mollie',
				providerEventId: 'tr_44aKxzEbr8:paid',
				providerEventType: 'payment.paid',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(2000, '20.00'),
				occurredAt: '2018-03-19T12:18:35.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { name: 'T. TEST', locale: 'nl_NL' },
				payment: { id: 'tr_44aKxzEbr8', method: 'ideal' },
				reference: '1234',
				description: 'My first API payment',
				metadata: { order_id: '1234' },
			},
		]);
	});

	describe('the fetched payment in other states (the paid sample with its documented fields changed)', () => {
		const event = parseOne({ id: 'tr_44aKxzEbr8' });
		const normalize = (changes: Json) => toPaymentEvents(mollie, event, { receivedAt, completion: { ...paidPayment(), ...changes } });

		it.each([
			['failed', 'failed', 'Failed'],
			['canceled', 'canceled', 'Failed'],
			['expired', 'canceled', 'Failed'],
			['authorized', 'pending', 'Pending'],
			['pending', 'pending', 'Pending'],
		])('status %s → %s', (status, expected, crmStatus) => {
			expect(normalize({ status })[0]).toMatchObject({
				providerEventId: `tr_44aKxzEbr8:${status}`,
				providerEventType: `payment.${status}`,
				kind: 'payment',
				status: expected,
				crmStatus,
			});
		});

		it('a part refunded → partially refunded, for the refunded amount, its own event id', () => {
			expect(normalize({ amountRefunded: { value: '5.00', currency: 'EUR' } })[0]).toMatchObject({
				providerEventId: 'tr_44aKxzEbr8:refunded:5.00',
				providerEventType: 'payment.refunded',
				kind: 'refund',
				status: 'partially_refunded',
				crmStatus: 'Refunded',
				amount: eur(500, '5.00'),
				total: eur(2000, '20.00'),
				occurredAt: '2018-03-19T12:18:35.000Z',
			});
		});

		it('all refunded, with the embedded refund → Refunded at the refund time', () => {
			const refunds = [{ resource: 'refund', id: 're_4qqhO89gsT', createdAt: '2018-03-20T09:00:00+00:00' }];
			expect(normalize({ amountRefunded: { value: '20.00', currency: 'EUR' }, _embedded: { refunds } })[0]).toMatchObject({
				providerEventId: 'tr_44aKxzEbr8:refunded:20.00',
				status: 'refunded',
				amount: eur(2000, '20.00'),
				occurredAt: '2018-03-20T09:00:00.000Z',
			});
		});

		it('charged back → disputed', () => {
			expect(normalize({ amountChargedBack: { value: '20.00', currency: 'EUR' } })[0]).toMatchObject({
				providerEventId: 'tr_44aKxzEbr8:charged_back:20.00',
				providerEventType: 'payment.charged_back',
				kind: 'dispute',
				status: 'disputed',
				crmStatus: 'Pending',
				amount: eur(2000, '20.00'),
			});
		});

		it('a card payment: brand and the last four digits only', () => {
			const details = { cardHolder: 'T. TEST', cardNumber: '6787', cardLabel: 'Mastercard', cardCountryCode: 'NL' };
			expect(normalize({ method: 'creditcard', details })[0]).toMatchObject({
				customer: { name: 'T. TEST', locale: 'nl_NL' },
				payment: { id: 'tr_44aKxzEbr8', method: 'creditcard', brand: 'Mastercard', last4: '6787' },
			});
		});

		it('a live payment → livemode', () => {
			expect(normalize({ mode: 'live' })[0].livemode).toBe(true);
		});

		it('JPY has no decimals: "2000" is ¥2000', () => {
			expect(normalize({ amount: { value: '2000', currency: 'JPY' } })[0].amount).toEqual({
				minor: 2000,
				value: '2000',
				currency: 'JPY',
				exponent: 0,
			});
		});

		it('an amount with more decimals than the currency → ProviderPayloadError naming amount.value', () => {
			expect(payloadError(() => normalize({ amount: { value: '20.005', currency: 'EUR' } })).field).toBe('amount.value');
		});
	});

	it('without the fetched payment → ProviderPayloadError naming the completion', () => {
		expect(payloadError(() => mollie.normalize(parseOne(legacyForm()), {})).field).toBe('completion');
	});

	it('an order webhook (ord_…) is recognised but neither fetched nor mapped', () => {
		const event = parseOne('id=ord_kEn1PlbGa');
		expect(event.type).toBe('order');
		expect(mollie.complete!(event)).toBeUndefined();
		expect(mollie.normalize(event, {})).toEqual([]);
	});
});

describe('Mollie next-gen webhooks', () => {
	const sample = () => fixtureJson<Json>('mollie/next-gen_payment-link.paid_full.json');

	it('payment-link.paid with the embedded payment link → Paid', () => {
		const event = parseOne(sample());
		expect(mollie.complete!(event)).toBeUndefined();
		expect(toPaymentEvents(mollie, event, { receivedAt })).toEqual([
			{
				schemaVersion: 1,
				id: 'mollie:whe_gQMMaGqAVA',
				provider: 'mollie',
				providerEventId: 'whe_gQMMaGqAVA',
				providerEventType: 'payment-link.paid',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(1000, '10.00'),
				occurredAt: '2023-12-25T10:30:54.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				payment: { id: 'pl_4Y0eZitmBnQ5jsBYZIBw' },
				description: 'Test payment link',
			},
		]);
	});

	it('without the embedded entity ("simple" payload) the payment link is fetched', () => {
		const body = sample();
		const entity = (body._embedded as Json).entity;
		delete body._embedded;
		const event = parseOne(body);
		expect(mollie.complete!(event)).toEqual({
			method: 'GET',
			path: '/v2/payment-links/pl_4Y0eZitmBnQ5jsBYZIBw',
			description: 'the Mollie payment link pl_4Y0eZitmBnQ5jsBYZIBw',
		});
		expect(payloadError(() => mollie.normalize(event, {})).field).toBe('_embedded.entity');
		expect(toPaymentEvents(mollie, event, { receivedAt, completion: entity })[0].amount).toEqual(eur(1000, '10.00'));
	});

	it('other next-gen event types → no events', () => {
		expect(mollie.normalize(parseOne({ ...sample(), type: 'sales-invoice.created' }), {})).toEqual([]);
	});

	it('an event without createdAt → ProviderPayloadError naming it', () => {
		const body = sample();
		delete body.createdAt;
		expect(payloadError(() => parseOne(body)).field).toBe('createdAt');
	});
});

describe('Mollie detection', () => {
	it.each([
		['the classic form text', legacyForm()],
		['the classic form as n8n parses it', { id: 'tr_7r4n54c710n' }],
		['the next-gen event', fixtureJson('mollie/next-gen_payment-link.paid_full.json')],
	])('recognises %s', (_what, body) => {
		expect(mollie.detect({ body, headers: {} })).toBe(true);
	});

	it.each([
		['an id without a Mollie prefix', { id: '12345' }],
		['form text with an id without a Mollie prefix', 'id=12345'],
		['a form with more fields than id', 'id=tr_7r4n54c710n&amount=10'],
		['an object with more fields than id', { id: 'tr_7r4n54c710n', status: 'paid' }],
		['another form field holding a Mollie id', 'payment=tr_7r4n54c710n'],
		['the fetched payment itself', fixtureJson('mollie/payment_paid.get.json')],
	])('does not claim %s', (_what, body) => {
		expect(mollie.detect({ body, headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['mollie']))('does not claim %s', (_file, body) => {
		expect(mollie.detect({ body, headers: {} })).toBe(false);
	});
});
