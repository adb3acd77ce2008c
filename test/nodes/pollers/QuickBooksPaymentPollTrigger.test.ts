import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsQuickBooksOAuth2Api } from '../../../credentials/PaymentEventsQuickBooksOAuth2Api.credentials';
import { QuickBooksPaymentPollTrigger } from '../../../nodes/QuickBooksPaymentPollTrigger/QuickBooksPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { SETTLE_MS, expectSettled, recordsAtCursor } from './pollState';

type Json = Record<string, unknown>;

const API = 'https://quickbooks.api.intuit.com';
const ACCESS_TOKEN = 'qbo-access-token';
const REALM = '1185883450';
const CDC_PATH = `/v3/company/${REALM}/cdc`;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Intuit's documented read responses; the two older samples get CurrencyRef in its documented shape (SOURCES.md). */
function record(file: string, key: 'Payment' | 'Invoice', changes: Json = {}): Json {
	const entity = fixtureJson<Json>(file)[key] as Json;
	return { CurrencyRef: { value: 'USD', name: 'United States Dollar' }, ...entity, ...changes };
}
const payment163 = (changes: Json = {}) => record('quickbooks/payment_read_response.json', 'Payment', changes);
const invoice130 = (changes: Json = {}) => record('quickbooks/invoice_read_response.json', 'Invoice', changes);
/** Invoice 96 of the "Send an invoice" sample: TotalAmt 52, Deposit 12, Balance 40, i.e. partly paid. */
const invoice96 = (changes: Json = {}) => record('quickbooks/invoice_send_response.json', 'Invoice', changes);
/** Invoice 129 of the "Void an invoice" sample: amounts zeroed, PrivateNote "Voided". */
const invoice129 = (changes: Json = {}) => record('quickbooks/invoice_void_response.json', 'Invoice', changes);
const updated = (entity: Json, time: string): Json => ({
	...entity,
	MetaData: { ...(entity.MetaData as Json), LastUpdatedTime: time },
});

/** Intuit's published CDC envelope holding these records of one entity (as CDC groups them: one QueryResponse per entity). */
function cdc(entity: 'Payment' | 'Invoice', records: Json[]): Json {
	const body = fixtureJson<{ CDCResponse: Array<{ QueryResponse: Json[] }> }>('quickbooks/cdc_response.json');
	body.CDCResponse[0].QueryResponse = [{ [entity]: records, startPosition: 1, maxResults: records.length }];
	return body as unknown as Json;
}

