import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsFreshBooksOAuth2Api } from '../../../credentials/PaymentEventsFreshBooksOAuth2Api.credentials';
import { FreshBooksPaymentTrigger } from '../../../nodes/FreshBooksPaymentTrigger/FreshBooksPaymentTrigger.node';
import { registration, signedMessage } from '../../../nodes/providers/freshbooks';
import { hmac } from '../../../nodes/core/signature';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// test/fixtures/freshbooks (SOURCES.md): the docs' webhook form, the classic docs' callback.verify form, the official
// SDK's invoice response, callback response and users/me response, the identity-model docs' users/me example, the
// docs' empty callback list, and signatures produced by FreshBooks' documented Python.
const API = 'https://api.freshbooks.com';
const URL_ = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
const invoiceForm = fixtureBytes('freshbooks/invoice.create.form.txt');
const verifyForm = fixtureBytes('freshbooks/callback.verify.form.txt');
const vectors = fixtureJson<{
	verifier: string;
	vectors: Array<{ form: string; message: string; signature: string }>;
	encoding: { form: string; message: string };
}>(
	'freshbooks/signature_vectors.json',
);
const VERIFIER = vectors.verifier;
const INVOICE_SIGNATURE = vectors.vectors[0].signature;
const oauth = { oauthTokenData: { access_token: 'fb_access_token' } };

type Json = Record<string, unknown>;
/** The SDK's callback response (buildMockResponse is parameterised by id) for this node's callback. */
function callback(fields: Json): Json {
	const sample = fixtureJson<{ response: { result: { callback: Json } } }>('freshbooks/callback.json');
	return { response: { result: { callback: { ...sample.response.result.callback, ...fields } } } };
}

function sign(payload: Buffer, verifier = VERIFIER): Record<string, string> {
	return { 'X-FreshBooks-Hmac-SHA256': hmac('sha256', verifier, signedMessage(payload)!, 'base64') };
}

function trigger(credentials: IDataObject = { ...oauth, webhookSecret: VERIFIER }, parameters: IDataObject = {}) {
	return triggerHarness(FreshBooksPaymentTrigger, { credential: new PaymentEventsFreshBooksOAuth2Api(), credentials, parameters, webhookUrl: URL_ });
}

const fetchInvoice = () =>
	nock(API, { reqheaders: { authorization: 'Bearer fb_access_token' } })
		.get('/accounting/account/6BApk/invoices/invoices/1234567')
		.reply(200, fixtureJson('freshbooks/invoice.get.json'));

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('FreshBooks signature scheme', () => {
	it.each(vectors.vectors)('rebuilds the message FreshBooks signs for $form as Python json.dumps does', ({ form, message, signature }) => {
		expect(signedMessage(fixtureBytes(`freshbooks/${form}`))).toBe(message);
		expect(hmac('sha256', VERIFIER, message, 'base64')).toBe(signature);
	});

	it('escapes like Python json.dumps: non-ASCII and DEL as \\uXXXX, slashes as they are', () => {
		expect(signedMessage(Buffer.from(vectors.encoding.form))).toBe(vectors.encoding.message);
	});
});

