import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsPlaidApi } from '../../../credentials/PaymentEventsPlaidApi.credentials';
import { PlaidPaymentPollTrigger } from '../../../nodes/PlaidPaymentPollTrigger/PlaidPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';

type Json = Record<string, unknown>;

const SANDBOX = 'https://sandbox.plaid.com';
const ACCESS_TOKEN = 'access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6';
const credentials: IDataObject = { clientId: 'plaid-client-id', secret: 'plaid-sandbox-secret', accessToken: ACCESS_TOKEN, environment: 'sandbox' };

// test/fixtures/banks/plaid (SOURCES.md): the /transactions/sync example of Plaid's OpenAPI spec (a purchase at Apple,
// 2307.21 USD, and a ConEd bill payment, both money out) and Plaid's documented
// TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION error. The credits are its purchase with a negative amount (money in,
// as Plaid signs deposits), under other ids and dates where a test needs several.
const sample = () => fixtureJson<Json & { added: Json[]; next_cursor: string }>('banks/plaid/transactions_sync_response.json');
const mutation = () => fixtureJson('banks/plaid/transactions_sync_mutation_during_pagination.json');
const [apple] = sample().added;
const HISTORY_CURSOR = sample().next_cursor;

function credit(id: string, date: string, fields: Json = {}): Json {
	return { ...apple, transaction_id: id, amount: -2307.21, date, datetime: null, ...fields };
}

/** A /transactions/sync answer: the documented envelope around these transactions. */
function page(added: Json[], nextCursor: string, hasMore = false, modified: Json[] = []): Json {
	return { ...sample(), added, modified, removed: [], next_cursor: nextCursor, has_more: hasMore };
}

/** One /transactions/sync call, authenticated with the client id and secret, from `cursor` (none: the whole history). */
function sync(cursor: string | undefined) {
	return nock(SANDBOX, { reqheaders: { 'plaid-client-id': 'plaid-client-id', 'plaid-secret': 'plaid-sandbox-secret' } }).post(
		'/transactions/sync',
		(body: Json) => body.access_token === ACCESS_TOKEN && body.cursor === cursor && body.count === 500,
	);
}

function poller(parameters: IDataObject = {}, staticData: IDataObject = {}) {
	return pollHarness(PlaidPaymentPollTrigger, { credential: new PaymentEventsPlaidApi(), credentials, parameters, staticData });
}

