import { chargebee } from '../../../nodes/providers/chargebee';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures: ../shared/fixtures/chargebee/<event>.json and test/fixtures/chargebee/payment_initiated.json ←
// bonusly/mock_chargebee (community; Chargebee's API-docs sample events, api_version v2), see PROVENANCE.md.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

type Json = Record<string, unknown>;
type ChargebeeEvent = { content: { transaction: Json; invoice: Json; customer: Json } };

function normalize(body: unknown) {
	const events = chargebee.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(chargebee, events[0], { receivedAt });
}

function common(eventId: string, type: string) {
	return {
		schemaVersion: 1,
		id: `chargebee:${eventId}`,
		provider: 'chargebee',
		providerEventId: eventId,
		providerEventType: type,
		livemode: false,
		receivedAt: '2026-01-01T00:00:00.000Z',
	};
}

describe('Chargebee adapter on the sample events', () => {
	it('payment_succeeded → Paid, the transaction amount, the customer', () => {
		expect(normalize(fixtureJson('chargebee/payment_succeeded.json'))).toEqual([
			{
				...common('ev_AzqYRySIstMN16O', 'payment_succeeded'),
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(450000, '4500.00'),
				occurredAt: '2020-12-11T17:35:03.000Z',
				customer: { id: '16BjsrSIh4AdLqkD', name: 'Tax Customer', email: 'taxes@test.com', locale: 'en-US' },
				invoice: { id: '22' },
				payment: { id: 'txn_AzqYRySIstMLf6N', method: 'cash' },
			},
		]);
	});

	it('payment_failed → Failed, with the last four digits of the masked card', () => {
		expect(normalize(fixtureJson('chargebee/payment_failed.json'))).toEqual([
			{
				...common('ev_3Nl7oGgQqGG8UK4s', 'payment_failed'),
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(224, '2.24'),
				occurredAt: '2013-04-01T19:40:55.000Z',
				customer: { id: '3Nl7oGgQqGFprj9', name: 'Joe Ross', email: 'Benjamin@test.com' },
				invoice: { id: '6' },
				payment: { id: 'txn_3Nl7oGgQqGG8Pp4m', method: 'card', last4: '4810' },
			},
		]);
	});

	it('payment_initiated (direct debit in progress) → Pending', () => {
		expect(normalize(fixtureJson('chargebee/payment_initiated.json'))).toEqual([
			{
				...common('ev_3Nl7oGgQqGG6Bo3o', 'payment_initiated'),
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(1000, '10.00'),
				occurredAt: '2013-03-02T19:41:30.000Z',
				customer: { id: 'createSubs', name: 'createSubs', email: 'createSubs@test.com' },
				invoice: { id: '4' },
				payment: { id: 'txn_3Nl7oGgQqGG4tN3n', method: 'direct_debit' },
			},
		]);
	});

	it('payment_refunded of 0.02 out of the 9.95 paid → partially refunded, pointing at the refunded payment', () => {
		expect(normalize(fixtureJson('chargebee/payment_refunded.json'))).toEqual([
			{
				...common('ev_3Nl7oGgQqGG0Dl3f', 'payment_refunded'),
				kind: 'refund',
				status: 'partially_refunded',
				crmStatus: 'Refunded',
				amount: usd(2, '0.02'),
				total: usd(995, '9.95'),
				occurredAt: '2013-03-02T19:41:07.000Z',
				customer: { id: '3Nl7oGgQqGFprj9', name: 'Benjamin Ross', email: 'Benjamin@test.com' },
				invoice: { id: '1' },
				payment: { id: 'txn_3Nl7oGgQqGFs2lf', method: 'card', last4: '1111' },
			},
		]);
	});

	it('payment_refunded of the whole payment → Refunded', () => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/payment_refunded.json');
		body.content.transaction.amount = 995;
		expect(normalize(body)[0]).toMatchObject({ status: 'refunded', amount: usd(995, '9.95'), total: usd(995, '9.95') });
	});

	it('refund_initiated (in progress) → a pending refund', () => {
		expect(normalize(fixtureJson('chargebee/refund_initiated.json'))).toEqual([
			{
				...common('ev_3Nl7oGgQqGG6Iz40', 'refund_initiated'),
				kind: 'refund',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(1000, '10.00'),
				occurredAt: '2013-03-02T19:41:30.000Z',
				customer: { id: 'createSubs', name: 'createSubs', email: 'createSubs@test.com' },
				invoice: { id: '4' },
				payment: { method: 'direct_debit' },
			},
		]);
	});

	it('invoice_generated, posted and unpaid → a pending invoice for the amount due', () => {
		expect(normalize(fixtureJson('chargebee/invoice_generated.json'))).toEqual([
			{
				...common('ev_16CHTnSAx2s7J5Kv', 'invoice_generated'),
				kind: 'invoice',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(500000, '5000.00'),
				total: usd(500000, '5000.00'),
				amountPaid: usd(0, '0.00'),
				amountDue: usd(500000, '5000.00'),
				occurredAt: '2020-09-18T14:46:53.000Z',
				customer: { id: '16CHTpRzjKx2O7mo', name: 'Bob Jones' },
				invoice: { id: '19', number: '19' },
			},
		]);
	});

	it.each([
		['paid', 500000, 0, 'succeeded', 'Paid', usd(500000, '5000.00')],
		['payment_due', 200000, 300000, 'partially_paid', 'Partially paid', usd(200000, '2000.00')],
		['payment_due', 0, 500000, 'pending', 'Pending', usd(500000, '5000.00')],
		['not_paid', 0, 500000, 'failed', 'Failed', usd(500000, '5000.00')],
		['voided', 0, 500000, 'canceled', 'Failed', usd(500000, '5000.00')],
	])('an invoice %s with %d paid and %d due → %s', (invoiceStatus, paid, due, status, crmStatus, amount) => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/invoice_generated.json');
		Object.assign(body.content.invoice, { status: invoiceStatus, amount_paid: paid, amount_due: due });
		expect(normalize(body)[0]).toMatchObject({ kind: 'invoice', status, crmStatus, amount });
	});

	it('an event that is not about money → no events', () => {
		const body = fixtureJson<Json>('chargebee/payment_succeeded.json');
		body.event_type = 'customer_changed';
		expect(normalize(body)).toEqual([]);
	});

	it('a customer phone is normalized to E.164 with the billing country', () => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/payment_succeeded.json');
		body.content.customer.phone = '(216) 555-0134';
		expect(normalize(body)[0].customer?.phone).toBe('+12165550134');
	});
});