describe('FreshBooks Payment Trigger: deliveries', () => {
	it('verifies the documented invoice.create form against the Python-signed vector and emits the fetched invoice', async () => {
		const api = fetchInvoice();
		const result = await trigger().deliver({ body: invoiceForm, headers: { 'X-FreshBooks-Hmac-SHA256': INVOICE_SIGNATURE } });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ provider: 'freshbooks', providerEventType: 'invoice.create', kind: 'invoice' });
	});

	it('accepts a delivery signed with any of the verifiers of its callbacks', async () => {
		fetchInvoice();
		const node = trigger({ ...oauth, webhookSecret: `otherVerifierOfPaymentCallback ${VERIFIER}` });
		expect((await node.deliver({ body: invoiceForm, headers: sign(invoiceForm) })).started).toBe(true);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(invoiceForm.toString().replace('1234567', '1234568')), headers: sign(invoiceForm) })],
		['a wrong verifier', () => ({ body: invoiceForm, headers: sign(invoiceForm, 'someoneElsesVerifier') })],
		['no signature header', () => ({ body: invoiceForm, headers: {} })],
		['fields in another order', () => ({ body: Buffer.from('object_id=1234567&name=invoice.create&account_id=6BApk&user_id=1'), headers: sign(invoiceForm) })],
		['a repeated field', () => ({ body: Buffer.concat([invoiceForm, Buffer.from('&name=payment.create')]), headers: sign(invoiceForm) })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(VERIFIER);
	});

	it('acknowledges a repeat of the same signed delivery (FreshBooks retrying) without running again', async () => {
		fetchInvoice();
		const node = trigger();
		expect((await node.deliver({ body: invoiceForm, headers: sign(invoiceForm) })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: invoiceForm, headers: sign(invoiceForm) })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses deliveries while no verifier is known, and says it comes with registration', async () => {
		const node = trigger({ ...oauth });
		expect(await node.deliver({ body: invoiceForm, headers: sign(invoiceForm) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Verifier');
		expect(node.warnings[0]).toContain('registers its webhook on publishing');
	});
});

describe('FreshBooks Payment Trigger: callback.verify handshake', () => {
	it('confirms the verifier with FreshBooks when the callback points at this node', async () => {
		const api = nock(API)
			.get('/auth/api/v1/users/me')
			.reply(200, fixtureJson('freshbooks/users.me.json'))
			.get('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.put('/events/account/ABC123/events/callbacks/1', { callback: { verifier: VERIFIER } })
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: true }));
		const result = await trigger({ ...oauth }).deliver({ body: verifyForm });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: false });
	});

	it('does not send the verifier anywhere for a callback registered for another URL', async () => {
		nock(API)
			.get('/auth/api/v1/users/me')
			.reply(200, fixtureJson('freshbooks/users.me.json'))
			.get('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, verified: false }));
		const put = nock(API).put(/.*/).reply(200, {});
		const result = await trigger({ ...oauth }).deliver({ body: verifyForm });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(put.isDone()).toBe(false);
	});

	it('answers 401 when FreshBooks rejects the verifier (a forged callback.verify)', async () => {
		nock(API)
			.get('/auth/api/v1/users/me')
			.reply(200, fixtureJson('freshbooks/users.me.json'))
			.get('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.put('/events/account/ABC123/events/callbacks/1')
			.reply(422, { response: { errors: [{ message: 'Invalid verifier' }] } });
		expect(await trigger({ ...oauth }).deliver({ body: verifyForm })).toMatchObject({ status: 401, started: false });
	});
});

