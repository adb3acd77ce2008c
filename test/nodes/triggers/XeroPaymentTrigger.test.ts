import { createHmac } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsXeroOAuth2Api } from '../../../credentials/PaymentEventsXeroOAuth2Api.credentials';
import { XeroPaymentTrigger } from '../../../nodes/XeroPaymentTrigger/XeroPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Xero ships no signing helper in its SDKs; this is the documented scheme, base64(HMAC-SHA256(Webhooks Key, raw body)):
// https://developer.xero.com/documentation/guides/webhooks/configuring-your-server
const KEY = 'xero-webhooks-key-for-tests';
const API = 'https://api.xero.com';
const TOKEN = 'xero-access-token';
const INVOICE_ID = '0032f627-3156-4d30-9b1c-4d3b994dc921';
const TENANT_ID = 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f';

function sign(payload: Buffer, key = KEY) {
	return { 'x-xero-signature': createHmac('sha256', key).update(payload).digest('base64') };
}

// shared/fixtures/xero: Xero's OpenAPI webhook examples and the documented intent-to-receive request (PROVENANCE.md).
const intentToReceive = fixtureBytes('xero/intent_to_receive.json');
const contactUpdate = fixtureBytes('xero/contact_update.json');
const creditNoteCreate = fixtureBytes('xero/creditnote_create.json');
// test/fixtures/xero: xero-node's GET Invoices/{id} example, a PAID invoice of 148.50 AUD (SOURCES.md).
const getInvoice = fixtureJson('xero/get_invoice_response.json');

/** Xero publishes no INVOICE webhook sample: its contact_update sample re-pointed at the invoice above (same shape). */
function invoiceEvent(): Record<string, unknown> {
	const body = fixtureJson<{ events: Array<Record<string, unknown>> }>('xero/contact_update.json');
	return {
		...body.events[0],
		resourceUrl: `${API}/api.xro/2.0/Invoices/${INVOICE_ID}`,
		resourceId: INVOICE_ID,
		eventCategory: 'INVOICE',
	};
}

function delivery(events: Array<Record<string, unknown>>): Buffer {
	const body = fixtureJson<Record<string, unknown>>('xero/contact_update.json');
	return Buffer.from(JSON.stringify({ ...body, events }));
}

const invoiceUpdate = delivery([invoiceEvent()]);

/** The invoice fetch the trigger makes for an INVOICE event, with the token and the event's tenant. */
function invoiceApi() {
	return nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'xero-tenant-id': TENANT_ID } })
		.get(`/api.xro/2.0/Invoices/${INVOICE_ID}`)
		.reply(200, getInvoice);
}

function trigger(credentials: Record<string, unknown> = { webhookSecret: KEY }, parameters = {}) {
	return triggerHarness(XeroPaymentTrigger, {
		credential: new PaymentEventsXeroOAuth2Api(),
		credentials: {
			clientId: 'xero-client-id',
			clientSecret: 'xero-client-secret',
			oauthTokenData: { access_token: TOKEN },
			...credentials,
		},
		parameters,
	});
}

