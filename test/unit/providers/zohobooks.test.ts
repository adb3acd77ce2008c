import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { zohobooks } from '../../../nodes/providers/zohobooks';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Samples in test/fixtures/zohobooks (see SOURCES.md there): the customer-payment and invoice objects of the
// Zoho Books API v3 docs, each under its module key as a workflow webhook posts the record (`${JSONString}`).
const receivedAt = new Date('2026-01-01T00:00:00Z');
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

type Json = Record<string, unknown>;
const paymentBody = () => fixtureJson<{ payment: Json }>('zohobooks/payment.webhook.json');
const invoiceBody = () => fixtureJson<{ invoice: Json }>('zohobooks/invoice.webhook.json');

function parse(body: unknown): ProviderEvent {
	const events = zohobooks.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return events[0];
}

const normalize = (body: unknown) => toPaymentEvents(zohobooks, parse(body), { receivedAt });

describe('Zoho Books customer payments', () => {
	const common = {
		schemaVersion: 1,
		provider: 'zohobooks',
		providerEventType: 'payment',
		livemode: true,
		// A payment has only its date.
		occurredAt: '2016-06-05T00:00:00.000Z',
		receivedAt: '2026-01-01T00:00:00.000Z',
		customer: { id: '903000000000099', name: 'Bowman Furniture', email: 'benjamin.george@bowmanfurniture.com' },
		invoice: { id: '90300000079426', number: 'INV-384' },
		payment: { id: '9030000079467', method: 'cash' },
		reference: 'INV-384',
		description: 'Payment has been added to INV-384',
	};

	it('the docs payment (450.00 USD, 50.00 refunded) → a partial refund of 50.00 out of 450.00', () => {
		expect(normalize(paymentBody())).toEqual([
			{
				...common,
				id: 'zohobooks:payment:9030000079467:success:refunded:50.00',
				providerEventId: 'payment:9030000079467:success:refunded:50.00',
				kind: 'refund',
				status: 'partially_refunded',
				crmStatus: 'Refunded',
				amount: usd(5000, '50.00'),
				total: usd(45000, '450.00'),
			},
		]);
	});

	it('the same payment with nothing refunded → Paid, 450.00 USD', () => {
		const body = paymentBody();
		body.payment.amount_refunded = 0;
		expect(normalize(body)).toEqual([
			{
				...common,
				id: 'zohobooks:payment:9030000079467:success',
				providerEventId: 'payment:9030000079467:success',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(45000, '450.00'),
			},
		]);
	});

	it('fully refunded → refunded; status failure → failed', () => {
		const refunded = paymentBody();
		refunded.payment.amount_refunded = 450;
		expect(normalize(refunded)[0]).toMatchObject({ kind: 'refund', status: 'refunded', amount: usd(45000, '450.00') });
		const failed = paymentBody();
		failed.payment.amount_refunded = 0;
		failed.payment.status = 'failure';
		expect(normalize(failed)[0]).toMatchObject({ kind: 'payment', status: 'failed', crmStatus: 'Failed' });
	});

	it('last_modified_time, when the record has it, is the time and part of the id', () => {
		const body = paymentBody();
		body.payment.amount_refunded = 0;
		body.payment.last_modified_time = '2016-06-05T18:24:51+0530';
		const [event] = normalize(body);
		expect(event.providerEventId).toBe('payment:9030000079467:2016-06-05T18:24:51+0530');
		expect(event.occurredAt).toBe('2016-06-05T12:54:51.000Z');
	});
});