describe('FreshBooks Payment Trigger: callback registration', () => {
	const users = () => fixtureJson('freshbooks/users.me.json');

	afterEach(() => {
		registration.verifierWaitMs = 30_000;
	});

	it('registers a callback per event, keeps the verifier FreshBooks posts, and verifies deliveries with it', async () => {
		const node = trigger({ ...oauth }, { providerEvents: ['invoice.create'] });
		const api = nock(API)
			.get('/auth/api/v1/users/me')
			.times(3)
			.reply(200, users())
			.get('/events/account/ABC123/events/callbacks')
			.query({ page: 1, per_page: 100 })
			.reply(200, fixtureJson('freshbooks/callbacks.list.empty.json'))
			.post('/events/account/ABC123/events/callbacks', { callback: { event: 'invoice.create', uri: URL_ } })
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.get('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.put('/events/account/ABC123/events/callbacks/1', { callback: { verifier: VERIFIER } })
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: true }));
		const publishing = node.publish();
		// FreshBooks posts the verification code to the URL while registration waits for it.
		expect((await node.deliver({ body: verifyForm })).status).toBe(200);
		await publishing;
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'ABC123:1', secret: VERIFIER });

		fetchInvoice();
		expect((await node.deliver({ body: invoiceForm, headers: sign(invoiceForm) })).started).toBe(true);
	});

	it('removes its callbacks and fails publishing when no verification code arrives', async () => {
		registration.verifierWaitMs = 300;
		const node = trigger({ ...oauth }, { providerEvents: ['invoice.create', 'payment.create'] });
		const api = nock(API)
			.get('/auth/api/v1/users/me')
			.times(2)
			.reply(200, users())
			.get('/events/account/ABC123/events/callbacks')
			.query(true)
			.reply(200, fixtureJson('freshbooks/callbacks.list.empty.json'))
			.post('/events/account/ABC123/events/callbacks')
			.reply(200, callback({ callbackid: 2001, uri: URL_, verified: false }))
			.post('/events/account/ABC123/events/callbacks')
			.reply(200, callback({ callbackid: 2002, uri: URL_, verified: false, event: 'payment.create' }))
			.delete('/events/account/ABC123/events/callbacks/2001')
			.reply(200, {})
			.delete('/events/account/ABC123/events/callbacks/2002')
			.reply(404, {});
		await expect(node.publish()).rejects.toThrow('no verification code reached');
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('keeps its callbacks found on a later page when it holds their verifier', async () => {
		const node = trigger({ ...oauth }, {});
		Object.assign(node.staticData, { secret: VERIFIER });
		const other = callback({ callbackid: 7, uri: 'https://elsewhere.example.com/hook' }).response as { result: { callback: Json } };
		const mine = callback({ callbackid: 80001, uri: URL_ }).response as { result: { callback: Json } };
		const api = nock(API)
			.get('/auth/api/v1/users/me')
			.reply(200, users())
			.get('/events/account/ABC123/events/callbacks')
			.query({ page: 1, per_page: 100 })
			.reply(200, { response: { result: { callbacks: [other.result.callback], page: 1, pages: 2, per_page: 1, total: 2 } } })
			.get('/events/account/ABC123/events/callbacks')
			.query({ page: 2, per_page: 100 })
			.reply(200, { response: { result: { callbacks: [mine.result.callback], page: 2, pages: 2, per_page: 1, total: 2 } } });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'ABC123:80001', secret: VERIFIER });
	});

	it('replaces callbacks for its URL whose verifier it never saw', async () => {
		registration.verifierWaitMs = 300;
		const node = trigger({ ...oauth }, { providerEvents: ['invoice.create'] });
		const mine = callback({ callbackid: 80001, uri: URL_ }).response as { result: { callback: Json } };
		const api = nock(API)
			.get('/auth/api/v1/users/me')
			.times(3)
			.reply(200, users())
			.get('/events/account/ABC123/events/callbacks')
			.query(true)
			.reply(200, { response: { result: { callbacks: [mine.result.callback], page: 1, pages: 1, per_page: 100, total: 1 } } })
			.delete('/events/account/ABC123/events/callbacks/80001')
			.reply(200, {})
			.post('/events/account/ABC123/events/callbacks')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.get('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: false }))
			.put('/events/account/ABC123/events/callbacks/1')
			.reply(200, callback({ callbackid: 1, uri: URL_, verified: true }));
		const publishing = node.publish();
		await node.deliver({ body: verifyForm });
		await publishing;
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'ABC123:1', secret: VERIFIER });
	});

	it('refuses to guess the business of a user who belongs to several', async () => {
		const node = trigger({ ...oauth });
		nock(API).get('/auth/api/v1/users/me').reply(200, fixtureJson('freshbooks/users.me.two-businesses.json'));
		await expect(node.publish()).rejects.toThrow('belongs to 2 businesses (accounts xZNQ1X, 3xQ74o)');
	});

	it('removes every callback on unpublish, also those already deleted by hand', async () => {
		const node = trigger({ ...oauth });
		Object.assign(node.staticData, { subscriptionId: 'ABC123:2001,2002', secret: `${VERIFIER} other` });
		const api = nock(API)
			.delete('/events/account/ABC123/events/callbacks/2001')
			.reply(404, { response: { errors: [{ message: 'Not found' }] } })
			.delete('/events/account/ABC123/events/callbacks/2002')
			.reply(200, {});
		expect(await node.unpublish()).toBe(true);
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({});
	});
});
