import { toPaymentEvents } from '../../../nodes/providers/index';
import { netsuite } from '../../../nodes/providers/netsuite';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

type NetSuiteRecord = Record<string, unknown>;

function input(file: string): ProviderInput {
	return { body: fixtureJson(file), headers: {}, rawBody: fixtureBytes(file) };
}

const invoiceRecord = () => fixtureJson<NetSuiteRecord>('netsuite/invoice.rest.json');
const depositRecord = () => fixtureJson<NetSuiteRecord>('netsuite/customerdeposit.rest.json');

function eventsOf(body: unknown) {
	return netsuite.parse({ body, headers: {} }).flatMap((event) => toPaymentEvents(netsuite, event, { receivedAt }));
}

/** The invoice sample with some fields replaced (or removed, with undefined). */
function invoiceWith(fields: NetSuiteRecord) {
	const record: NetSuiteRecord = { ...invoiceRecord(), ...fields };
	for (const [key, value] of Object.entries(fields)) if (value === undefined) delete record[key];
	return eventsOf(record);
}

const usd = (value: string, minor: number) => ({ minor, value, currency: 'USD', exponent: 2 });

describe('netsuite adapter', () => {
	describe('invoice record (GET /services/rest/record/v1/invoice/{id})', () => {
		it('parses one event whose id changes with lastModifiedDate and the payment state', () => {
			const [event] = netsuite.parse(input('netsuite/invoice.rest.json'));
			expect(event).toMatchObject({
				id: 'invoice:1227:2020-04-17T10:10:00Z:open:2010',
				type: 'invoice',
				occurredAt: '2020-04-17T10:10:00.000Z',
				livemode: false,
			});
			const [reread] = netsuite.parse(input('netsuite/invoice.rest.json'));
			expect(reread.id).toBe(event.id);
			const [changed] = netsuite.parse({ body: { ...invoiceRecord(), lastModifiedDate: '2020-04-18T09:00:00Z' }, headers: {} });
			expect(changed.id).toBe('invoice:1227:2020-04-18T09:00:00Z:open:2010');
			// A payment applied within the same minute still changes the id.
			const body = { ...invoiceRecord(), amountpaid: 10.0, amountremaining: 2000.0 };
			expect(netsuite.parse({ body, headers: {} })[0].id).toBe('invoice:1227:2020-04-17T10:10:00Z:open:2000');
		});

		it('maps the open INV01 (2010.00 USD, nothing paid) to a pending invoice for the amount due', () => {
			expect(eventsOf(invoiceRecord())).toEqual([
				{
					schemaVersion: 1,
					id: 'netsuite:invoice:1227:2020-04-17T10:10:00Z:open:2010',
					provider: 'netsuite',
					providerEventId: 'invoice:1227:2020-04-17T10:10:00Z:open:2010',
					providerEventType: 'invoice',
					// The record comes from account 5743578-sb1, a sandbox.
					livemode: false,
					kind: 'invoice',
					status: 'pending',
					crmStatus: 'Pending',
					// amountremaining 2010.0
					amount: usd('2010.00', 201000),
					total: usd('2010.00', 201000),
					amountPaid: usd('0.00', 0),
					amountDue: usd('2010.00', 201000),
					occurredAt: '2020-04-17T10:10:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '7938', name: 'Ryan Test Co.', email: 'ryan-test-co@example.com' },
					invoice: { id: '1227', number: 'INV01' },
					description: 'Testing Memo',
				},
			]);
		});

		it('a partly paid invoice is partially paid for what was paid', () => {
			const [event] = invoiceWith({ amountpaid: 500.0, amountremaining: 1510.0 });
			expect(event).toMatchObject({
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: usd('500.00', 50000),
				amountPaid: usd('500.00', 50000),
				amountDue: usd('1510.00', 151000),
			});
		});

		it('a paid invoice is succeeded; the status enum form { id, refName } reads the same', () => {
			const [event] = invoiceWith({
				status: { id: 'paidInFull', refName: 'Paid In Full' },
				amountpaid: 2010.0,
				amountremaining: 0.0,
			});
			expect(event).toMatchObject({ status: 'succeeded', crmStatus: 'Paid', amount: usd('2010.00', 201000) });
			expect(event.amountDue).toEqual(usd('0.00', 0));
		});

		it('derives amountPaid from total and amountRemaining when the response leaves it out', () => {
			const [event] = invoiceWith({ amountpaid: undefined, amountremaining: 10.0 });
			expect(event).toMatchObject({ status: 'partially_paid', amountPaid: usd('2000.00', 200000) });
		});

		it('a voided invoice is canceled for its total; pending approval and rejected ones are not payment events', () => {
			expect(invoiceWith({ status: 'Voided' })[0]).toMatchObject({ status: 'canceled', amount: usd('2010.00', 201000) });
			expect(invoiceWith({ status: 'Pending Approval' })).toEqual([]);
			expect(invoiceWith({ status: { id: 'rejected', refName: 'Rejected' } })).toEqual([]);
		});

		it('reads JSON-number amounts exactly', () => {
			const [event] = invoiceWith({ total: 4.35, amountpaid: 4.35, amountremaining: 0 });
			expect(event.amount).toEqual(usd('4.35', 435));
			expect(payloadError(() => invoiceWith({ total: 2010.005 })).field).toBe('total');
		});
	});

	describe('currency', () => {
		it('uses the transaction currencysymbol when the response carries it', () => {
			expect(eventsOf(invoiceRecord())[0].amount.currency).toBe('USD');
		});

		it('uses an expanded currency record (its symbol), e.g. the British pound record', () => {
			const currency = fixtureJson<NetSuiteRecord>('netsuite/currency.rest.json');
			const [event] = invoiceWith({ currency, currencysymbol: undefined });
			expect(event.amount).toEqual({ minor: 201000, value: '2010.00', currency: 'GBP', exponent: 2 });
		});

		it('accepts a refName only when it is an ISO 4217 code', () => {
			const [event] = invoiceWith({ currency: { id: '2', refName: 'GBP' }, currencysymbol: undefined });
			expect(event.amount.currency).toBe('GBP');
		});

		it('rejects a currency name such as "USA", telling to expand the currency', () => {
			const error = payloadError(() => invoiceWith({ currencysymbol: undefined }));
			expect(error.field).toBe('currency');
			expect(error.message).toBe(
				'netsuite: currency: refName "USA" is the currency record\'s name, not an ISO 4217 code: expand the currency, ' +
					'i.e. fetch /services/rest/record/v1/currency/1 and put that record in currency (its symbol is the ISO code)',
			);
			expect(payloadError(() => invoiceWith({ currency: undefined, currencysymbol: undefined })).field).toBe('currency');
		});
	});

	describe('customer deposit record (GET /services/rest/record/v1/customerdeposit/{id})', () => {
		it('maps CD01 (5050.00 USD, Not Deposited) to a received payment', () => {
			expect(eventsOf(depositRecord())).toEqual([
				{
					schemaVersion: 1,
					id: 'netsuite:customerdeposit:2040:2020-05-08T20:56:00Z:notdeposited:5050',
					provider: 'netsuite',
					providerEventId: 'customerdeposit:2040:2020-05-08T20:56:00Z:notdeposited:5050',
					providerEventType: 'customerdeposit',
					livemode: false,
					kind: 'payment',
					// "Not Deposited": received into undeposited funds, not yet banked.
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: usd('5050.00', 505000),
					occurredAt: '2020-05-08T20:56:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '309', name: 'Abodewell' },
					payment: { id: '2040' },
					reference: 'CD01',
				},
			]);
		});

		it('an unapproved payment is pending; an unknown status is an error naming status', () => {
			expect(eventsOf({ ...depositRecord(), status: 'Unapproved Payment' })[0]).toMatchObject({ status: 'pending' });
			expect(payloadError(() => eventsOf({ ...depositRecord(), status: 'Something Else' })).field).toBe('status');
		});
	});

	describe('other records', () => {
		it('a record that is not about money (the currency record) normalizes to []', () => {
			const events = netsuite.parse(input('netsuite/currency.rest.json'));
			expect(events.map(({ id, type }) => ({ id, type }))).toEqual([{ id: 'currency:2', type: 'currency' }]);
			expect(toPaymentEvents(netsuite, events[0], { receivedAt })).toEqual([]);
		});

		it('customer payment records are refused, not silently dropped (no verified sample yet)', () => {
			const href = 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customerpayment/2040';
			const body = { ...depositRecord(), links: [{ rel: 'self', href }] };
			const [event] = netsuite.parse({ body, headers: {} });
			expect(event).toMatchObject({ type: 'customerpayment', livemode: true });
			expect(payloadError(() => netsuite.normalize(event, {})).field).toBe('links');
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => netsuite.parse({ body: [], headers: {} })).field).toBe('body');
			expect(payloadError(() => netsuite.parse({ body: { ...invoiceRecord(), links: [] }, headers: {} })).field).toBe('links');
			expect(payloadError(() => netsuite.parse({ body: { ...invoiceRecord(), id: '' }, headers: {} })).field).toBe('id');
			expect(payloadError(() => invoiceWith({ lastModifiedDate: undefined })).field).toBe('lastModifiedDate');
			expect(payloadError(() => invoiceWith({ lastModifiedDate: '2020-04-17' })).field).toBe('lastModifiedDate');
			expect(payloadError(() => invoiceWith({ total: undefined })).field).toBe('total');
			expect(payloadError(() => invoiceWith({ amountremaining: 'lots' })).field).toBe('amountremaining');
			expect(payloadError(() => invoiceWith({ amountremaining: 3000 })).field).toBe('amountremaining');
			expect(payloadError(() => eventsOf({ ...depositRecord(), payment: undefined })).field).toBe('payment');
			expect(payloadError(() => eventsOf({ ...depositRecord(), status: undefined })).field).toBe('status');
		});
	});

	describe('detect', () => {
		it.each(['invoice.rest.json', 'customerdeposit.rest.json', 'currency.rest.json'])('recognises netsuite/%s', (file) => {
			expect(netsuite.detect(input(`netsuite/${file}`))).toBe(true);
		});

		it('does not claim a Stripe event', () => {
			expect(netsuite.detect(input('stripe/charge.succeeded.json'))).toBe(false);
		});

		it('does not claim a REST collection page (its self link has no record id)', () => {
			const body = {
				links: [{ rel: 'self', href: 'https://demo123.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=2&offset=0' }],
				items: [],
				totalResults: 0,
			};
			expect(netsuite.detect({ body, headers: {} })).toBe(false);
		});

		it.each(otherProviderSamples(['netsuite']))('does not claim %s', (_name, body) => {
			expect(netsuite.detect({ body, headers: {} })).toBe(false);
		});
	});
});
