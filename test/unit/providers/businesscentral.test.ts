import { businesscentral } from '../../../nodes/providers/businesscentral';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

type Json = Record<string, unknown>;

const delivery = (body: unknown): ProviderInput => ({ body, headers: {} });
const invoiceRecord = (fields: Json = {}): Json => ({ ...fixtureJson('businesscentral/salesInvoice_get_response.json'), ...fields });
const paymentRecord = (fields: Json = {}): Json => ({ ...fixtureJson('businesscentral/customerPayment_get_response.json'), ...fields });
const notifications = () => fixtureJson<{ value: Json[] }>('businesscentral/webhook_notification.json');

function normalizeAll(body: unknown, completion?: unknown) {
	return businesscentral.parse(delivery(body)).flatMap((event) => toPaymentEvents(businesscentral, event, { receivedAt, completion }));
}

const usd = (value: string, minor: number) => ({ minor, value, currency: 'USD', exponent: 2 });

// The documented invoice: PS-INV103001, total 172.94 USD, remainingAmount 0, status Paid, modified 2020-08-21T00:25:58.337Z.
const PAID_INVOICE_ID = '9e0f5c9c-44e3-ea11-bb43-000d3a2feca1:Paid:0:2020-08-21T00:25:58.337Z';
const paidInvoiceEvent = (providerEventId: string, providerEventType: string) => ({
	schemaVersion: 1,
	id: `businesscentral:${providerEventId}`,
	provider: 'businesscentral',
	providerEventId,
	providerEventType,
	livemode: true,
	kind: 'invoice',
	status: 'succeeded',
	crmStatus: 'Paid',
	amount: usd('172.94', 17294),
	total: usd('172.94', 17294),
	amountPaid: usd('172.94', 17294),
	amountDue: usd('0.00', 0),
	occurredAt: '2020-08-21T00:25:58.337Z',
	receivedAt: '2026-01-01T00:00:00.000Z',
	customer: { id: '20000', name: 'Trey Research', email: 'helen.ray@contoso.com' },
	invoice: { id: '9e0f5c9c-44e3-ea11-bb43-000d3a2feca1', number: 'PS-INV103001' },
});

