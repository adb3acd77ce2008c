import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsXeroOAuth2Api } from '../../../credentials/PaymentEventsXeroOAuth2Api.credentials';
import { XeroPaymentPollTrigger } from '../../../nodes/XeroPaymentPollTrigger/XeroPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { recordsAtCursor } from './pollState';

type Json = Record<string, unknown>;

const API = 'https://api.xero.com';
const TOKEN = 'xero-access-token';
const TENANT_ID = 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f';

// test/fixtures/xero (SOURCES.md): the getPayments, getInvoices and deletePayment examples of Xero's OpenAPI spec.
const payments = () => fixtureJson<{ Payments: Json[] }>('xero/get_payments_response.json');
const invoices = () => fixtureJson<{ Invoices: Json[] }>('xero/get_invoices_response.json');
const [accrecPayment, creditPayment] = payments().Payments;
const [voidedInvoice, paidInvoice, openInvoice] = invoices().Invoices;
const deletedPayment = fixtureJson<{ Payments: Json[] }>('xero/delete_payment_response.json').Payments[0];

/** Xero's JSON date for an ISO time. */
const xeroDate = (iso: string) => `/Date(${Date.parse(iso)}+0000)/`;

/** A listing answer: the published envelope (Id, Status, ProviderName, DateTimeUTC) around these records. */
function page(stream: 'Payments' | 'Invoices', records: Json[]): Json {
	const envelope: Json = stream === 'Payments' ? payments() : invoices();
	return { ...envelope, [stream]: records };
}

/** One listing request, with the token, the tenant and If-Modified-Since, answering `body`. */
function listApi(stream: 'Payments' | 'Invoices', body: Json, pageNumber = 1, headers: Record<string, string> = {}) {
	return nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'xero-tenant-id': TENANT_ID, ...headers } })
		.get(`/api.xro/2.0/${stream}`)
		.query({ page: String(pageNumber), order: 'UpdatedDateUTC ASC' })
		.reply(200, body);
}

function poller(parameters: IDataObject = {}, staticData: IDataObject = {}, credentials: IDataObject = { tenantId: TENANT_ID }) {
	return pollHarness(XeroPaymentPollTrigger, {
		credential: new PaymentEventsXeroOAuth2Api(),
		credentials: { clientId: 'xero-client-id', clientSecret: 'xero-client-secret', oauthTokenData: { access_token: TOKEN }, ...credentials },
		parameters,
		staticData,
	});
}

const pollingSince = (cursor: string) => poller({}, { cursor, atCursor: [], emitted: {} });

