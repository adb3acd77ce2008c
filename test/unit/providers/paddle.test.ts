import { toPaymentEvents } from '../../../nodes/providers/index';
import { paddle } from '../../../nodes/providers/paddle';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures: ../shared/fixtures/paddle/<event>.json ← PaddleHQ/paddle-node-sdk notification mocks (official),
// see ../shared/fixtures/PROVENANCE.md.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

type Json = Record<string, unknown>;
type Notification = { data: Json & { details: { totals: Json }; totals: Json } };

function normalize(body: unknown) {
	const events = paddle.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(paddle, events[0], { receivedAt });
}

function common(eventId: string, type: string) {
	return {
		schemaVersion: 1,
		id: `paddle:${eventId}`,
		provider: 'paddle',
		providerEventId: eventId,
		providerEventType: type,
		livemode: false,
		receivedAt: '2026-01-01T00:00:00.000Z',
	};
}

describe('Paddle adapter on the sample notifications', () => {
	it('transaction.completed → Paid, the grand total, the captured card (not the declined attempt)', () => {
		expect(normalize(fixtureJson('paddle/transaction.completed.json'))).toEqual([
			{
				...common('evt_01h8e1jxjnw9ra6zarhnz1a7y1', 'transaction.completed'),
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(65215, '652.15'),
				occurredAt: '2023-08-22T07:15:45.366Z',
				customer: { id: 'ctm_01h8e18bxp9hby49dnm8ewf0m0' },
				payment: { id: 'txn_01h8dzxgkvdwemdhbpcapj2tbj', method: 'card', brand: 'visa', last4: '4242' },
			},
		]);
	});

	it('transaction.paid → Paid, in GBP', () => {
		expect(normalize(fixtureJson('paddle/transaction.paid.json'))).toEqual([
			{
				...common('evt_01gxwxwnba186hj04xy8hf6wkd', 'transaction.paid'),
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: { minor: 89880, value: '898.80', currency: 'GBP', exponent: 2 },
				occurredAt: '2023-04-13T09:07:06.401Z',
				customer: { id: 'ctm_01gxwxe6vzgz6hcsbwjs6zrszr' },
				payment: { id: 'txn_01gxwxqj0rd5m8j1zdhvk05twz', method: 'card', brand: 'visa', last4: '3184' },
			},
		]);
	});

	it('transaction.payment_failed → Failed, with the declined card', () => {
		expect(normalize(fixtureJson('paddle/transaction.payment_failed.json'))).toEqual([
			{
				...common('evt_01h8e1exw67n96j6n0h3k2qq5x', 'transaction.payment_failed'),
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(65215, '652.15'),
				occurredAt: '2023-08-22T07:13:34.599Z',
				customer: { id: 'ctm_01h8e18bxp9hby49dnm8ewf0m0' },
				payment: { id: 'txn_01h8dzxgkvdwemdhbpcapj2tbj', method: 'card', brand: 'visa', last4: '0000' },
			},
		]);
	});

	it('adjustment.created (refund awaiting approval) → a pending refund of the transaction', () => {
		expect(normalize(fixtureJson('paddle/adjustment.created.json'))).toEqual([
			{
				...common('evt_01h8c6tc8aa58zqj6h8a13r103', 'adjustment.created'),
				kind: 'refund',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(100, '1.00'),
				occurredAt: '2023-08-21T14:08:43.786Z',
				customer: { id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk' },
				payment: { id: 'txn_01h8bxpvx398a7zbawb77y0kp5' },
			},
		]);
	});

	it('adjustment.updated (partial refund approved) → partially refunded', () => {
		expect(normalize(fixtureJson('paddle/adjustment.updated.json'))).toEqual([
			{
				...common('evt_01h8c6wz4ac017hxdehrgdvpz4', 'adjustment.updated'),
				kind: 'refund',
				status: 'partially_refunded',
				crmStatus: 'Refunded',
				amount: usd(100, '1.00'),
				occurredAt: '2023-08-21T14:10:08.650Z',
				customer: { id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk' },
				payment: { id: 'txn_01h8bxpvx398a7zbawb77y0kp5' },
			},
		]);
	});

	it.each([
		['full', 'approved', 'refunded', 'Refunded'],
		['partial', 'rejected', 'failed', 'Failed'],
	])('a %s refund %s → %s', (type, status, expected, crmStatus) => {
		const body = fixtureJson<Notification>('paddle/adjustment.updated.json');
		Object.assign(body.data, { type, status });
		expect(normalize(body)[0]).toMatchObject({ kind: 'refund', status: expected, crmStatus });
	});

	it('an adjustment that is a credit, not a refund → no events', () => {
		const body = fixtureJson<Notification>('paddle/adjustment.created.json');
		body.data.action = 'credit';
		expect(normalize(body)).toEqual([]);
	});

	it('an event that is not about money → no events', () => {
		const body = fixtureJson<Json>('paddle/transaction.paid.json');
		body.event_type = 'customer.updated';
		expect(normalize(body)).toEqual([]);
	});
});

describe('Paddle amounts (strings of minor units) and malformed notifications', () => {
	it('JPY is zero-decimal: "65215" is ¥65215', () => {
		const body = fixtureJson<Notification>('paddle/transaction.completed.json');
		body.data.details.totals.currency_code = 'JPY';
		expect(normalize(body)[0].amount).toEqual({ minor: 65215, value: '65215', currency: 'JPY', exponent: 0 });
	});

	it('a decimal grand total → ProviderPayloadError naming it', () => {
		const body = fixtureJson<Notification>('paddle/transaction.completed.json');
		body.data.details.totals.grand_total = '652.15';
		expect(payloadError(() => normalize(body)).field).toBe('data.details.totals.grand_total');
	});

	it('a refund without totals → ProviderPayloadError naming its currency', () => {
		const body = fixtureJson<Notification>('paddle/adjustment.created.json');
		delete (body.data as Json).totals;
		expect(payloadError(() => normalize(body)).field).toBe('data.totals.total currency');
	});

	it('a notification without occurred_at → ProviderPayloadError naming it', () => {
		const body = fixtureJson<Json>('paddle/transaction.paid.json');
		delete body.occurred_at;
		expect(payloadError(() => paddle.parse({ body, headers: {} })).field).toBe('occurred_at');
	});
});

describe('Paddle detection', () => {
	it.each([
		'paddle/transaction.completed.json',
		'paddle/transaction.paid.json',
		'paddle/transaction.payment_failed.json',
		'paddle/adjustment.created.json',
		'paddle/adjustment.updated.json',
	])('recognises %s', (file) => {
		expect(paddle.detect({ body: fixtureJson(file), headers: {} })).toBe(true);
	});

	it.each(otherProviderSamples(['paddle']))('does not claim %s', (_file, body) => {
		expect(paddle.detect({ body, headers: {} })).toBe(false);
	});
});
