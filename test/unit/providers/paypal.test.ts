import { toPaymentEvents } from '../../../nodes/providers/index';
import { paypal } from '../../../nodes/providers/paypal';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures: ../shared/fixtures/paypal/ (PayPal-node-SDK sale events, see ../shared/fixtures/PROVENANCE.md;
// PAYMENT.SALE.COMPLETED.raw.txt holds the same 2016 event as PAYMENT.SALE.COMPLETED.json, as bytes) and
// test/fixtures/paypal/ (the Payments v2 capture and refund samples, see its SOURCES.md).
const receivedAt = new Date('2026-01-01T00:00:00Z');

type Event = { event_type: string; resource: Record<string, unknown> };

function normalize(input: unknown | ProviderInput) {
	const delivery = (input as ProviderInput)?.headers ? (input as ProviderInput) : { body: input, headers: {} };
	const events = paypal.parse(delivery);
	expect(events).toHaveLength(1);
	return toPaymentEvents(paypal, events[0], { receivedAt });
}

const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });
const common = { schemaVersion: 1, provider: 'paypal', receivedAt: '2026-01-01T00:00:00.000Z' };

const sale2016 = {
	...common,
	id: 'paypal:WH-82L71649W50323023-5WC64761VS637831A',
	providerEventId: 'WH-82L71649W50323023-5WC64761VS637831A',
	providerEventType: 'PAYMENT.SALE.COMPLETED',
	// The event's links point at api.sandbox.paypal.com.
	livemode: false,
	kind: 'payment',
	status: 'succeeded',
	crmStatus: 'Paid',
	amount: usd(601, '6.01'),
	occurredAt: '2016-10-05T14:57:40.000Z',
	payment: { id: '8RS6210148826604N' },
	// invoice_number is empty; custom is the merchant's pass-through value.
	reference: 'Hello World!',
};

describe('PayPal adapter on the sample events', () => {
	it('PAYMENT.SALE.COMPLETED (2016, Payments v1) → Paid, sandbox', () => {
		expect(normalize(fixtureJson('paypal/PAYMENT.SALE.COMPLETED.json'))).toEqual([sale2016]);
	});

	it('the same event as the raw bytes PayPal sent, as text or as rawBody alone', () => {
		const raw = fixtureBytes('paypal/PAYMENT.SALE.COMPLETED.raw.txt');
		expect(normalize({ body: raw.toString('utf8'), headers: {} })).toEqual([sale2016]);
		expect(normalize({ body: undefined, headers: {}, rawBody: raw })).toEqual([sale2016]);
	});

	it('PAYMENT.SALE.COMPLETED (2015, no event_version) → Paid', () => {
		expect(normalize(fixtureJson('paypal/PAYMENT.SALE.COMPLETED.v1-2015.json'))).toEqual([
			{
				...common,
				id: 'paypal:WH-0G2756385H040842W-5Y612302CV158622M',
				providerEventId: 'WH-0G2756385H040842W-5Y612302CV158622M',
				providerEventType: 'PAYMENT.SALE.COMPLETED',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(2000, '20.00'),
				occurredAt: '2015-05-18T15:45:13.000Z',
				payment: { id: '4EU7004268015634R' },
			},
		]);
	});

	it('PAYMENT.CAPTURE.COMPLETED (Payments v2) → Paid, live', () => {
		expect(normalize(fixtureJson('paypal/PAYMENT.CAPTURE.COMPLETED.json'))).toEqual([
			{
				...common,
				id: 'paypal:WH-58D329510W468432D-8HN650336L201105X',
				providerEventId: 'WH-58D329510W468432D-8HN650336L201105X',
				providerEventType: 'PAYMENT.CAPTURE.COMPLETED',
				// The event's links point at api.paypal.com.
				livemode: true,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(251, '2.51'),
				occurredAt: '2019-02-14T21:50:07.940Z',
				payment: { id: '27M47624FP291604U' },
			},
		]);
	});

	it('PAYMENT.CAPTURE.REFUNDED → Refunded, the refund amount, the refunded capture', () => {
		expect(normalize(fixtureJson('paypal/PAYMENT.CAPTURE.REFUNDED.json'))).toEqual([
			{
				...common,
				id: 'paypal:WH-1GE84257G0350133W-6RW800890C634293G',
				providerEventId: 'WH-1GE84257G0350133W-6RW800890C634293G',
				providerEventType: 'PAYMENT.CAPTURE.REFUNDED',
				livemode: true,
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: usd(99, '0.99'),
				occurredAt: '2018-08-15T19:14:04.543Z',
				// The refund's `up` link: https://api.paypal.com/v2/payments/captures/0JF852973C016714D
				payment: { id: '0JF852973C016714D' },
			},
		]);
	});
});

