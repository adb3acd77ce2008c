import nock from 'nock';

import { PaymentEventsChargebeeApi } from '../../../credentials/PaymentEventsChargebeeApi.credentials';
import { ChargebeePaymentTrigger } from '../../../nodes/ChargebeePaymentTrigger/ChargebeePaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Chargebee does not sign webhooks; an endpoint can carry HTTP basic auth (basic_auth_username / basic_auth_password,
// https://apidocs.chargebee.com/docs/api/webhook_endpoints), which Chargebee sends as a standard Authorization header.
const USER = 'billing-hooks';
const PASSWORD = 'chargebee-webhook-password-for-tests';
const API_KEY = 'test_chargebee_api_key';
const API = 'https://acme-test.chargebee.com';
// shared/fixtures/chargebee: Chargebee API-docs sample events via bonusly/mock_chargebee (PROVENANCE.md).
const succeeded = fixtureBytes('chargebee/payment_succeeded.json');
const refunded = fixtureBytes('chargebee/payment_refunded.json');
// test/fixtures/chargebee: the API reference's sample webhook endpoint (SOURCES.md).
const endpoint = fixtureJson('chargebee/webhook_endpoint.json');
const endpoints = fixtureJson('chargebee/webhook_endpoints.list.json');

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

function trigger(
	credentials: Record<string, string> = { webhookUsername: USER, webhookPassword: PASSWORD },
	parameters = {},
	webhookUrl?: string,
) {
	return triggerHarness(ChargebeePaymentTrigger, {
		credential: new PaymentEventsChargebeeApi(),
		credentials: { site: 'acme-test', apiKey: API_KEY, ...credentials },
		parameters,
		webhookUrl,
	});
}

afterEach(() => nock.cleanAll());

describe('Chargebee Payment Trigger: deliveries', () => {
	it('turns a delivery with the endpoint’s basic auth into one Paid event with the raw payload', async () => {
		const result = await trigger().deliver({ body: succeeded, headers: basic(USER, PASSWORD) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({
				provider: 'chargebee',
				providerEventId: 'ev_AzqYRySIstMN16O',
				providerEventType: 'payment_succeeded',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: { minor: 450000, value: '4500.00', currency: 'USD', exponent: 2 },
			}),
		]);
		expect(result.items[0].raw).toEqual(JSON.parse(succeeded.toString('utf8')));
	});

	it('turns payment_refunded into a refund event', async () => {
		const result = await trigger().deliver({ body: refunded, headers: basic(USER, PASSWORD) });
		expect(result.items.map((event) => event.kind)).toEqual(['refund']);
	});

	it.each([
		['a wrong password', () => basic(USER, 'not-the-password')],
		['a wrong user name', () => basic('someone', PASSWORD)],
		['no Authorization header', () => ({})],
		['a bearer token', () => ({ Authorization: `Bearer ${PASSWORD}` })],
		['the registered user name with the credential’s password', () => basic('n8n', PASSWORD)],
	])('answers %s with 401 and starts nothing', async (_case, headers) => {
		const node = trigger();
		const result = await node.deliver({ body: succeeded, headers: headers() });
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(PASSWORD);
	});

	it('acknowledges a repeat of the same signed delivery (Chargebee retrying) without running again', async () => {
		const node = trigger();
		expect((await node.deliver({ body: succeeded, headers: basic(USER, PASSWORD) })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: succeeded, headers: basic(USER, PASSWORD) })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while neither the credential nor the node knows a password, and says so', async () => {
		const node = trigger({});
		expect(await node.deliver({ body: succeeded, headers: basic(USER, PASSWORD) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Password');
	});

	it('accepts the user name and password of the endpoint the node registered, beside the credential’s', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: 'generated-password' });
		expect((await node.deliver({ body: succeeded, headers: basic('n8n', 'generated-password') })).started).toBe(true);
		expect((await node.deliver({ body: refunded, headers: basic(USER, PASSWORD) })).started).toBe(true);
	});
});

describe('Chargebee Payment Trigger: webhook endpoint', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const api = () => nock(API, { reqheaders: { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` } });

	it('registers the URL with a generated basic-auth password on publish, and verifies with it', async () => {
		const node = trigger({}, { providerEvents: ['payment_succeeded', 'payment_refunded'] });
		let form = new URLSearchParams();
		const scope = api()
			.get('/api/v2/webhook_endpoints')
			.query({ limit: 100 })
			.reply(200, endpoints)
			.post('/api/v2/webhook_endpoints', (body: string) => {
				form = new URLSearchParams(body);
				return true;
			})
			.reply(200, endpoint);
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(Object.fromEntries([...form].filter(([name]) => name !== 'basic_auth_password'))).toEqual({
			name: 'n8n payment events',
			url,
			api_version: 'v2',
			basic_auth_username: 'n8n',
			'enabled_events[0]': 'payment_succeeded',
			'enabled_events[1]': 'payment_refunded',
		});
		const password = form.get('basic_auth_password')!;
		expect(password.length).toBeGreaterThanOrEqual(32);
		expect(node.staticData).toEqual({ subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: password });
		expect((await node.deliver({ body: succeeded, headers: basic('n8n', password) })).started).toBe(true);
	});

	it('keeps the endpoint it registered earlier instead of creating another', async () => {
		const node = trigger({}, {}, 'https://{host}.com');
		Object.assign(node.staticData, { subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: 'generated-password' });
		const scope = api().get('/api/v2/webhook_endpoints').query(true).reply(200, endpoints);
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: 'generated-password' });
	});

	it('replaces an endpoint for its URL whose password it never saw', async () => {
		const node = trigger({}, {}, 'https://{host}.com');
		const scope = api()
			.get('/api/v2/webhook_endpoints')
			.query(true)
			.reply(200, endpoints)
			.post('/api/v2/webhook_endpoints/whv2_198PKVUX26UX9IvR/delete')
			.reply(200, endpoint)
			.post('/api/v2/webhook_endpoints')
			.reply(200, endpoint);
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toMatchObject({ subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: expect.any(String) });
	});

	it('removes the endpoint on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger({});
		Object.assign(node.staticData, { subscriptionId: 'whv2_198PKVUX26UX9IvR', secret: 'generated-password' });
		api().post('/api/v2/webhook_endpoints/whv2_198PKVUX26UX9IvR/delete').reply(200, endpoint);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'whv2_gone', secret: 'generated-password' });
		api().post('/api/v2/webhook_endpoints/whv2_gone/delete').reply(404);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});
});
