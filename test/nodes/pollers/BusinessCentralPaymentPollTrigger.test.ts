import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsBusinessCentralOAuth2Api } from '../../../credentials/PaymentEventsBusinessCentralOAuth2Api.credentials';
import { BusinessCentralPaymentPollTrigger } from '../../../nodes/BusinessCentralPaymentPollTrigger/BusinessCentralPaymentPollTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { expectSettled, recordsAtCursor } from './pollState';

// test/fixtures/businesscentral (SOURCES.md): Microsoft Learn's "Get salesInvoices" example (PS-INV103001, 172.94 USD,
// Paid, modified 2020-08-21T00:25:58.337Z) and "Get companies" example (CRONUS US), inside the OData list envelope
// (`value`, `@odata.nextLink`). The tests vary the invoice's id, number, status, remainingAmount and lastModifiedDateTime
// to stand for further invoices and for a payment applied in two parts.
type Json = Record<string, unknown>;
const HOST = 'https://api.businesscentral.dynamics.com';
const BASE = '/v2.0/contoso.onmicrosoft.com/production';
const COMPANY = '824820a2-508c-ed11-aada-000d3a298ab3';
const INVOICES = `${BASE}/api/v2.0/companies(${COMPANY})/salesInvoices`;
const oauth = { oauthTokenData: { access_token: 'bc_access_token' }, tenantId: 'contoso.onmicrosoft.com', bcEnvironment: 'production' };
const DOCS_INVOICE = fixtureJson('businesscentral/salesInvoice_get_response.json');
const MODIFIED = '2020-08-21T00:25:58.337Z';
const OTHER_ID = '9e0f5c9c-44e3-ea11-bb43-000d3a2feca2';

const invoice = (fields: Json = {}): Json => ({ ...DOCS_INVOICE, ...fields });
const list = (value: Json[], nextLink?: string): Json => ({ value, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) });

function poller(parameters: IDataObject = {}, staticData?: IDataObject, credentials: IDataObject = { ...oauth, companyId: COMPANY }) {
	return pollHarness(BusinessCentralPaymentPollTrigger, {
		credential: new PaymentEventsBusinessCentralOAuth2Api(),
		credentials,
		parameters,
		staticData,
	});
}

const bc = () =>
	nock(HOST, { reqheaders: { authorization: 'Bearer bc_access_token', prefer: 'odata.maxpagesize=1000' } });
