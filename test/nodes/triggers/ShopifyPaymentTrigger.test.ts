import { createHmac } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsShopifyApi } from '../../../credentials/PaymentEventsShopifyApi.credentials';
import { ShopifyPaymentTrigger } from '../../../nodes/ShopifyPaymentTrigger/ShopifyPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Shopify's Node library verifies but does not sign; this is the documented scheme, base64(HMAC-SHA256(client
// secret, raw body)): https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
const SECRET = 'shopify-api-secret-for-tests';
const TOKEN = 'shpat_test_token';
const API = 'https://my-shop.myshopify.com';
const PATH = '/admin/api/2026-01';
// test/fixtures/shopify: order and refund of Shopify's API library fixtures, and the REST Admin API reference
// examples of the Webhook resource (SOURCES.md).
const order = fixtureBytes('shopify/order.json');
const refund = fixtureBytes('shopify/refund.json');
// Shopify's webhook reference sample order id, beyond 2^53 (SOURCES.md).
const BIG_ORDER_ID = '820982911946154508';

function sign(payload: Buffer, topic: string, secret = SECRET, webhookId = `wh-${topic}`): Record<string, string> {
	return {
		'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(payload).digest('base64'),
		'X-Shopify-Topic': topic,
		'X-Shopify-Webhook-Id': webhookId,
	};
}

function trigger(credentials: Record<string, string> = { webhookSecret: SECRET }, parameters = {}, webhookUrl?: string) {
	return triggerHarness(ShopifyPaymentTrigger, {
		credential: new PaymentEventsShopifyApi(),
		credentials: { shopSubdomain: 'my-shop', accessToken: TOKEN, ...credentials },
		parameters,
		webhookUrl,
	});
}

afterEach(() => nock.cleanAll());

describe('Shopify Payment Trigger: deliveries', () => {
	it('turns a signed orders/create into one event from the order’s financial status, with the raw payload', async () => {
		const result = await trigger().deliver({ body: order, headers: sign(order, 'orders/create') });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({
				provider: 'shopify',
				providerEventId: 'wh-orders/create',
				providerEventType: 'orders/create',
				status: 'pending',
				amount: { minor: 40994, value: '409.94', currency: 'USD', exponent: 2 },
				reference: '450789469',
				payment: { method: 'card', brand: 'Visa', last4: '4242' },
			}),
		]);
		expect(result.items[0].raw).toEqual(JSON.parse(order.toString('utf8')));
	});

	it('reads an order id beyond 2^53 exactly from the signed bytes', async () => {
		const big = Buffer.from(order.toString('utf8').replace('"id": 450789469', `"id": ${BIG_ORDER_ID}`));
		expect(big.equals(order)).toBe(false);
		const result = await trigger().deliver({ body: big, headers: sign(big, 'orders/paid') });
		expect(result.items.map((event) => event.reference)).toEqual([BIG_ORDER_ID]);
	});

	it('turns refunds/create into a refund event', async () => {
		const result = await trigger().deliver({ body: refund, headers: sign(refund, 'refunds/create') });
		expect(result.items).toEqual([
			expect.objectContaining({ kind: 'refund', status: 'refunded', amount: { minor: 20900, value: '209.00', currency: 'USD', exponent: 2 } }),
		]);
	});

	it.each([
		[
			'a tampered body',
			() => ({ body: Buffer.from(order.toString('utf8').replace('"409.94"', '"109.94"')), headers: sign(order, 'orders/create') }),
		],
		['a wrong secret', () => ({ body: order, headers: sign(order, 'orders/create', 'someone-elses-secret') })],
		['no signature header', () => ({ body: order, headers: { 'X-Shopify-Topic': 'orders/create' } })],
		[
			'the signature in hex instead of base64',
			() => ({
				body: order,
				headers: { ...sign(order, 'orders/create'), 'X-Shopify-Hmac-Sha256': createHmac('sha256', SECRET).update(order).digest('hex') },
			}),
		],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('acknowledges a repeat of the same signed delivery (Shopify retrying) without running again, whatever X-Shopify-Webhook-Id says', async () => {
		const node = trigger();
		const headers = sign(order, 'orders/create', SECRET, 'b54557e4-1');
		expect((await node.deliver({ body: order, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: order, headers })).toMatchObject({ status: 200, started: false, body: '' });
		const otherId = sign(order, 'orders/create', SECRET, 'b54557e4-2');
		expect(await node.deliver({ body: order, headers: otherId })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no API secret', async () => {
		const node = trigger({});
		expect(await node.deliver({ body: order, headers: sign(order, 'orders/create') })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no API Secret');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const node = trigger(undefined, { providerEvents: ['refunds/create'] });
		const result = await node.deliver({ body: order, headers: sign(order, 'orders/create') });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});
});

describe('Shopify Payment Trigger: webhook registration', () => {
	const api = () => nock(API, { reqheaders: { 'x-shopify-access-token': TOKEN } });

	it('subscribes the URL to the selected topics on publish when Shopify has none for it', async () => {
		const url = 'https://example.hostname.com/';
		const node = trigger(undefined, { providerEvents: ['orders/create'] }, url);
		const scope = api()
			.get(`${PATH}/webhooks.json`)
			.query({ address: url, limit: 250 })
			.reply(200, fixtureJson('shopify/webhooks.list.json'))
			.post(`${PATH}/webhooks.json`, { webhook: { topic: 'orders/create', address: url, format: 'json' } })
			.reply(201, fixtureJson('shopify/webhook.create.json'));
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: '8589935145' });
	});

	it('finds the subscriptions it made earlier instead of creating more', async () => {
		const node = trigger(undefined, {}, 'https://apple.com');
		const scope = api().get(`${PATH}/webhooks.json`).query(true).reply(200, fixtureJson('shopify/webhooks.list.json'));
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: '4759306' });
	});

	it('removes every subscription on unpublish, also when one was already deleted by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: '4759306,892403750' });
		const scope = api()
			.delete(`${PATH}/webhooks/4759306.json`)
			.reply(200, {})
			.delete(`${PATH}/webhooks/892403750.json`)
			.reply(404, { errors: 'Not Found' });
		expect(await node.unpublish()).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('reports a failed removal without the token in the message', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: '4759306' });
		api().delete(`${PATH}/webhooks/4759306.json`).reply(500, { errors: `${TOKEN} rejected` });
		const error = await node.unpublish().catch((caught: Error) => caught);
		expect(String(error)).toContain('Shopify: could not delete the webhook 4759306');
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		expect(node.staticData).toEqual({ subscriptionId: '4759306' });
	});
});
