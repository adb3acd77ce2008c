import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsSageIntacctOAuth2Api } from '../../../credentials/PaymentEventsSageIntacctOAuth2Api.credentials';
import { SageIntacctPaymentPollTrigger } from '../../../nodes/SageIntacctPaymentPollTrigger/SageIntacctPaymentPollTrigger.node';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { sageintacct } from '../../../nodes/providers/sageintacct';
import { fixtureJson } from '../../unit/providers/fixtures';
import { pollHarness } from '../triggerHarness';
import { expectSettled, readContext, recordsAtCursor } from './pollState';

// test/fixtures/sageintacct (SOURCES.md): the "Get a payment" (464, complete, 250 GBP, modified 2024-12-12T06:51:22Z) and
// "Get an invoice" (292, posted, 440.00 AUD due, modified 2024-09-24T14:18:20Z) examples of the AR OpenAPI definition, cut to
// the fields the poll asks for and written as the query service writes a row (related fields as dotted names, as in the
// Common Resources definition's composite example), inside the query response envelope of its "Response - Query vendor"
// example. The tests vary key, state, amounts and audit.modifiedDateTime to stand for further records and later changes.
type Json = Record<string, unknown>;
const HOST = 'https://api.intacct.com';
const QUERY = '/ia/api/v1/services/core/query';
const PAYMENT = 'accounts-receivable/payment';
const INVOICE = 'accounts-receivable/invoice';
const oauth = { oauthTokenData: { access_token: 'intacct_access_token' } };
const GET_PAYMENT = fixtureJson<{ 'ia::result': Json }>('sageintacct/get_payment.json')['ia::result'];
const GET_INVOICE = fixtureJson<{ 'ia::result': Json }>('sageintacct/get_invoice.json')['ia::result'];
const DOCS_ENVELOPE = fixtureJson('sageintacct/query_vendor_response.json');
const PAID_AT = '2024-12-12T06:51:22Z';
const INVOICED_AT = '2024-09-24T14:18:20Z';

const PAYMENT_FIELDS = [
	'key',
	'id',
	'href',
	'state',
	'paymentMethod',
	'customer.id',
	'customer.name',
	'payerName',
	'documentNumber',
	'referenceNumber',
	'description',
	'webURL',
	'paidDate',
	'paymentSummary.receiptDate',
	'baseCurrency.currency',
	'baseCurrency.totalAmount',
	'txnCurrency.currency',
	'txnCurrency.totalAmount',
	'audit.modifiedDateTime',
];
const INVOICE_FIELDS = [
	'key',
	'id',
	'href',
	'invoiceNumber',
	'state',
	'customer.id',
	'customer.name',
	'referenceNumber',
	'description',
	'webURL',
	'invoiceDate',
	'dueDate',
	'currency.baseCurrency',
	'currency.txnCurrency',
	'totalTxnAmount',
	'totalTxnAmountDue',
	'paymentInformation.totalTxnAmountPaid',
	'paymentInformation.fullyPaidDate',
	'audit.modifiedDateTime',
];

/** A documented record as a query row: the asked-for fields, related ones under their dotted names. */
function rowOf(record: Json, fields: string[]): Json {
	return Object.fromEntries(
		fields.map((field) => [field, field.split('.').reduce<unknown>((value, part) => (value as Json | undefined)?.[part], record)]),
	);
}
const paymentRow = (fields: Json = {}): Json => ({ ...rowOf(GET_PAYMENT, PAYMENT_FIELDS), ...fields });
const invoiceRow = (fields: Json = {}): Json => ({ ...rowOf(GET_INVOICE, INVOICE_FIELDS), ...fields });

/** The documented envelope around rows: one page, or the first of several when `next` is set. */
function page(rows: Json[], start = 1, next: number | null = null): Json {
	const meta = DOCS_ENVELOPE['ia::meta'] as Json;
	return { 'ia::result': rows, 'ia::meta': { ...meta, totalCount: rows.length + (start - 1), start, pageSize: 1000, next, previous: start > 1 ? 1 : null } };
}

/** The query the poll sends for one object, changed at or after `from` (whole seconds), from row `start`. */
const query = (object: string, from: string, start = 1) => ({
	object,
	fields: object === PAYMENT ? PAYMENT_FIELDS : INVOICE_FIELDS,
	filters: [{ $gte: { 'audit.modifiedDateTime': from } }],
	orderBy: [{ 'audit.modifiedDateTime': 'asc' }, { key: 'asc' }],
	start,
	size: 1000,
});

