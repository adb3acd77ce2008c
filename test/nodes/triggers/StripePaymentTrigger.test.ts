import nock from 'nock';
import Stripe from 'stripe';

import { PaymentEventsStripeApi } from '../../../credentials/PaymentEventsStripeApi.credentials';
import { StripePaymentTrigger } from '../../../nodes/StripePaymentTrigger/StripePaymentTrigger.node';
import { fixtureBytes } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The official SDK signs the deliveries: generateTestHeaderString is Stripe's own test-signature helper.
const stripeSdk = new Stripe('sk_test_oracle');
const SECRET = 'whsec_test_payment_events';
const API = 'https://api.stripe.com';
// shared/fixtures/stripe: events captured from the Stripe API (see PROVENANCE.md).
const succeeded = fixtureBytes('stripe/payment_intent.succeeded.json');
const refunded = fixtureBytes('stripe/charge.refunded.json');

function sign(payload: Buffer, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)) {
	return { 'Stripe-Signature': stripeSdk.webhooks.generateTestHeaderString({ payload: payload.toString('utf8'), secret, timestamp }) };
}

/** The delivery with its livemode flipped: the same length, one field changed. */
function tampered(payload: Buffer): Buffer {
	const changed = Buffer.from(payload.toString('utf8').replace('"livemode": false', '"livemode": true '));
	expect(changed.equals(payload)).toBe(false);
	return changed;
}

function trigger(credentials: Record<string, string> = { secretKey: 'sk_test_key', webhookSecret: SECRET }, parameters = {}) {
	return triggerHarness(StripePaymentTrigger, { credential: new PaymentEventsStripeApi(), credentials, parameters });
}

afterEach(() => nock.cleanAll());

