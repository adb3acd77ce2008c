import nock from 'nock';
import type { IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { PaymentEventsGoCardlessBankApi } from '../../../credentials/PaymentEventsGoCardlessBankApi.credentials';
import { GoCardlessBankPaymentPollTrigger } from '../../../nodes/GoCardlessBankPaymentPollTrigger/GoCardlessBankPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';

type Json = Record<string, unknown>;
type Transactions = { transactions: { booked: Json[]; pending: Json[] } };

const API = 'https://bankaccountdata.gocardless.com';
const ACCOUNT = '065da497-e6af-4950-88ed-2edbc0577d20';
const PATH = `/api/v2/accounts/${ACCOUNT}/transactions/`;
const TOKEN = 'gocardless-bad-access-token';
// What preAuthentication stored (the harness does not run it; its own test is below).
const credentials: IDataObject = { secretId: 'secret-id', secretKey: 'secret-key', accountId: ACCOUNT, accessToken: TOKEN };

// test/fixtures/banks/gocardlessbank (SOURCES.md): the quickstart guide's transactions response (a booked credit of
// 45.00 EUR from MON MOTHMA, a booked debit, a pending debit) and its POST /api/v2/token/new/ response. Where a test
// needs further credits, they are the documented credit under other ids and booking dates.
const sample = () => fixtureJson<Transactions>('banks/gocardlessbank/transactions_response.json');
const [mothma, coffee] = sample().transactions.booked;
const [burgers] = sample().transactions.pending;

const DAY = 24 * 60 * 60 * 1000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

function credit(id: string, date: string, fields: Json = {}): Json {
	return { ...mothma, transactionId: id, bookingDate: date, valueDate: date, ...fields };
}

function transactions(booked: Json[], pending: Json[] = []) {
	return nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get(PATH)
		.query(true)
		.reply(200, { transactions: { booked, pending } });
}

function poller(parameters: IDataObject = {}, staticData: IDataObject = {}) {
	return pollHarness(GoCardlessBankPaymentPollTrigger, { credential: new PaymentEventsGoCardlessBankApi(), credentials, parameters, staticData });
}

const polledAt = (lastPoll: string) => poller({}, { cursor: lastPoll, positions: {}, emitted: {} });
const queries = (trigger: ReturnType<typeof poller>) => trigger.requests.map((request) => request.qs as IDataObject);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('GoCardless Bank Account Data Payment Poll Trigger', () => {
	it('is a polling trigger named as the package registers it, on the GoCardless Bank Account Data credential', () => {
		const { description } = new GoCardlessBankPaymentPollTrigger();
		expect(description.name).toBe('goCardlessBankPaymentPollTrigger');
		expect(description.polling).toBe(true);
		expect(description.credentials).toEqual([{ name: 'paymentEventsGoCardlessBankApi', required: true }]);
	});

	it('first poll: reads the last week and reports none of it', async () => {
		const api = transactions([credit('old-1', day(Date.now() - DAY)), coffee], [burgers]);
		const trigger = poller();
		const before = Date.now();

		expect(await trigger.poll()).toBeNull();

		expect(api.isDone()).toBe(true);
		expect(queries(trigger)).toEqual([{ date_from: day(before - 7 * DAY), date_to: day(before) }]);
		expect(Object.keys(trigger.staticData.emitted as IDataObject)).toEqual(['old-1']);
	});

	it('reports a credit once, even one booked before the last poll, and nothing for debits or what it noted', async () => {
		const lastPoll = new Date(Date.now() - 6 * 60 * 60 * 1000).toISOString();
		const trigger = polledAt(lastPoll);
		const late = credit('late-1', day(Date.now() - 2 * DAY));
		transactions([late, coffee], [burgers]);

		const items = await trigger.poll();

		expect(queries(trigger)).toEqual([{ date_from: day(Date.parse(lastPoll) - 7 * DAY), date_to: day(Date.now()) }]);
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			id: 'gocardlessbank:late-1',
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 4500, value: '45.00', currency: 'EUR' },
			customer: { name: 'MON MOTHMA' },
			reference: 'For the support of Restoration of the Republic foundation',
		});
		expect(items![0].raw).toEqual(late);

		transactions([late, coffee], [burgers]);
		expect(await trigger.poll()).toBeNull();
	});

	it('a pending credit, then booked under the same transactionId: the same payment, pending then succeeded', async () => {
		const trigger = polledAt(new Date(Date.now() - 60 * 60 * 1000).toISOString());
		const today = day(Date.now());
		transactions([], [credit('2020103000624289-9', today)]);
		expect((await trigger.poll())!.map((item) => [item.id, item.status])).toEqual([['gocardlessbank:2020103000624289-9:pending', 'pending']]);

		transactions([credit('2020103000624289-9', today)]);
		expect((await trigger.poll())!.map((item) => [item.id, item.status, (item.payment as Json).id])).toEqual([
			['gocardlessbank:2020103000624289-9', 'succeeded', '2020103000624289-9'],
		]);
	});

	it('Start From on the first poll reports the credits booked from that date on (the quickstart credit of 2020-10-30)', async () => {
		transactions(sample().transactions.booked, sample().transactions.pending);
		const trigger = poller({ startFrom: '2020-10-01T00:00:00.000Z' });

		const items = await trigger.poll();

		expect(queries(trigger)).toEqual([{ date_from: '2020-09-24', date_to: day(Date.now()) }]);
		expect(items!.map((item) => item.id)).toEqual(['gocardlessbank:2020103000624289-1']);
	});

	it('a failed request (401) leaves the static data as it was', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: {}, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		nock(API).get(PATH).query(true).reply(401, { summary: 'Invalid token', status_code: 401 });

		await expect(trigger.poll()).rejects.toThrow(/GoCardless Bank Account Data: could not fetch the transactions of the GoCardless/);
		expect(trigger.staticData).toEqual(state);
	});

	it('waits as Retry-After asks when rate limited', async () => {
		const trigger = polledAt(new Date().toISOString());
		const limited = nock(API).get(PATH).query(true).reply(429, { status_code: 429 }, { 'Retry-After': '1' });
		transactions([credit('deposit-1', day(Date.now()))]);

		const started = Date.now();
		const items = await trigger.poll();

		expect(limited.isDone()).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(items).toHaveLength(1);
	});

	it('"Fetch Test Event" shows the latest credit without touching the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: {}, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		transactions([credit('older', '2025-12-01'), credit('newer', '2025-12-20'), coffee]);

		const items = await trigger.poll('manual');

		expect(items!.map((item) => item.id)).toEqual(['gocardlessbank:newer']);
		expect(trigger.staticData).toEqual(state);
	});
});

