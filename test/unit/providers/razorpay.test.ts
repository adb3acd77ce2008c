import { toPaymentEvents } from '../../../nodes/providers/index';
import { razorpay } from '../../../nodes/providers/razorpay';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Samples from Razorpay's webhook documentation, see test/fixtures/razorpay/SOURCES.md.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const inr = (minor: number, value: string) => ({ minor, value, currency: 'INR', exponent: 2 });

type Json = Record<string, unknown>;
const sample = (name: string) => fixtureJson<Json>(`razorpay/${name}.json`);

function parse(body: unknown, headers: Record<string, string> = {}): ProviderEvent[] {
	return razorpay.parse({ body, headers });
}

function normalized(name: string) {
	const [event] = parse(sample(name));
	return toPaymentEvents(razorpay, event, { receivedAt });
}

describe('Razorpay payment events', () => {
	it('payment.captured (card) → Paid 1.00 INR with the card, e-mail and phone', () => {
		expect(normalized('payment.captured.card')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:payment.captured:pay_DESp9bgForNoUd:1691735748',
				provider: 'razorpay',
				providerEventId: 'payment.captured:pay_DESp9bgForNoUd:1691735748',
				providerEventType: 'payment.captured',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: inr(100, '1.00'),
				occurredAt: '2023-08-11T06:35:48.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', phone: '+919876543210' },
				payment: { id: 'pay_DESp9bgForNoUd', method: 'card', brand: 'Visa', last4: '0153' },
				reference: 'order_DESoU0U4ikYA19',
			},
		]);
	});

	it('payment.captured (UPI) → Paid, method upi, no card', () => {
		expect(normalized('payment.captured.upi')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:payment.captured:pay_DESyzxuld02Zul:1567675356',
				provider: 'razorpay',
				providerEventId: 'payment.captured:pay_DESyzxuld02Zul:1567675356',
				providerEventType: 'payment.captured',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: inr(100, '1.00'),
				occurredAt: '2019-09-05T09:22:36.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { email: 'gaurav.kumar@example.com', phone: '+919876543210' },
				payment: { id: 'pay_DESyzxuld02Zul', method: 'upi' },
				reference: 'order_DESxiijbl9xjDB',
			},
		]);
	});

	it('payment.authorized → Pending (authorised, not yet captured)', () => {
		expect(normalized('payment.authorized.netbanking')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:payment.authorized:pay_DESlfW9H8K9uqM:1567674606',
				provider: 'razorpay',
				providerEventId: 'payment.authorized:pay_DESlfW9H8K9uqM:1567674606',
				providerEventType: 'payment.authorized',
				livemode: false,
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: inr(100, '1.00'),
				occurredAt: '2019-09-05T09:10:06.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { email: 'gaurav.kumar@example.com', phone: '+919876543210' },
				payment: { id: 'pay_DESlfW9H8K9uqM', method: 'netbanking' },
				reference: 'order_DESlLckIVRkHWj',
			},
		]);
	});

	it('payment.failed → Failed 500.00 INR', () => {
		expect(normalized('payment.failed.netbanking')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:payment.failed:pay_DEAU825sJlCbGa:1567610215',
				provider: 'razorpay',
				providerEventId: 'payment.failed:pay_DEAU825sJlCbGa:1567610215',
				providerEventType: 'payment.failed',
				livemode: false,
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: inr(50000, '500.00'),
				occurredAt: '2019-09-04T15:16:55.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { email: 'gaurav.kumar@example.com', phone: '+919876543210' },
				payment: { id: 'pay_DEAU825sJlCbGa', method: 'netbanking' },
				reference: 'order_DEATVTRRctwEGb',
			},
		]);
	});

	it("order.paid → Paid, with the order's receipt as the reference", () => {
		expect(normalized('order.paid.card')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:order.paid:pay_DESp9bgForNoUd:1567674804',
				provider: 'razorpay',
				providerEventId: 'order.paid:pay_DESp9bgForNoUd:1567674804',
				providerEventType: 'order.paid',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: inr(100, '1.00'),
				occurredAt: '2019-09-05T09:13:24.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', phone: '+919876543210' },
				payment: { id: 'pay_DESp9bgForNoUd', method: 'card', brand: 'Visa', last4: '0153' },
				reference: 'rcptid #1',
			},
		]);
	});

	it('uses the X-Razorpay-Event-Id header as the event id when the delivery has it', () => {
		const [event] = parse(sample('payment.captured.card'), { 'x-razorpay-event-id': 'KQZ2fNcFqBfSgq' });
		expect(event.id).toBe('KQZ2fNcFqBfSgq');
		expect(toPaymentEvents(razorpay, event, { receivedAt })[0].id).toBe('razorpay:KQZ2fNcFqBfSgq');
	});

	it('keeps notes as metadata when the merchant set some', () => {
		const body = sample('payment.captured.card');
		(body.payload as { payment: { entity: Json } }).payment.entity.notes = { booking: 'B-17' };
		const [event] = parse(body);
		expect(toPaymentEvents(razorpay, event, { receivedAt })[0].metadata).toEqual({ booking: 'B-17' });
	});
});

