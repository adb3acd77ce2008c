import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsFreshBooksOAuth2Api } from '../../../credentials/PaymentEventsFreshBooksOAuth2Api.credentials';
import { FreshBooksPaymentPollTrigger } from '../../../nodes/FreshBooksPaymentPollTrigger/FreshBooksPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { expectSettled, recordsAtCursor } from './pollState';

// test/fixtures/freshbooks (SOURCES.md): the list responses of the official freshbooks-nodejs-sdk tests (payment 115804
// of 100.00 USD updated 2019-11-29 12:18:29 Eastern; invoice SS007 of 1222.00 USD, nothing paid, updated 2019-11-14
// 11:27:45 Eastern), the identity docs' users/me example (account ABC123) and the SDK's two-business users/me. The
// tests vary ids, `updated`, `paid` and `outstanding` to stand for further records and for payments on the invoice.
const API = 'https://api.freshbooks.com';
const ACCOUNT = 'xZNQ1X';
const PAYMENTS = `/accounting/account/${ACCOUNT}/payments/payments`;
const INVOICES = `/accounting/account/${ACCOUNT}/invoices/invoices`;
const oauth = { oauthTokenData: { access_token: 'fb_access_token' } };

type Json = Record<string, unknown>;
type List = { response: { result: Json & { payments?: Json[]; invoices?: Json[] } } };
const paymentList = fixtureJson<List>('freshbooks/payments.list.json');
const invoiceList = fixtureJson<List>('freshbooks/invoices.list.json');
const SDK_PAYMENT = paymentList.response.result.payments![0];
const SDK_INVOICE = invoiceList.response.result.invoices![0];
// 2019-11-29 12:18:29 and 2019-11-14 11:27:45 in US Eastern (EST) time.
const PAYMENT_UPDATED = '2019-11-29T17:18:29.000Z';
const INVOICE_UPDATED = '2019-11-14T16:27:45.000Z';

const payment = (fields: Json = {}): Json => ({ ...SDK_PAYMENT, ...fields });
const invoice = (fields: Json = {}): Json => ({ ...SDK_INVOICE, ...fields });
const usd = (amount: string) => ({ amount, code: 'USD' });

function list(stream: 'payments' | 'invoices', records: Json[], paging: Json = {}): List {
	const sample = stream === 'payments' ? paymentList : invoiceList;
	return { response: { result: { ...sample.response.result, [stream]: records, ...paging } } };
}

function poller(parameters: IDataObject = {}, staticData?: IDataObject, credentials: IDataObject = { ...oauth, accountId: ACCOUNT }) {
	return pollHarness(FreshBooksPaymentPollTrigger, { credential: new PaymentEventsFreshBooksOAuth2Api(), credentials, parameters, staticData });
}

