import { toPaymentEvents } from '../../../nodes/providers/index';
import { square } from '../../../nodes/providers/square';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures: ../shared/fixtures/square/<event>.json ← square/connect-api-specification api.json, the
// `example` of each <X>Event schema; see ../shared/fixtures/PROVENANCE.md.
const receivedAt = new Date('2026-01-01T00:00:00Z');

function normalize(body: unknown) {
	const events = square.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(square, events[0], { receivedAt });
}

const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });
const common = { schemaVersion: 1, provider: 'square', livemode: false, receivedAt: '2026-01-01T00:00:00.000Z' };
const card = { id: 'hYy9pRFVxpDsO1FB05SunFWUe9JZY', method: 'CARD', brand: 'MASTERCARD', last4: '9029' };
const amelia = {
	id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
	name: 'Amelia Earhart',
	email: 'Amelia.Earhart@example.com',
	// The sample gives no country for the recipient, so the national number stays as written.
	phone: '1-212-555-4240',
};
const invoice = { id: 'inv:0-ChCHu2mZEabLeeHahQnXDjZQECY', number: 'inv-100' };

describe('Square adapter on the sample events', () => {
	it('payment.created with an APPROVED (authorized, not captured) payment → Pending', () => {
		expect(normalize(fixtureJson('square/payment.created.json'))).toEqual([
			{
				...common,
				id: 'square:13b867cf-db3d-4b1c-90b6-2f32a9d78124',
				providerEventId: '13b867cf-db3d-4b1c-90b6-2f32a9d78124',
				providerEventType: 'payment.created',
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(100, '1.00'),
				occurredAt: '2020-02-06T21:27:30.792Z',
				payment: card,
				reference: '03O3USaPaAaFnI6kkwB1JxGgBsUZY',
			},
		]);
	});

	it('payment.updated with a COMPLETED payment → Paid', () => {
		expect(normalize(fixtureJson('square/payment.updated.json'))).toEqual([
			{
				...common,
				id: 'square:6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
				providerEventId: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
				providerEventType: 'payment.updated',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(100, '1.00'),
				occurredAt: '2020-02-06T21:27:34.308Z',
				payment: card,
				reference: '03O3USaPaAaFnI6kkwB1JxGgBsUZY',
			},
		]);
	});

	// Square's two refund examples share one event_id; real deliveries have one id per event.
	const refund = {
		...common,
		id: 'square:bc316346-6691-4243-88ed-6d651a0d0c47',
		providerEventId: 'bc316346-6691-4243-88ed-6d651a0d0c47',
		kind: 'refund',
		amount: usd(1000, '10.00'),
		payment: { id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY' },
		reference: 'haOyDuHiqtAXMk0d8pDKXpL7Jg4F',
	};

	it('refund.created with a PENDING refund → Pending', () => {
		expect(normalize(fixtureJson('square/refund.created.json'))).toEqual([
			{
				...refund,
				providerEventType: 'refund.created',
				status: 'pending',
				crmStatus: 'Pending',
				occurredAt: '2020-02-06T21:27:41.852Z',
			},
		]);
	});

	it('refund.updated with a COMPLETED refund → Refunded', () => {
		expect(normalize(fixtureJson('square/refund.updated.json'))).toEqual([
			{
				...refund,
				providerEventType: 'refund.updated',
				status: 'refunded',
				crmStatus: 'Refunded',
				occurredAt: '2020-02-06T22:14:16.421Z',
			},
		]);
	});

	const invoiceEvent = {
		...common,
		kind: 'invoice',
		occurredAt: '2020-06-18T18:23:11.000Z',
		total: usd(10000, '100.00'),
		customer: amelia,
		invoice,
		reference: 'CAISENgvlJ6jLWAzERDzjyHVybY',
		description: 'Event Planning Services',
	};

	it('invoice.payment_made with the balance request paid in full → Paid, nothing due', () => {
		expect(normalize(fixtureJson('square/invoice.payment_made.json'))).toEqual([
			{
				...invoiceEvent,
				id: 'square:891e3589-462f-4215-9b61-f6df2d4432b7',
				providerEventId: '891e3589-462f-4215-9b61-f6df2d4432b7',
				providerEventType: 'invoice.payment_made',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(10000, '100.00'),
				amountPaid: usd(10000, '100.00'),
				amountDue: usd(0, '0.00'),
			},
		]);
	});

	it('invoice.refunded with a REFUNDED invoice → Refunded', () => {
		expect(normalize(fixtureJson('square/invoice.refunded.json'))).toEqual([
			{
				...invoiceEvent,
				id: 'square:aedeb1fb-6c7d-4484-8106-866d97652388',
				providerEventId: 'aedeb1fb-6c7d-4484-8106-866d97652388',
				providerEventType: 'invoice.refunded',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: usd(10000, '100.00'),
				amountPaid: usd(10000, '100.00'),
				amountDue: usd(0, '0.00'),
			},
		]);
	});

	it('invoice.scheduled_charge_failed → Failed for the next payment amount, all of it still due', () => {
		expect(normalize(fixtureJson('square/invoice.scheduled_charge_failed.json'))).toEqual([
			{
				...invoiceEvent,
				id: 'square:3cabb64e-16ba-40c2-b605-5c51a06ec794',
				providerEventId: '3cabb64e-16ba-40c2-b605-5c51a06ec794',
				providerEventType: 'invoice.scheduled_charge_failed',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(10000, '100.00'),
				amountPaid: usd(0, '0.00'),
				amountDue: usd(10000, '100.00'),
			},
		]);
	});
});

describe('Square adapter variations on the samples', () => {
	it('an invoice with a paid deposit and an unpaid balance → partially paid', () => {
		const body = fixtureJson<{ data: { object: { invoice: Record<string, unknown> } } }>('square/invoice.payment_made.json');
		body.data.object.invoice.payment_requests = [
			{ computed_amount_money: { amount: 2500, currency: 'USD' }, total_completed_amount_money: { amount: 2500, currency: 'USD' } },
			{ computed_amount_money: { amount: 7500, currency: 'USD' }, total_completed_amount_money: { amount: 0, currency: 'USD' } },
		];
		body.data.object.invoice.status = 'PARTIALLY_PAID';
		const [event] = normalize(body);
		expect(event).toMatchObject({
			status: 'partially_paid',
			crmStatus: 'Partially paid',
			amount: usd(2500, '25.00'),
			total: usd(10000, '100.00'),
			amountPaid: usd(2500, '25.00'),
			amountDue: usd(7500, '75.00'),
		});
	});

	it('a PARTIALLY_REFUNDED invoice → partially refunded', () => {
		const body = fixtureJson<{ data: { object: { invoice: Record<string, unknown> } } }>('square/invoice.refunded.json');
		body.data.object.invoice.status = 'PARTIALLY_REFUNDED';
		expect(normalize(body)[0]).toMatchObject({ status: 'partially_refunded', crmStatus: 'Refunded' });
	});

	it.each([
		['FAILED', 'failed', 'Failed'],
		['CANCELED', 'canceled', 'Failed'],
		['PENDING', 'pending', 'Pending'],
	])('a %s payment → %s', (squareStatus, status, crmStatus) => {
		const body = fixtureJson<{ data: { object: { payment: Record<string, unknown> } } }>('square/payment.updated.json');
		body.data.object.payment.status = squareStatus;
		expect(normalize(body)[0]).toMatchObject({ status, crmStatus });
	});

	it('reads the buyer from the payment when Square has them, and a zero-decimal currency as is', () => {
		const body = fixtureJson<{ data: { object: { payment: Record<string, unknown> } } }>('square/payment.updated.json');
		Object.assign(body.data.object.payment, {
			customer_id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
			buyer_email_address: 'amelia@example.com',
			billing_address: { first_name: 'Amelia', last_name: 'Earhart', country: 'US' },
			amount_money: { amount: 1500, currency: 'JPY' },
			total_money: { amount: 1500, currency: 'JPY' },
		});
		const [event] = normalize(body);
		expect(event.customer).toEqual({ id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4', name: 'Amelia Earhart', email: 'amelia@example.com' });
		expect(event.amount).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
	});

	it('an event that is not about money (customer.created) → no payment event', () => {
		const body = { ...fixtureJson('square/payment.created.json'), type: 'customer.created' };
		expect(normalize(body)).toEqual([]);
	});
});

describe('Square detection and malformed payloads', () => {
	const own = [
		'payment.created',
		'payment.updated',
		'refund.created',
		'refund.updated',
		'invoice.payment_made',
		'invoice.refunded',
		'invoice.scheduled_charge_failed',
	];

	it.each(own)('detects square/%s.json', (name) => {
		expect(square.detect({ body: fixtureJson(`square/${name}.json`), headers: {} })).toBe(true);
	});

	it.each(otherProviderSamples(['square']))('does not claim %s', (_name, body) => {
		expect(square.detect({ body, headers: {} })).toBe(false);
	});

	it('names the missing or bad field', () => {
		expect(payloadError(() => square.parse({ body: 'not json', headers: {} })).field).toBe('body');
		const noId = { ...fixtureJson('square/payment.created.json'), event_id: undefined };
		expect(payloadError(() => square.parse({ body: noId, headers: {} })).field).toBe('event_id');
		const noTime = { ...fixtureJson('square/payment.created.json'), created_at: 'yesterday' };
		expect(payloadError(() => square.parse({ body: noTime, headers: {} })).field).toBe('created_at');

		const noPayment = { ...fixtureJson('square/payment.created.json'), data: { type: 'payment', id: 'x', object: {} } };
		expect(payloadError(() => normalize(noPayment)).field).toBe('data.object.payment');

		const badStatus = fixtureJson<{ data: { object: { payment: Record<string, unknown> } } }>('square/payment.created.json');
		badStatus.data.object.payment.status = 'LOST';
		expect(payloadError(() => normalize(badStatus)).field).toBe('data.object.payment.status');

		const badCurrency = fixtureJson<{ data: { object: { payment: Record<string, unknown> } } }>('square/payment.created.json');
		badCurrency.data.object.payment.total_money = { amount: 100, currency: 'XYZ' };
		expect(payloadError(() => normalize(badCurrency)).field).toBe('data.object.payment.total_money');

		const noRequests = fixtureJson<{ data: { object: { invoice: Record<string, unknown> } } }>('square/invoice.payment_made.json');
		delete noRequests.data.object.invoice.payment_requests;
		expect(payloadError(() => normalize(noRequests)).field).toBe('data.object.invoice.payment_requests');
	});
});
