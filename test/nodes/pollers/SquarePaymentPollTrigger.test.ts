import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsSquareApi } from '../../../credentials/PaymentEventsSquareApi.credentials';
import { SquarePaymentPollTrigger } from '../../../nodes/SquarePaymentPollTrigger/SquarePaymentPollTrigger.node';
import { square } from '../../../nodes/providers/square';
import type { WebhookTools } from '../../../nodes/providers/types';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { readContext, recordsAtCursor } from './pollState';

// Events: shared/fixtures/square (the webhook event examples of Square's API spec, see its PROVENANCE.md), served in
// the SearchEvents response envelope { events, metadata, cursor } whose own example (Square SDK reference) is
// test/fixtures/square/search-events-response.json. See test/fixtures/square/SOURCES.md for what the tests vary.
const API = 'https://connect.squareup.com';
const TOKEN = 'EAAA-poller-token';
const credentials: IDataObject = { accessToken: TOKEN };

type Json = Record<string, unknown> & { event_id: string; created_at: string; data: { id: string; object: Record<string, Record<string, unknown>> } };
const sample = (name: string) => fixtureJson<Json>(`square/${name}.json`);
// Both payment samples describe payment hYy9… (payment.created's data.id says KkAk…, its payment.id hYy9…).
const approved = sample('payment.created'); // APPROVED, 2020-02-06T21:27:30.792Z
const completed = sample('payment.updated'); // COMPLETED, 2020-02-06T21:27:34.308Z
const refundPending = sample('refund.created'); // refund KkAk…_ptNB…, PENDING, 2020-02-06T21:27:41.852Z
const refundCompleted = sample('refund.updated'); // the same refund, COMPLETED, 2020-02-06T22:14:16.421Z
const invoicePaid = sample('invoice.payment_made'); // inv:0-…, PAID, 10000 of 10000, 2020-06-18T18:23:11Z
const documented = fixtureJson<Record<string, unknown>>('square/search-events-response.json');

/** A sample event with its id, time or object changed, to stand for another change of the account. */
function changed(event: Json, fields: { event_id?: string; created_at?: string; object?: Record<string, Record<string, unknown>> }): Json {
	return {
		...event,
		event_id: fields.event_id ?? event.event_id,
		created_at: fields.created_at ?? event.created_at,
		data: { ...event.data, object: { ...event.data.object, ...fields.object } },
	};
}

/** One SearchEvents page: the documented envelope, with these events and their metadata. */
function page(events: Json[], cursor?: string) {
	return {
		events,
		metadata: events.map((event) => ({ event_id: event.event_id, api_version: '2022-12-13' })),
		...(cursor ? { cursor } : {}),
	};
}

function poller(parameters: IDataObject = {}, staticData?: IDataObject) {
	return pollHarness(SquarePaymentPollTrigger, { credential: new PaymentEventsSquareApi(), credentials, parameters, staticData });
}

const search = (since: string, cursor?: string) => ({
	limit: 100,
	...(cursor ? { cursor } : {}),
	query: {
		filter: { event_types: Object.keys(square.events), created_at: { start_at: since } },
		sort: { field: 'DEFAULT', order: 'ASC' },
	},
});
const events = () => nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

