import { easternToIso, freshbooks } from '../../../nodes/providers/freshbooks';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent, ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Samples in test/fixtures/freshbooks (see SOURCES.md there): the webhook form of FreshBooks' webhooks page,
// the callback.verify handshake of FreshBooks' classic webhooks docs, and the GET payment / GET invoice
// responses of the official freshbooks-nodejs-sdk tests.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

type Json = Record<string, unknown>;
const INVOICE_FORM = 'freshbooks/invoice.create.form.txt';
const VERIFY_FORM = 'freshbooks/callback.verify.form.txt';
const form = (file: string) => fixtureBytes(file).toString('utf8');
const paymentResponse = () => fixtureJson<{ response: { result: { payment: Json } } }>('freshbooks/payment.get.json');
const invoiceResponse = () => fixtureJson<{ response: { result: { invoice: Json } } }>('freshbooks/invoice.get.json');

function parse(input: ProviderInput | string | Json): ProviderEvent {
	const delivery = typeof input === 'object' && 'headers' in input ? (input as ProviderInput) : { body: input, headers: {} };
	const events = freshbooks.parse(delivery);
	expect(events).toHaveLength(1);
	return events[0];
}

// The SDK's payment test reads payment 115804 of account zDmNq: the notification that points at it.
const paymentNotification = { name: 'payment.create', object_id: '115804', account_id: 'zDmNq', user_id: '1' };

describe('FreshBooks notifications are thin', () => {
	it('the docs invoice.create form → one event that fetches the invoice', () => {
		const event = parse(form(INVOICE_FORM));
		expect(event).toEqual({
			id: '6BApk:invoice.create:1234567',
			type: 'invoice.create',
			data: { name: 'invoice.create', object_id: '1234567', account_id: '6BApk', user_id: '1' },
		});
		expect(freshbooks.complete!(event)).toEqual({
			method: 'GET',
			path: '/accounting/account/6BApk/invoices/invoices/1234567',
			description: 'the FreshBooks invoice 1234567 of account 6BApk',
		});
	});

	it('the same form as n8n’s Webhook node parses it, and as raw bytes only', () => {
		const fields = Object.fromEntries(new URLSearchParams(form(INVOICE_FORM)));
		expect(parse(fields).id).toBe('6BApk:invoice.create:1234567');
		expect(parse({ body: undefined, headers: {}, rawBody: fixtureBytes(INVOICE_FORM) }).id).toBe('6BApk:invoice.create:1234567');
	});

	it('payment.create fetches GET /accounting/account/{account_id}/payments/payments/{object_id}', () => {
		expect(freshbooks.complete!(parse(paymentNotification))).toEqual({
			method: 'GET',
			path: '/accounting/account/zDmNq/payments/payments/115804',
			description: 'the FreshBooks payment 115804 of account zDmNq',
		});
	});

	it('the callback.verify handshake is not an event: nothing to fetch, no canonical event', () => {
		const event = parse(form(VERIFY_FORM));
		expect(event.id).toBe('callback.verify:1');
		expect(event.type).toBe('callback.verify');
		expect((event.data as Json).verifier).toBe('3bPTNcPgbN76QLgKLSR9XdgQJWvhhN4xrT');
		expect(freshbooks.complete!(event)).toBeUndefined();
		expect(toPaymentEvents(freshbooks, event, { receivedAt })).toEqual([]);
	});

	it.each(['client.create', 'invoice.delete', 'payment.delete', 'estimate.update'])('%s → nothing fetched, []', (name) => {
		const event = parse({ ...paymentNotification, name });
		expect(freshbooks.complete!(event)).toBeUndefined();
		expect(toPaymentEvents(freshbooks, event, { receivedAt })).toEqual([]);
	});
});

describe('FreshBooks notifications completed with the fetched resource', () => {
	it('payment.create + the SDK payment → Paid, 100.00 USD, updated read as US Eastern time', () => {
		const event = parse(paymentNotification);
		expect(toPaymentEvents(freshbooks, event, { receivedAt, completion: paymentResponse() })).toEqual([
			{
				schemaVersion: 1,
				// updated "2019-11-29 12:18:29" is EST (UTC-5).
				id: 'freshbooks:zDmNq:payment.create:115804:2019-11-29T17:18:29.000Z',
				provider: 'freshbooks',
				providerEventId: 'zDmNq:payment.create:115804:2019-11-29T17:18:29.000Z',
				providerEventType: 'payment.create',
				livemode: true,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(10000, '100.00'),
				occurredAt: '2019-11-29T17:18:29.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { id: '212566' },
				invoice: { id: '197902' },
				payment: { id: '115804', method: 'Cash' },
			},
		]);
	});

	it('a deleted payment (vis_state 1) → canceled', () => {
		const completion = paymentResponse();
		completion.response.result.payment.vis_state = 1;
		expect(toPaymentEvents(freshbooks, parse(paymentNotification), { receivedAt, completion })[0]).toMatchObject({
			status: 'canceled',
			crmStatus: 'Failed',
		});
	});

	it('invoice.create + the SDK invoice (draft, unpaid) → pending invoice owing 1222.00 USD', () => {
		// The SDK sample is invoice 217506 of account xZNQ1X; the docs form names invoice 1234567 of 6BApk.
		const event = parse(form(INVOICE_FORM));
		expect(toPaymentEvents(freshbooks, event, { receivedAt, completion: invoiceResponse() })).toEqual([
			{
				schemaVersion: 1,
				id: 'freshbooks:6BApk:invoice.create:1234567:2019-11-14T16:27:45.000Z',
				provider: 'freshbooks',
				providerEventId: '6BApk:invoice.create:1234567:2019-11-14T16:27:45.000Z',
				providerEventType: 'invoice.create',
				livemode: true,
				kind: 'invoice',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(122200, '1222.00'),
				total: usd(122200, '1222.00'),
				amountPaid: usd(0, '0.00'),
				amountDue: usd(122200, '1222.00'),
				occurredAt: '2019-11-14T16:27:45.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { id: '217572', name: 'Gavin Belson', email: 'gavin.belson@domain.com', locale: 'en' },
				invoice: { id: '217506', number: 'SS007' },
				description: 'Consulting for apples.',
			},
		]);
	});

	it.each([
		['600.00', '622.00', 'partially_paid', 'Partially paid', usd(60000, '600.00')],
		['1222.00', '0.00', 'succeeded', 'Paid', usd(122200, '1222.00')],
	])('paid %s, outstanding %s → %s', (paid, outstanding, status, crmStatus, amount) => {
		const completion = invoiceResponse();
		completion.response.result.invoice.paid = { amount: paid, code: 'USD' };
		completion.response.result.invoice.outstanding = { amount: outstanding, code: 'USD' };
		expect(toPaymentEvents(freshbooks, parse(form(INVOICE_FORM)), { receivedAt, completion })[0]).toMatchObject({
			status,
			crmStatus,
			amount,
		});
	});

	it('an event normalized without its fetched resource names the missing completion', () => {
		expect(payloadError(() => freshbooks.normalize(parse(paymentNotification), {})).field).toBe('completion');
		expect(payloadError(() => freshbooks.normalize(parse(paymentNotification), { completion: invoiceResponse() })).field).toBe('completion');
	});
});

