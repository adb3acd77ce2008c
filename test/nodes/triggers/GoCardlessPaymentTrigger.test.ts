import nock from 'nock';

import { PaymentEventsGoCardlessApi } from '../../../credentials/PaymentEventsGoCardlessApi.credentials';
import { GoCardlessPaymentTrigger } from '../../../nodes/GoCardlessPaymentTrigger/GoCardlessPaymentTrigger.node';
import { hmac } from '../../../nodes/core/signature';
import { fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The SDK's webhooks module on its own: its package entry pulls in an ESM-only dependency Jest cannot load,
// and moduleResolution "node" does not see the `./webhooks` export's types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: sdkParse } = require('gocardless-nodejs/webhooks') as {
	parse: (body: Buffer | string, webhookSecret: string, signatureHeader: string) => unknown[];
};

// The published vector: gocardless-nodejs's own webhook test (secret, compact body, expected Webhook-Signature).
const vectors = fixtureJson<{ vectors: Array<{ secret: string; raw_body: string; expected_signature: string }> }>(
	'test-vectors/gocardless_signature_vectors.json',
);
const [vector] = vectors.vectors;
const SECRET = 'gocardless_endpoint_secret_for_tests';
const ACCESS_TOKEN = 'sandbox_access_token';
const SANDBOX = 'https://api-sandbox.gocardless.com';
// test/fixtures/gocardless: GoCardless's two-event guide sample (payments confirmed + failed), sent as GoCardless sends it: compact.
const batch = Buffer.from(JSON.stringify(fixtureJson('gocardless/webhook_payments_confirmed_failed.json')));
type Json = Record<string, unknown>;
/** The SDK's GET /payments response fixture, as the payment each event links. */
function payment(id: string): Json {
	const body = fixtureJson<{ payments: Json }>('gocardless/payments.get.json');
	body.payments.id = id;
	return body;
}

/** Webhook-Signature as the docs define it: hex HMAC-SHA256 of the raw body with the endpoint secret. */
function sign(body: Buffer, secret = SECRET) {
	return { 'Webhook-Signature': hmac('sha256', secret, body, 'hex') };
}

function trigger(credentials: Record<string, string> = { accessToken: ACCESS_TOKEN, environment: 'sandbox', webhookSecret: SECRET }, parameters = {}) {
	return triggerHarness(GoCardlessPaymentTrigger, { credential: new PaymentEventsGoCardlessApi(), credentials, parameters });
}

function fetchesPayments() {
	return nock(SANDBOX, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}`, 'gocardless-version': '2015-07-06' } })
		.get('/payments/PM123')
		.reply(200, payment('PM123'))
		.get('/payments/PM456')
		.reply(200, payment('PM456'));
}

afterEach(() => nock.cleanAll());

describe('GoCardless Payment Trigger: deliveries', () => {
	it('signs like the official SDK expects (gocardless-nodejs webhooks.parse accepts the test signature)', () => {
		expect(() => sdkParse(batch, SECRET, sign(batch)['Webhook-Signature'])).not.toThrow();
		expect(() => sdkParse(batch, 'another secret', sign(batch)['Webhook-Signature'])).toThrow();
	});

	it('accepts the published SDK vector (a batch of non-payment events: 200, nothing started)', async () => {
		const node = trigger({ accessToken: ACCESS_TOKEN, webhookSecret: vector.secret });
		const result = await node.deliver({ body: vector.raw_body, headers: { 'Webhook-Signature': vector.expected_signature } });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});

	it('fetches each payment of a signed batch and starts one execution with one event per payment event', async () => {
		const api = fetchesPayments();
		const result = await trigger().deliver({ body: batch, headers: sign(batch) });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items.map((event) => [event.providerEventId, event.providerEventType, event.status])).toEqual([
			['EV123', 'payments.confirmed', 'succeeded'],
			['EV456', 'payments.failed', 'failed'],
		]);
		expect(result.items[0]).toMatchObject({
			provider: 'gocardless',
			livemode: false,
			crmStatus: 'Paid',
			amount: { minor: 1000, value: '10.00', currency: 'EUR', exponent: 2 },
			payment: { id: 'PM123' },
			description: 'One-off upgrade fee',
		});
		expect(result.items[1]).toMatchObject({ payment: { id: 'PM456', method: 'bacs' } });
	});

	it("marks events live from the credential's environment (GoCardless events do not say)", async () => {
		const api = nock('https://api.gocardless.com').get('/payments/PM123').reply(200, payment('PM123')).get('/payments/PM456').reply(200, payment('PM456'));
		const live = trigger({ accessToken: ACCESS_TOKEN, environment: 'live', webhookSecret: SECRET });
		const result = await live.deliver({ body: batch, headers: sign(batch) });
		expect(api.isDone()).toBe(true);
		expect(result.items.map((event) => event.livemode)).toEqual([true, true]);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(batch.toString('utf8').replace('"confirmed"', '"cancelled"')), headers: sign(batch) })],
		['a wrong secret', () => ({ body: batch, headers: sign(batch, 'someone else') })],
		['no signature header', () => ({ body: batch, headers: {} })],
		['a signature that is not hex', () => ({ body: batch, headers: { 'Webhook-Signature': 'not-a-signature' } })],
	])('answers %s with 401 and starts nothing, without calling the API', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
		expect(node.requests).toHaveLength(0);
	});

	it('acknowledges a repeat of the same signed delivery (GoCardless retrying) without running again', async () => {
		const node = trigger();
		fetchesPayments();
		expect((await node.deliver({ body: batch, headers: sign(batch) })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: batch, headers: sign(batch) })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no endpoint secret, and says where to find it', async () => {
		const node = trigger({ accessToken: ACCESS_TOKEN });
		const result = await node.deliver({ body: batch, headers: sign(batch) });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Endpoint Secret');
		await expect(node.publish()).rejects.toThrow('no Webhook Endpoint Secret');
	});

	it('fetches only the events the user selected', async () => {
		const api = nock(SANDBOX).get('/payments/PM456').reply(200, payment('PM456'));
		const result = await trigger(undefined, { providerEvents: ['payments.failed'] }).deliver({ body: batch, headers: sign(batch) });
		expect(api.isDone()).toBe(true);
		expect(result.items.map((event) => event.providerEventId)).toEqual(['EV456']);
	});

	it('registers nothing on publish (endpoints are created in the Dashboard) and removes nothing on unpublish', async () => {
		const node = trigger();
		await node.publish();
		expect(await node.unpublish()).toBe(true);
		expect(node.requests).toHaveLength(0);
		expect(node.node.description.properties[0].displayName).toContain('Developers → Create → Webhook endpoint');
	});
});
