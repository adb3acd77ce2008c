import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsZohoBooksOAuth2Api } from '../../../credentials/PaymentEventsZohoBooksOAuth2Api.credentials';
import { ZohoBooksPaymentPollTrigger } from '../../../nodes/ZohoBooksPaymentPollTrigger/ZohoBooksPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { expectSettled, recordsAtCursor } from './pollState';

// test/fixtures/zohobooks/invoices.list.json (SOURCES.md): the "List invoices" response example of the Zoho Books API
// docs (INV-00003, draft, total 10000, balance 40.6, last modified 2013-11-18T02:02:51-0800). The tests vary its
// status, balance, last_modified_time and invoice_id to stand for further invoices and for payments applied to it.
const API = 'https://www.zohoapis.eu';
const PATH = '/books/v3/invoices';
const ORGANIZATION = '10234695';
const oauth = { oauthTokenData: { access_token: 'zoho_access_token' } };
const credentials: IDataObject = { ...oauth, environment: 'eu', organizationId: ORGANIZATION };

type Json = Record<string, unknown>;
const sample = fixtureJson<{ invoices: Json[]; page_context: Json[] }>('zohobooks/invoices.list.json');
const DOCS_INVOICE = sample.invoices[0];
// 2013-11-18T02:02:51-0800
const MODIFIED = '2013-11-18T10:02:51.000Z';

function invoice(fields: Json = {}): Json {
	return { ...DOCS_INVOICE, ...fields };
}

function page(invoices: Json[], context: Json = {}): Json {
	return { ...sample, invoices, page_context: [{ ...sample.page_context[0], ...context }] };
}

function poller(parameters: IDataObject = {}, staticData?: IDataObject, creds: IDataObject = credentials) {
	return pollHarness(ZohoBooksPaymentPollTrigger, {
		credential: new PaymentEventsZohoBooksOAuth2Api(),
		credentials: creds,
		parameters,
		staticData,
	});
}

