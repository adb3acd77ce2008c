import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsStripeApi } from '../../../credentials/PaymentEventsStripeApi.credentials';
import { StripePaymentPollTrigger } from '../../../nodes/StripePaymentPollTrigger/StripePaymentPollTrigger.node';
import { stripe } from '../../../nodes/providers/stripe';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { readContext, recordsAtCursor } from './pollState';

// Events: shared/fixtures/stripe (captured from the Stripe API, see its PROVENANCE.md), served inside the documented
// list envelope of GET /v1/events ({ object: 'list', data, has_more, url }: https://docs.stripe.com/api/events/list,
// https://docs.stripe.com/api/pagination). See test/fixtures/stripe/SOURCES.md for what the tests vary.
const API = 'https://api.stripe.com';
const KEY = 'sk_test_poller_key';
const credentials: IDataObject = { secretKey: KEY };

type Json = Record<string, unknown> & { id: string; created: number; data: { object: Record<string, unknown> } };
const sample = (name: string) => fixtureJson<Json>(`stripe/${name}.json`);
// The charges belong to the PaymentIntent pi_…: the poller keys them by it, so they are one payment with it.
const chargeSucceeded = sample('charge.succeeded'); // ch_… of pi_…, 1648320032
const chargeFailed = sample('charge.failed'); // ch_… of pi_…, 1648320028
const intentSucceeded = sample('payment_intent.succeeded'); // pi_…, 1648320033
const PAYMENT = intentSucceeded.data.object.id;
const invoicePaid = sample('invoice.payment_succeeded'); // in_…, 1648320015, total 2000, paid 2000
const refundUpdated = sample('charge.refund.updated'); // re_…, 1648319945
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A sample event with its id, time or object changed, to stand for another change of the account. */
function changed(event: Json, fields: { id?: string; created?: number; object?: Record<string, unknown> }): Json {
	return {
		...event,
		id: fields.id ?? event.id,
		created: fields.created ?? event.created,
		data: { ...event.data, object: { ...event.data.object, ...fields.object } },
	};
}

/** One page of GET /v1/events, newest first as Stripe lists them. */
function page(events: Json[], hasMore = false) {
	return { object: 'list', data: [...events].sort((a, b) => b.created - a.created), has_more: hasMore, url: '/v1/events' };
}

function poller(parameters: IDataObject = {}, staticData?: IDataObject) {
	return pollHarness(StripePaymentPollTrigger, { credential: new PaymentEventsStripeApi(), credentials, parameters, staticData });
}

const types = Object.fromEntries(Object.keys(stripe.events).map((type, n) => [`types[${n}]`, type]));
const query = (since: number, startingAfter?: string) => ({
	'created[gte]': String(since),
	limit: '100',
	...types,
	...(startingAfter ? { starting_after: startingAfter } : {}),
});
const events = () => nock(API, { reqheaders: { authorization: `Bearer ${KEY}` } });

