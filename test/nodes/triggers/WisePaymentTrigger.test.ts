import nock from 'nock';

import { PaymentEventsWiseApi } from '../../../credentials/PaymentEventsWiseApi.credentials';
import { WisePaymentTrigger } from '../../../nodes/WisePaymentTrigger/WisePaymentTrigger.node';
import { fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The published vector (transferwise/digital-signatures-examples): a transfers#state-change delivery signed with
// Wise's sandbox key. Wise's private keys are not public, so it is the one signed delivery a test can make.
const vectors = fixtureJson<{ vectors: Array<{ raw_body: string; x_signature_sha256: string }> }>('test-vectors/wise_rsa_signature_vector.json');
const [vector] = vectors.vectors;
const body = Buffer.from(vector.raw_body);
const signed = { 'X-Signature-SHA256': vector.x_signature_sha256, 'X-Delivery-Id': '4a6b9810-4279-4de5-8d8d-1a6cf3b92a75' };
const TOKEN = 'wise_personal_token';
const SANDBOX = 'https://api.sandbox.transferwise.tech';
const LIVE = 'https://api.transferwise.com';

function trigger(credentials: Record<string, string> = { apiToken: TOKEN, environment: 'sandbox' }, parameters = {}, webhookUrl?: string) {
	return triggerHarness(WisePaymentTrigger, { credential: new PaymentEventsWiseApi(), credentials, parameters, webhookUrl });
}

afterEach(() => nock.cleanAll());

describe('Wise Payment Trigger: deliveries', () => {
	it("verifies the sandbox-signed delivery with Wise's sandbox key, fetches the transfer and emits the payout", async () => {
		const api = nock(SANDBOX, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/v1/transfers/49983981')
			.reply(200, fixtureJson('wise/transfer_get_response.json'));
		const result = await trigger().deliver({ body, headers: signed });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({
				provider: 'wise',
				providerEventId: 'transfers#state-change:49983981:incoming_payment_waiting:2021-08-23T10:12:50.000Z',
				providerEventType: 'transfers#state-change',
				// The credential's environment: a sandbox delivery is not live.
				livemode: false,
				kind: 'payout',
				status: 'pending',
				amount: { minor: 15000, value: '150.00', currency: 'GBP', exponent: 2 },
				payment: { id: '49983981' },
				reference: 'Testing',
			}),
		]);
	});

	it.each([
		['a sandbox signature on a live credential', () => trigger({ apiToken: TOKEN, environment: 'live' }), () => ({ body, headers: signed })],
		['a tampered body', () => trigger(), () => ({ body: Buffer.from(vector.raw_body.replace('49983981', '49983982')), headers: signed })],
		['no signature header', () => trigger(), () => ({ body, headers: {} })],
		['a signature that is not base64 RSA', () => trigger(), () => ({ body, headers: { 'X-Signature-SHA256': 'bm90IGEgc2lnbmF0dXJl' } })],
	])('refuses %s with 401, without calling the API', async (_case, node, delivery) => {
		const harness = node();
		const result = await harness.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(harness.requests).toHaveLength(0);
	});

	it('acknowledges a repeat of the same signed delivery (Wise retrying) without running again, whatever X-Delivery-Id says', async () => {
		const node = trigger();
		nock(SANDBOX).get('/v1/transfers/49983981').reply(200, fixtureJson('wise/transfer_get_response.json'));
		expect((await node.deliver({ body, headers: signed })).started).toBe(true);
		const fetches = node.requests.length;
		const again = await node.deliver({ body, headers: { ...signed, 'X-Delivery-Id': 'e0a9f3c2-0000-4000-8000-000000000001' } });
		expect(again).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetches);
	});

	it('acknowledges a signed test notification without running the workflow or fetching anything', async () => {
		const node = trigger();
		const result = await node.deliver({ body, headers: { ...signed, 'X-Test-Notification': 'true' } });
		expect(result).toEqual({ status: 200, body: undefined, started: false, items: [] });
		expect(node.requests).toHaveLength(0);
	});

	it('refuses a forged test notification', async () => {
		const forged = Buffer.from(vector.raw_body.replace('incoming_payment_waiting', 'outgoing_payment_sent'));
		const result = await trigger().deliver({ body: forged, headers: { ...signed, 'X-Test-Notification': 'true' } });
		expect(result).toMatchObject({ status: 401, started: false });
	});
});