describe('Chargebee amounts and malformed events', () => {
	it('JPY is zero-decimal: 450000 is ¥450000', () => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/payment_succeeded.json');
		body.content.transaction.currency_code = 'JPY';
		expect(normalize(body)[0].amount).toEqual({ minor: 450000, value: '450000', currency: 'JPY', exponent: 0 });
	});

	it('KWD has three decimals: 450000 is 450.000 KWD', () => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/payment_succeeded.json');
		body.content.transaction.currency_code = 'KWD';
		expect(normalize(body)[0].amount).toEqual({ minor: 450000, value: '450.000', currency: 'KWD', exponent: 3 });
	});

	it.each([
		['a decimal amount', (body: ChargebeeEvent) => (body.content.transaction.amount = '4500.00'), 'content.transaction.amount'],
		['no transaction', (body: ChargebeeEvent) => delete (body.content as Json).transaction, 'content.transaction'],
		['an unknown status', (body: ChargebeeEvent) => (body.content.transaction.status = 'weird'), 'content.transaction.status'],
	])('%s → ProviderPayloadError naming %s', (_what, change, field) => {
		const body = fixtureJson<ChargebeeEvent>('chargebee/payment_succeeded.json');
		change(body);
		expect(payloadError(() => normalize(body)).field).toBe(field);
	});

	it('an event without occurred_at → ProviderPayloadError naming occurred_at', () => {
		const body = fixtureJson<Json>('chargebee/payment_succeeded.json');
		delete body.occurred_at;
		expect(payloadError(() => chargebee.parse({ body, headers: {} })).field).toBe('occurred_at');
	});
});

describe('Chargebee detection', () => {
	it.each([
		'chargebee/payment_succeeded.json',
		'chargebee/payment_failed.json',
		'chargebee/payment_refunded.json',
		'chargebee/refund_initiated.json',
		'chargebee/invoice_generated.json',
		'chargebee/payment_initiated.json',
	])('recognises %s (the body n8n’s Chargebee Trigger emits as is)', (file) => {
		expect(chargebee.detect({ body: fixtureJson(file), headers: {} })).toBe(true);
	});

	it.each(otherProviderSamples(['chargebee']))('does not claim %s', (_file, body) => {
		expect(chargebee.detect({ body, headers: {} })).toBe(false);
	});
});