/** The delivery with one character of its entropy changed: the same length, one byte different. */
function tampered(payload: Buffer): Buffer {
	const changed = Buffer.from(
		payload.toString('utf8').replace(/("entropy":\s*")(.)/, (_match, start: string, first: string) => `${start}${first === 'X' ? 'Y' : 'X'}`),
	);
	expect(changed.length).toBe(payload.length);
	expect(changed.equals(payload)).toBe(false);
	return changed;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Xero Payment Trigger: intent to receive', () => {
	it('answers a correctly signed validation request with 200, an empty body and no execution, every time', async () => {
		const node = trigger();
		for (let attempt = 0; attempt < 3; attempt++) {
			const result = await node.deliver({ body: intentToReceive, headers: sign(intentToReceive) });
			expect(result).toEqual({ status: 200, body: undefined, started: false, items: [] });
		}
		expect(node.requests).toEqual([]);
	});

	it.each([
		['signed with another key', () => ({ body: intentToReceive, headers: sign(intentToReceive, 'another-apps-key') })],
		['whose body changed after signing', () => ({ body: tampered(intentToReceive), headers: sign(intentToReceive) })],
		['without a signature', () => ({ body: intentToReceive, headers: {} })],
		[
			'with a signature that is not base64 of a digest',
			() => ({ body: intentToReceive, headers: { 'x-xero-signature': 'not-a-signature' } }),
		],
	])('answers a validation request %s with 401 and an empty body', async (_case, request) => {
		const result = await trigger().deliver(request());
		expect(result).toEqual({ status: 401, body: undefined, started: false, items: [] });
	});

	it('answers 401 to every validation request while the credential has no Webhooks Key', async () => {
		const result = await trigger({ webhookSecret: '' }).deliver({ body: intentToReceive, headers: sign(intentToReceive) });
		expect(result).toEqual({ status: 401, body: undefined, started: false, items: [] });
	});
});

describe('Xero Payment Trigger: deliveries', () => {
	it('fetches the invoice an INVOICE event names and emits the canonical paid invoice with the raw delivery', async () => {
		const api = invoiceApi();
		const result = await trigger().deliver({ body: invoiceUpdate, headers: sign(invoiceUpdate) });
		expect(api.isDone()).toBe(true);
		expect(result.status).toBe(200);
		expect(result.started).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			id: `xero:${INVOICE_ID}:UPDATE:2024-06-21T01:15:39.902`,
			provider: 'xero',
			providerEventType: 'INVOICE.UPDATE',
			kind: 'invoice',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 14850, value: '148.50', currency: 'AUD', exponent: 2 },
			amountDue: { minor: 0, value: '0.00', currency: 'AUD', exponent: 2 },
			customer: { name: 'Melrose Parking' },
			invoice: { id: INVOICE_ID, number: '9871' },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(invoiceUpdate.toString('utf8')));
	});

	it('emits only the invoice of a batch that also holds a contact event, fetching nothing for the contact', async () => {
		const [contactEvent] = fixtureJson<{ events: Array<Record<string, unknown>> }>('xero/contact_update.json').events;
		const batch = delivery([contactEvent, invoiceEvent()]);
		const api = invoiceApi();
		const result = await trigger().deliver({ body: batch, headers: sign(batch) });
		expect(api.isDone()).toBe(true);
		expect(result.items.map((item) => [item.providerEventType, item.status])).toEqual([['INVOICE.UPDATE', 'succeeded']]);
	});

	it.each([
		['contact_update', contactUpdate],
		['creditnote_create', creditNoteCreate],
	])("accepts Xero's %s sample as sent, with 200 and no execution (not a payment event)", async (_name, sample) => {
		const node = trigger();
		const result = await node.deliver({ body: sample, headers: sign(sample) });
		expect(result).toMatchObject({ status: 200, started: false, items: [] });
		expect(node.requests).toEqual([]);
	});

	it.each([
		['a tampered body', () => ({ body: tampered(invoiceUpdate), headers: sign(invoiceUpdate) })],
		['a signature made with another key', () => ({ body: invoiceUpdate, headers: sign(invoiceUpdate, 'another-apps-key') })],
		['no x-xero-signature header', () => ({ body: invoiceUpdate, headers: {} })],
	])('answers %s with 401, fetches nothing and starts nothing', async (_case, request) => {
		const node = trigger();
		const result = await node.deliver(request());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.requests).toEqual([]);
		expect(node.warnings).toHaveLength(1);
		expect(node.warnings[0]).not.toContain(KEY);
		expect(node.warnings[0]).not.toContain(sign(invoiceUpdate)['x-xero-signature']);
	});

	it('acknowledges a repeat of the same signed delivery (Xero retrying) without running again', async () => {
		const node = trigger();
		const headers = sign(invoiceUpdate);
		invoiceApi();
		expect((await node.deliver({ body: invoiceUpdate, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: invoiceUpdate, headers })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no Webhooks Key, and says where to paste it', async () => {
		const node = trigger({});
		const result = await node.deliver({ body: invoiceUpdate, headers: sign(invoiceUpdate) });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('the credential has no Webhooks Key');
		expect(node.warnings[0]).toContain('Paste it into the credential');
	});

	it('answers 200 without a fetch or an execution for events the user did not select', async () => {
		const byName = trigger(undefined, { providerEvents: ['INVOICE.CREATE'] });
		expect(await byName.deliver({ body: invoiceUpdate, headers: sign(invoiceUpdate) })).toMatchObject({
			status: 200,
			started: false,
			body: '',
		});
		expect(byName.requests).toEqual([]);

		invoiceApi();
		const byMeaning = trigger(undefined, { events: ['pending', 'failed'] });
		expect(await byMeaning.deliver({ body: invoiceUpdate, headers: sign(invoiceUpdate) })).toMatchObject({ status: 200, started: false });
	});

	it('fails the delivery (so Xero retries) when the invoice cannot be fetched, without the token in the error', async () => {
		nock(API).get(`/api.xro/2.0/Invoices/${INVOICE_ID}`).reply(401, { Title: 'Unauthorized', Detail: `token ${TOKEN} expired` });
		const failure = trigger().deliver({ body: invoiceUpdate, headers: sign(invoiceUpdate) });
		await expect(failure).rejects.toThrow(`Xero: could not fetch the Xero invoice ${INVOICE_ID} of tenant ${TENANT_ID}`);
		const error = (await failure.catch((caught: unknown) => caught)) as Error & { description?: string };
		expect(`${error.message} ${error.description ?? ''}`).not.toContain(TOKEN);
	});

	it("runs Xero's retry of a delivery whose invoice fetch failed: only handled deliveries count as already accepted", async () => {
		const node = trigger();
		const headers = sign(invoiceUpdate);
		nock(API).get(`/api.xro/2.0/Invoices/${INVOICE_ID}`).reply(500, { Title: 'An error occurred' });
		await expect(node.deliver({ body: invoiceUpdate, headers })).rejects.toThrow(`the Xero invoice ${INVOICE_ID}`);

		const api = invoiceApi();
		const retry = await node.deliver({ body: invoiceUpdate, headers });
		expect(api.isDone()).toBe(true);
		expect(retry).toMatchObject({ status: 200, started: true, body: '' });
		expect(retry.items).toHaveLength(1);
	});
});

describe('Xero Payment Trigger: registration (manual, in the Xero developer portal)', () => {
	it('publishes and unpublishes without calling Xero, since Xero has no API to register webhooks', async () => {
		const node = trigger();
		await node.publish();
		expect(await node.unpublish()).toBe(true);
		expect(node.requests).toEqual([]);
		expect(node.staticData).toEqual({});
	});

	it('refuses to publish while the credential has no Webhooks Key', async () => {
		await expect(trigger({}).publish()).rejects.toThrow('the credential has no Webhooks Key');
	});

	it('tells the user where to register the URL and how deliveries are verified', () => {
		const notice = trigger().node.description.properties.find((property) => property.name === 'notice_xero');
		expect(notice?.displayName).toContain('x-xero-signature');
		expect(notice?.displayName).toContain('Xero developer portal');
	});
});