describe('Wise Payment Trigger: webhook subscriptions', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const BUSINESS = '14599371';

	it("subscribes the URL to each selected event type on the token's business profile", async () => {
		const node = trigger({ apiToken: TOKEN, environment: 'live' }, { providerEvents: ['transfers#state-change', 'balances#update'] });
		const api = nock(LIVE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get('/v2/profiles')
			.twice()
			.reply(200, fixtureJson('wise/profiles.list.json'))
			.get(`/v3/profiles/${BUSINESS}/subscriptions`)
			.reply(200, [])
			.post(`/v3/profiles/${BUSINESS}/subscriptions`, {
				name: 'n8n payment events trigger',
				trigger_on: 'transfers#state-change',
				delivery: { version: '2.0.0', url },
			})
			.reply(200, fixtureJson('wise/subscription.create.json'))
			.post(`/v3/profiles/${BUSINESS}/subscriptions`, {
				name: 'n8n payment events trigger',
				trigger_on: 'balances#update',
				delivery: { version: '3.0.0', url },
			})
			.reply(200, { ...fixtureJson('wise/subscription.create.json'), id: 'f215f353-35fd-405b-b27f-4fd603c905ed' });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({
			subscriptionId: `${BUSINESS}/72195556-e5cb-495e-a010-b37a4f2a3043,${BUSINESS}/f215f353-35fd-405b-b27f-4fd603c905ed`,
		});
	});

	it('finds the subscriptions already made for its URL instead of creating more', async () => {
		const node = trigger({ apiToken: TOKEN, environment: 'live' }, {}, 'https://your.webhook.url/12345');
		const api = nock(LIVE)
			.get('/v2/profiles')
			.reply(200, fixtureJson('wise/profiles.list.json'))
			.get(`/v3/profiles/${BUSINESS}/subscriptions`)
			.reply(200, fixtureJson('wise/subscriptions.list.json'));
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({
			subscriptionId: `${BUSINESS}/e889e085-3677-4110-be26-3e9160ac9f25,${BUSINESS}/eabeb3f5-c134-4a1c-99e2-86a1163daf1b`,
		});
	});

	it('removes every subscription on unpublish, skipping one already deleted by hand', async () => {
		const node = trigger({ apiToken: TOKEN, environment: 'live' });
		Object.assign(node.staticData, { subscriptionId: `${BUSINESS}/gone-by-hand,${BUSINESS}/72195556-e5cb-495e-a010-b37a4f2a3043` });
		const api = nock(LIVE)
			.delete(`/v3/profiles/${BUSINESS}/subscriptions/gone-by-hand`)
			.reply(404)
			.delete(`/v3/profiles/${BUSINESS}/subscriptions/72195556-e5cb-495e-a010-b37a4f2a3043`)
			.reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('removes what it created when a later subscription fails, and reports the failure without the token', async () => {
		const node = trigger({ apiToken: TOKEN, environment: 'live' }, { providerEvents: ['transfers#state-change', 'balances#update'] });
		const api = nock(LIVE)
			.get('/v2/profiles')
			.twice()
			.reply(200, fixtureJson('wise/profiles.list.json'))
			.get(`/v3/profiles/${BUSINESS}/subscriptions`)
			.reply(200, [])
			.post(`/v3/profiles/${BUSINESS}/subscriptions`)
			.reply(200, fixtureJson('wise/subscription.create.json'))
			.post(`/v3/profiles/${BUSINESS}/subscriptions`)
			.reply(403)
			.delete(`/v3/profiles/${BUSINESS}/subscriptions/72195556-e5cb-495e-a010-b37a4f2a3043`)
			.reply(204);
		const failure = node.publish();
		await expect(failure).rejects.toThrow('Wise: could not create the balances#update webhook subscription of profile 14599371');
		await expect(failure).rejects.not.toThrow(TOKEN);
		expect(api.isDone()).toBe(true);
	});
});
