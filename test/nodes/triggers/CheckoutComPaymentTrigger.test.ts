import { createHmac } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsCheckoutComApi } from '../../../credentials/PaymentEventsCheckoutComApi.credentials';
import { CheckoutComPaymentTrigger } from '../../../nodes/CheckoutComPaymentTrigger/CheckoutComPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// No official Checkout.com SDK is a dev dependency: deliveries are signed as the docs state it, hex HMAC-SHA256 of the
// raw body with the signature key, in Cko-Signature
// (https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver).
const KEY = 'whsk_test_signature_key';
const API = 'https://api.checkout.com';
// test/fixtures/checkoutcom: Checkout.com's published webhook examples (see SOURCES.md there).
const captured = fixtureBytes('checkoutcom/payment_captured.json');
const refunded = fixtureBytes('checkoutcom/payment_refunded.json');

function sign(body: Buffer, key = KEY) {
	return { 'Cko-Signature': createHmac('sha256', key).update(body).digest('hex') };
}

function trigger(credentials: Record<string, string> = { secretKey: 'sk_test_key', webhookSecret: KEY }, parameters = {}) {
	return triggerHarness(CheckoutComPaymentTrigger, { credential: new PaymentEventsCheckoutComApi(), credentials, parameters });
}

afterEach(() => nock.cleanAll());

describe('Checkout.com Payment Trigger: deliveries', () => {
	it('turns a signed delivery into one canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: captured, headers: sign(captured) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ provider: 'checkoutcom', providerEventType: 'payment_captured', status: 'succeeded', crmStatus: 'Paid' });
		expect(result.items[0].raw).toEqual(JSON.parse(captured.toString('utf8')));
	});

	it('accepts the signature in upper-case hex too', async () => {
		const headers = { 'Cko-Signature': sign(refunded)['Cko-Signature'].toUpperCase() };
		expect((await trigger().deliver({ body: refunded, headers })).started).toBe(true);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(captured.toString('utf8').replace('"payment_captured"', '"payment_declined"')), headers: sign(captured) })],
		['a wrong key', () => ({ body: captured, headers: sign(captured, 'someone_elses_key') })],
		['no Cko-Signature header', () => ({ body: captured, headers: {} })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(KEY);
	});

	it('acknowledges a repeat of the same signed delivery (Checkout.com retrying) without running again', async () => {
		const node = trigger();
		const headers = sign(captured);
		expect((await node.deliver({ body: captured, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: captured, headers })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while no signature key is known', async () => {
		const node = trigger({ secretKey: 'sk_test_key' });
		expect(await node.deliver({ body: captured, headers: sign(captured) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Signature Key');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const result = await trigger(undefined, { events: ['refunded'] }).deliver({ body: captured, headers: sign(captured) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});
});

describe('Checkout.com Payment Trigger: workflow registration', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const list = fixtureJson<{ data: Array<{ id: string }> }>('checkoutcom/workflows.list.json');
	const detail = fixtureJson<{ actions: Array<Record<string, unknown>> }>('checkoutcom/workflows.get.json');
	const created = fixtureJson<{ id: string }>('checkoutcom/workflows.create.json');
	const [first, second] = list.data.map((workflow) => workflow.id);

	it('creates a webhook workflow with a fresh signature key on publish, keeps the key, and verifies with it', async () => {
		const node = trigger({ secretKey: 'sk_test_key' }, { providerEvents: ['payment_captured', 'payment_refunded'] });
		let sentKey = '';
		const api = nock(API, { reqheaders: { authorization: 'Bearer sk_test_key' } })
			.get('/workflows')
			.reply(200, list)
			.get(`/workflows/${first}`)
			.reply(200, { ...detail, id: first })
			.get(`/workflows/${second}`)
			.reply(200, { ...detail, id: second })
			.post('/workflows', (body: { conditions: unknown; actions: Array<{ url: string; signature: { method: string; key: string } }> }) => {
				sentKey = body.actions[0].signature.key;
				return (
					JSON.stringify(body.conditions) === JSON.stringify([{ type: 'event', events: { gateway: ['payment_captured', 'payment_refunded'] } }]) &&
					body.actions[0].url === url &&
					body.actions[0].signature.method === 'HMACSHA256'
				);
			})
			.reply(201, created);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(sentKey).toMatch(/^[0-9a-f]{64}$/);
		expect(node.staticData).toEqual({ subscriptionId: created.id, secret: sentKey });
		expect((await node.deliver({ body: captured, headers: sign(captured, sentKey) })).started).toBe(true);
	});

	it('finds the workflow that already posts to its URL instead of creating another', async () => {
		const node = trigger();
		const api = nock(API)
			.get('/workflows')
			.reply(200, list)
			.get(`/workflows/${first}`)
			.reply(200, { ...detail, id: first })
			.get(`/workflows/${second}`)
			.reply(200, { ...detail, id: second, actions: [{ ...detail.actions[0], url }] });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: second });
	});

	it('removes the workflow on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: created.id, secret: 'a'.repeat(64) });
		nock(API).delete(`/workflows/${created.id}`).reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'wf_gone' });
		nock(API).delete('/workflows/wf_gone').reply(404);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('calls the sandbox host for a sandbox credential', async () => {
		const node = trigger({ secretKey: 'sk_sbox_key', environment: 'sandbox', webhookSecret: KEY });
		const api = nock('https://api.sandbox.checkout.com').get('/workflows').reply(200, { data: [] }).post('/workflows').reply(201, created);
		await node.publish();
		expect(api.isDone()).toBe(true);
	});
});