// Xero allows 60 calls a minute, so the trigger waits a second between calls: these tests take seconds each.
jest.setTimeout(30_000);
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Xero Payment Poll Trigger', () => {
	it('is a polling trigger named as the package registers it, on the Xero credential', () => {
		const { description } = new XeroPaymentPollTrigger();
		expect(description.name).toBe('xeroPaymentPollTrigger');
		expect(description.displayName).toBe('Xero Payment Poll Trigger');
		expect(description.polling).toBe(true);
		expect(description.credentials).toEqual([{ name: 'paymentEventsXeroOAuth2Api', required: true }]);
	});

	it('starts from now on its first run: no request, no event, the cursor set to the present', async () => {
		const trigger = poller();
		const before = Date.now();
		expect(await trigger.poll()).toBeNull();
		expect(trigger.requests).toHaveLength(0);
		expect(Date.parse(trigger.staticData.cursor as string)).toBeGreaterThanOrEqual(before);
	});

	it('backfills from Start From: payments, refunds and invoices, with If-Modified-Since a second early', async () => {
		const since = { 'if-modified-since': '2017-12-31T23:59:59' };
		const paymentsApi = listApi('Payments', payments(), 1, since);
		const invoicesApi = listApi('Invoices', invoices(), 1, since);
		const trigger = poller({ startFrom: '2018-01-01T00:00:00.000Z' });

		const started = Date.now();
		const items = await trigger.poll();

		expect(paymentsApi.isDone() && invoicesApi.isDone()).toBe(true);
		// Two calls, a second apart (Xero's 60 calls a minute).
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(items!.map((item) => [item.kind, item.status, (item.amount as Json).value])).toEqual([
			['invoice', 'canceled', '40.00'],
			['payment', 'succeeded', '46.00'],
			['invoice', 'succeeded', '46.00'],
			['invoice', 'pending', '115.00'],
			['refund', 'refunded', '2.00'],
		]);
		const payment = items!.find((item) => item.kind === 'payment')!;
		expect(payment).toMatchObject({
			id: 'xero:99ea7f6b-c513-4066-bc27-b7c65dcd76c2:UPDATE:2018-11-02T16:36:32.690Z',
			provider: 'xero',
			providerEventType: 'PAYMENT.UPDATE',
			amount: { minor: 4600, value: '46.00', currency: 'NZD' },
			payment: { id: '99ea7f6b-c513-4066-bc27-b7c65dcd76c2' },
			invoice: { id: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87', number: 'INV-0002' },
			customer: { id: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7', name: 'Barney Rubble-83203' },
			metadata: { paymentType: 'ACCRECPAYMENT', documentType: 'ACCREC' },
		});
		expect(payment.raw).toEqual({ Payments: [accrecPayment] });
		expect(items!.find((item) => item.kind === 'refund')).toMatchObject({
			metadata: { paymentType: 'ARCREDITPAYMENT', documentType: 'ACCRECCREDIT' },
			reference: 'Too much',
		});
		expect(trigger.staticData.cursor).toBe('2019-03-05T18:59:06.173Z');
		expect(recordsAtCursor(trigger.staticData)).toEqual(['Payments:6b037c9b-2e5d-4905-84d3-eabfb3438242']);
	});

	it('finds the organisation through GET /connections when the credential names none, once per poll', async () => {
		const tenant = '1234';
		const connections = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/connections')
			.once()
			.reply(200, fixtureJson<unknown[]>('xero/connections_response.json'));
		const paymentsApi = nock(API, { reqheaders: { 'xero-tenant-id': tenant } })
			.get('/api.xro/2.0/Payments')
			.query(true)
			.reply(200, page('Payments', []));
		const invoicesApi = nock(API, { reqheaders: { 'xero-tenant-id': tenant } })
			.get('/api.xro/2.0/Invoices')
			.query(true)
			.reply(200, page('Invoices', [paidInvoice]));
		const trigger = poller({}, { cursor: '2018-01-01T00:00:00.000Z', atCursor: [], emitted: {} }, {});

		const items = await trigger.poll();

		expect(connections.isDone() && paymentsApi.isDone() && invoicesApi.isDone()).toBe(true);
		expect(trigger.requests.map((request) => request.url)).toEqual([
			`${API}/connections`,
			`${API}/api.xro/2.0/Payments`,
			`${API}/api.xro/2.0/Invoices`,
		]);
		expect(items).toHaveLength(1);
	});

	it('refuses to guess between several organisations, leaving the cursor where it was', async () => {
		const [connection] = fixtureJson<Json[]>('xero/connections_response.json');
		nock(API).get('/connections').reply(200, [connection, { ...connection, id: '5678', tenantId: '5678' }]);
		const state = { cursor: '2018-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const trigger = poller({}, structuredClone(state), {});

		await expect(trigger.poll()).rejects.toThrow(/reaches 2 organisations; set Tenant ID/);
		expect(trigger.staticData).toEqual(state);
	});

	it('reads every page: a full page of 100 leads to the next', async () => {
		// 100 payments: the published ACCRECPAYMENT under other ids, a second apart, as a busy organisation would list them.
		const start = Date.parse('2018-11-02T16:36:32.690Z');
		const full = Array.from({ length: 100 }, (_, n) => ({
			...accrecPayment,
			PaymentID: `99ea7f6b-c513-4066-bc27-${String(n).padStart(12, '0')}`,
			UpdatedDateUTC: xeroDate(new Date(start + n * 1000).toISOString()),
		}));
		const first = listApi('Payments', page('Payments', full), 1);
		const second = listApi('Payments', page('Payments', [creditPayment]), 2);
		listApi('Invoices', page('Invoices', []), 1);
		const trigger = pollingSince('2018-01-01T00:00:00.000Z');

		const items = await trigger.poll();

		expect(first.isDone() && second.isDone()).toBe(true);
		expect(items).toHaveLength(101);
		expect(items!.at(-1)).toMatchObject({ kind: 'refund', payment: { id: '6b037c9b-2e5d-4905-84d3-eabfb3438242' } });
		expect(trigger.staticData.cursor).toBe('2019-03-05T18:59:06.173Z');
	});

	it('reports a change that shares the cursor time once, and never again the ones already seen at that time', async () => {
		const trigger = pollingSince('2018-01-01T00:00:00.000Z');
		listApi('Payments', page('Payments', [accrecPayment]));
		listApi('Invoices', page('Invoices', []));
		expect(await trigger.poll()).toHaveLength(1);
		expect(trigger.staticData.cursor).toBe('2018-11-02T16:36:32.690Z');
		expect(recordsAtCursor(trigger.staticData)).toEqual(['Payments:99ea7f6b-c513-4066-bc27-b7c65dcd76c2']);

		// INV-0002 and its payment changed at the same instant (both say 1541176592690): the invoice shows up only now.
		const headers = { 'if-modified-since': '2018-11-02T16:36:31' };
		listApi('Payments', page('Payments', [accrecPayment]), 1, headers);
		listApi('Invoices', page('Invoices', [paidInvoice]), 1, headers);
		const second = await trigger.poll();
		expect(second).toHaveLength(1);
		expect(second![0]).toMatchObject({ kind: 'invoice', status: 'succeeded', invoice: { number: 'INV-0002' } });

		listApi('Payments', page('Payments', [accrecPayment]));
		listApi('Invoices', page('Invoices', [paidInvoice]));
		expect(await trigger.poll()).toBeNull();
	});

	it('reports a partial payment, then the full one, and nothing for a change that moves no money', async () => {
		// INV-0003 (AUTHORISED, 115.00 due) after a payment of 15.00, then paid in full (derived, see SOURCES.md).
		const partly = { ...openInvoice, AmountPaid: 15, AmountDue: 100, UpdatedDateUTC: xeroDate('2018-11-05T10:00:00.000Z') };
		const paid = { ...openInvoice, Status: 'PAID', AmountPaid: 115, AmountDue: 0, UpdatedDateUTC: xeroDate('2018-11-07T10:00:00.000Z') };
		const trigger = pollingSince('2018-11-03T00:00:00.000Z');

		listApi('Payments', page('Payments', []));
		listApi('Invoices', page('Invoices', [partly]));
		const first = await trigger.poll();
		expect(first).toHaveLength(1);
		expect(first![0]).toMatchObject({
			status: 'partially_paid',
			amount: { minor: 1500, value: '15.00', currency: 'NZD' },
			amountDue: { minor: 10000 },
			total: { minor: 11500 },
		});

		listApi('Payments', page('Payments', []));
		listApi('Invoices', page('Invoices', [paid]));
		const second = await trigger.poll();
		expect(second).toHaveLength(1);
		expect(second![0]).toMatchObject({ status: 'succeeded', amount: { minor: 11500 }, amountDue: { minor: 0 } });

		listApi('Payments', page('Payments', []));
		listApi('Invoices', page('Invoices', [{ ...paid, UpdatedDateUTC: xeroDate('2018-11-08T10:00:00.000Z') }]));
		expect(await trigger.poll()).toBeNull();
		expect(trigger.staticData.cursor).toBe('2018-11-08T10:00:00.000Z');
	});

	it('reports a deleted (reversed) payment as canceled', async () => {
		listApi('Payments', page('Payments', [deletedPayment]));
		listApi('Invoices', page('Invoices', []));
		const trigger = pollingSince('2020-01-01T00:00:00.000Z');

		const items = await trigger.poll();

		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			kind: 'refund',
			status: 'canceled',
			amount: { minor: 200, currency: 'AUD' },
			payment: { id: 'c94c996b-1ab3-4ff3-ad19-1cdc77f30817' },
		});
	});

	it('waits as long as Retry-After asks when rate limited, then reads the answer', async () => {
		const limited = nock(API).get('/api.xro/2.0/Payments').query(true).reply(429, '', { 'Retry-After': '1' });
		listApi('Payments', page('Payments', [accrecPayment]));
		listApi('Invoices', page('Invoices', []));
		const trigger = pollingSince('2018-01-01T00:00:00.000Z');

		const started = Date.now();
		const items = await trigger.poll();

		expect(limited.isDone()).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(trigger.requests).toHaveLength(3);
		expect(items).toHaveLength(1);
	});

	it('fails clearly on 401 and leaves the cursor where it was', async () => {
		listApi('Payments', page('Payments', [accrecPayment]));
		nock(API).get('/api.xro/2.0/Invoices').query(true).reply(401, '');
		const state = { cursor: '2018-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const trigger = poller({}, structuredClone(state));

		await expect(trigger.poll()).rejects.toThrow(/Xero: could not fetch page 1 of the Xero invoices/);
		// The payments read before the failure are not reported, and the cursor stays.
		expect(trigger.staticData).toEqual(state);
	});

	it('fetches the latest real payment for "Fetch Test Event" without touching the static data', async () => {
		listApi('Payments', page('Payments', [accrecPayment, creditPayment]));
		listApi('Invoices', page('Invoices', [voidedInvoice, paidInvoice, openInvoice]));
		const state = { cursor: '2026-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const trigger = poller({}, structuredClone(state));

		const items = await trigger.poll('manual');

		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ kind: 'refund', payment: { id: '6b037c9b-2e5d-4905-84d3-eabfb3438242' } });
		expect(trigger.staticData).toEqual(state);
	});
});
