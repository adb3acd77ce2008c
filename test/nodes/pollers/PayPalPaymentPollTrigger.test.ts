import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsPayPalApi } from '../../../credentials/PaymentEventsPayPalApi.credentials';
import { PayPalPaymentPollTrigger } from '../../../nodes/PayPalPaymentPollTrigger/PayPalPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { recordsAtCursor } from './pollState';

// test/fixtures/paypal/transactions-search.json (SOURCES.md): the sample response of "List transactions" in PayPal's
// Transaction Search API reference (transaction 5TY05013RG002845M, T0006, S, 465.00 USD, updated
// 2014-07-11T04:03:52+0000, a sandbox `self` link for 2014-07-01T00:00:00-0700 … 2014-07-30T23:59:59-0700). The tests
// vary its transaction id, status and dates to stand for further transactions and changes, and set the documented
// search_response fields page, total_pages, start_date and end_date where they page.
const SANDBOX = 'https://api-m.sandbox.paypal.com';
const TOKEN = 'A21AA-poller-token';
const credentials: IDataObject = { clientId: 'client-id', clientSecret: 'client-secret', accessToken: TOKEN, environment: 'sandbox' };
const PATH = '/v1/reporting/transactions';

type Json = Record<string, unknown>;
const sample = fixtureJson<Json & { transaction_details: Array<Json & { transaction_info: Json }> }>('paypal/transactions-search.json');
const ROW = sample.transaction_details[0];
const UPDATED = '2014-07-11T04:03:52.000Z';
const ID = '5TY05013RG002845M';

/** The documented row with some transaction_info fields changed. */
function row(info: Json = {}): Json {
	return { ...ROW, transaction_info: { ...ROW.transaction_info, ...info } };
}

/** The documented response with these rows (and, for paging, its page fields). */
function response(rows: Json[], fields: Json = {}): Json {
	return { ...sample, transaction_details: rows, total_items: rows.length, ...fields };
}

function poller(parameters: IDataObject = {}, staticData?: IDataObject) {
	return pollHarness(PayPalPaymentPollTrigger, { credential: new PaymentEventsPayPalApi(), credentials, parameters, staticData });
}