describe('GoCardless Bank Account Data credential: access token', () => {
	const token = fixtureJson<{ access: string }>('banks/gocardlessbank/token_new_response.json');

	it('exchanges the secret id and key for an access token (POST /api/v2/token/new/)', async () => {
		const requests: IHttpRequestOptions[] = [];
		const helper = { helpers: { httpRequest: async (options: IHttpRequestOptions) => (requests.push(options), token) } } as unknown as IHttpRequestHelper;

		const stored = await new PaymentEventsGoCardlessBankApi().preAuthentication.call(helper, { secretId: 'secret-id', secretKey: 'secret-key' });

		expect(stored).toEqual({ accessToken: token.access });
		expect(requests).toEqual([
			{
				method: 'POST',
				url: `${API}/api/v2/token/new/`,
				headers: { accept: 'application/json' },
				body: { secret_id: 'secret-id', secret_key: 'secret-key' },
				json: true,
			},
		]);
	});

	it('asks the Base URL Override instead when one is set', async () => {
		const requests: IHttpRequestOptions[] = [];
		const helper = { helpers: { httpRequest: async (options: IHttpRequestOptions) => (requests.push(options), token) } } as unknown as IHttpRequestHelper;
		await new PaymentEventsGoCardlessBankApi().preAuthentication.call(helper, { secretId: 'a', secretKey: 'b', baseUrl: 'https://proxy.example.com/' });
		expect(requests[0].url).toBe('https://proxy.example.com/api/v2/token/new/');
	});

	it('sends the stored token as a bearer token', () => {
		expect(new PaymentEventsGoCardlessBankApi().authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		});
	});
});
