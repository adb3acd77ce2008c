import { toPaymentEvents } from '../../../nodes/providers/index';
import { quickbooks } from '../../../nodes/providers/quickbooks';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

function input(file: string): ProviderInput {
	return { body: fixtureJson(file), headers: {}, rawBody: fixtureBytes(file) };
}

type Json = Record<string, unknown>;

/** The legacy notification sample with its one entity re-pointed (the samples only show a Customer). */
function legacyNotification(entity: Json): ProviderInput {
	const body = fixtureJson<{ eventNotifications: Array<{ dataChangeEvent: { entities: Json[] } }> }>(
		'quickbooks/legacy_eventNotifications_customer_create.raw.json',
	);
	const entities = body.eventNotifications[0].dataChangeEvent.entities;
	entities[0] = { ...entities[0], ...entity };
	return { body, headers: {} };
}

/** The CloudEvents sample re-pointed at another entity and operation. */
function cloudEvent(fields: Json): ProviderInput {
	const body = fixtureJson<Json[]>('quickbooks/cloudevents_class_created.raw.json');
	body[0] = { ...body[0], ...fields };
	return { body, headers: {} };
}

/**
 * Intuit's documented read responses predate CurrencyRef being returned on every entity (it is at minor
 * version 75); this adds it in the documented shape, `{ value, name }`.
 */
function withCurrency(file: string, key: 'Payment' | 'Invoice', fields: Json = {}, currency = 'USD'): Json {
	const response = fixtureJson<Json>(file);
	response[key] = { ...(response[key] as Json), CurrencyRef: { value: currency, name: 'United States Dollar' }, ...fields };
	return response;
}

const usd = (value: string, minor: number) => ({ minor, value, currency: 'USD', exponent: 2 });

function normalizeOne(delivery: ProviderInput, completion: unknown) {
	const [event] = quickbooks.parse(delivery);
	return toPaymentEvents(quickbooks, event, { receivedAt, completion });
}