describe('PayPal adapter: other statuses and currencies on the samples’ shapes', () => {
	it.each([
		['PAYMENT.CAPTURE.PENDING', 'PENDING', 'pending', 'Pending'],
		['PAYMENT.CAPTURE.DENIED', 'DECLINED', 'failed', 'Failed'],
		['PAYMENT.CAPTURE.DECLINED', 'DECLINED', 'failed', 'Failed'],
	])('%s → %s', (eventType, captureStatus, status, crmStatus) => {
		const body = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.COMPLETED.json');
		body.event_type = eventType;
		body.resource.status = captureStatus;
		expect(normalize(body)[0]).toMatchObject({ kind: 'payment', status, crmStatus, amount: usd(251, '2.51') });
	});

	it.each([
		['PAYMENT.SALE.PENDING', 'pending', 'Pending'],
		['PAYMENT.SALE.DENIED', 'failed', 'Failed'],
	])('%s → %s', (eventType, status, crmStatus) => {
		const body = fixtureJson<Event>('paypal/PAYMENT.SALE.COMPLETED.json');
		body.event_type = eventType;
		expect(normalize(body)[0]).toMatchObject({ kind: 'payment', status, crmStatus, amount: usd(601, '6.01') });
	});

	it('a pending refund → Pending', () => {
		const body = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.REFUNDED.json');
		body.resource.status = 'PENDING';
		expect(normalize(body)[0]).toMatchObject({ kind: 'refund', status: 'pending', crmStatus: 'Pending' });
	});

	it('HUF and TWD have no decimals at PayPal: 1000 is 1000.00 in ISO minor units', () => {
		for (const currency of ['HUF', 'TWD']) {
			const body = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.COMPLETED.json');
			body.resource.amount = { currency_code: currency, value: '1000' };
			expect(normalize(body)[0].amount).toEqual({ minor: 100000, value: '1000.00', currency, exponent: 2 });
		}
	});

	it('a HUF amount with decimals is refused, naming the field', () => {
		const body = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.COMPLETED.json');
		body.resource.amount = { currency_code: 'HUF', value: '1000.50' };
		const error = payloadError(() => normalize(body));
		expect(error.provider).toBe('paypal');
		expect(error.field).toBe('resource.amount.value');
	});

	it('JPY is zero-decimal in ISO too; a v1 sale total in JPY', () => {
		const body = fixtureJson<Event>('paypal/PAYMENT.SALE.COMPLETED.json');
		body.resource.amount = { total: '1500', currency: 'JPY' };
		expect(normalize(body)[0].amount).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
	});

	it('an event that is not about money (a seller onboarding update) → no payment event', () => {
		const body = fixtureJson<Event>('paypal/PAYMENT.SALE.COMPLETED.json');
		body.event_type = 'CUSTOMER.MERCHANT-INTEGRATION.SELLER-EMAIL-CONFIRMED';
		expect(normalize(body)).toEqual([]);
	});
});

describe('PayPal detection and malformed payloads', () => {
	it.each([
		'PAYMENT.SALE.COMPLETED.json',
		'PAYMENT.SALE.COMPLETED.v1-2015.json',
		'PAYMENT.CAPTURE.COMPLETED.json',
		'PAYMENT.CAPTURE.REFUNDED.json',
	])('detects paypal/%s', (file) => {
		expect(paypal.detect({ body: fixtureJson(`paypal/${file}`), headers: {} })).toBe(true);
	});

	it('detects the raw bytes of a delivery', () => {
		const raw = fixtureBytes('paypal/PAYMENT.SALE.COMPLETED.raw.txt');
		expect(paypal.detect({ body: raw.toString('utf8'), headers: {} })).toBe(true);
		expect(paypal.detect({ body: undefined, headers: {}, rawBody: raw })).toBe(true);
	});

	it.each(otherProviderSamples(['paypal']))('does not claim %s', (_name, body) => {
		expect(paypal.detect({ body, headers: {} })).toBe(false);
	});

	it('names the missing or bad field', () => {
		expect(payloadError(() => paypal.parse({ body: '<xml/>', headers: {} })).field).toBe('body');
		const noId = { ...fixtureJson('paypal/PAYMENT.CAPTURE.COMPLETED.json'), id: '' };
		expect(payloadError(() => paypal.parse({ body: noId, headers: {} })).field).toBe('id');
		const noTime = { ...fixtureJson('paypal/PAYMENT.CAPTURE.COMPLETED.json'), create_time: undefined };
		expect(payloadError(() => paypal.parse({ body: noTime, headers: {} })).field).toBe('create_time');

		const noResource = { ...fixtureJson('paypal/PAYMENT.CAPTURE.COMPLETED.json'), resource: undefined };
		expect(payloadError(() => normalize(noResource)).field).toBe('resource');

		const noValue = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.COMPLETED.json');
		noValue.resource.amount = { currency_code: 'USD' };
		expect(payloadError(() => normalize(noValue)).field).toBe('resource.amount.value');

		const noTotal = fixtureJson<Event>('paypal/PAYMENT.SALE.COMPLETED.json');
		noTotal.resource.amount = { currency: 'USD' };
		expect(payloadError(() => normalize(noTotal)).field).toBe('resource.amount.total');

		const badRefund = fixtureJson<Event>('paypal/PAYMENT.CAPTURE.REFUNDED.json');
		badRefund.resource.status = 'LOST';
		expect(payloadError(() => normalize(badRefund)).field).toBe('resource.status');
	});
});