const since = (time: string) => ({ $filter: `lastModifiedDateTime ge ${time}` });
const BACKFILL = { startFrom: '2020-08-01T00:00:00Z' };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Business Central Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
	});

	it('backfills from Start From with an inclusive lastModifiedDateTime filter', async () => {
		const api = bc().get(INVOICES).query(since('2020-08-01T00:00:00.000Z')).reply(200, list([DOCS_INVOICE]));
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items).toHaveLength(1);
		expect(items![0]).toMatchObject({
			provider: 'businesscentral',
			providerEventType: 'salesInvoice',
			kind: 'invoice',
			status: 'succeeded',
			amount: { value: '172.94', currency: 'USD', minor: 17294 },
			invoice: { id: DOCS_INVOICE.id, number: 'PS-INV103001' },
			customer: { id: '20000', name: 'Trey Research', email: 'helen.ray@contoso.com' },
			occurredAt: MODIFIED,
		});
		expect(items![0].raw).toEqual(DOCS_INVOICE);
		expect(node.staticData.cursor).toBe(MODIFIED);
		expect(recordsAtCursor(node.staticData)).toEqual([`salesInvoice:${DOCS_INVOICE.id}`]);
	});

	it('finds the company when the credential names none and the environment has one', async () => {
		const api = nock(HOST, { reqheaders: { authorization: 'Bearer bc_access_token' } })
			.get(`${BASE}/api/v2.0/companies`)
			.reply(200, list([fixtureJson('businesscentral/company_get_response.json')]))
			.get(INVOICES)
			.query(since('2020-08-01T00:00:00.000Z'))
			.reply(200, list([DOCS_INVOICE]));
		const node = poller(BACKFILL, undefined, { ...oauth });
		expect(await node.poll()).toHaveLength(1);
		expect(api.isDone()).toBe(true);
	});

	it('refuses to guess among several companies, and keeps its position', async () => {
		const cronus = fixtureJson('businesscentral/company_get_response.json');
		nock(HOST)
			.get(`${BASE}/api/v2.0/companies`)
			.reply(200, list([cronus, { ...cronus, id: OTHER_ID, name: 'CRONUS US 2' }]));
		const node = poller(BACKFILL, undefined, { ...oauth });
		await expect(node.poll()).rejects.toThrow('has 2 companies; set the Company ID');
		expect(node.staticData).toEqual({});
	});

	it('follows @odata.nextLink to the last page', async () => {
		const second = invoice({ id: OTHER_ID, number: 'PS-INV103002', lastModifiedDateTime: '2020-08-22T08:00:00Z' });
		const nextLink = `${HOST}${INVOICES}?$filter=lastModifiedDateTime%20ge%202020-08-01T00:00:00.000Z&$skiptoken=page2`;
		const api = bc()
			.get(INVOICES)
			.query(since('2020-08-01T00:00:00.000Z'))
			.reply(200, list([DOCS_INVOICE], nextLink))
			.get(INVOICES)
			.query({ ...since('2020-08-01T00:00:00.000Z'), $skiptoken: 'page2' })
			.reply(200, list([second]));
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.invoice as Json).number)).toEqual(['PS-INV103001', 'PS-INV103002']);
		expect(node.staticData.cursor).toBe('2020-08-22T08:00:00.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual([`salesInvoice:${OTHER_ID}`]);
	});

	it('emits a change sharing the cursor time once, and does not repeat the one already seen there', async () => {
		const node = poller(BACKFILL);
		bc().get(INVOICES).query(true).reply(200, list([DOCS_INVOICE]));
		expect(await node.poll()).toHaveLength(1);

		const sibling = invoice({ id: OTHER_ID, number: 'PS-INV103002' });
		const api = bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([DOCS_INVOICE, sibling]));
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.invoice as Json).number)).toEqual(['PS-INV103002']);
		expect(node.staticData.cursor).toBe(MODIFIED);
		expect(recordsAtCursor(node.staticData)).toEqual([`salesInvoice:${DOCS_INVOICE.id}`, `salesInvoice:${OTHER_ID}`]);

		// Both listed again as they were: nothing.
		bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([DOCS_INVOICE, sibling]));
		expect(await node.poll()).toBeNull();
	});

	it('emits an invoice again when it changes once more within the time the cursor stopped at', async () => {
		const node = poller(BACKFILL);
		bc().get(INVOICES).query(true).reply(200, list([invoice({ status: 'Open', remainingAmount: 172.94 })]));
		expect((await node.poll())!.map((event) => event.status)).toEqual(['pending']);

		// Paid, and listed with the same lastModifiedDateTime: a new change of the same invoice, reported once.
		bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([DOCS_INVOICE]));
		expect((await node.poll())!.map((event) => event.status)).toEqual(['succeeded']);
		expect(node.staticData.cursor).toBe(MODIFIED);
		bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([DOCS_INVOICE]));
		expect(await node.poll()).toBeNull();
	});

	it('reports a partial payment, then the full payment, and nothing for the invoice read again unchanged', async () => {
		const node = poller(BACKFILL);
		const open = invoice({ status: 'Open', remainingAmount: 72.94 });
		bc().get(INVOICES).query(true).reply(200, list([open]));
		const first = await node.poll();
		expect(first!.map((event) => [event.status, (event.amountPaid as Json).value, (event.amountDue as Json).value])).toEqual([
			['partially_paid', '100.00', '72.94'],
		]);

		const paid = invoice({ lastModifiedDateTime: '2020-08-23T09:30:00.5Z' });
		bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([paid]));
		const second = await node.poll();
		expect(second!.map((event) => [event.status, (event.amount as Json).value])).toEqual([['succeeded', '172.94']]);

		// Listed again unchanged: nothing new, so the cursor moves up to what Business Central has surely listed by now.
		bc().get(INVOICES).query(since('2020-08-23T09:30:00.500Z')).reply(200, list([paid]));
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expectSettled(node.staticData, before);
	});

	it('moves the cursor of a quiet account up to ten minutes ago, and asks from there next time', async () => {
		// Nothing changed since the documented invoice: the next poll would otherwise ask from August 2020 forever.
		const node = poller({}, { cursor: MODIFIED, atCursor: [], emitted: {} });
		bc().get(INVOICES).query(since(MODIFIED)).reply(200, list([]));
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expectSettled(node.staticData, before);

		const settled = String(node.staticData.cursor);
		const recent = invoice({ id: OTHER_ID, number: 'PS-INV103002', lastModifiedDateTime: new Date().toISOString() });
		const api = bc().get(INVOICES).query(since(settled)).reply(200, list([recent]));
		expect((await node.poll())!.map((event) => (event.invoice as Json).number)).toEqual(['PS-INV103002']);
		expect(api.isDone()).toBe(true);

		// A cursor within the last ten minutes stays where it is while nothing new comes.
		const cursor = String(node.staticData.cursor);
		bc().get(INVOICES).query(since(cursor)).reply(200, list([recent]));
		expect(await node.poll()).toBeNull();
		expect(node.staticData.cursor).toBe(cursor);
		expect(recordsAtCursor(node.staticData)).toEqual([`salesInvoice:${OTHER_ID}`]);
	});

	it('waits as Retry-After asks when rate limited, then reads the page', async () => {
		const api = bc()
			.get(INVOICES)
			.query(true)
			.reply(429, { error: { code: 'Application_TooManyRequests', message: 'Too many requests' } }, { 'Retry-After': '0' })
			.get(INVOICES)
			.query(true)
			.reply(200, list([DOCS_INVOICE]));
		const node = poller(BACKFILL);
		expect(await node.poll()).toHaveLength(1);
		expect(api.isDone()).toBe(true);
		expect(node.requests).toHaveLength(2);
	});

	it('throws on an authentication failure and leaves the cursor where it was', async () => {
		const staticData = { cursor: MODIFIED, atCursor: [`salesInvoice:${DOCS_INVOICE.id}`], emitted: { [`salesInvoice:${DOCS_INVOICE.id}`]: 'x' } };
		const before = structuredClone(staticData);
		bc().get(INVOICES).query(true).reply(401, { error: { code: 'Authentication_InvalidCredentials', message: 'The server has rejected the client credentials.' } });
		const node = poller({}, staticData);
		await expect(node.poll()).rejects.toThrow(`Dynamics 365 Business Central: could not fetch the sales invoices of company ${COMPANY}`);
		expect(node.staticData).toEqual(before);
	});

	it('answers Fetch Test Event with the latest change, without touching the cursor', async () => {
		const older = invoice({ id: OTHER_ID, number: 'PS-INV103000', status: 'Open', remainingAmount: 172.94, lastModifiedDateTime: '2020-08-20T00:00:00Z' });
		bc().get(INVOICES).query(true).reply(200, list([older, DOCS_INVOICE]));
		const node = poller(BACKFILL);
		const items = await node.poll('manual');
		expect(items!.map((event) => [(event.invoice as Json).number, event.status])).toEqual([['PS-INV103001', 'succeeded']]);
		expect(node.staticData).toEqual({});
	});
});