function poller(parameters: IDataObject = {}, staticData?: IDataObject) {
	return pollHarness(SageIntacctPaymentPollTrigger, {
		credential: new PaymentEventsSageIntacctOAuth2Api(),
		credentials: oauth,
		parameters,
		staticData,
	});
}

const intacct = () => nock(HOST, { reqheaders: { authorization: 'Bearer intacct_access_token' } });
/** Both queries of one poll from `from`: the payments' page(s), then the invoices'. */
function answer(from: string, payments: Json[], invoices: Json[] = []) {
	return intacct().post(QUERY, query(PAYMENT, from)).reply(200, page(payments)).post(QUERY, query(INVOICE, from)).reply(200, page(invoices));
}
const BACKFILL = { startFrom: '2024-09-01T00:00:00Z' };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Sage Intacct poll (query rows)', () => {
	it('reads a query row into the event the record GET gives, but for the invoice a payment settles', () => {
		const [polled] = sageintacct.poll!.read(PAYMENT, page([paymentRow()]), readContext()).records;
		expect(polled.key).toBe('payment:464');
		expect(polled.modifiedAt).toBe('2024-12-12T06:51:22.000Z');
		const receivedAt = new Date('2026-01-01T00:00:00Z');
		const [fromGet] = sageintacct.parse({ body: { 'ia::result': GET_PAYMENT }, headers: {} });
		const [viaPoll] = toPaymentEvents(sageintacct, polled.event, { receivedAt });
		const [viaGet] = toPaymentEvents(sageintacct, fromGet, { receivedAt });
		// paymentDetails is a list, which a query cannot return.
		expect(viaPoll).toEqual({ ...viaGet, invoice: undefined });
		expect(viaGet.invoice).toEqual({ id: '406' });

		const [invoice] = sageintacct.poll!.read(INVOICE, page([invoiceRow()]), readContext()).records;
		const [invoiceFromGet] = sageintacct.parse({ body: { 'ia::result': GET_INVOICE }, headers: {} });
		expect(toPaymentEvents(sageintacct, invoice.event, { receivedAt })).toEqual(toPaymentEvents(sageintacct, invoiceFromGet, { receivedAt }));
	});

	it('refuses a row of another object, or one without its modification time', () => {
		expect(() => sageintacct.poll!.read(INVOICE, page([paymentRow()]), readContext())).toThrow('ia::result.0.href');
		expect(() => sageintacct.poll!.read(PAYMENT, page([paymentRow({ 'audit.modifiedDateTime': null })]), readContext())).toThrow(
			'ia::result.0.audit.modifiedDateTime',
		);
		expect(() => sageintacct.poll!.read(PAYMENT, DOCS_ENVELOPE['ia::meta'], readContext())).toThrow('ia::result');
	});
});

