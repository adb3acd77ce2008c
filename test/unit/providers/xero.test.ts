import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderInput } from '../../../nodes/providers/types';
import { xero } from '../../../nodes/providers/xero';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

function input(file: string): ProviderInput {
	return { body: fixtureJson(file), headers: {}, rawBody: fixtureBytes(file) };
}

const getInvoice = () => fixtureJson<{ Invoices: Array<Record<string, unknown>> }>('xero/get_invoice_response.json');

/** The fetched invoice with some of its fields changed, for statuses and currencies the sample does not show. */
function invoiceWith(fields: Record<string, unknown>) {
	const response = getInvoice();
	response.Invoices[0] = { ...response.Invoices[0], ...fields };
	return response;
}

/** Xero's contact_update sample, re-pointed at the invoice of the GET Invoice sample. */
function invoiceUpdate(): ProviderInput {
	const body = fixtureJson<{ events: Array<Record<string, unknown>> }>('xero/contact_update.json');
	body.events[0] = {
		...body.events[0],
		resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/0032f627-3156-4d30-9b1c-4d3b994dc921',
		resourceId: '0032f627-3156-4d30-9b1c-4d3b994dc921',
		eventCategory: 'INVOICE',
	};
	return { body, headers: {} };
}

function normalizeInvoice(completion: unknown) {
	const [event] = xero.parse(invoiceUpdate());
	return toPaymentEvents(xero, event, { receivedAt, completion });
}

const aud = (value: string, minor: number) => ({ minor, value, currency: 'AUD', exponent: 2 });