describe('businesscentral adapter', () => {
	describe('salesInvoices records (GET companies({id})/salesInvoices({id}))', () => {
		it('maps the documented paid invoice to a paid invoice event', () => {
			expect(normalizeAll(invoiceRecord())).toEqual([paidInvoiceEvent(PAID_INVOICE_ID, 'salesInvoice')]);
		});

		it('gives a re-read unchanged invoice the same id, and a new id once its payment state changes', () => {
			const [first] = businesscentral.parse(delivery(invoiceRecord()));
			const [again] = businesscentral.parse(delivery(invoiceRecord()));
			const [open] = businesscentral.parse(delivery(invoiceRecord({ status: 'Open', remainingAmount: 172.94 })));
			expect(again.id).toBe(first.id);
			expect(open.id).toBe('9e0f5c9c-44e3-ea11-bb43-000d3a2feca1:Open:172.94:2020-08-21T00:25:58.337Z');
		});

		it('an Open invoice with nothing paid is pending for the amount due', () => {
			const [event] = normalizeAll(invoiceRecord({ status: 'Open', remainingAmount: 172.94 }));
			expect(event).toMatchObject({
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd('172.94', 17294),
				amountPaid: usd('0.00', 0),
				amountDue: usd('172.94', 17294),
			});
		});

		it('an Open invoice paid in part is partially paid for what was paid', () => {
			const [event] = normalizeAll(invoiceRecord({ status: 'Open', remainingAmount: 72.94 }));
			expect(event).toMatchObject({
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: usd('100.00', 10000),
				amountPaid: usd('100.00', 10000),
				amountDue: usd('72.94', 7294),
			});
		});

		it('Canceled and Corrective invoices are canceled for their total', () => {
			for (const status of ['Canceled', 'Corrective']) {
				const [event] = normalizeAll(invoiceRecord({ status, remainingAmount: 0 }));
				expect(event).toMatchObject({ status: 'canceled', crmStatus: 'Failed', amount: usd('172.94', 17294) });
			}
		});

		it('unposted invoices (Draft, In Review, blank) owe nothing yet and yield no event', () => {
			for (const status of ['Draft', 'In Review', ' ']) {
				expect(normalizeAll(invoiceRecord({ status, remainingAmount: 172.94 }))).toEqual([]);
			}
		});

		it('refuses an empty currencyCode (the local currency, which the record does not name)', () => {
			const error = payloadError(() => normalizeAll(invoiceRecord({ currencyCode: '' })));
			expect(error.field).toBe('currencyCode');
			expect(error.message).toMatch(/local currency/);
		});

		it('reads amounts exactly in other currency exponents', () => {
			const amountOf = (fields: Json) => normalizeAll(invoiceRecord(fields))[0].total;
			expect(amountOf({ currencyCode: 'JPY', totalAmountIncludingTax: 17294 })).toEqual({
				minor: 17294,
				value: '17294',
				currency: 'JPY',
				exponent: 0,
			});
			expect(amountOf({ currencyCode: 'KWD', totalAmountIncludingTax: 172.945 })).toEqual({
				minor: 172945,
				value: '172.945',
				currency: 'KWD',
				exponent: 3,
			});
			expect(payloadError(() => amountOf({ currencyCode: 'JPY', totalAmountIncludingTax: 172.94 })).field).toBe(
				'totalAmountIncludingTax',
			);
		});

		it('names the field of a malformed invoice', () => {
			expect(payloadError(() => normalizeAll(invoiceRecord({ status: 'Posted' }))).field).toBe('status');
			expect(payloadError(() => normalizeAll(invoiceRecord({ remainingAmount: 200 }))).field).toBe('remainingAmount');
			expect(payloadError(() => normalizeAll(invoiceRecord({ totalAmountIncludingTax: null }))).field).toBe(
				'totalAmountIncludingTax',
			);
			expect(payloadError(() => normalizeAll(invoiceRecord({ lastModifiedDateTime: '2020-08-21' }))).field).toBe(
				'lastModifiedDateTime',
			);
		});

		it('gives each record of an OData list its own event', () => {
			const list = {
				'@odata.context': 'https://api.businesscentral.dynamics.com/v2.0/$metadata#companies(1)/salesInvoices',
				value: [invoiceRecord(), invoiceRecord({ id: 'a1', status: 'Open', remainingAmount: 172.94 })],
			};
			expect(businesscentral.detect(delivery(list))).toBe(true);
			expect(normalizeAll(list).map((event) => [event.providerEventId, event.status])).toEqual([
				[PAID_INVOICE_ID, 'succeeded'],
				['a1:Open:172.94:2020-08-21T00:25:58.337Z', 'pending'],
			]);
			expect(payloadError(() => businesscentral.parse(delivery({ value: [invoiceRecord(), { id: 'x' }] }))).field).toBe(
				'value.1',
			);
		});
	});

	describe('customerPayments records (payment journal lines)', () => {
		it('refuses the documented line as published: it has no currencyCode', () => {
			expect(payloadError(() => normalizeAll(paymentRecord())).field).toBe('currencyCode');
		});

		it('maps a line with the company currency supplied to a pending payment', () => {
			expect(normalizeAll(paymentRecord({ currencyCode: 'USD' }))).toEqual([
				{
					schemaVersion: 1,
					id: 'businesscentral:17cce948-c6a5-4861-8ff5-30428ed83207:2017-03-17T19:02:22.043Z',
					provider: 'businesscentral',
					providerEventId: '17cce948-c6a5-4861-8ff5-30428ed83207:2017-03-17T19:02:22.043Z',
					providerEventType: 'customerPayment',
					livemode: true,
					kind: 'payment',
					status: 'pending',
					crmStatus: 'Pending',
					amount: usd('1500.00', 150000),
					occurredAt: '2017-03-17T19:02:22.043Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '10400' },
					payment: { id: '17cce948-c6a5-4861-8ff5-30428ed83207' },
					invoice: { id: 'appliesToInvoiceId-value', number: '100000' },
					reference: '1234',
				},
			]);
		});

		it('a negative journal amount is still a magnitude', () => {
			const [event] = normalizeAll(paymentRecord({ currencyCode: 'USD', amount: -1500 }));
			expect(event.amount).toEqual(usd('1500.00', 150000));
		});
	});

	describe('webhook notifications (thin: the resource is fetched)', () => {
		it('parses each notification of the documented delivery', () => {
			expect(businesscentral.parse(delivery(notifications())).map((event) => [event.id, event.type, event.occurredAt])).toEqual([
				[
					'webhookItemsId:api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/items(26814998-936a-401c-81c1-0e848a64971d):updated:2018-10-26T12:54:20.467Z',
					'items.updated',
					'2018-10-26T12:54:20.467Z',
				],
				[
					'webhookCustomersId:api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3):created:2018-10-26T12:54:26.057Z',
					'customers.created',
					'2018-10-26T12:54:26.057Z',
				],
				[
					'webhookCustomersId:api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/customers(4b4f31f0-dc1c-4033-b2aa-ab03ca1d6ebc):deleted:2018-10-26T12:54:30.503Z',
					'customers.deleted',
					'2018-10-26T12:54:30.503Z',
				],
				[
					'salesInvoice:/api/v2.0/companies(7dbba574-5f69-4167-a43e-fb975045de15)/salesInvoices?$filter=lastDateTimeModified%20gt%202018-10-15T11:00:00Z:collection:2018-10-26T12:54:30.503Z',
					'salesInvoices.collection',
					'2018-10-26T12:54:30.503Z',
				],
			]);
		});

		it('fetches nothing for items and customers, and they yield no payment event', () => {
			const [items, created, deleted] = businesscentral.parse(delivery(notifications()));
			for (const event of [items, created, deleted]) {
				expect(businesscentral.complete!(event)).toBeUndefined();
				expect(toPaymentEvents(businesscentral, event, { receivedAt })).toEqual([]);
			}
		});

		it('a salesInvoices collection notification fetches the filtered list and maps every invoice in it', () => {
			const collection = businesscentral.parse(delivery(notifications()))[3];
			expect(businesscentral.complete!(collection)).toEqual({
				method: 'GET',
				path: '/api/v2.0/companies(7dbba574-5f69-4167-a43e-fb975045de15)/salesInvoices',
				qs: { $filter: 'lastDateTimeModified gt 2018-10-15T11:00:00Z' },
				description:
					'the Business Central sales invoices /api/v2.0/companies(7dbba574-5f69-4167-a43e-fb975045de15)/salesInvoices',
			});
			// The OData list response of that GET, holding the documented invoice.
			const completion = { value: [invoiceRecord()] };
			expect(toPaymentEvents(businesscentral, collection, { receivedAt, completion })).toEqual([
				paidInvoiceEvent(PAID_INVOICE_ID, 'salesInvoices.collection'),
			]);
		});

		it('a salesInvoices update fetches that invoice; its event has the id a poller reading it would give', () => {
			const body = notifications();
			body.value = [
				{
					...body.value[0],
					subscriptionId: 'webhookSalesInvoicesId',
					resource: 'api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/salesInvoices(9e0f5c9c-44e3-ea11-bb43-000d3a2feca1)',
				},
			];
			const [event] = businesscentral.parse(delivery(body));
			expect(event.type).toBe('salesInvoices.updated');
			expect(businesscentral.complete!(event)).toEqual({
				method: 'GET',
				path: '/api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/salesInvoices(9e0f5c9c-44e3-ea11-bb43-000d3a2feca1)',
				description:
					'the Business Central sales invoice api/v2.0/companies(b18aed47-c385-49d2-b954-dbdf8ad71780)/salesInvoices(9e0f5c9c-44e3-ea11-bb43-000d3a2feca1)',
			});
			expect(toPaymentEvents(businesscentral, event, { receivedAt, completion: invoiceRecord() })).toEqual([
				paidInvoiceEvent(PAID_INVOICE_ID, 'salesInvoices.updated'),
			]);
			expect(payloadError(() => businesscentral.normalize(event, {})).field).toBe('completion');
			expect(payloadError(() => businesscentral.normalize(event, { completion: paymentRecord() })).field).toBe('completion');

			const deleted = businesscentral.parse(delivery({ value: [{ ...body.value[0], changeType: 'deleted' }] }))[0];
			expect(businesscentral.complete!(deleted)).toBeUndefined();
			expect(businesscentral.normalize(deleted, {})).toEqual([]);
		});

		it('names the field of a malformed notification', () => {
			const body = notifications();
			body.value[1] = { ...body.value[1], lastModifiedDateTime: undefined };
			expect(payloadError(() => businesscentral.parse(delivery(body))).field).toBe('value.1.lastModifiedDateTime');
			expect(payloadError(() => businesscentral.parse(delivery('value=1'))).field).toBe('body');
			expect(payloadError(() => businesscentral.parse(delivery({ id: 'x' }))).field).toBe('body');
		});
	});

	describe('detect', () => {
		it.each([
			['salesInvoice record', invoiceRecord()],
			['customerPayment record', paymentRecord()],
			['webhook notification', notifications()],
		])('recognises a %s', (_name, body) => {
			expect(businesscentral.detect(delivery(body))).toBe(true);
		});

		it('does not claim a Stripe event', () => {
			expect(businesscentral.detect(delivery(fixtureJson('stripe/charge.succeeded.json')))).toBe(false);
		});

		it('does not claim an empty OData list or a Microsoft Graph-style notification of another service', () => {
			expect(businesscentral.detect(delivery({ value: [] }))).toBe(false);
			const other = { value: [{ subscriptionId: 's', changeType: 'updated', resource: 'me/messages/1', clientState: 'x' }] };
			expect(businesscentral.detect(delivery(other))).toBe(false);
		});

		it.each(otherProviderSamples(['businesscentral']))('does not claim %s', (_name, body) => {
			expect(businesscentral.detect(delivery(body))).toBe(false);
		});
	});
});