describe('quickbooks adapter', () => {
	describe('shared fixtures', () => {
		it('legacy Customer Create: one event, nothing to fetch, no payment event', () => {
			const events = quickbooks.parse(input('quickbooks/legacy_eventNotifications_customer_create.raw.json'));
			expect(events).toEqual([
				{
					id: '1185883450:Customer:1:Create:2015-10-05T14:42:19-0700',
					type: 'Customer.Create',
					occurredAt: '2015-10-05T21:42:19.000Z',
					data: { realmId: '1185883450', entity: 'customer', entityId: '1', operation: 'create' },
				},
			]);
			expect(quickbooks.complete!(events[0])).toBeUndefined();
			expect(toPaymentEvents(quickbooks, events[0], { receivedAt })).toEqual([]);
		});

		it('CloudEvents qbo.class.created.v1: one event keyed by its CloudEvent id, no payment event', () => {
			const events = quickbooks.parse(input('quickbooks/cloudevents_class_created.raw.json'));
			expect(events).toEqual([
				{
					id: 'd1a3aedd-9670-41bf-a4f9-c148a1cc4e03',
					type: 'qbo.class.created.v1',
					occurredAt: '2025-10-07T19:59:07.034Z',
					data: { realmId: '310687', entity: 'class', entityId: '1234', operation: 'created' },
				},
			]);
			expect(quickbooks.complete!(events[0])).toBeUndefined();
			expect(toPaymentEvents(quickbooks, events[0], { receivedAt })).toEqual([]);
		});

		it('gives each entity of a batched notification its own event', () => {
			const delivery = legacyNotification({});
			const body = delivery.body as { eventNotifications: Array<{ dataChangeEvent: { entities: Json[] } }> };
			const entities = body.eventNotifications[0].dataChangeEvent.entities;
			entities.push({ ...entities[0], name: 'Payment', id: '163' });
			expect(quickbooks.parse(delivery).map((event) => event.id)).toEqual([
				'1185883450:Customer:1:Create:2015-10-05T14:42:19-0700',
				'1185883450:Payment:163:Create:2015-10-05T14:42:19-0700',
			]);
		});
	});

	describe('payments (thin: fetched with GET /payment/{id})', () => {
		const paymentCreate = () => legacyNotification({ name: 'Payment', id: '163' });

		it('asks for the payment with the minor version Intuit requires', () => {
			const [event] = quickbooks.parse(paymentCreate());
			expect(quickbooks.complete!(event)).toEqual({
				method: 'GET',
				path: '/v3/company/1185883450/payment/163',
				qs: { minorversion: '75' },
				headers: { Accept: 'application/json' },
				description: 'the QuickBooks payment 163 of company 1185883450',
			});
		});

		it('maps the documented Payment read response (65.00, applied to invoice 70) to a succeeded payment', () => {
			expect(normalizeOne(paymentCreate(), withCurrency('quickbooks/payment_read_response.json', 'Payment'))).toEqual([
				{
					schemaVersion: 1,
					id: 'quickbooks:1185883450:Payment:163:Create:2015-10-05T14:42:19-0700',
					provider: 'quickbooks',
					providerEventId: '1185883450:Payment:163:Create:2015-10-05T14:42:19-0700',
					providerEventType: 'Payment.Create',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: usd('65.00', 6500),
					// MetaData.LastUpdatedTime 2015-01-16T15:08:12-08:00
					occurredAt: '2015-01-16T23:08:12.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '20', name: 'Red Rock Diner' },
					payment: { id: '163' },
					invoice: { id: '70' },
				},
			]);
		});

		it('refuses a payment without CurrencyRef (the documented sample as printed) rather than guess the currency', () => {
			const error = payloadError(() => normalizeOne(paymentCreate(), fixtureJson('quickbooks/payment_read_response.json')));
			expect(error.field).toBe('Payment.CurrencyRef.value');
		});

		it('a voided payment is canceled', () => {
			const voided = withCurrency('quickbooks/payment_read_response.json', 'Payment', { TotalAmt: 0, UnappliedAmt: 0 });
			const [event] = normalizeOne(legacyNotification({ name: 'Payment', id: '163', operation: 'Void' }), voided);
			expect(event).toMatchObject({ status: 'canceled', crmStatus: 'Failed', amount: usd('0.00', 0) });
		});

		it('a deleted payment cannot be read back, so it yields nothing', () => {
			const [event] = quickbooks.parse(legacyNotification({ name: 'Payment', id: '163', operation: 'Delete' }));
			expect(quickbooks.complete!(event)).toBeUndefined();
			expect(quickbooks.normalize(event, {})).toEqual([]);
		});

		it('reads JSON-number amounts exactly in every currency exponent', () => {
			const amountOf = (TotalAmt: number, currency: string) =>
				normalizeOne(paymentCreate(), withCurrency('quickbooks/payment_read_response.json', 'Payment', { TotalAmt }, currency))[0]
					.amount;
			expect(amountOf(1500, 'JPY')).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			expect(amountOf(10.125, 'BHD')).toEqual({ minor: 10125, value: '10.125', currency: 'BHD', exponent: 3 });
			expect(amountOf(4.35, 'USD')).toEqual(usd('4.35', 435));
			expect(payloadError(() => amountOf(10.5, 'JPY')).field).toBe('Payment.TotalAmt');
		});
	});

	describe('invoices (thin: fetched with GET /invoice/{id})', () => {
		const invoiceUpdated = () => cloudEvent({ type: 'qbo.invoice.updated.v1', intuitentityid: '130' });
		const invoice = (fields: Json = {}) => withCurrency('quickbooks/invoice_read_response.json', 'Invoice', fields);

		it('asks for the invoice named by the CloudEvent', () => {
			const [event] = quickbooks.parse(invoiceUpdated());
			expect(quickbooks.complete!(event)).toEqual({
				method: 'GET',
				path: '/v3/company/310687/invoice/130',
				qs: { minorversion: '75' },
				headers: { Accept: 'application/json' },
				description: 'the QuickBooks invoice 130 of company 310687',
			});
		});

		it('maps the documented Invoice (Balance == TotalAmt == 362.07) to a pending invoice', () => {
			expect(normalizeOne(invoiceUpdated(), invoice())).toEqual([
				{
					schemaVersion: 1,
					id: 'quickbooks:d1a3aedd-9670-41bf-a4f9-c148a1cc4e03',
					provider: 'quickbooks',
					providerEventId: 'd1a3aedd-9670-41bf-a4f9-c148a1cc4e03',
					providerEventType: 'qbo.invoice.updated.v1',
					livemode: true,
					kind: 'invoice',
					status: 'pending',
					crmStatus: 'Pending',
					amount: usd('362.07', 36207),
					total: usd('362.07', 36207),
					amountPaid: usd('0.00', 0),
					amountDue: usd('362.07', 36207),
					// MetaData.LastUpdatedTime 2014-09-19T13:16:17-07:00
					occurredAt: '2014-09-19T20:16:17.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '24', name: 'Sonnenschein Family Store', email: 'Familiystore@intuit.com' },
					invoice: { id: '130', number: '1037' },
					description: 'Thank you for your business and have a great day!',
				},
			]);
		});

		it('0 < Balance < TotalAmt is partially paid for what was paid', () => {
			const [event] = normalizeOne(invoiceUpdated(), invoice({ Balance: 100.0 }));
			expect(event).toMatchObject({
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: usd('262.07', 26207),
				amountPaid: usd('262.07', 26207),
				amountDue: usd('100.00', 10000),
			});
		});

		it('Balance 0 is paid in full', () => {
			const [event] = normalizeOne(invoiceUpdated(), invoice({ Balance: 0 }));
			expect(event).toMatchObject({
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd('362.07', 36207),
				amountDue: usd('0.00', 0),
			});
		});

		it('a voided invoice is canceled (legacy Void and CloudEvents voided)', () => {
			const voided = invoice({ TotalAmt: 0, Balance: 0 });
			expect(normalizeOne(legacyNotification({ name: 'Invoice', id: '130', operation: 'Void' }), voided)[0].status).toBe('canceled');
			expect(normalizeOne(cloudEvent({ type: 'qbo.invoice.voided.v1', intuitentityid: '130' }), voided)[0].status).toBe('canceled');
		});

		it('a deleted invoice yields nothing', () => {
			const [event] = quickbooks.parse(cloudEvent({ type: 'qbo.invoice.deleted.v1', intuitentityid: '130' }));
			expect(quickbooks.complete!(event)).toBeUndefined();
			expect(quickbooks.normalize(event, {})).toEqual([]);
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => quickbooks.parse({ body: { eventNotifications: {} }, headers: {} })).field).toBe(
				'eventNotifications',
			);
			expect(payloadError(() => quickbooks.parse(legacyNotification({ id: undefined }))).field).toBe(
				'eventNotifications.0.dataChangeEvent.entities.0.id',
			);
			expect(payloadError(() => quickbooks.parse(cloudEvent({ type: 'com.example.other' }))).field).toBe('0.type');
			expect(payloadError(() => quickbooks.parse(cloudEvent({ intuitaccountid: undefined }))).field).toBe('0.intuitaccountid');
			const [event] = quickbooks.parse(legacyNotification({ name: 'Payment', id: '163' }));
			expect(payloadError(() => quickbooks.normalize(event, {})).field).toBe('completion');
			expect(payloadError(() => quickbooks.normalize(event, { completion: { Fault: {} } })).field).toBe('Payment');
			const [invoiceEvent] = quickbooks.parse(legacyNotification({ name: 'Invoice', id: '130' }));
			const overdrawn = withCurrency('quickbooks/invoice_read_response.json', 'Invoice', { Balance: 400 });
			expect(payloadError(() => quickbooks.normalize(invoiceEvent, { completion: overdrawn })).field).toBe('Invoice.Balance');
		});
	});

	describe('detect', () => {
		it('recognises both notification formats', () => {
			expect(quickbooks.detect(input('quickbooks/legacy_eventNotifications_customer_create.raw.json'))).toBe(true);
			expect(quickbooks.detect(input('quickbooks/cloudevents_class_created.raw.json'))).toBe(true);
		});

		it('does not claim the fetched API responses or a Stripe event', () => {
			expect(quickbooks.detect(input('quickbooks/payment_read_response.json'))).toBe(false);
			expect(quickbooks.detect(input('quickbooks/invoice_read_response.json'))).toBe(false);
			expect(quickbooks.detect(input('stripe/charge.succeeded.json'))).toBe(false);
		});

		it.each(otherProviderSamples(['quickbooks']))('does not claim %s', (_name, body, rawBody) => {
			expect(quickbooks.detect({ body, headers: {}, rawBody })).toBe(false);
		});
	});
});