/** What read gets with a first page. */
const firstPage = readContext();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Square Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
		expect(node.staticData).toMatchObject({ atCursor: [], emitted: {} });
	});

	it('backfills from Start From through SearchEvents, and turns each event into its canonical event', async () => {
		const since = '2020-02-06T00:00:00.000Z';
		const api = events().post('/v2/events', search(since)).reply(200, page([approved, completed]));
		const node = poller({ startFrom: since });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(2);
		expect(items![0]).toMatchObject({
			id: `square:${approved.event_id}`,
			providerEventType: 'payment.created',
			kind: 'payment',
			status: 'pending',
			amount: { minor: 100, value: '1.00', currency: 'USD' },
			occurredAt: approved.created_at,
		});
		expect(items![1]).toMatchObject({ providerEventType: 'payment.updated', status: 'succeeded', payment: { id: completed.data.id } });
		expect(items![1].raw).toEqual(completed.data);
		expect(node.staticData.cursor).toBe(completed.created_at);
		expect(recordsAtCursor(node.staticData)).toEqual([completed.data.id]);
	});

	it('follows the cursor through every page', async () => {
		const since = '2020-02-06T21:00:00.000Z';
		const api = events()
			.post('/v2/events', search(since))
			.reply(200, page([approved, completed], 'page-2-cursor'))
			.post('/v2/events', search(since, 'page-2-cursor'))
			.reply(200, page([refundPending, refundCompleted]));
		const node = poller({}, { cursor: since, atCursor: [], emitted: {} });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((item) => [item.providerEventType, item.status])).toEqual([
			['payment.created', 'pending'],
			['payment.updated', 'succeeded'],
			['refund.created', 'pending'],
			['refund.updated', 'refunded'],
		]);
		expect(node.staticData.cursor).toBe(refundCompleted.created_at);
		expect(recordsAtCursor(node.staticData)).toEqual([refundCompleted.data.id]);
	});

	it('emits an event that shares the cursor time once, and does not repeat the one already seen there', async () => {
		const at = completed.created_at;
		const since = '2020-02-06T21:27:31.000Z';
		const node = poller({}, { cursor: since, atCursor: [], emitted: {} });
		events().post('/v2/events', search(since)).reply(200, page([completed]));
		expect((await node.poll())!.map((item) => item.providerEventType)).toEqual(['payment.updated']);
		expect(node.staticData.cursor).toBe(at);

		// A refund, listed later with the same time as the payment the cursor stopped at.
		const sameTime = changed(refundPending, { event_id: 'same-time-event', created_at: at });
		events().post('/v2/events', search(at)).reply(200, page([completed, sameTime]));
		const items = await node.poll();
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ id: 'square:same-time-event', providerEventType: 'refund.created', kind: 'refund' });
		expect(node.staticData.cursor).toBe(at);
		expect(recordsAtCursor(node.staticData)).toEqual([completed.data.id, refundPending.data.id]);

		events().post('/v2/events', search(at)).reply(200, page([completed, sameTime]));
		expect(await node.poll()).toBeNull();
	});

	it('keys both payment samples by the payment object they describe', () => {
		const read = square.poll!.read('default', page([approved, completed]), firstPage);
		expect(new Set(read.records.map((record) => record.key))).toEqual(new Set([completed.data.id]));
	});

	it('emits a refund again when it completes, an invoice when it goes from partly to fully paid, and nothing for an unchanged one', async () => {
		const since = '2020-02-06T21:27:00.000Z';
		const node = poller({}, { cursor: since, atCursor: [], emitted: {} });
		events().post('/v2/events', search(since)).reply(200, page([refundPending]));
		expect((await node.poll())!.map((item) => item.status)).toEqual(['pending']);
		events().post('/v2/events', search(refundPending.created_at)).reply(200, page([refundPending, refundCompleted]));
		expect((await node.poll())!.map((item) => [item.kind, item.status])).toEqual([['refund', 'refunded']]);

		const invoice = invoicePaid.data.object.invoice;
		const [request] = invoice.payment_requests as Record<string, unknown>[];
		const partly = changed(invoicePaid, {
			event_id: 'invoice-partly-paid',
			created_at: '2020-06-18T18:20:00Z',
			object: { invoice: { ...invoice, payment_requests: [{ ...request, total_completed_amount_money: { amount: 4000, currency: 'USD' } }] } },
		});
		events().post('/v2/events', search(refundCompleted.created_at)).reply(200, page([partly]));
		const first = await node.poll();
		expect(first!.map((item) => [item.status, (item.amountPaid as IDataObject).minor, (item.amountDue as IDataObject).minor])).toEqual([
			['partially_paid', 4000, 6000],
		]);
		events().post('/v2/events', search('2020-06-18T18:20:00.000Z')).reply(200, page([partly, invoicePaid]));
		const second = await node.poll();
		expect(second!.map((item) => [item.status, (item.amountPaid as IDataObject).minor, (item.amountDue as IDataObject).minor])).toEqual([
			['succeeded', 10000, 0],
		]);

		// Another event about the paid invoice (the same amounts and status) starts nothing.
		const again = changed(invoicePaid, { event_id: 'invoice-unchanged', created_at: '2020-06-18T18:30:00Z' });
		events().post('/v2/events', search('2020-06-18T18:23:11.000Z')).reply(200, page([invoicePaid, again]));
		expect(await node.poll()).toBeNull();
		expect(node.staticData.cursor).toBe('2020-06-18T18:30:00.000Z');
	});

	it('waits as long as Retry-After asks when rate limited, then reads the page', async () => {
		const since = '2020-02-06T21:27:00.000Z';
		const api = events()
			.post('/v2/events', search(since))
			.reply(429, { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' }] }, { 'Retry-After': '1' })
			.post('/v2/events', search(since))
			.reply(200, page([completed]));
		const node = poller({}, { cursor: since, atCursor: [], emitted: {} });
		const started = Date.now();
		expect(await node.poll()).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(api.isDone()).toBe(true);
	});

	it('fails clearly on a rejected token and leaves the cursor where it was', async () => {
		const state = { cursor: '2020-02-06T21:27:00.000Z', atCursor: ['seen'], emitted: { seen: 'payment:succeeded:100::' } };
		const node = poller({}, structuredClone(state));
		events()
			.post('/v2/events', search(state.cursor))
			.reply(401, { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }] });
		const failure = await node.poll().catch((error: Error) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toMatch(/Square: could not fetch the events since/);
		expect(JSON.stringify(failure)).not.toContain(TOKEN);
		expect(node.staticData).toEqual(state);
	});

	it('leaves the cursor unchanged on a server error too', async () => {
		const state = { cursor: '2020-02-06T21:27:00.000Z', atCursor: [], emitted: {} };
		const node = poller({}, structuredClone(state));
		events().post('/v2/events', search(state.cursor)).reply(500, { errors: [{ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' }] });
		await expect(node.poll()).rejects.toThrow(/Square: could not/);
		expect(node.staticData).toEqual(state);
	});

	it('fetches the latest payment for a manual test without touching the static data', async () => {
		const state = { cursor: '2026-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const node = poller({ startFrom: '2020-02-06T00:00:00.000Z' }, structuredClone(state));
		events().post('/v2/events', search('2020-02-06T00:00:00.000Z')).reply(200, page([approved, completed, refundPending]));
		const items = await node.poll('manual');
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ providerEventType: 'refund.created', occurredAt: refundPending.created_at });
		expect(node.staticData).toEqual(state);
	});
});

describe('Square poll: the SearchEvents envelope', () => {
	const tools = { now: new Date(), switches: {}, credentials: {} } as unknown as WebhookTools;

	it("reads the documented response: its cursor, and the event's zone-less created_at as UTC", () => {
		const read = square.poll!.read('default', documented, firstPage);
		expect(read.next).toBe('6b571fc9773647f=');
		expect(read.records).toHaveLength(1);
		expect(read.records[0]).toMatchObject({
			key: 'ORSEVtZAJxb37RA1EiGw',
			modifiedAt: '2022-04-26T10:08:40.454Z',
			event: { id: '73ecd468-0aba-424f-b862-583d44efe7c8', type: 'dispute.state.updated' },
		});
		// Not one of the adapter's payment events: it normalizes to nothing.
		expect(square.normalize(read.records[0].event, {})).toEqual([]);
	});

	it('throws the error Square answers instead of events', () => {
		expect(() => square.poll!.read('default', { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST' }] }, firstPage)).toThrow(/BAD_REQUEST/);
	});

	it('asks for the inclusive range in ascending order', () => {
		const request = square.poll!.request('default', '2020-02-06T21:27:34.308Z', undefined, tools);
		expect(request).toMatchObject({ method: 'POST', path: '/v2/events', body: search('2020-02-06T21:27:34.308Z') });
	});
});
