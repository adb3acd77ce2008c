import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsTrueLayerOAuth2Api } from '../../../credentials/PaymentEventsTrueLayerOAuth2Api.credentials';
import { TrueLayerPaymentPollTrigger } from '../../../nodes/TrueLayerPaymentPollTrigger/TrueLayerPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';

type Json = Record<string, unknown>;

const SANDBOX = 'https://api.truelayer-sandbox.com';
const TOKEN = 'truelayer-access-token';
const ACCOUNT = 'f1234560abf9f57287637624def390871';
const SETTLED = `/data/v1/accounts/${ACCOUNT}/transactions`;
const PENDING = `${SETTLED}/pending`;
const credentials: IDataObject = { environment: 'sandbox', accountId: ACCOUNT, oauthTokenData: { access_token: TOKEN } };

// test/fixtures/banks/truelayer (SOURCES.md): the Data API docs example of GET .../transactions (two purchases: money
// out), and the credits of TrueLayer's JavaScript client fixture (ACME LIMITED 12345.67 GBP, FASTER_PAYMENTS_INCOMING),
// given the transaction ids a current answer carries and, where a test needs several, other ids and dates.
const docs = () => fixtureJson<{ results: Json[] }>('banks/truelayer/transactions_response.json');
const acme = fixtureJson<{ results: Json[] }>('banks/truelayer/sdk_transactions_response.json').results[5];
const [purchase] = docs().results;

function credit(id: string, date: string, fields: Json = {}): Json {
	return { ...acme, transaction_id: id, normalised_provider_transaction_id: `txn-${id}`, timestamp: `${date}T00:00:00+00:00`, ...fields };
}

const DAY = 24 * 60 * 60 * 1000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The two listings of the account, authenticated with the OAuth2 token, answering these transactions. */
function listings(settled: Json[], pending: Json[] = []) {
	const api = nock(SANDBOX, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
	return [api.get(SETTLED).query(true).reply(200, { results: settled }), api.get(PENDING).query(true).reply(200, { results: pending })];
}

function poller(parameters: IDataObject = {}, staticData: IDataObject = {}) {
	return pollHarness(TrueLayerPaymentPollTrigger, { credential: new PaymentEventsTrueLayerOAuth2Api(), credentials, parameters, staticData });
}

/** A trigger whose last poll ran at `lastPoll` and noted nothing. */
const polledAt = (lastPoll: string) => poller({}, { cursor: lastPoll, positions: {}, emitted: {} });
const queries = (trigger: ReturnType<typeof poller>) => trigger.requests.map((request) => request.qs as IDataObject);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('TrueLayer Payment Poll Trigger', () => {
	it('is a polling trigger named as the package registers it, on the TrueLayer OAuth2 credential', () => {
		const { description } = new TrueLayerPaymentPollTrigger();
		expect(description.name).toBe('trueLayerPaymentPollTrigger');
		expect(description.displayName).toBe('TrueLayer Payment Poll Trigger');
		expect(description.polling).toBe(true);
		expect(description.credentials).toEqual([{ name: 'paymentEventsTrueLayerOAuth2Api', required: true }]);
	});

	it('first poll: reads the last week of both listings and reports none of it', async () => {
		const apis = listings([credit('old-1', day(Date.now() - 2 * DAY)), purchase], [credit('old-2', day(Date.now()))]);
		const trigger = poller();
		const before = Date.now();

		expect(await trigger.poll()).toBeNull();

		expect(apis.every((api) => api.isDone())).toBe(true);
		expect(queries(trigger)).toEqual([
			{ from: day(before - 7 * DAY), to: day(before) },
			{ from: day(before - 7 * DAY), to: day(before) },
		]);
		expect(Object.keys(trigger.staticData.emitted as IDataObject)).toEqual(['txn-old-1', 'txn-old-2']);
		expect(Date.parse(String(trigger.staticData.cursor))).toBeGreaterThanOrEqual(before);
	});

	it('reports a credit once, even one the bank lists days after its booking date, and never what it noted already', async () => {
		const lastPoll = new Date(Date.now() - 60 * 60 * 1000).toISOString();
		const trigger = polledAt(lastPoll);
		// Booked three days ago, listed only now: older than the last poll, still new.
		const late = credit('late-1', day(Date.now() - 3 * DAY));
		listings([late, purchase]);

		const items = await trigger.poll();

		expect(queries(trigger)[0]).toEqual({ from: day(Date.parse(lastPoll) - 7 * DAY), to: day(Date.now()) });
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			id: 'truelayer:late-1',
			provider: 'truelayer',
			livemode: false,
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 1234567, value: '12345.67', currency: 'GBP' },
			payment: { id: 'txn-late-1' },
			description: 'ACME LIMITED',
		});
		expect(items![0].raw).toEqual(late);

		// Listed again by the next poll (the window overlaps): nothing new.
		listings([late, purchase]);
		expect(await trigger.poll()).toBeNull();
	});

	it('a pending credit, then settled under another transaction_id with the same provider id: the same payment, two events', async () => {
		const trigger = polledAt(new Date(Date.now() - 60 * 60 * 1000).toISOString());
		const today = day(Date.now());
		listings([], [credit('pending-1', today, { normalised_provider_transaction_id: 'txn-shared' })]);
		const first = await trigger.poll();
		expect(first!.map((item) => [item.id, item.status])).toEqual([['truelayer:pending-1:pending', 'pending']]);

		listings([credit('settled-1', today, { normalised_provider_transaction_id: 'txn-shared' })]);
		const second = await trigger.poll();
		expect(second!.map((item) => [item.id, item.status, (item.payment as Json).id])).toEqual([
			['truelayer:settled-1', 'succeeded', 'txn-shared'],
		]);
	});

	it('Start From on the first poll reports the credits from that date on', async () => {
		listings([credit('before', '2026-01-01'), credit('after', '2026-01-05')]);
		const trigger = poller({ startFrom: '2026-01-03T00:00:00.000Z' });

		const items = await trigger.poll();

		expect(queries(trigger)[0].from).toBe('2025-12-27');
		expect(items!.map((item) => item.id)).toEqual(['truelayer:after']);
	});

	it('a failed listing (401) leaves the static data as it was', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: {}, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		const api = nock(SANDBOX);
		api.get(SETTLED).query(true).reply(200, { results: [credit('deposit-1', day(Date.now()))] });
		api.get(PENDING).query(true).reply(401, { error: 'invalid_token' });

		await expect(trigger.poll()).rejects.toThrow(/TrueLayer: could not fetch the pending transactions of the TrueLayer account/);
		expect(trigger.staticData).toEqual(state);
	});

	it('a transaction without transaction_id fails the poll by name, leaving the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: {}, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		listings([acme]);

		await expect(trigger.poll()).rejects.toThrow(/results\.0\.transaction_id: is missing/);
		expect(trigger.staticData).toEqual(state);
	});

	it('waits as Retry-After asks when rate limited', async () => {
		const trigger = polledAt(new Date().toISOString());
		const limited = nock(SANDBOX).get(SETTLED).query(true).reply(429, '', { 'Retry-After': '1' });
		listings([credit('deposit-1', day(Date.now()))]);

		const started = Date.now();
		const items = await trigger.poll();

		expect(limited.isDone()).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(items).toHaveLength(1);
	});

	it('"Fetch Test Event" shows the latest credit without touching the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: {}, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		listings([credit('older', '2025-12-01'), credit('newer', '2025-12-20'), purchase]);

		const items = await trigger.poll('manual');

		expect(items!.map((item) => item.id)).toEqual(['truelayer:newer']);
		expect(trigger.staticData).toEqual(state);
	});
});
