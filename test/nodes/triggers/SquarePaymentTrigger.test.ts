import { createHmac } from 'node:crypto';

import nock from 'nock';
import { WebhooksHelper } from 'square';

import { PaymentEventsSquareApi } from '../../../credentials/PaymentEventsSquareApi.credentials';
import { SquarePaymentTrigger } from '../../../nodes/SquarePaymentTrigger/SquarePaymentTrigger.node';
import { square } from '../../../nodes/providers/square';
import type { WebhookTools } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Events: shared/fixtures/square (Square's API spec examples, see PROVENANCE.md). Subscription responses:
// test/fixtures/square (Square SDK's API reference examples, see SOURCES.md). Signing vectors: Square's Node SDK tests.
const KEY = 'square-signature-key-for-tests';
const URL_ = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
const API = 'https://connect.squareup.com';
const created = fixtureBytes('square/payment.created.json');
const updated = fixtureBytes('square/payment.updated.json');
const refunded = fixtureBytes('square/refund.updated.json');
const listed = fixtureJson('square/webhook-subscriptions-list.json');
const issued = fixtureJson<{ subscription: { signature_key: string } }>('square/webhook-subscription-create.json');

interface Vector {
	notificationUrl: string;
	signatureKey: string;
	requestBody: string;
	expectedSignature: string;
}
const vectors = fixtureJson<{ vectors: Vector[] }>('test-vectors/square_signature_vectors.json').vectors;

/** The documented scheme (https://developer.squareup.com/docs/webhooks/step3validate): base64 HMAC-SHA256 of URL + body. */
function sign(body: Buffer, key = KEY, url = URL_) {
	const signature = createHmac('sha256', key).update(url).update(body).digest('base64');
	return { 'x-square-hmacsha256-signature': signature };
}

function tampered(body: Buffer): Buffer {
	const changed = Buffer.from(body.toString('utf8').replace('"amount": 100', '"amount": 900'));
	expect(changed.equals(body)).toBe(false);
	return changed;
}

function trigger(credentials: Record<string, string> = { accessToken: 'EAAA-test-token', webhookSecret: KEY }, parameters = {}, webhookUrl = URL_) {
	return triggerHarness(SquarePaymentTrigger, { credential: new PaymentEventsSquareApi(), credentials, parameters, webhookUrl });
}

const tools = { now: new Date(), switches: {} } as WebhookTools;

afterEach(() => nock.cleanAll());

describe('Square signature scheme', () => {
	it.each(vectors.map((vector) => [vector.expectedSignature, vector] as const))(
		"accepts the Square SDK's vector %s and refuses it for another URL or body",
		async (_name, vector) => {
			const request = (body: string, url = vector.notificationUrl) => ({
				rawBody: Buffer.from(body),
				headers: { 'x-square-hmacsha256-signature': vector.expectedSignature },
				query: {},
				url,
			});
			const secrets = { webhookSecret: vector.signatureKey };
			expect(await square.webhook!.verify(request(vector.requestBody), secrets, tools)).toEqual({ ok: true });
			expect((await square.webhook!.verify(request(vector.requestBody, `${vector.notificationUrl}/`), secrets, tools)).ok).toBe(false);
			expect((await square.webhook!.verify(request(`${vector.requestBody} `), secrets, tools)).ok).toBe(false);
		},
	);

	it("signs test deliveries the way the Square SDK's WebhooksHelper verifies them", async () => {
		const header = sign(created)['x-square-hmacsha256-signature'];
		const check = { requestBody: created.toString('utf8'), signatureHeader: header, notificationUrl: URL_ };
		expect(await WebhooksHelper.verifySignature({ ...check, signatureKey: KEY })).toBe(true);
		expect(await WebhooksHelper.verifySignature({ ...check, signatureKey: 'another-key' })).toBe(false);
	});
});

describe('Square Payment Trigger: deliveries', () => {
	it('turns a signed payment.updated into one canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: updated, headers: sign(updated) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			id: 'square:6a8f5f28-54a1-4eb0-a98a-3111513fd4fc',
			provider: 'square',
			providerEventType: 'payment.updated',
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 100, value: '1.00', currency: 'USD', exponent: 2 },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(updated.toString('utf8')));
	});

	it.each([
		['a tampered body', () => ({ body: tampered(created), headers: sign(created) })],
		['a wrong signature key', () => ({ body: created, headers: sign(created, 'someone-elses-key') })],
		['a signature for another notification URL', () => ({ body: created, headers: sign(created, KEY, 'https://elsewhere.example.com/hook') })],
		['no signature header', () => ({ body: created, headers: {} })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(KEY);
	});

	it('acknowledges a repeat of the same signed delivery (Square retrying) without running again', async () => {
		const node = trigger();
		expect((await node.deliver({ body: refunded, headers: sign(refunded) })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: refunded, headers: sign(refunded) })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses deliveries while no signature key is known, and says it comes with registration', async () => {
		const node = trigger({ accessToken: 'EAAA-test-token' });
		expect(await node.deliver({ body: created, headers: sign(created) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Signature Key');
		expect(node.warnings[0]).toContain('registers its webhook on publishing');
	});

	it('answers 200 without an execution for payment events the user did not select', async () => {
		const result = await trigger(undefined, { events: ['refunded'] }).deliver({ body: updated, headers: sign(updated) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});
});

describe('Square Payment Trigger: subscription registration', () => {
	it('creates the subscription on publish after paging through the list, keeps the key, and verifies with it', async () => {
		const node = trigger({ accessToken: 'EAAA-test-token' }, { providerEvents: ['payment.updated', 'refund.updated'] });
		const api = nock(API, { reqheaders: { authorization: 'Bearer EAAA-test-token' } })
			.get('/v2/webhooks/subscriptions')
			.query({ limit: 100 })
			.reply(200, listed)
			.get('/v2/webhooks/subscriptions')
			.query({ limit: 100, cursor: 'cursor6' })
			.reply(200, {})
			.post('/v2/webhooks/subscriptions', (body: { idempotency_key?: string; subscription: Record<string, unknown> }) => {
				expect(body.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
				expect(body.subscription).toMatchObject({ notification_url: URL_, event_types: ['payment.updated', 'refund.updated'] });
				return true;
			})
			.reply(200, issued);
		await node.publish();
		expect(api.isDone()).toBe(true);
		const key = issued.subscription.signature_key;
		expect(node.staticData).toEqual({ subscriptionId: 'wbhk_b35f6b3145074cf9ad513610786c19d5', secret: key });
		expect((await node.deliver({ body: updated, headers: sign(updated, key) })).started).toBe(true);
		expect((await node.deliver({ body: created, headers: sign(created) })).started).toBe(false);
	});

	it('finds its subscription instead of creating another when the credential has the key', async () => {
		const node = trigger(undefined, {}, 'https://example-webhook-url.com');
		const api = nock(API).get('/v2/webhooks/subscriptions').query({ limit: 100 }).reply(200, listed);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'wbhk_b35f6b3145074cf9ad513610786c19d5' });
	});

	it('replaces a subscription for its URL whose key it never saw (Square shows the key only on create)', async () => {
		const node = trigger({ accessToken: 'EAAA-test-token' }, {}, 'https://example-webhook-url.com');
		const api = nock(API)
			.get('/v2/webhooks/subscriptions')
			.query(true)
			.reply(200, listed)
			.delete('/v2/webhooks/subscriptions/wbhk_b35f6b3145074cf9ad513610786c19d5')
			.reply(200, {})
			.post('/v2/webhooks/subscriptions')
			.reply(200, issued);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'wbhk_b35f6b3145074cf9ad513610786c19d5', secret: issued.subscription.signature_key });
	});

	it('deletes the subscription on unpublish, also when it was already removed by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: 'wbhk_b35f6b3145074cf9ad513610786c19d5', secret: 'issued' });
		nock(API).delete('/v2/webhooks/subscriptions/wbhk_b35f6b3145074cf9ad513610786c19d5').reply(200, {});
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'wbhk_gone' });
		nock(API).delete('/v2/webhooks/subscriptions/wbhk_gone').reply(404, {});
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('talks to the sandbox host when the credential says so', async () => {
		const node = trigger({ accessToken: 'EAAA-test-token', webhookSecret: KEY, environment: 'sandbox' }, {}, 'https://example-webhook-url.com');
		const api = nock('https://connect.squareupsandbox.com').get('/v2/webhooks/subscriptions').query(true).reply(200, listed);
		await node.publish();
		expect(api.isDone()).toBe(true);
	});
});