describe('Stripe Payment Trigger: deliveries', () => {
	it('turns a signed delivery into one canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: succeeded, headers: sign(succeeded) });
		expect(result.status).toBe(200);
		expect(result.started).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ provider: 'stripe', providerEventType: 'payment_intent.succeeded', status: 'succeeded', crmStatus: 'Paid' });
		expect(result.items[0].raw).toEqual(JSON.parse(succeeded.toString('utf8')));
	});

	it.each([
		['a tampered body', () => ({ body: tampered(succeeded), headers: sign(succeeded) })],
		['a wrong secret', () => ({ body: succeeded, headers: sign(succeeded, 'whsec_someone_else') })],
		['a stale timestamp (301 s)', () => ({ body: succeeded, headers: sign(succeeded, SECRET, Math.floor(Date.now() / 1000) - 301) })],
		['no signature header', () => ({ body: succeeded, headers: {} })],
		['a header without v1', () => ({ body: succeeded, headers: { 'Stripe-Signature': `t=${Math.floor(Date.now() / 1000)}` } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('refuses the same signed delivery twice (replay), but not Stripe re-signing it', async () => {
		const node = trigger();
		const headers = sign(succeeded);
		expect((await node.deliver({ body: succeeded, headers })).started).toBe(true);
		expect(await node.deliver({ body: succeeded, headers })).toMatchObject({ status: 401, body: undefined, started: false });
		const resigned = sign(succeeded, SECRET, Math.floor(Date.now() / 1000) - 5);
		expect((await node.deliver({ body: succeeded, headers: resigned })).started).toBe(true);
	});

	it('runs only one of two identical deliveries arriving at once', async () => {
		const node = trigger();
		const headers = sign(succeeded);
		const results = await Promise.all([node.deliver({ body: succeeded, headers }), node.deliver({ body: succeeded, headers })]);
		expect(results.map((result) => result.started).sort()).toEqual([false, true]);
		expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
	});

	it('refuses every delivery while no signing secret is known, and says how to get one', async () => {
		const node = trigger({ secretKey: 'sk_test_key' });
		const result = await node.deliver({ body: succeeded, headers: sign(succeeded) });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Signing Secret');
		expect(node.warnings[0]).toContain('registers its webhook on publishing');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const byMeaning = await trigger(undefined, { events: ['refunded'] }).deliver({ body: succeeded, headers: sign(succeeded) });
		expect(byMeaning).toMatchObject({ status: 200, started: false, body: '' });
		const byName = await trigger(undefined, { providerEvents: ['charge.refunded'] }).deliver({ body: succeeded, headers: sign(succeeded) });
		expect(byName).toMatchObject({ status: 200, started: false });
		const wanted = await trigger(undefined, { events: ['refunded'] }).deliver({ body: refunded, headers: sign(refunded) });
		expect(wanted.items.map((event) => event.status)).toEqual(['refunded']);
	});

	it('leaves the raw payload out when asked', async () => {
		const result = await trigger(undefined, { options: { includeRaw: false } }).deliver({ body: succeeded, headers: sign(succeeded) });
		expect(result.items[0]).not.toHaveProperty('raw');
	});
});

describe('Stripe Payment Trigger: endpoint registration', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';

	it('creates the endpoint on publish, keeps the issued secret, and verifies with it', async () => {
		const node = trigger({ secretKey: 'sk_test_key' }, { providerEvents: ['payment_intent.succeeded', 'charge.refunded'] });
		const api = nock(API, { reqheaders: { authorization: 'Bearer sk_test_key' } })
			.get('/v1/webhook_endpoints')
			.query({ limit: 100 })
			.reply(200, { object: 'list', data: [{ id: 'we_other', url: 'https://elsewhere.example.com/hook' }], has_more: false })
			.post('/v1/webhook_endpoints', (body: string) => {
				const form = new URLSearchParams(body);
				return form.get('url') === url && form.getAll('enabled_events[]').join() === 'payment_intent.succeeded,charge.refunded';
			})
			.reply(200, { id: 'we_new', object: 'webhook_endpoint', url, secret: 'whsec_issued' });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'we_new', secret: 'whsec_issued' });
		expect((await node.deliver({ body: succeeded, headers: sign(succeeded, 'whsec_issued') })).started).toBe(true);
	});

	it('finds its endpoint on a later page instead of creating another', async () => {
		const node = trigger({ secretKey: 'sk_test_key', webhookSecret: SECRET });
		const api = nock(API)
			.get('/v1/webhook_endpoints')
			.query({ limit: 100 })
			.reply(200, { data: [{ id: 'we_1', url: 'https://a.example.com' }], has_more: true })
			.get('/v1/webhook_endpoints')
			.query({ limit: 100, starting_after: 'we_1' })
			.reply(200, { data: [{ id: 'we_mine', url }], has_more: false });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'we_mine' });
	});

	it('replaces an endpoint for its URL whose secret it never saw', async () => {
		const node = trigger({ secretKey: 'sk_test_key' });
		const api = nock(API)
			.get('/v1/webhook_endpoints')
			.query(true)
			.reply(200, { data: [{ id: 'we_orphan', url }], has_more: false })
			.delete('/v1/webhook_endpoints/we_orphan')
			.reply(200, { id: 'we_orphan', deleted: true })
			.post('/v1/webhook_endpoints')
			.reply(200, { id: 'we_fresh', url, secret: 'whsec_fresh' });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'we_fresh', secret: 'whsec_fresh' });
	});

	it('removes the endpoint on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger({ secretKey: 'sk_test_key' });
		Object.assign(node.staticData, { subscriptionId: 'we_new', secret: 'whsec_issued' });
		nock(API).delete('/v1/webhook_endpoints/we_new').reply(200, { id: 'we_new', deleted: true });
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'we_gone', secret: 'whsec_issued' });
		nock(API).delete('/v1/webhook_endpoints/we_gone').reply(404, { error: { message: 'No such webhook endpoint' } });
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('reports a failed removal instead of swallowing it, without the key in the message', async () => {
		const node = trigger({ secretKey: 'sk_test_key' });
		Object.assign(node.staticData, { subscriptionId: 'we_new' });
		nock(API).delete('/v1/webhook_endpoints/we_new').reply(500, { error: { message: 'sk_test_key rejected' } });
		await expect(node.unpublish()).rejects.toThrow('Stripe: could not delete the webhook endpoint we_new');
		expect(node.staticData).toEqual({ subscriptionId: 'we_new' });
	});
});