const paypal = () => nock(SANDBOX, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
const queries = (node: ReturnType<typeof poller>) => node.requests.map((request) => request.qs as IDataObject);

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('PayPal Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
	});

	it('backfills from Start From: the documented transaction becomes a canonical payment', async () => {
		const api = paypal().get(PATH).query(true).reply(200, sample);
		const node = poller({ startFrom: '2014-07-01T07:00:00Z' });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		// 31 days from a week before Start From (pending transactions are listed again), every field, the largest page.
		expect(queries(node)).toEqual([
			{ start_date: '2014-06-24T07:00:00Z', end_date: '2014-07-25T07:00:00Z', fields: 'all', page_size: 500, page: 1 },
		]);
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			id: `paypal:${ID}@${UPDATED}`,
			provider: 'paypal',
			providerEventType: 'transaction_search.transaction',
			livemode: false,
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 46500, value: '465.00', currency: 'USD' },
			occurredAt: UPDATED,
			customer: { id: '6STWC2LSUYYYE', name: 'test consumer', email: 'consumer@example.com' },
			payment: { id: ID },
			reference: 'Invoice-005',
			description: 'Bill for your purchase',
		});
		expect(items![0].raw).toEqual(ROW);
		expect(node.staticData.cursor).toBe(UPDATED);
		expect(recordsAtCursor(node.staticData)).toEqual([ID]);
	});

	it('reads every page of a range, and the next 31-day range when a backfill is longer', async () => {
		const first = { start_date: '2014-05-25T00:00:00Z', end_date: '2014-06-25T00:00:00Z' };
		const second = { start_date: '2014-06-25T00:00:00Z', end_date: '2014-07-26T00:00:00Z' };
		const other = row({ transaction_id: '8MC585209K746392H', transaction_updated_date: '2014-07-21T09:00:00+0000' });
		paypal()
			.get(PATH)
			.query(true)
			.reply(200, response([], { ...first, page: 1, total_pages: 0 }))
			.get(PATH)
			.query(true)
			.reply(200, response([ROW], { ...second, page: 1, total_pages: 2 }))
			.get(PATH)
			.query(true)
			.reply(200, response([other], { ...second, page: 2, total_pages: 2, links: [] }))
			.get(PATH)
			.query(true)
			.reply(200, response([], { start_date: '2014-07-26T00:00:00Z', end_date: '2014-08-20T00:00:00Z', page: 1, total_pages: 0, links: [] }));
		const node = poller({ startFrom: '2014-06-01T00:00:00Z' });
		const items = await node.poll();
		expect(queries(node).map((qs) => [qs.start_date, qs.page])).toEqual([
			['2014-05-25T00:00:00Z', 1],
			['2014-06-25T00:00:00Z', 1],
			['2014-06-25T00:00:00Z', 2],
			['2014-07-26T00:00:00Z', 1],
		]);
		expect(items!.map((item) => (item.payment as IDataObject).id)).toEqual([ID, '8MC585209K746392H']);
		expect(node.staticData.cursor).toBe('2014-07-21T09:00:00.000Z');
	});

	it('emits a transaction that shares the cursor time once, and does not repeat the one already seen there', async () => {
		const node = poller({}, { cursor: '2014-07-11T00:00:00.000Z', atCursor: [], emitted: {} });
		paypal().get(PATH).query(true).reply(200, response([ROW]));
		expect((await node.poll())!.map((item) => (item.payment as IDataObject).id)).toEqual([ID]);
		expect(node.staticData.cursor).toBe(UPDATED);

		const sameSecond = row({ transaction_id: '2GG279541U471931P' });
		paypal().get(PATH).query(true).reply(200, response([ROW, sameSecond]));
		const items = await node.poll();
		expect(queries(node)[1]).toMatchObject({ start_date: '2014-07-04T04:03:52Z' });
		expect(items!.map((item) => (item.payment as IDataObject).id)).toEqual(['2GG279541U471931P']);
		expect(node.staticData.cursor).toBe(UPDATED);
		expect(recordsAtCursor(node.staticData)).toEqual([ID, '2GG279541U471931P']);

		paypal().get(PATH).query(true).reply(200, response([ROW, sameSecond]));
		expect(await node.poll()).toBeNull();
	});

	it('emits a pending transaction, then again when it completes, and nothing when it is listed unchanged', async () => {
		const node = poller({}, { cursor: '2014-07-10T00:00:00.000Z', atCursor: [], emitted: {} });
		const pending = row({ transaction_status: 'P', transaction_updated_date: '2014-07-10T20:00:00+0000' });
		paypal().get(PATH).query(true).reply(200, response([pending]));
		expect((await node.poll())!.map((item) => [item.status, item.crmStatus])).toEqual([['pending', 'Pending']]);

		paypal().get(PATH).query(true).reply(200, response([ROW]));
		expect((await node.poll())!.map((item) => [item.status, item.crmStatus])).toEqual([['succeeded', 'Paid']]);
		expect(node.staticData.cursor).toBe(UPDATED);

		// The same transaction updated later without a change of status or amount.
		const touched = row({ transaction_updated_date: '2014-07-12T00:00:00+0000' });
		paypal().get(PATH).query(true).reply(200, response([ROW, touched]));
		expect(await node.poll()).toBeNull();
		expect(node.staticData.cursor).toBe('2014-07-12T00:00:00.000Z');
	});

	it('waits as long as Retry-After asks when rate limited, then reads the page', async () => {
		const node = poller({}, { cursor: '2014-07-10T00:00:00.000Z', atCursor: [], emitted: {} });
		const api = paypal()
			.get(PATH)
			.query(true)
			.reply(429, { name: 'RATE_LIMIT_REACHED' }, { 'Retry-After': '1' })
			.get(PATH)
			.query(true)
			.reply(200, sample);
		const started = Date.now();
		expect(await node.poll()).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(api.isDone()).toBe(true);
	});

	it('fails clearly when PayPal refuses the token, and leaves the cursor where it was', async () => {
		const state = { cursor: '2014-07-10T00:00:00.000Z', atCursor: ['seen'], emitted: { seen: 'payment:succeeded:100::' } };
		const node = poller({}, structuredClone(state));
		// The documented 401 (error_401 of PayPal's reporting_transactions_v1 OpenAPI).
		paypal().get(PATH).query(true).reply(401, {
			name: 'AUTHENTICATION_FAILURE',
			message: 'Authentication failed due to missing authorization header, or invalid authentication credentials.',
		});
		const failure = await node.poll().catch((error: Error) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/PayPal: could not fetch the transactions since 2014-07-10T00:00:00Z/);
		expect(JSON.stringify(failure)).not.toContain(TOKEN);
		expect(node.staticData).toEqual(state);
	});

	it('leaves the cursor unchanged on a server error too', async () => {
		const state = { cursor: '2014-07-10T00:00:00.000Z', atCursor: [], emitted: {} };
		const node = poller({}, structuredClone(state));
		paypal().get(PATH).query(true).reply(500, { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.', debug_id: '90957fca61718' });
		await expect(node.poll()).rejects.toThrow(/PayPal: could not fetch/);
		expect(node.staticData).toEqual(state);
	});

	it('fetches the latest payment for a manual test without touching the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const node = poller({ startFrom: '2014-07-01T07:00:00Z' }, structuredClone(state));
		const older = row({ transaction_id: '1AB23456CD789012E', transaction_updated_date: '2014-07-05T10:00:00+0000' });
		paypal().get(PATH).query(true).reply(200, response([older, ROW]));
		const items = await node.poll('manual');
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ payment: { id: ID }, occurredAt: UPDATED });
		expect(node.staticData).toEqual(state);
	});
});
