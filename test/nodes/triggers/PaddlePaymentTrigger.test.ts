import { createHmac } from 'node:crypto';

import { Paddle } from '@paddle/paddle-node-sdk';
import nock from 'nock';

import { PaymentEventsPaddleApi } from '../../../credentials/PaymentEventsPaddleApi.credentials';
import { PaddlePaymentTrigger } from '../../../nodes/PaddlePaymentTrigger/PaddlePaymentTrigger.node';
import { paddle } from '../../../nodes/providers/paddle';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The SDK verifies but does not sign. Deliveries are signed per the documented scheme, hex(HMAC-SHA256(secret key,
// `ts:raw body`)) (https://developer.paddle.com/webhooks/about/signature-verification), and each signature is
// checked with the official SDK's webhooks.isSignatureValid first.
const paddleSdk = new Paddle('pdl_test_oracle');
const SECRET = 'pdl_ntfset_test_secret_key';
const API = 'https://api.paddle.com';
const SANDBOX = 'https://sandbox-api.paddle.com';
// shared/fixtures/paddle: notifications from paddle-node-sdk's mocks (PROVENANCE.md).
const completed = fixtureBytes('paddle/transaction.completed.json');
const adjustment = fixtureBytes('paddle/adjustment.created.json');
// test/fixtures/paddle: notification-settings responses from Paddle's SDK fixtures (SOURCES.md).
const page1 = fixtureJson('paddle/notification-settings.list.page1.json');
const page2 = fixtureJson('paddle/notification-settings.list.page2.json');
const created = fixtureJson('paddle/notification-setting.json');

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sign(payload: Buffer, secret = SECRET, timestamp = nowSeconds()): Promise<Record<string, string>> {
	const header = `ts=${timestamp};h1=${createHmac('sha256', secret).update(`${timestamp}:`).update(payload).digest('hex')}`;
	if (timestamp >= nowSeconds() - 4) expect(await paddleSdk.webhooks.isSignatureValid(payload.toString('utf8'), secret, header)).toBe(true);
	return { 'Paddle-Signature': header };
}

/** The notification with its event id changed in one character: same length, still valid JSON. */
function tampered(payload: Buffer): Buffer {
	const changed = Buffer.from(payload.toString('utf8').replace('evt_01h8e1jxjnw9ra6zarhnz1a7y1', 'evt_01h8e1jxjnw9ra6zarhnz1a7y2'));
	expect(changed.equals(payload)).toBe(false);
	return changed;
}

function trigger(
	credentials: Record<string, string> = { apiKey: 'pdl_live_apikey', webhookSecret: SECRET },
	parameters = {},
	webhookUrl?: string,
) {
	return triggerHarness(PaddlePaymentTrigger, { credential: new PaymentEventsPaddleApi(), credentials, parameters, webhookUrl });
}

afterEach(() => nock.cleanAll());

describe('Paddle Payment Trigger: signature', () => {
	// shared/fixtures/test-vectors/paddle_signature_vectors.json ← paddle-node-sdk webhooks-validator tests
	const file = fixtureJson<{ vectors: Array<{ secret?: string; raw_body?: string; paddle_signature_header?: string; negative?: boolean }> }>(
		'test-vectors/paddle_signature_vectors.json',
	);
	const vectors = file.vectors.filter((vector) => !vector.negative);
	const at = (iso: string) => ({ now: new Date(iso), credentials: {}, switches: {}, callApi: async () => undefined, fetchText: async () => '' });
	const request = (body: string, header: string) => ({
		rawBody: Buffer.from(body),
		headers: { 'paddle-signature': header },
		query: {},
		url: 'https://n8n.example.com/webhook',
	});

	it.each(vectors)('accepts the SDK vector $paddle_signature_header at its time, and refuses it 6 s later', (vector) => {
		const verify = (body: string, when: string) =>
			paddle.webhook!.verify(request(body, vector.paddle_signature_header!), { webhookSecret: vector.secret! }, at(when));
		expect(verify(vector.raw_body!, '2023-11-01T00:00:00Z')).toEqual({ ok: true });
		expect(verify(vector.raw_body!, '2023-11-01T00:00:05Z')).toEqual({ ok: true });
		expect(verify(vector.raw_body!, '2023-11-01T00:00:06Z')).toMatchObject({ ok: false });
	});

	it('refuses the vector’s signature over re-spaced JSON (the raw bytes count)', () => {
		const [vector] = vectors;
		const respaced = request('{ "data": [ "1", "2" ]}', vector.paddle_signature_header!);
		const verified = paddle.webhook!.verify(respaced, { webhookSecret: vector.secret! }, at('2023-11-01T00:00:00Z'));
		expect(verified).toMatchObject({ ok: false });
	});
});

describe('Paddle Payment Trigger: deliveries', () => {
	it('turns a signed transaction.completed into one Paid event with the raw payload', async () => {
		const result = await trigger().deliver({ body: completed, headers: await sign(completed) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({
				provider: 'paddle',
				providerEventId: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1',
				providerEventType: 'transaction.completed',
				status: 'succeeded',
				crmStatus: 'Paid',
			}),
		]);
		expect(result.items[0].raw).toEqual(JSON.parse(completed.toString('utf8')));
	});

	it('turns adjustment.created into a refund event', async () => {
		const result = await trigger().deliver({ body: adjustment, headers: await sign(adjustment) });
		expect(result.items.map((event) => event.kind)).toEqual(['refund']);
	});

	it.each([
		['a tampered body', async () => ({ body: tampered(completed), headers: await sign(completed) })],
		['a wrong secret', async () => ({ body: completed, headers: await sign(completed, 'pdl_ntfset_someone_else') })],
		['a stale timestamp (6 s)', async () => ({ body: completed, headers: await sign(completed, SECRET, nowSeconds() - 6) })],
		['no signature header', async () => ({ body: completed, headers: {} })],
		['a header without h1', async () => ({ body: completed, headers: { 'Paddle-Signature': `ts=${nowSeconds()}` } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(await delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('refuses the same signed delivery twice (replay), but not the same notification signed again', async () => {
		const node = trigger();
		const headers = await sign(completed);
		expect((await node.deliver({ body: completed, headers })).started).toBe(true);
		expect(await node.deliver({ body: completed, headers })).toMatchObject({ status: 401, body: undefined, started: false });
		expect((await node.deliver({ body: completed, headers: await sign(completed, SECRET, nowSeconds() - 1) })).started).toBe(true);
	});

	it('refuses every delivery while no secret key is known, and says how to get one', async () => {
		const node = trigger({ apiKey: 'pdl_live_apikey' });
		expect(await node.deliver({ body: completed, headers: await sign(completed) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Secret Key');
		expect(node.warnings[0]).toContain('registers its webhook on publishing');
	});
});

describe('Paddle Payment Trigger: notification destination', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';

	it('creates the destination on publish, keeps its secret key, and verifies with it', async () => {
		const node = trigger({ apiKey: 'pdl_live_apikey' }, { providerEvents: ['transaction.completed'] });
		const scope = nock(API, { reqheaders: { authorization: 'Bearer pdl_live_apikey' } })
			.get('/notification-settings')
			.query({ per_page: 200 })
			.reply(200, page2)
			.post('/notification-settings', {
				description: 'n8n payment events trigger',
				type: 'url',
				destination: url,
				subscribed_events: ['transaction.completed'],
			})
			.reply(201, created);
		await node.publish();
		expect(scope.isDone()).toBe(true);
		const issued = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
		expect(node.staticData).toEqual({ subscriptionId: 'ntfset_01gkpjp8bkm3tm53kdgkx6sms7', secret: issued });
		expect((await node.deliver({ body: completed, headers: await sign(completed, issued) })).started).toBe(true);
	});

	it('finds its destination on a later page (sandbox) and takes its secret key instead of creating another', async () => {
		const node = trigger({ apiKey: 'pdl_sdbx_apikey', environment: 'sandbox' }, {}, 'https://hooks.discord.com/example');
		const scope = nock(SANDBOX)
			.get('/notification-settings')
			.query({ per_page: 200 })
			.reply(200, page1)
			.get('/notification-settings')
			.query({ per_page: 200, after: 'ntfset_01gkpjp8bkm3tm53kdgkx6sms7' })
			.reply(200, page2);
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({
			subscriptionId: 'ntfset_01gkpop8bkm3tm53itgkx6klk7',
			secret: 'ntfset_01gkpop8bkm3tm53itgkx6klk7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI',
		});
	});

	it('removes the destination on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger({ apiKey: 'pdl_live_apikey' });
		Object.assign(node.staticData, { subscriptionId: 'ntfset_01gkpjp8bkm3tm53kdgkx6sms7', secret: 'x' });
		nock(API).delete('/notification-settings/ntfset_01gkpjp8bkm3tm53kdgkx6sms7').reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'ntfset_gone' });
		nock(API).delete('/notification-settings/ntfset_gone').reply(404);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});
});