describe('xero adapter', () => {
	describe('shared fixtures', () => {
		it('contact_update: one CONTACT.UPDATE event, nothing to fetch, no payment event', () => {
			const events = xero.parse(input('xero/contact_update.json'));
			expect(events).toEqual([
				{
					id: '717f2bfc-c6d4-41fd-b238-3f2f0c0cf777:UPDATE:2024-06-21T01:15:39.902',
					type: 'CONTACT.UPDATE',
					occurredAt: '2024-06-21T01:15:39.902Z',
					data: fixtureJson<{ events: unknown[] }>('xero/contact_update.json').events[0],
				},
			]);
			expect(xero.complete!(events[0])).toBeUndefined();
			expect(toPaymentEvents(xero, events[0], { receivedAt })).toEqual([]);
		});

		it('creditnote_create: one CREDITNOTE.CREATE event that is not mapped', () => {
			const events = xero.parse(input('xero/creditnote_create.json'));
			expect(events.map(({ id, type, occurredAt }) => ({ id, type, occurredAt }))).toEqual([
				{
					id: '55d84274-a3da-4829-a7c0-0cab601b95cc:CREATE:2025-12-02T00:44:09.923',
					type: 'CREDITNOTE.CREATE',
					occurredAt: '2025-12-02T00:44:09.923Z',
				},
			]);
			expect(xero.complete!(events[0])).toBeUndefined();
			expect(toPaymentEvents(xero, events[0], { receivedAt })).toEqual([]);
		});

		it('intent_to_receive: recognised, and holds no events', () => {
			expect(xero.detect(input('xero/intent_to_receive.json'))).toBe(true);
			expect(xero.parse(input('xero/intent_to_receive.json'))).toEqual([]);
		});
	});

	describe('invoice events (thin: fetched with GET Invoices/{id})', () => {
		it('asks for the invoice named by the event, and says which tenant header to send', () => {
			const [event] = xero.parse(invoiceUpdate());
			expect(event.type).toBe('INVOICE.UPDATE');
			expect(at(event.data, 'tenantId')).toBe('c2cc9b6e-9458-4c7d-93cc-f02b81b0594f');
			expect(xero.complete!(event)).toEqual({
				method: 'GET',
				path: '/api.xro/2.0/Invoices/0032f627-3156-4d30-9b1c-4d3b994dc921',
				headers: { 'Xero-tenant-id': 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f' },
				description: 'the Xero invoice 0032f627-3156-4d30-9b1c-4d3b994dc921 of tenant c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
			});
		});

		it('maps the xero-node GET Invoice sample (PAID, 148.50 AUD) to a paid invoice', () => {
			expect(normalizeInvoice(getInvoice())).toEqual([
				{
					schemaVersion: 1,
					id: 'xero:0032f627-3156-4d30-9b1c-4d3b994dc921:UPDATE:2024-06-21T01:15:39.902',
					provider: 'xero',
					providerEventId: '0032f627-3156-4d30-9b1c-4d3b994dc921:UPDATE:2024-06-21T01:15:39.902',
					providerEventType: 'INVOICE.UPDATE',
					livemode: true,
					kind: 'invoice',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: aud('148.50', 14850),
					total: aud('148.50', 14850),
					amountPaid: aud('148.50', 14850),
					amountDue: aud('0.00', 0),
					// UpdatedDateUTC "/Date(1221560931500+0000)/"
					occurredAt: '2008-09-16T10:28:51.500Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: 'd6a384fb-f46f-41a3-8ac7-b7bc9e0b5efa', name: 'Melrose Parking', phone: '08004389376' },
					invoice: { id: '0032f627-3156-4d30-9b1c-4d3b994dc921', number: '9871' },
					payment: { id: '22974891-3689-4694-9ee7-fd2ba917af55' },
					metadata: { invoiceType: 'ACCPAY' },
				},
			]);
		});

		it('AUTHORISED with a payment applied is partially paid; the amount is what was paid', () => {
			const [event] = normalizeInvoice(invoiceWith({ Status: 'AUTHORISED', AmountPaid: 100.0, AmountDue: 48.5 }));
			expect(event).toMatchObject({
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: aud('100.00', 10000),
				amountPaid: aud('100.00', 10000),
				amountDue: aud('48.50', 4850),
				total: aud('148.50', 14850),
			});
		});

		it('AUTHORISED with nothing paid is pending for the amount due', () => {
			const [event] = normalizeInvoice(invoiceWith({ Status: 'AUTHORISED', AmountPaid: 0.0, AmountDue: 148.5, Payments: [] }));
			expect(event).toMatchObject({ status: 'pending', crmStatus: 'Pending', amount: aud('148.50', 14850) });
			expect(event.payment).toBeUndefined();
		});

		it('VOIDED is canceled for the invoice total', () => {
			const [event] = normalizeInvoice(invoiceWith({ Status: 'VOIDED', AmountPaid: 0.0, AmountDue: 0.0 }));
			expect(event).toMatchObject({ status: 'canceled', crmStatus: 'Failed', amount: aud('148.50', 14850) });
		});

		it('DRAFT, SUBMITTED and DELETED invoices are not payment events', () => {
			for (const Status of ['DRAFT', 'SUBMITTED', 'DELETED']) expect(normalizeInvoice(invoiceWith({ Status }))).toEqual([]);
		});

		it('reads JSON-number amounts exactly in every currency exponent', () => {
			const paidOf = (CurrencyCode: string, Total: number) =>
				normalizeInvoice(invoiceWith({ CurrencyCode, Total, AmountPaid: Total, AmountDue: 0 }))[0].amount;
			expect(paidOf('JPY', 1500)).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			expect(paidOf('KWD', 12.345)).toEqual({ minor: 12345, value: '12.345', currency: 'KWD', exponent: 3 });
			expect(paidOf('AUD', 4.35)).toEqual(aud('4.35', 435));
			expect(payloadError(() => paidOf('JPY', 1500.5)).field).toBe('Invoices.0.Total');
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => xero.parse({ body: { events: {}, entropy: 'x' }, headers: {} })).field).toBe('events');
			const body = fixtureJson<{ events: Array<Record<string, unknown>> }>('xero/contact_update.json');
			delete body.events[0].resourceId;
			expect(payloadError(() => xero.parse({ body, headers: {} })).field).toBe('events.0.resourceId');
			const [event] = xero.parse(invoiceUpdate());
			expect(payloadError(() => xero.normalize(event, {})).field).toBe('completion');
			expect(payloadError(() => xero.normalize(event, { completion: { Invoices: [] } })).field).toBe('Invoices.0');
			expect(payloadError(() => normalizeInvoice(invoiceWith({ UpdatedDateUTC: '2008-09-16' }))).field).toBe(
				'Invoices.0.UpdatedDateUTC',
			);
			expect(payloadError(() => normalizeInvoice(invoiceWith({ CurrencyCode: undefined }))).field).toBe(
				'Invoices.0.Total currency',
			);
		});
	});

	describe('detect', () => {
		it('recognises every Xero sample', () => {
			for (const file of ['contact_update.json', 'creditnote_create.json', 'intent_to_receive.json']) {
				expect(xero.detect(input(`xero/${file}`))).toBe(true);
			}
		});

		it('does not claim a Stripe event', () => {
			expect(xero.detect(input('stripe/charge.succeeded.json'))).toBe(false);
		});

		it.each(otherProviderSamples(['xero']))('does not claim %s', (_name, body, rawBody) => {
			expect(xero.detect({ body, headers: {}, rawBody })).toBe(false);
		});
	});
});

function at(value: unknown, key: string): unknown {
	return (value as Record<string, unknown>)[key];
}