describe('Razorpay refund events', () => {
	it('refund.processed of part of a payment → Partially refunded 500.00 of 5000.00 INR', () => {
		expect(normalized('refund.processed')).toEqual([
			{
				schemaVersion: 1,
				id: 'razorpay:refund.processed:rfnd_FS8TWyPrCsa0OB:1597734071',
				provider: 'razorpay',
				providerEventId: 'refund.processed:rfnd_FS8TWyPrCsa0OB:1597734071',
				providerEventType: 'refund.processed',
				livemode: false,
				kind: 'refund',
				status: 'partially_refunded',
				crmStatus: 'Refunded',
				amount: inr(50000, '500.00'),
				total: inr(500000, '5000.00'),
				occurredAt: '2020-08-18T07:01:11.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { email: 'gaurav.kumar@example.com', phone: '+919000090000' },
				payment: { id: 'pay_FPoJKWQQ8lK13n', method: 'netbanking' },
				reference: 'order_FPoIeimWki9j8A',
				metadata: { comment: 'Customer Notes for Webhooks.' },
			},
		]);
	});

	it('refund.processed when the payment is fully refunded → Refunded', () => {
		const body = sample('refund.processed');
		(body.payload as { payment: { entity: Json } }).payment.entity.refund_status = 'full';
		const [event] = parse(body);
		expect(toPaymentEvents(razorpay, event, { receivedAt })[0]).toMatchObject({ status: 'refunded', crmStatus: 'Refunded' });
	});

	it('refund.failed → a failed refund', () => {
		expect(normalized('refund.failed')[0]).toMatchObject({
			id: 'razorpay:refund.failed:rfnd_FS8TWyPrCsa0OB:1597734071',
			kind: 'refund',
			status: 'failed',
			crmStatus: 'Failed',
			amount: inr(50000, '500.00'),
			payment: { id: 'pay_FPoJKWQQ8lK13n', method: 'netbanking' },
		});
	});

	it('events that are not about money (refund.created, downtime, ...) → no event', () => {
		const body = { ...sample('refund.processed'), event: 'refund.created' };
		const [event] = parse(body);
		expect(toPaymentEvents(razorpay, event, { receivedAt })).toEqual([]);
	});
});

describe('Razorpay currencies', () => {
	it('reads amounts in the currency minor unit: 3-decimal KWD and 0-decimal JPY as ISO 4217', () => {
		const body = sample('payment.captured.card');
		const entity = (body.payload as { payment: { entity: Json } }).payment.entity;
		Object.assign(entity, { amount: 295990, currency: 'KWD' });
		expect(toPaymentEvents(razorpay, parse(body)[0], { receivedAt })[0].amount).toEqual({
			minor: 295990,
			value: '295.990',
			currency: 'KWD',
			exponent: 3,
		});
		Object.assign(entity, { amount: 5000, currency: 'JPY' });
		expect(toPaymentEvents(razorpay, parse(body)[0], { receivedAt })[0].amount).toEqual({
			minor: 5000,
			value: '5000',
			currency: 'JPY',
			exponent: 0,
		});
	});
});

describe('Razorpay malformed deliveries', () => {
	it('a body that is not an object → body', () => {
		expect(payloadError(() => parse('not json')).field).toBe('body');
	});

	it('an event without its type or time is named', () => {
		const body = sample('payment.captured.card');
		delete body.event;
		expect(payloadError(() => parse(body)).field).toBe('event');
		const timeless = sample('payment.captured.card');
		timeless.created_at = 'yesterday';
		expect(payloadError(() => parse(timeless)).field).toBe('created_at');
	});

	it('a payment event without its payment entity → payload.payment.entity', () => {
		const body = sample('payment.captured.card');
		const [event] = parse(body);
		delete (event.data as { payload: Json }).payload.payment;
		expect(payloadError(() => razorpay.normalize(event, {})).field).toBe('payload.payment.entity');
	});

	it('an empty currency or an unknown one → the amount field', () => {
		const body = sample('payment.captured.card');
		const entity = (body.payload as { payment: { entity: Json } }).payment.entity;
		entity.currency = '';
		expect(payloadError(() => razorpay.normalize(parse(body)[0], {})).field).toBe('payload.payment.entity.amount currency');
		entity.currency = 'XYZ';
		expect(payloadError(() => razorpay.normalize(parse(body)[0], {})).field).toBe('payload.payment.entity.amount');
	});

	it('a decimal amount (not paise) → payload.refund.entity.amount', () => {
		const body = sample('refund.processed');
		(body.payload as { refund: { entity: Json } }).refund.entity.amount = '500.00';
		expect(payloadError(() => razorpay.normalize(parse(body)[0], {})).field).toBe('payload.refund.entity.amount');
	});
});

describe('Razorpay detection', () => {
	it.each([
		'payment.authorized.netbanking',
		'payment.captured.card',
		'payment.captured.upi',
		'payment.failed.netbanking',
		'order.paid.card',
		'refund.processed',
		'refund.failed',
	])('recognises %s', (name) => {
		expect(razorpay.detect({ body: sample(name), headers: {} })).toBe(true);
	});

	it('does not claim a Stripe event', () => {
		expect(razorpay.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['razorpay']))('does not claim %s', (_file, body) => {
		expect(razorpay.detect({ body, headers: {} })).toBe(false);
	});
});