/** A trigger that already synced up to `cursor`. */
const syncedTo = (cursor: string) => poller({}, { cursor: '2026-01-01T00:00:00.000Z', positions: { default: cursor }, emitted: {} });
const cursorBodies = (trigger: ReturnType<typeof poller>) => trigger.requests.map((request) => (request.body as Json).cursor);

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Plaid Payment Poll Trigger', () => {
	it('is a polling trigger named as the package registers it, on the Plaid credential', () => {
		const { description } = new PlaidPaymentPollTrigger();
		expect(description.name).toBe('plaidPaymentPollTrigger');
		expect(description.displayName).toBe('Plaid Payment Poll Trigger');
		expect(description.polling).toBe(true);
		expect(description.credentials).toEqual([{ name: 'paymentEventsPlaidApi', required: true }]);
		expect(description.icon).toEqual({ light: 'file:plaid.svg', dark: 'file:plaid.svg' });
	});

	it('first poll: syncs the history through every page to take its cursor, and reports none of it', async () => {
		const first = sync(undefined).reply(200, page([credit('history-1', '2022-01-10')], 'history-page-2', true));
		const second = sync('history-page-2').reply(200, page([credit('history-2', '2022-01-11')], HISTORY_CURSOR));
		const trigger = poller();

		expect(await trigger.poll()).toBeNull();

		expect(first.isDone() && second.isDone()).toBe(true);
		expect(trigger.staticData.positions).toEqual({ default: HISTORY_CURSOR });
		expect(Object.keys(trigger.staticData.emitted as IDataObject)).toEqual(['history-1', 'history-2']);
	});

	it('later polls resume from the stored cursor and report each new credit once', async () => {
		const trigger = syncedTo(HISTORY_CURSOR);
		sync(HISTORY_CURSOR).reply(200, page([credit('deposit-1', '2026-01-02'), apple], 'cursor-2'));

		const items = await trigger.poll();

		// The purchase (money out) reports nothing.
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			id: 'plaid:deposit-1',
			livemode: false,
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 230721, value: '2307.21', currency: 'USD' },
			occurredAt: '2026-01-02T00:00:00.000Z',
			customer: { name: 'Apple' },
		});
		expect(items![0].raw).toEqual(credit('deposit-1', '2026-01-02'));
		expect(trigger.staticData.positions).toEqual({ default: 'cursor-2' });

		// Nothing changed since: the next poll asks from cursor-2 and reports nothing.
		sync('cursor-2').reply(200, page([], 'cursor-2'));
		expect(await trigger.poll()).toBeNull();
		expect(cursorBodies(trigger)).toEqual([HISTORY_CURSOR, 'cursor-2']);
	});

	it('reads every page while has_more, and stores the cursor of the last one', async () => {
		const trigger = syncedTo('cursor-1');
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-1b', true));
		sync('cursor-1b').reply(200, page([credit('deposit-2', '2026-01-03')], 'cursor-2'));

		const items = await trigger.poll();

		expect(items!.map((item) => item.id)).toEqual(['plaid:deposit-1', 'plaid:deposit-2']);
		expect(trigger.staticData.positions).toEqual({ default: 'cursor-2' });
	});

	it('a pending credit, then its posted version: two events of the same payment', async () => {
		const trigger = syncedTo('cursor-1');
		sync('cursor-1').reply(200, page([credit('pending-1', '2026-01-02', { pending: true })], 'cursor-2'));
		const first = await trigger.poll();
		expect(first).toHaveLength(1);
		expect(first![0]).toMatchObject({ id: 'plaid:pending-1', status: 'pending', payment: { id: 'pending-1' } });

		// Posted: a new transaction naming the pending one, which Plaid removes in the same update.
		const posted = credit('posted-1', '2026-01-03', { pending_transaction_id: 'pending-1' });
		sync('cursor-2').reply(200, { ...page([posted], 'cursor-3'), removed: [{ transaction_id: 'pending-1' }] });
		const second = await trigger.poll();
		expect(second).toHaveLength(1);
		expect(second![0]).toMatchObject({ id: 'plaid:posted-1', status: 'succeeded', payment: { id: 'pending-1' } });

		// Modified later without a change of status or amount: nothing to report.
		sync('cursor-3').reply(200, page([], 'cursor-4', false, [{ ...posted, name: 'Apple Store #2' }]));
		expect(await trigger.poll()).toBeNull();
	});

	it('Start From on the first poll: reports the credits of the history from that date on', async () => {
		sync(undefined).reply(200, page([credit('old-1', '2025-12-30'), credit('new-1', '2026-01-02')], 'cursor-1'));
		const trigger = poller({ startFrom: '2026-01-01T00:00:00.000Z' });

		const items = await trigger.poll();

		expect(items!.map((item) => item.id)).toEqual(['plaid:new-1']);
		expect(trigger.staticData.positions).toEqual({ default: 'cursor-1' });
	});

	it('restarts from the poll’s first cursor when the data changed during pagination', async () => {
		const trigger = syncedTo('cursor-1');
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-1b', true));
		sync('cursor-1b').reply(400, mutation());
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-1c', true));
		sync('cursor-1c').reply(200, page([credit('deposit-2', '2026-01-03')], 'cursor-2'));

		const items = await trigger.poll();

		expect(cursorBodies(trigger)).toEqual(['cursor-1', 'cursor-1b', 'cursor-1', 'cursor-1c']);
		// The first page, read twice, is reported once.
		expect(items!.map((item) => item.id)).toEqual(['plaid:deposit-1', 'plaid:deposit-2']);
		expect(trigger.staticData.positions).toEqual({ default: 'cursor-2' });
	});

	it('a failed page leaves the cursor where it was and reports nothing of the pages read', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: { default: 'cursor-1' }, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-1b', true));
		sync('cursor-1b').reply(401, { error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS' });

		await expect(trigger.poll()).rejects.toThrow(/Plaid: could not fetch the next page of Plaid transaction updates/);
		expect(trigger.staticData).toEqual(state);

		// The next poll reads the same updates again and reports them.
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-2'));
		expect(await trigger.poll()).toHaveLength(1);
	});

	it('keeps the secret and the access token out of the error', async () => {
		const trigger = syncedTo('cursor-1');
		sync('cursor-1').reply(400, { error_message: `access token ${ACCESS_TOKEN} is invalid` });
		const error = await trigger.poll().catch((caught: Error) => caught);
		expect(JSON.stringify({ message: (error as Error).message, description: (error as { description?: string }).description })).not.toMatch(
			/access-sandbox-de3ce8ef|plaid-sandbox-secret/,
		);
	});

	it('waits as Retry-After asks when rate limited, then reads the answer', async () => {
		const trigger = syncedTo('cursor-1');
		const limited = sync('cursor-1').reply(429, '', { 'Retry-After': '1' });
		sync('cursor-1').reply(200, page([credit('deposit-1', '2026-01-02')], 'cursor-2'));

		const started = Date.now();
		const items = await trigger.poll();

		expect(limited.isDone()).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(items).toHaveLength(1);
	});

	it('"Fetch Test Event" shows the latest credit without touching the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', positions: { default: 'cursor-1' }, emitted: {} };
		const trigger = poller({}, structuredClone(state));
		sync(undefined).reply(200, page([credit('deposit-1', '2025-12-01'), credit('deposit-2', '2025-12-20'), apple], 'cursor-x'));

		const items = await trigger.poll('manual');

		expect(items!.map((item) => item.id)).toEqual(['plaid:deposit-2']);
		expect(trigger.staticData).toEqual(state);
	});
});