/** The CDC request of one entity, with the token and the minor version, answering `body`. */
function cdcApi(entity: 'Payment' | 'Invoice', body: Json | (() => Json), check?: (query: Json) => boolean) {
	return nock(API, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
		.get(CDC_PATH)
		.query((query) => query.entities === entity && query.minorversion === '75' && (check?.(query) ?? true))
		.reply(200, typeof body === 'function' ? body : () => body);
}

function poller(parameters: IDataObject = {}, staticData: IDataObject = {}, credentials: IDataObject = { realmId: REALM }) {
	return pollHarness(QuickBooksPaymentPollTrigger, {
		credential: new PaymentEventsQuickBooksOAuth2Api(),
		credentials: {
			clientId: 'qbo-client-id',
			clientSecret: 'qbo-client-secret',
			environment: 'production',
			oauthTokenData: { access_token: ACCESS_TOKEN },
			...credentials,
		},
		parameters,
		staticData,
	});
}

/** A poller whose cursor is already at `cursor` (a workflow that has been polling). */
const pollingSince = (cursor: string, parameters: IDataObject = {}) => poller(parameters, { cursor, atCursor: [], emitted: {} });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('QuickBooks Online Payment Poll Trigger', () => {
	it('is a polling trigger named as the package registers it, on the QuickBooks credential', () => {
		const { description } = new QuickBooksPaymentPollTrigger();
		expect(description.name).toBe('quickBooksPaymentPollTrigger');
		expect(description.displayName).toBe('QuickBooks Online Payment Poll Trigger');
		expect(description.polling).toBe(true);
		expect(description.credentials).toEqual([{ name: 'paymentEventsQuickBooksOAuth2Api', required: true }]);
		expect(JSON.stringify(description.properties)).toContain('30 days');
	});

	it('starts from now on its first run: no request, no event, the cursor set to the present', async () => {
		const trigger = poller();
		const before = Date.now();
		expect(await trigger.poll()).toBeNull();
		expect(trigger.requests).toHaveLength(0);
		expect(Date.parse(trigger.staticData.cursor as string)).toBeGreaterThanOrEqual(before);
		expect(Date.parse(trigger.staticData.cursor as string)).toBeLessThanOrEqual(Date.now());
	});

	it('backfills from Start From, within the 30 days CDC reaches back, and reads each entity with its own request', async () => {
		const queries: Json[] = [];
		const payments = cdcApi('Payment', cdc('Payment', [payment163()]), (query) => Boolean(queries.push(query)));
		const invoices = cdcApi('Invoice', cdc('Invoice', [invoice130()]), (query) => Boolean(queries.push(query)));
		const trigger = poller({ startFrom: '2014-09-01T00:00:00.000Z' });

		const items = await trigger.poll();

		expect(payments.isDone() && invoices.isDone()).toBe(true);
		// Start From lies years back: CDC would refuse it, so the request asks for the oldest time it allows.
		for (const query of queries) {
			const since = Date.parse(String(query.changedSince));
			expect(String(query.changedSince)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
			expect(since).toBeGreaterThan(Date.now() - 30 * DAY_MS);
			expect(since).toBeLessThan(Date.now() - 29 * DAY_MS);
		}
		expect(items).toHaveLength(2);
		const [invoice, payment] = items!;
		expect(invoice).toMatchObject({
			id: `quickbooks:${REALM}:Invoice:130:Create:2014-09-19T13:16:17-07:00`,
			provider: 'quickbooks',
			providerEventType: 'Invoice.Create',
			kind: 'invoice',
			status: 'pending',
			amount: { minor: 36207, value: '362.07', currency: 'USD' },
			amountDue: { minor: 36207, value: '362.07', currency: 'USD' },
			invoice: { id: '130', number: '1037' },
			customer: { id: '24', name: 'Sonnenschein Family Store', email: 'Familiystore@intuit.com' },
			occurredAt: '2014-09-19T20:16:17.000Z',
		});
		expect(payment).toMatchObject({
			id: `quickbooks:${REALM}:Payment:163:Create:2015-01-16T15:08:12-08:00`,
			providerEventType: 'Payment.Create',
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 6500, value: '65.00', currency: 'USD' },
			payment: { id: '163' },
			invoice: { id: '70' },
			customer: { id: '20', name: 'Red Rock Diner' },
		});
		// raw is the record in the shape of a read response, as the webhook trigger's fetch gives it.
		expect(payment.raw).toEqual({ Payment: payment163() });
		expect(trigger.staticData.cursor).toBe('2015-01-16T23:08:12.000Z');
		expect(recordsAtCursor(trigger.staticData)).toEqual(['Payment:163']);
	});

	it('asks from one second before the cursor, so that changes in the cursor second are not lost', async () => {
		let since = '';
		cdcApi('Payment', cdc('Payment', []), (query) => Boolean((since = String(query.changedSince))));
		cdcApi('Invoice', cdc('Invoice', []));
		// Within the ten minutes CDC may take to list a change, so that finding nothing leaves the cursor where it is.
		const cursor = new Date(Date.now() - SETTLE_MS / 2).toISOString();
		const trigger = pollingSince(cursor);

		expect(await trigger.poll()).toBeNull();
		expect(Date.parse(since)).toBe(Math.floor(Date.parse(cursor) / 1000) * 1000 - 1000);
		expect(trigger.staticData.cursor).toBe(cursor);
	});

	it("reads Intuit's published CDC sample (Customers, Estimates, a deleted Estimate) as holding no payment", async () => {
		cdcApi('Payment', fixtureJson('quickbooks/cdc_response.json'));
		cdcApi('Invoice', fixtureJson('quickbooks/cdc_response.json'));
		const trigger = pollingSince('2015-12-01T00:00:00.000Z');

		const before = Date.now();
		expect(await trigger.poll()).toBeNull();
		// Nothing new: the cursor moves up to what CDC has surely listed by now.
		expectSettled(trigger.staticData, before);
	});

	it('asks again from the latest change when an answer holds the 1,000 objects CDC returns at most', async () => {
		// 1,000 payments: Payment 163 under other ids, a second apart, as a busy company would answer.
		// Within the last 30 days, so that the second request's changedSince is not moved to CDC's limit.
		const start = Math.floor((Date.now() - 2 * DAY_MS) / 1000) * 1000;
		const at = (n: number) => new Date(start + n * 1000).toISOString().replace('.000Z', '+00:00');
		const full = Array.from({ length: 1000 }, (_, n) => updated(payment163({ Id: String(1000 + n) }), at(n)));
		const sinces: string[] = [];
		cdcApi('Payment', cdc('Payment', full), (query) => Boolean(sinces.push(String(query.changedSince))));
		// The second answer starts with the last payment of the first again (its second is asked for once more).
		cdcApi('Payment', cdc('Payment', [full[999], updated(payment163({ Id: '2000' }), at(1000))]), (query) =>
			Boolean(sinces.push(String(query.changedSince))),
		);
		cdcApi('Invoice', cdc('Invoice', []));
		const trigger = pollingSince(new Date(start - DAY_MS).toISOString());

		const items = await trigger.poll();

		expect(sinces).toHaveLength(2);
		// The second request starts a second before the last change of the first answer.
		expect(Date.parse(sinces[1])).toBe(start + 999 * 1000 - 1000);
		expect(items).toHaveLength(1001);
		expect(new Set(items!.map((item) => (item.payment as Json).id)).size).toBe(1001);
		expect(trigger.staticData.cursor).toBe(new Date(start + 1000 * 1000).toISOString());
	});

	it('reports a change that shares the cursor time once, and never again the ones already seen at that time', async () => {
		const trigger = poller({ startFrom: '2015-01-01T00:00:00.000Z' });
		cdcApi('Payment', cdc('Payment', [payment163()]));
		cdcApi('Invoice', cdc('Invoice', []));
		expect(await trigger.poll()).toHaveLength(1);
		expect(trigger.staticData.cursor).toBe('2015-01-16T23:08:12.000Z');
		expect(recordsAtCursor(trigger.staticData)).toEqual(['Payment:163']);

		// Invoice 96, changed in the same second as Payment 163, shows up only now.
		const sameSecond = updated(invoice96(), '2015-01-16T15:08:12-08:00');
		cdcApi('Payment', cdc('Payment', [payment163()]));
		cdcApi('Invoice', cdc('Invoice', [sameSecond]));
		const second = await trigger.poll();
		expect(second).toHaveLength(1);
		expect(second![0]).toMatchObject({ kind: 'invoice', invoice: { id: '96' } });
		expect(trigger.staticData).toMatchObject({ cursor: '2015-01-16T23:08:12.000Z' });
		expect(recordsAtCursor(trigger.staticData).sort()).toEqual(['Invoice:96', 'Payment:163']);

		cdcApi('Payment', cdc('Payment', [payment163()]));
		cdcApi('Invoice', cdc('Invoice', [sameSecond]));
		expect(await trigger.poll()).toBeNull();
	});

	it('reports a partial payment, then the full one, and nothing for a change that moves no money', async () => {
		const trigger = pollingSince('2014-12-01T00:00:00.000Z');
		cdcApi('Payment', cdc('Payment', []));
		cdcApi('Invoice', cdc('Invoice', [invoice96()]));
		const partial = await trigger.poll();
		expect(partial).toHaveLength(1);
		expect(partial![0]).toMatchObject({
			status: 'partially_paid',
			crmStatus: 'Partially paid',
			amount: { minor: 1200, value: '12.00', currency: 'USD' },
			amountPaid: { minor: 1200 },
			amountDue: { minor: 4000 },
			total: { minor: 5200 },
			invoice: { id: '96', number: 'Sample_Inv#2' },
		});

		// The rest is paid: Balance 0, a later LastUpdatedTime (derived from the sample, see SOURCES.md).
		const paid = updated(invoice96({ Balance: 0 }), '2014-12-18T09:00:00-08:00');
		cdcApi('Payment', cdc('Payment', []));
		cdcApi('Invoice', cdc('Invoice', [paid]));
		const full = await trigger.poll();
		expect(full).toHaveLength(1);
		expect(full![0]).toMatchObject({
			id: `quickbooks:${REALM}:Invoice:96:Update:2014-12-18T09:00:00-08:00`,
			status: 'succeeded',
			amount: { minor: 5200, value: '52.00' },
			amountDue: { minor: 0 },
		});

		// Edited again (a memo, say): same status and amounts, so no event, but the cursor moves on.
		cdcApi('Payment', cdc('Payment', []));
		cdcApi('Invoice', cdc('Invoice', [updated(paid, '2014-12-19T09:00:00-08:00')]));
		expect(await trigger.poll()).toBeNull();
		expect(trigger.staticData.cursor).toBe('2014-12-19T17:00:00.000Z');
	});

	it('reports a voided invoice as canceled and a deleted payment as nothing', async () => {
		// A deleted object as CDC lists it (the published sample's deleted Estimate, here a Payment).
		const deleted = { status: 'Deleted', domain: 'QBO', Id: '163', MetaData: { LastUpdatedTime: '2016-03-16T12:30:00-07:00' } };
		cdcApi('Payment', cdc('Payment', [deleted]));
		cdcApi('Invoice', cdc('Invoice', [invoice129()]));
		const trigger = pollingSince('2016-03-01T00:00:00.000Z');

		const items = await trigger.poll();

		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			providerEventType: 'Invoice.Void',
			kind: 'invoice',
			status: 'canceled',
			invoice: { id: '129', number: '1036' },
		});
		expect(trigger.staticData.cursor).toBe('2016-03-16T19:30:00.000Z');
	});

	it('waits as long as Retry-After asks when rate limited, then reads the answer', async () => {
		const limited = nock(API).get(CDC_PATH).query((query) => query.entities === 'Payment').reply(429, '', { 'Retry-After': '0' });
		cdcApi('Payment', cdc('Payment', [payment163()]));
		cdcApi('Invoice', cdc('Invoice', []));
		const trigger = pollingSince('2015-01-01T00:00:00.000Z');

		const items = await trigger.poll();

		expect(limited.isDone()).toBe(true);
		expect(trigger.requests).toHaveLength(3);
		expect(items).toHaveLength(1);
		expect(trigger.staticData.cursor).toBe('2015-01-16T23:08:12.000Z');
	});

	it('fails clearly on 401 and leaves the cursor where it was', async () => {
		nock(API).get(CDC_PATH).query(true).reply(401, '');
		const state = { cursor: '2015-01-01T00:00:00.000Z', atCursor: ['Payment:1'], emitted: { 'Payment:1': 'payment:succeeded:100::' } };
		const trigger = poller({}, structuredClone(state));

		const error = await trigger.poll().then(
			() => undefined,
			(caught: unknown) => caught as Error & { description?: string; httpCode?: string },
		);
		expect(error?.message).toMatch(/^QuickBooks Online: could not fetch the QuickBooks Payment changes since .* of company 1185883450$/);
		expect(error?.httpCode).toBe('401');
		expect(`${error?.message} ${error?.description}`).not.toContain(ACCESS_TOKEN);
		expect(trigger.staticData).toEqual(state);
	});

	it('reads the company the QuickBooks sign-in named when the credential has no Company ID, and ids its changes as the webhook does', async () => {
		const payments = cdcApi('Payment', cdc('Payment', [payment163()]));
		const invoices = cdcApi('Invoice', cdc('Invoice', []));
		// n8n keeps what Intuit's authorization redirect carried beside the code (realmId) as callbackQueryString,
		// and gives the empty Company ID field its default, ''.
		const signIn = { realmId: '', oauthTokenData: { access_token: ACCESS_TOKEN, callbackQueryString: { realmId: REALM } } };
		const trigger = poller({}, { cursor: '2015-01-01T00:00:00.000Z', atCursor: [], emitted: {} }, signIn);

		const items = await trigger.poll();

		expect(payments.isDone() && invoices.isDone()).toBe(true);
		expect(trigger.requests.map((request) => new URL(String(request.url)).pathname)).toEqual([CDC_PATH, CDC_PATH]);
		// As a legacy notification's id: <realmId>:<entity>:<id>:<operation>:<LastUpdatedTime>.
		expect(items).toEqual([
			expect.objectContaining({
				id: `quickbooks:${REALM}:Payment:163:Create:2015-01-16T15:08:12-08:00`,
				providerEventId: `${REALM}:Payment:163:Create:2015-01-16T15:08:12-08:00`,
				payment: { id: '163' },
			}),
		]);
	});

	it('asks for the Company ID when the credential has none, without moving the cursor', async () => {
		const trigger = poller({ startFrom: '2015-01-01T00:00:00.000Z' }, {}, {});

		await expect(trigger.poll()).rejects.toThrow(/Company ID \(Realm ID\)/);
		expect(trigger.requests).toHaveLength(0);
		expect(trigger.staticData).toEqual({});
	});

	it('fetches the latest real payment for "Fetch Test Event" without touching the static data', async () => {
		cdcApi('Payment', cdc('Payment', [payment163()]));
		cdcApi('Invoice', cdc('Invoice', [invoice130(), invoice96()]));
		const state = { cursor: '2026-01-01T00:00:00.000Z', atCursor: [], emitted: {} };
		const trigger = poller({}, structuredClone(state));

		const items = await trigger.poll('manual');

		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({ kind: 'payment', payment: { id: '163' } });
		expect(trigger.staticData).toEqual(state);
	});
});