const freshbooks = () => nock(API, { reqheaders: { authorization: 'Bearer fb_access_token' } });
const query = (updatedMin: string, page = 1) => ({ 'search[updated_min]': updatedMin, page: String(page), per_page: '100' });
const BACKFILL = { startFrom: '2019-11-01T00:00:00Z' };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('FreshBooks Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
	});

	it('backfills payments and invoices from Start From (an Eastern-time day), oldest change first', async () => {
		// 2019-11-01T00:00:00Z is still October 31 in New York.
		const api = freshbooks()
			.get(PAYMENTS)
			.query(query('2019-10-31'))
			.reply(200, paymentList)
			.get(INVOICES)
			.query(query('2019-10-31'))
			.reply(200, invoiceList);
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => [event.kind, event.status, (event.amount as Json).value, event.occurredAt])).toEqual([
			['invoice', 'pending', '1222.00', INVOICE_UPDATED],
			['payment', 'succeeded', '100.00', PAYMENT_UPDATED],
		]);
		// The id the webhook trigger gives the same state: the notification's account:name:object_id and the update time.
		expect(items![1]).toMatchObject({ providerEventId: `${ACCOUNT}:payment.update:115804:${PAYMENT_UPDATED}`, payment: { id: '115804', method: 'Cash' } });
		expect(items![1].raw).toEqual({ response: { result: { payment: SDK_PAYMENT } } });
		expect(node.staticData.cursor).toBe(PAYMENT_UPDATED);
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:115804']);
	});

	it('reads the account ID from users/me when the credential has none', async () => {
		const api = freshbooks()
			.get('/auth/api/v1/users/me')
			.twice()
			.reply(200, fixtureJson('freshbooks/users.me.json'))
			.get('/accounting/account/ABC123/payments/payments')
			.query(query('2019-10-31'))
			.reply(200, paymentList)
			.get('/accounting/account/ABC123/invoices/invoices')
			.query(query('2019-10-31'))
			.reply(200, list('invoices', []));
		const node = poller(BACKFILL, undefined, { ...oauth });
		expect(await node.poll()).toHaveLength(1);
		expect(api.isDone()).toBe(true);
	});

	it('refuses to guess the account when the user has several businesses, and keeps its position', async () => {
		freshbooks().get('/auth/api/v1/users/me').reply(200, fixtureJson('freshbooks/users.me.two-businesses.json'));
		const node = poller(BACKFILL, undefined, { ...oauth });
		await expect(node.poll()).rejects.toThrow(/belongs to 2 businesses .*set the Account ID/);
		expect(node.staticData).toEqual({});
	});

	it('reads every page up to `pages`', async () => {
		const second = payment({ id: 115805, logid: 115805, updated: '2019-11-30 09:00:00' });
		const api = freshbooks()
			.get(PAYMENTS)
			.query(query('2019-10-31', 1))
			.reply(200, list('payments', [payment()], { pages: 2 }))
			.get(PAYMENTS)
			.query(query('2019-10-31', 2))
			.reply(200, list('payments', [second], { page: 2, pages: 2 }))
			.get(INVOICES)
			.query(query('2019-10-31'))
			.reply(200, list('invoices', []));
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.payment as Json).id)).toEqual(['115804', '115805']);
		expect(node.staticData.cursor).toBe('2019-11-30T14:00:00.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:115805']);
	});

	it('emits a change sharing the cursor time once, and does not repeat the one already seen there', async () => {
		const node = poller(BACKFILL);
		freshbooks().get(PAYMENTS).query(true).reply(200, paymentList).get(INVOICES).query(true).reply(200, list('invoices', []));
		expect(await node.poll()).toHaveLength(1);

		// The day-granular search returns the whole day again: the seen payment and one more of the same second.
		const sibling = payment({ id: 115805, logid: 115805 });
		const api = freshbooks()
			.get(PAYMENTS)
			.query(query('2019-11-29'))
			.reply(200, list('payments', [payment(), sibling]))
			.get(INVOICES)
			.query(query('2019-11-29'))
			.reply(200, list('invoices', []));
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.payment as Json).id)).toEqual(['115805']);
		expect(node.staticData.cursor).toBe(PAYMENT_UPDATED);
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:115804', 'payment:115805']);

		// Both listed again as they were: nothing.
		freshbooks()
			.get(PAYMENTS)
			.query(query('2019-11-29'))
			.reply(200, list('payments', [payment(), sibling]))
			.get(INVOICES)
			.query(query('2019-11-29'))
			.reply(200, list('invoices', []));
		expect(await node.poll()).toBeNull();
	});

	it('reports a partial payment on an invoice, then the full payment, and nothing for it read again unchanged', async () => {
		const node = poller(BACKFILL);
		const partial = invoice({ paid: usd('222.00'), outstanding: usd('1000.00'), updated: '2019-11-20 10:00:00' });
		freshbooks().get(PAYMENTS).query(true).reply(200, list('payments', [])).get(INVOICES).query(true).reply(200, list('invoices', [partial]));
		const first = await node.poll();
		expect(first!.map((event) => [event.status, (event.amountPaid as Json).value, (event.amountDue as Json).value])).toEqual([
			['partially_paid', '222.00', '1000.00'],
		]);

		const paid = invoice({ paid: usd('1222.00'), outstanding: usd('0.00'), updated: '2019-11-21 10:00:00' });
		freshbooks()
			.get(PAYMENTS)
			.query(query('2019-11-20'))
			.reply(200, list('payments', []))
			.get(INVOICES)
			.query(query('2019-11-20'))
			.reply(200, list('invoices', [paid]));
		const second = await node.poll();
		expect(second!.map((event) => [event.status, (event.amount as Json).value])).toEqual([['succeeded', '1222.00']]);

		freshbooks()
			.get(PAYMENTS)
			.query(query('2019-11-21'))
			.reply(200, list('payments', []))
			.get(INVOICES)
			.query(query('2019-11-21'))
			.reply(200, list('invoices', [paid]));
		// Nothing new: the cursor moves up to what FreshBooks has surely listed by now.
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expectSettled(node.staticData, before);
	});

	it('waits as Retry-After asks when rate limited, then reads the page', async () => {
		const api = freshbooks()
			.get(PAYMENTS)
			.query(true)
			.reply(429, { message: 'Too Many Requests' }, { 'Retry-After': '1' })
			.get(PAYMENTS)
			.query(true)
			.reply(200, paymentList)
			.get(INVOICES)
			.query(true)
			.reply(200, list('invoices', []));
		const node = poller(BACKFILL);
		const started = Date.now();
		expect(await node.poll()).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(api.isDone()).toBe(true);
	});

	it('throws on an authentication failure and leaves the cursor where it was', async () => {
		const staticData = { cursor: PAYMENT_UPDATED, atCursor: ['payment:115804'], emitted: { 'payment:115804': 'x' } };
		const before = structuredClone(staticData);
		freshbooks().get(PAYMENTS).query(true).reply(401, { error: 'unauthenticated', error_description: 'This action requires authentication to continue.' });
		const node = poller({}, staticData);
		await expect(node.poll()).rejects.toThrow(`FreshBooks: could not fetch the payments of account ${ACCOUNT}`);
		expect(node.staticData).toEqual(before);
	});

	it('answers Fetch Test Event with the latest change, without touching the cursor', async () => {
		freshbooks().get(PAYMENTS).query(true).reply(200, paymentList).get(INVOICES).query(true).reply(200, invoiceList);
		const node = poller(BACKFILL);
		const items = await node.poll('manual');
		expect(items!.map((event) => [event.kind, (event.payment as Json).id])).toEqual([['payment', '115804']]);
		expect(node.staticData).toEqual({});
	});
});