describe('Sage Intacct Payment Poll Trigger', () => {
	it('starts from now on its first run, without reading anything', async () => {
		const node = poller();
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expect(node.requests).toHaveLength(0);
		expect(Date.parse(String(node.staticData.cursor))).toBeGreaterThanOrEqual(before);
	});

	it('backfills from Start From, querying payments and invoices changed at or after it', async () => {
		const api = answer('2024-09-01T00:00:00Z', [paymentRow()], [invoiceRow()]);
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => [event.kind, event.status, (event.amount as Json).value, (event.amount as Json).currency])).toEqual([
			['invoice', 'pending', '440.00', 'AUD'],
			['payment', 'succeeded', '250.00', 'GBP'],
		]);
		expect(items![1]).toMatchObject({
			provider: 'sageintacct',
			providerEventType: PAYMENT,
			occurredAt: '2024-12-12T06:51:22.000Z',
			customer: { id: 'C-000012', name: 'Gomez Manufacturers' },
			payment: { id: '464', method: 'cash' },
			reference: '1567',
		});
		expect((items![1].raw as Json).audit).toEqual({ modifiedDateTime: PAID_AT });
		expect(items![0]).toMatchObject({ invoice: { id: '292', number: 'ADJDEC0002' }, amountDue: { value: '440.00' } });
		expect(node.staticData.cursor).toBe('2024-12-12T06:51:22.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:464']);
	});

	it('asks for the next page from ia::meta.next until there is none', async () => {
		const second = paymentRow({ key: '465', id: '465', href: '/objects/accounts-receivable/payment/465', 'audit.modifiedDateTime': '2024-12-13T08:00:00Z' });
		const api = intacct()
			.post(QUERY, query(PAYMENT, '2024-09-01T00:00:00Z'))
			.reply(200, page([paymentRow()], 1, 1001))
			.post(QUERY, query(PAYMENT, '2024-09-01T00:00:00Z', 1001))
			.reply(200, page([second], 1001))
			.post(QUERY, query(INVOICE, '2024-09-01T00:00:00Z'))
			.reply(200, page([]));
		const node = poller(BACKFILL);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.payment as Json).id)).toEqual(['464', '465']);
		expect(node.staticData.cursor).toBe('2024-12-13T08:00:00.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:465']);
	});

	it('emits a change sharing the cursor time once, and does not repeat the one already seen there', async () => {
		const node = poller(BACKFILL);
		answer('2024-09-01T00:00:00Z', [paymentRow()]);
		expect(await node.poll()).toHaveLength(1);

		const sibling = paymentRow({ key: '465', id: '465', href: '/objects/accounts-receivable/payment/465' });
		const api = answer(PAID_AT, [paymentRow(), sibling]);
		const items = await node.poll();
		expect(api.isDone()).toBe(true);
		expect(items!.map((event) => (event.payment as Json).id)).toEqual(['465']);
		expect(node.staticData.cursor).toBe('2024-12-12T06:51:22.000Z');
		expect(recordsAtCursor(node.staticData)).toEqual(['payment:464', 'payment:465']);

		// Both listed again as they were: nothing.
		answer(PAID_AT, [paymentRow(), sibling]);
		expect(await node.poll()).toBeNull();
	});

	it('reports a partial payment, then the full payment, and nothing for the invoice read again unchanged', async () => {
		const node = poller(BACKFILL);
		const partly = invoiceRow({ state: 'partiallyPaid', totalTxnAmountDue: '140.00', 'paymentInformation.totalTxnAmountPaid': '300.00' });
		answer('2024-09-01T00:00:00Z', [], [partly]);
		const first = await node.poll();
		expect(first!.map((event) => [event.status, (event.amountPaid as Json).value, (event.amountDue as Json).value])).toEqual([
			['partially_paid', '300.00', '140.00'],
		]);

		const paid = invoiceRow({
			state: 'paid',
			totalTxnAmountDue: '0.00',
			'paymentInformation.totalTxnAmountPaid': '440.00',
			'paymentInformation.fullyPaidDate': '2024-10-01',
			'audit.modifiedDateTime': '2024-10-01T09:30:00Z',
		});
		answer(INVOICED_AT, [], [paid]);
		const second = await node.poll();
		expect(second!.map((event) => [event.status, (event.amount as Json).value])).toEqual([['succeeded', '440.00']]);
		expect(node.staticData.cursor).toBe('2024-10-01T09:30:00.000Z');

		// Listed again unchanged: nothing new, so the cursor moves up to what Intacct has surely listed by now.
		answer('2024-10-01T09:30:00Z', [], [paid]);
		const before = Date.now();
		expect(await node.poll()).toBeNull();
		expectSettled(node.staticData, before);
	});

	it('waits as Retry-After asks when rate limited, then reads the page', async () => {
		const api = intacct()
			.post(QUERY, query(PAYMENT, '2024-09-01T00:00:00Z'))
			.reply(429, { 'ia::result': { 'ia::error': { code: 'tooManyRequests' } } }, { 'Retry-After': '0' })
			.post(QUERY, query(PAYMENT, '2024-09-01T00:00:00Z'))
			.reply(200, page([paymentRow()]))
			.post(QUERY, query(INVOICE, '2024-09-01T00:00:00Z'))
			.reply(200, page([]));
		const node = poller(BACKFILL);
		expect(await node.poll()).toHaveLength(1);
		expect(api.isDone()).toBe(true);
		expect(node.requests).toHaveLength(3);
	});

	it('throws on an authentication failure and leaves the cursor where it was', async () => {
		const staticData = { cursor: '2024-12-12T06:51:22.000Z', atCursor: ['payment:464#x'], emitted: { 'payment:464': 'x' } };
		const before = structuredClone(staticData);
		intacct().post(QUERY, query(PAYMENT, PAID_AT)).reply(401, { 'ia::result': { 'ia::error': { code: 'invalidToken' } } });
		const node = poller({}, staticData);
		await expect(node.poll()).rejects.toThrow(`Sage Intacct: could not fetch the Sage Intacct AR payments changed since ${PAID_AT}`);
		expect(node.staticData).toEqual(before);
	});

	it('answers Fetch Test Event with the latest change, without touching the cursor', async () => {
		answer('2024-09-01T00:00:00Z', [paymentRow()], [invoiceRow()]);
		const node = poller(BACKFILL);
		const items = await node.poll('manual');
		expect(items!.map((event) => [event.kind, event.status])).toEqual([['payment', 'succeeded']]);
		expect(node.staticData).toEqual({});
	});
});