describe('FreshBooks money and time', () => {
	it('reads decimal strings in the currency code of the amount (JPY 0, KWD 3 decimals)', () => {
		const completion = paymentResponse();
		completion.response.result.payment.amount = { amount: '1500', code: 'JPY' };
		expect(toPaymentEvents(freshbooks, parse(paymentNotification), { receivedAt, completion })[0].amount).toEqual({
			minor: 1500,
			value: '1500',
			currency: 'JPY',
			exponent: 0,
		});
		completion.response.result.payment.amount = { amount: '12.345', code: 'KWD' };
		expect(toPaymentEvents(freshbooks, parse(paymentNotification), { receivedAt, completion })[0].amount).toEqual({
			minor: 12345,
			value: '12.345',
			currency: 'KWD',
			exponent: 3,
		});
	});

	it('a malformed amount or currency is named', () => {
		const completion = paymentResponse();
		completion.response.result.payment.amount = { amount: '10.001', code: 'USD' };
		expect(payloadError(() => freshbooks.normalize(parse(paymentNotification), { completion })).field).toBe(
			'response.result.payment.amount.amount',
		);
		completion.response.result.payment.amount = { amount: '10.00' };
		expect(payloadError(() => freshbooks.normalize(parse(paymentNotification), { completion })).field).toBe(
			'response.result.payment.amount.amount currency',
		);
	});

	it('an invoice whose paid amount is in another currency is refused', () => {
		const completion = invoiceResponse();
		completion.response.result.invoice.paid = { amount: '0.00', code: 'CAD' };
		expect(payloadError(() => freshbooks.normalize(parse(form(INVOICE_FORM)), { completion })).field).toBe('response.result.invoice.paid');
	});

	it('US Eastern wall time to UTC across daylight saving (the SDK’s own expectations)', () => {
		expect(easternToIso('2019-11-14 11:27:45', 'updated')).toBe('2019-11-14T16:27:45.000Z');
		expect(easternToIso('2021-10-17 05:48:42', 'updated')).toBe('2021-10-17T09:48:42.000Z');
		expect(payloadError(() => easternToIso('2019-11-14T11:27:45Z', 'updated')).field).toBe('updated');
	});

	it('a fetched resource without `updated` is named', () => {
		const completion = paymentResponse();
		delete completion.response.result.payment.updated;
		expect(payloadError(() => freshbooks.normalize(parse(paymentNotification), { completion })).field).toBe(
			'response.result.payment.updated',
		);
	});
});

describe('FreshBooks malformed deliveries', () => {
	it('a form without account_id, or not a FreshBooks form, → ProviderPayloadError naming the body', () => {
		expect(payloadError(() => freshbooks.parse({ body: 'name=payment.create&object_id=1', headers: {} })).field).toBe('body');
		expect(payloadError(() => freshbooks.parse({ body: { hello: 'world' }, headers: {} })).field).toBe('body');
	});

	it('complete() on an event that lost its account_id names it', () => {
		const event = { id: 'x', type: 'payment.create', data: { name: 'payment.create', object_id: '1' } };
		expect(payloadError(() => freshbooks.complete!(event)).field).toBe('account_id');
	});
});

describe('FreshBooks detection', () => {
	it.each([INVOICE_FORM, VERIFY_FORM])('recognises %s as posted, as parsed fields and as raw bytes', (file) => {
		expect(freshbooks.detect({ body: form(file), headers: {} })).toBe(true);
		expect(freshbooks.detect({ body: Object.fromEntries(new URLSearchParams(form(file))), headers: {} })).toBe(true);
		expect(freshbooks.detect({ body: undefined, headers: {}, rawBody: fixtureBytes(file) })).toBe(true);
	});

	it('does not claim the fetched API responses (they are not deliveries)', () => {
		expect(freshbooks.detect({ body: paymentResponse(), headers: {} })).toBe(false);
		expect(freshbooks.detect({ body: invoiceResponse(), headers: {} })).toBe(false);
	});

	it('does not claim a Stripe event', () => {
		expect(freshbooks.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['freshbooks']))('does not claim %s', (_file, body) => {
		expect(freshbooks.detect({ body, headers: {} })).toBe(false);
	});
});