const zoho = () => nock(API, { reqheaders: { authorization: 'Bearer zoho_access_token' } });
const listQuery = (lastModified: string, pageNumber = 1) => ({
	organization_id: ORGANIZATION,
	last_modified_time: lastModified,
	sort_column: 'created_time',
	page: String(pageNumber),
	per_page: '200',
});

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Zoho Books Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
		expect(node.staticData).toMatchObject({ atCursor: [], emitted: {} });
	});

	it('backfills from Start From: the documented invoice becomes one canonical event, and the cursor moves to it', async () => {
		const api = zoho().get(PATH).query(listQuery('2013-10-31T23:59:59+0000')).reply(200, sample);
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			provider: 'zohobooks',
			providerEventType: 'invoice',
			kind: 'invoice',
			status: 'pending',
			amount: { value: '40.60', currency: 'USD', minor: 4060 },
			invoice: { id: '982000000567114', number: 'INV-00003' },
			occurredAt: MODIFIED,
		});
		expect(items![0].raw).toEqual(DOCS_INVOICE);
		expect(node.staticData.cursor).toBe(MODIFIED);
		expect(recordsAtCursor(node.staticData)).toEqual(['invoice:982000000567114']);
	});

	it('reads every page while has_more_page is true, then moves the cursor to the newest change', async () => {
		const second = invoice({ invoice_id: 982000000567115, invoice_number: 'INV-00004', last_modified_time: '2013-11-19T09:00:00-0800' });
		const api = zoho()
			.get(PATH)
			.query(listQuery('2013-10-31T23:59:59+0000', 1))
			.reply(200, page([invoice()], { has_more_page: true }))
			.get(PATH)
			.query(listQuery('2013-10-31T23:59:59+0000', 2))
			.reply(200, page([second], { page: 2 }));
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.invoice as Json).number)).toEqual(['INV-00003', 'INV-00004']);
		expect(node.staticData.cursor).toBe('2013-11-19T17:00:00.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual(['invoice:982000000567115']);
	});

	it('emits a change sharing the cursor time once, and does not repeat the one already seen there', async () => {
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		zoho().get(PATH).query(listQuery('2013-10-31T23:59:59+0000')).reply(200, sample);
		expect(await node.poll()).toHaveLength(1);

		// The next poll asks from the cursor on (inclusively) and finds a second invoice changed in the same second.
		const sibling = invoice({ invoice_id: 982000000567115, invoice_number: 'INV-00004' });
		zoho().get(PATH).query(listQuery('2013-11-18T10:02:50+0000')).reply(200, page([invoice(), sibling]));
		const items = await node.poll();
		expect(items!.map((event) => (event.invoice as Json).number)).toEqual(['INV-00004']);
		expect(node.staticData.cursor).toBe(MODIFIED);
		expect(recordsAtCursor(node.staticData)).toEqual(['invoice:982000000567114', 'invoice:982000000567115']);

		zoho().get(PATH).query(listQuery('2013-11-18T10:02:50+0000')).reply(200, page([invoice(), sibling]));
		expect(await node.poll()).toBeNull();
	});

	it('reports a partial payment, then the full payment, and nothing for the same invoice read again unchanged', async () => {
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		const partial = invoice({ status: 'partially_paid' });
		zoho().get(PATH).query(listQuery('2013-10-31T23:59:59+0000')).reply(200, page([partial]));
		const first = await node.poll();
		expect(first!.map((event) => [event.status, (event.amountPaid as Json).value, (event.amountDue as Json).value])).toEqual([
			['partially_paid', '9959.40', '40.60'],
		]);

		const paid = invoice({ status: 'paid', balance: 0, last_modified_time: '2013-11-20T08:00:00-0800' });
		zoho().get(PATH).query(listQuery('2013-11-18T10:02:50+0000')).reply(200, page([paid]));
		const second = await node.poll();
		expect(second!.map((event) => [event.status, (event.amount as Json).value])).toEqual([['succeeded', '10000.00']]);
		expect(second![0].id).not.toBe(first![0].id);

		// Nothing new: the cursor moves up to what Zoho Books has surely listed by now.
		zoho().get(PATH).query(listQuery('2013-11-20T15:59:59+0000')).reply(200, page([paid]));
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expectSettled(node.staticData, before);
	});

	it('waits as Retry-After asks when rate limited, then reads the page', async () => {
		const api = zoho()
			.get(PATH)
			.query(listQuery('2013-10-31T23:59:59+0000'))
			.reply(429, { code: 45, message: 'Rate limit exceeded' }, { 'Retry-After': '0' })
			.get(PATH)
			.query(listQuery('2013-10-31T23:59:59+0000'))
			.reply(200, sample);
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		expect(await node.poll()).toHaveLength(1);
		expect(api.isDone()).toBe(true);
		expect(node.requests).toHaveLength(2);
	});

	it('throws on an authentication failure and leaves the cursor where it was', async () => {
		const staticData = { cursor: MODIFIED, atCursor: ['invoice:982000000567114'], emitted: { 'invoice:982000000567114': 'x' } };
		const before = structuredClone(staticData);
		zoho().get(PATH).query(true).reply(401, { code: 57, message: 'You are not authorized to perform this operation' });
		const node = poller({}, staticData);
		await expect(node.poll()).rejects.toThrow('Zoho Books: could not fetch the invoices changed since 2013-11-18T10:02:51.000Z');
		expect(node.staticData).toEqual(before);
	});

	it('answers Fetch Test Event with the latest change, without touching the cursor', async () => {
		const newer = invoice({ invoice_id: 982000000567115, invoice_number: 'INV-00004', status: 'paid', balance: 0, last_modified_time: '2013-11-19T09:00:00-0800' });
		zoho().get(PATH).query(listQuery('2013-10-31T23:59:59+0000')).reply(200, page([invoice(), newer]));
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' });
		const items = await node.poll('manual');
		expect(items!.map((event) => [(event.invoice as Json).number, event.status])).toEqual([['INV-00004', 'succeeded']]);
		expect(node.staticData).toEqual({});
	});

	it('says which credential field is missing instead of calling the API without an organization', async () => {
		const node = poller({ startFrom: '2013-11-01T00:00:00Z' }, undefined, { ...oauth, environment: 'eu' });
		await expect(node.poll()).rejects.toThrow('no Organization ID');
		expect(node.requests).toHaveLength(0);
		expect(node.staticData).toEqual({});
	});
});