describe('Zoho Books invoices', () => {
	it('the docs invoice (draft; total 10000, balance 40.6) → pending, owing 40.60 USD', () => {
		expect(normalize(invoiceBody())).toEqual([
			{
				schemaVersion: 1,
				id: 'zohobooks:invoice:982000000567114:2013-11-18T02:02:51-0800',
				provider: 'zohobooks',
				providerEventId: 'invoice:982000000567114:2013-11-18T02:02:51-0800',
				providerEventType: 'invoice',
				livemode: true,
				kind: 'invoice',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(4060, '40.60'),
				total: usd(1000000, '10000.00'),
				// What the invoice no longer owes: total - balance.
				amountPaid: usd(995940, '9959.40'),
				amountDue: usd(4060, '40.60'),
				// last_modified_time "2013-11-18T02:02:51-0800".
				occurredAt: '2013-11-18T10:02:51.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { id: '982000000567001', name: 'Bowman & Co' },
				invoice: {
					id: '982000000567114',
					number: 'INV-00003',
					url: 'https://books.zoho.com/SecurePayment?CInvoiceID=23d84d0cf64f9a72ea0c66fded25a08c8bafd0ab508aff05323a9f80e2cd03fdc5dd568d3d6407bbda969d3e870d740b6fce549a9438c4ea',
				},
			},
		]);
	});

	it.each([
		['sent', 'pending', 'Pending', usd(4060, '40.60')],
		['overdue', 'pending', 'Pending', usd(4060, '40.60')],
		['partially_paid', 'partially_paid', 'Partially paid', usd(995940, '9959.40')],
		['paid', 'succeeded', 'Paid', usd(995940, '9959.40')],
		['void', 'canceled', 'Failed', usd(1000000, '10000.00')],
	])('status %s → %s (%s)', (zohoStatus, status, crmStatus, amount) => {
		const body = invoiceBody();
		body.invoice.status = zohoStatus;
		expect(normalize(body)[0]).toMatchObject({ status, crmStatus, amount });
	});

	it('an email on the invoice is the customer’s', () => {
		const body = invoiceBody();
		body.invoice.email = 'willsmith@bowmanfurniture.com';
		expect(normalize(body)[0].customer).toEqual({
			id: '982000000567001',
			name: 'Bowman & Co',
			email: 'willsmith@bowmanfurniture.com',
		});
	});
});

describe('Zoho Books currencies', () => {
	it('amounts are decimal numbers at the currency’s ISO exponent (JPY 0, KWD 3)', () => {
		const jpy = paymentBody();
		Object.assign(jpy.payment, { currency_code: 'JPY', amount: 4500, amount_refunded: 0 });
		expect(normalize(jpy)[0].amount).toEqual({ minor: 4500, value: '4500', currency: 'JPY', exponent: 0 });
		const kwd = invoiceBody();
		Object.assign(kwd.invoice, { currency_code: 'KWD', total: 12.345, balance: 2.3 });
		expect(normalize(kwd)[0]).toMatchObject({
			amount: { minor: 2300, value: '2.300', currency: 'KWD', exponent: 3 },
			amountPaid: { minor: 10045, value: '10.045', currency: 'KWD', exponent: 3 },
		});
	});

	it('more decimals than the currency has, or no currency, → ProviderPayloadError naming the field', () => {
		const body = paymentBody();
		body.payment.amount = 450.005;
		expect(payloadError(() => zohobooks.normalize(parse(body), {})).field).toBe('payment.amount');
		const notANumber = invoiceBody();
		notANumber.invoice.total = 'ten';
		expect(payloadError(() => zohobooks.normalize(parse(notANumber), {})).field).toBe('invoice.total');
		const noCurrency = paymentBody();
		noCurrency.payment.currency_code = '';
		expect(zohobooks.detect({ body: noCurrency, headers: {} })).toBe(true);
		expect(payloadError(() => zohobooks.normalize(parse(noCurrency), {})).field).toBe('payment.amount currency');
	});
});

describe('Zoho Books malformed deliveries', () => {
	it('a balance above the total is refused', () => {
		const body = invoiceBody();
		body.invoice.balance = 20000;
		expect(payloadError(() => zohobooks.normalize(parse(body), {})).field).toBe('invoice.balance');
	});

	it('an invoice without last_modified_time or a payment without a date is named', () => {
		const invoice = invoiceBody();
		delete invoice.invoice.last_modified_time;
		expect(payloadError(() => zohobooks.parse({ body: invoice, headers: {} })).field).toBe('invoice.last_modified_time');
		const payment = paymentBody();
		payment.payment.date = '05/06/2016';
		expect(payloadError(() => zohobooks.parse({ body: payment, headers: {} })).field).toBe('payment.date');
	});

	it('a body with neither record', () => {
		expect(payloadError(() => zohobooks.parse({ body: { contact: {} }, headers: {} })).field).toBe('body');
	});
});

describe('Zoho Books detection', () => {
	it.each(['zohobooks/payment.webhook.json', 'zohobooks/invoice.webhook.json'])('recognises %s', (file) => {
		expect(zohobooks.detect({ body: fixtureJson(file), headers: {} })).toBe(true);
	});

	it('does not claim a contact webhook (not about money) or a Stripe event', () => {
		expect(zohobooks.detect({ body: { contact: { contact_id: 460000000026049 } }, headers: {} })).toBe(false);
		expect(zohobooks.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['zohobooks']))('does not claim %s', (_file, body) => {
		expect(zohobooks.detect({ body, headers: {} })).toBe(false);
	});
});