/** What read gets with a first page. */
const firstPage = readContext();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Stripe Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
		expect(node.staticData).toMatchObject({ atCursor: [], emitted: {} });
	});

	it('backfills from Start From, asking for the adapter event types, and turns each event into its canonical event', async () => {
		const since = 1648310400; // 2022-03-26T16:00:00Z
		const api = events().get('/v1/events').query(query(since)).reply(200, page([invoicePaid, chargeSucceeded]));
		const node = poller({ startFrom: iso(since) });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(2);
		// Oldest first: the invoice, then the charge.
		expect(items![0]).toMatchObject({
			id: `stripe:${invoicePaid.id}`,
			providerEventType: 'invoice.payment_succeeded',
			kind: 'invoice',
			status: 'succeeded',
			amount: { minor: 2000, value: '20.00', currency: 'USD' },
			occurredAt: iso(invoicePaid.created),
		});
		expect(items![1]).toMatchObject({ providerEventType: 'charge.succeeded', kind: 'payment', status: 'succeeded', amount: { minor: 2000 } });
		expect(items![1].raw).toEqual(chargeSucceeded.data);
		expect(node.staticData.cursor).toBe(iso(chargeSucceeded.created));
		expect(recordsAtCursor(node.staticData)).toEqual([PAYMENT]);
	});

	it('pages back through every page with starting_after, then emits oldest first, a PaymentIntent and its charge once', async () => {
		const start = 1648319000;
		const newer = page([intentSucceeded, chargeSucceeded], true);
		const older = page([invoicePaid, refundUpdated]);
		const api = events()
			.get('/v1/events')
			.query(query(start))
			.reply(200, newer)
			// The oldest event of the first page: this repository's samples all carry Stripe's placeholder id.
			.get('/v1/events')
			.query(query(start, chargeSucceeded.id))
			.reply(200, older);
		const node = poller({}, { cursor: iso(start), atCursor: [], emitted: {} });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		// payment_intent.succeeded reports the success charge.succeeded already reported for the same payment.
		expect(items!.map((item) => item.providerEventType)).toEqual(['charge.refund.updated', 'invoice.payment_succeeded', 'charge.succeeded']);
		expect(node.staticData.cursor).toBe(iso(intentSucceeded.created));
	});

	it('emits a change that shares the cursor time once, and does not repeat the events already seen there', async () => {
		const at = intentSucceeded.created;
		const node = poller({}, { cursor: iso(at - 100), atCursor: [], emitted: {} });
		events().get('/v1/events').query(query(at - 100)).reply(200, page([intentSucceeded]));
		expect(await node.poll()).toHaveLength(1);
		expect(node.staticData.cursor).toBe(iso(at));
		expect(recordsAtCursor(node.staticData)).toEqual([PAYMENT]);

		// Later, an invoice event stamped with the same second shows up next to the PaymentIntent already emitted.
		const sameSecond = changed(invoicePaid, { id: 'evt_same_second', created: at });
		events().get('/v1/events').query(query(at)).reply(200, page([intentSucceeded, sameSecond]));
		const items = await node.poll();
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ id: 'stripe:evt_same_second', providerEventType: 'invoice.payment_succeeded' });
		expect(recordsAtCursor(node.staticData)).toEqual([PAYMENT, invoicePaid.data.object.id]);

		// Polled again with nothing new: nothing is emitted.
		events().get('/v1/events').query(query(at)).reply(200, page([intentSucceeded, sameSecond]));
		expect(await node.poll()).toBeNull();
	});

	it('emits a payment that changes again within the second the cursor stopped at, once', async () => {
		const at = chargeFailed.created;
		const node = poller({}, { cursor: iso(at - 100), atCursor: [], emitted: {} });
		events().get('/v1/events').query(query(at - 100)).reply(200, page([chargeFailed]));
		expect((await node.poll())!.map((item) => [item.status, (item.payment as IDataObject).id])).toEqual([['failed', PAYMENT]]);
		expect(node.staticData.cursor).toBe(iso(at));

		// The retried charge of the same PaymentIntent succeeds within that second, and is listed only on the next poll.
		const retried = changed(chargeSucceeded, { id: 'evt_retried_same_second', created: at });
		events().get('/v1/events').query(query(at)).reply(200, page([chargeFailed, retried]));
		const items = await node.poll();
		expect(items!.map((item) => [item.id, item.status, (item.payment as IDataObject).id])).toEqual([
			['stripe:evt_retried_same_second', 'succeeded', PAYMENT],
		]);
		expect(node.staticData.cursor).toBe(iso(at));

		events().get('/v1/events').query(query(at)).reply(200, page([chargeFailed, retried]));
		expect(await node.poll()).toBeNull();
	});

	it('emits a payment again when it changes (failed, then succeeded), and an invoice when it goes from partly to fully paid', async () => {
		const node = poller({}, { cursor: iso(1648320000), atCursor: [], emitted: {} });
		const partly = changed(invoicePaid, { id: 'evt_partly', created: 1648320010, object: { amount_paid: 500, amount_remaining: 1500 } });
		events().get('/v1/events').query(query(1648320000)).reply(200, page([chargeFailed, partly]));
		const first = await node.poll();
		expect(first!.map((item) => [item.kind, item.status, (item.amount as IDataObject).minor])).toEqual([
			['invoice', 'partially_paid', 500],
			['payment', 'failed', 2000],
		]);

		const paid = changed(invoicePaid, { created: 1648320030 });
		events().get('/v1/events').query(query(chargeFailed.created)).reply(200, page([chargeFailed, paid, chargeSucceeded]));
		const second = await node.poll();
		expect(second!.map((item) => [item.kind, item.status, (item.amount as IDataObject).minor])).toEqual([
			['invoice', 'succeeded', 2000],
			['payment', 'succeeded', 2000],
		]);

		// The same invoice listed again with its amounts unchanged (a later event about it) starts nothing.
		const unchanged = changed(invoicePaid, { id: 'evt_unchanged', created: 1648320040 });
		events().get('/v1/events').query(query(chargeSucceeded.created)).reply(200, page([chargeSucceeded, unchanged]));
		expect(await node.poll()).toBeNull();
		expect(node.staticData.cursor).toBe(iso(1648320040));
	});

	it('waits as long as Retry-After asks when rate limited, then reads the page', async () => {
		const node = poller({}, { cursor: iso(1648320000), atCursor: [], emitted: {} });
		const api = events()
			.get('/v1/events')
			.query(query(1648320000))
			.reply(429, { error: { type: 'invalid_request_error', message: 'Too many requests' } }, { 'Retry-After': '1' })
			.get('/v1/events')
			.query(query(1648320000))
			.reply(200, page([intentSucceeded]));
		const started = Date.now();
		const items = await node.poll();
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(1);
	});

	it('fails clearly on a rejected key and leaves the cursor where it was', async () => {
		const state = { cursor: iso(1648320000), atCursor: ['ch_seen'], emitted: { ch_seen: 'payment:succeeded:2000::' } };
		const node = poller({}, structuredClone(state));
		events()
			.get('/v1/events')
			.query(query(1648320000))
			.reply(401, { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${KEY}` } });
		const failure = await node.poll().catch((error: Error) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/Stripe: could not fetch the events since/);
		expect(JSON.stringify(failure)).not.toContain(KEY);
		expect(String((failure as { description?: string }).description)).not.toContain(KEY);
		expect(node.staticData).toEqual(state);
	});

	it('leaves the cursor unchanged on a server error too', async () => {
		const state = { cursor: iso(1648320000), atCursor: [], emitted: {} };
		const node = poller({}, structuredClone(state));
		events().get('/v1/events').query(query(1648320000)).reply(500, { error: { type: 'api_error' } });
		await expect(node.poll()).rejects.toThrow(/Stripe: could not fetch/);
		expect(node.staticData).toEqual(state);
	});

	it('fetches the latest payment for a manual test without touching the static data', async () => {
		const state = { cursor: iso(1648320000), atCursor: [], emitted: {} };
		const node = poller({ startFrom: iso(1648310400) }, structuredClone(state));
		events().get('/v1/events').query(query(1648310400)).reply(200, page([invoicePaid, chargeSucceeded, intentSucceeded]));
		const items = await node.poll('manual');
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ providerEventType: 'payment_intent.succeeded', occurredAt: iso(intentSucceeded.created) });
		expect(node.staticData).toEqual(state);
	});
});

describe('Stripe poll: reading a page', () => {
	it('keys each event by its object and refuses a page that is not a list', () => {
		const read = stripe.poll!.read('default', page([refundUpdated, chargeSucceeded], true), firstPage);
		expect(read.records.map((record) => [record.key, record.modifiedAt])).toEqual([
			[PAYMENT, iso(chargeSucceeded.created)],
			[refundUpdated.data.object.id, iso(refundUpdated.created)],
		]);
		// A charge without a PaymentIntent (Charges API) is its own payment.
		const direct = changed(chargeSucceeded, { object: { payment_intent: null } });
		expect(stripe.poll!.read('default', page([direct]), firstPage).records[0].key).toBe(chargeSucceeded.data.object.id);
		expect(read.next).toBe(refundUpdated.id);
		expect(stripe.poll!.read('default', page([chargeSucceeded]), firstPage).next).toBeUndefined();
		expect(() => stripe.poll!.read('default', { object: 'list' }, firstPage)).toThrow(/data: is not a list of events/);
	});
});
