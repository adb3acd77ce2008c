import { randomUUID, sign as rsaSign } from 'node:crypto';

import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import nock from 'nock';

import { PaymentEventsPayPalApi } from '../../../credentials/PaymentEventsPayPalApi.credentials';
import { PayPalPaymentTrigger } from '../../../nodes/PayPalPaymentTrigger/PayPalPaymentTrigger.node';
import { crc32 } from '../../../nodes/core/signature';
import { verifyPayPalWebhook } from '../../../nodes/providers/paypal';
import type { WebhookTools } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// PayPal's own signed delivery (PayPal-node-SDK test vector, shared/fixtures/test-vectors; its certificate expired in
// 2017, so those checks pin the clock to 2015). Other deliveries are PayPal's sample events (shared/fixtures/paypal,
// test/fixtures/paypal) signed per the documented scheme with a test key (test/fixtures/paypal/test-signing-*.pem).
// API responses: PayPal's API reference samples, test/fixtures/paypal (see SOURCES.md).
interface Vector {
	headers: Record<string, string>;
	webhook_id: string;
	raw_body: string;
	cert_pem: string;
}
const vector = fixtureJson<Vector>('test-vectors/paypal_rest_webhook_rsa_vector.json');
const vectorBody = Buffer.from(vector.raw_body);
const VECTOR_TIME = new Date('2015-05-18T15:45:20Z');
const TEST_KEY = fixtureBytes('paypal/test-signing-key.pem');
const TEST_CERT = fixtureBytes('paypal/test-signing-cert.pem').toString('utf8');
const WEBHOOK_ID = '8PT597110X687430LKGECATA';
const LIVE = 'https://api-m.paypal.com';
const capture = fixtureBytes('paypal/PAYMENT.CAPTURE.COMPLETED.json');
const sale = fixtureBytes('paypal/PAYMENT.SALE.COMPLETED.raw.txt');
const ipn = fixtureBytes('paypal_ipn/express_checkout.Completed.form.txt');

/** Headers for a delivery signed per https://developer.paypal.com/api/rest/webhooks/rest/ with the test key. */
function signed(body: Buffer, { webhookId = WEBHOOK_ID, time = new Date(), certUrl = testCertUrl() } = {}) {
	const transmissionId = randomUUID();
	const transmissionTime = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
	const signature = rsaSign('sha256', Buffer.from(`${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`), TEST_KEY);
	return {
		'paypal-auth-algo': 'SHA256withRSA',
		'paypal-cert-url': certUrl,
		'paypal-transmission-id': transmissionId,
		'paypal-transmission-time': transmissionTime,
		'paypal-transmission-sig': signature.toString('base64'),
	};
}

/** A certificate URL of its own per test: the trigger caches certificates per URL. */
function testCertUrl(host = 'https://api-m.paypal.com'): string {
	const url = `${host}/v1/notifications/certs/CERT-test-${randomUUID()}`;
	nock(host).get(new URL(url).pathname).reply(200, TEST_CERT);
	return url;
}

function tools(overrides: Partial<WebhookTools> = {}): WebhookTools & { fetched: string[] } {
	const fetched: string[] = [];
	return {
		now: VECTOR_TIME,
		credentials: {},
		switches: {},
		callApi: async () => {
			throw new Error('no API call expected');
		},
		fetchText: async (url) => {
			fetched.push(url);
			return vector.cert_pem;
		},
		fetched,
		...overrides,
	};
}

const credentials = { clientId: 'client-id', clientSecret: 'client-secret', accessToken: 'A21AA-test-token', webhookId: WEBHOOK_ID };

function trigger(credential: Record<string, string> = credentials, parameters = {}, webhookUrl?: string) {
	return triggerHarness(PayPalPaymentTrigger, { credential: new PaymentEventsPayPalApi(), credentials: credential, parameters, webhookUrl });
}

afterEach(() => {
	nock.cleanAll();
	jest.useRealTimers();
});

describe("PayPal REST webhooks: PayPal's signed vector", () => {
	const headers = Object.fromEntries(Object.entries(vector.headers).map(([name, value]) => [name.toLowerCase(), value]));
	const secrets = { webhookId: vector.webhook_id };

	it('verifies with the certificate fetched from the PayPal-Cert-Url', async () => {
		const context = tools();
		expect(await verifyPayPalWebhook(vectorBody, headers, secrets, context)).toEqual({ ok: true });
		expect(context.fetched).toEqual([headers['paypal-cert-url']]);
	});

	it.each([
		['a tampered body', vectorBody.toString().replace('20.00', '90.00'), secrets, 'does not match'],
		['another webhook id', vector.raw_body, { webhookId: 'WH9999999999' }, 'does not match'],
	])('refuses %s', async (_case, body, given, reason) => {
		const result = await verifyPayPalWebhook(Buffer.from(body), headers, given, tools());
		expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
	});

	it('refuses a transmission more than a day old, and one whose certificate has expired', async () => {
		const late = new Date(Date.parse(headers['paypal-transmission-time']) + 24 * 3600 * 1000 + 1000);
		const stale = await verifyPayPalWebhook(vectorBody, headers, secrets, tools({ now: late }));
		expect(stale).toEqual({ ok: false, reason: expect.stringContaining('PayPal-Transmission-Time') });
		const after = { ...headers, 'paypal-transmission-time': '2017-04-01T00:00:00Z' };
		const expired = await verifyPayPalWebhook(vectorBody, after, secrets, tools({ now: new Date('2017-04-01T00:00:05Z') }));
		expect(expired).toEqual({ ok: false, reason: expect.stringContaining('certificate is not valid') });
	});

	it.each([
		['http', 'http://api.sandbox.paypal.com/v1/notifications/certs/CERT-1'],
		['another host', 'https://certs.example.com/v1/notifications/certs/CERT-1'],
		['a look-alike host', 'https://api.paypal.com.example.com/v1/notifications/certs/CERT-1'],
		['another path on PayPal', 'https://api.paypal.com/v1/oauth2/token'],
		['a port', 'https://api.paypal.com:8443/v1/notifications/certs/CERT-1'],
		['no URL', 'CERT-1'],
	])('refuses a certificate URL with %s, without fetching it', async (_case, certUrl) => {
		const context = tools();
		const result = await verifyPayPalWebhook(vectorBody, { ...headers, 'paypal-cert-url': certUrl }, secrets, context);
		expect(result).toEqual({ ok: false, reason: expect.stringContaining('PayPal-Cert-Url') });
		expect(context.fetched).toEqual([]);
	});

	it.each([
		['https://paypal-proxy.example.com', 'https://paypal-proxy.example.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77'],
		['https://localhost:8443/', 'https://localhost:8443/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77'],
	])("accepts a certificate served from the Base URL Override's host (%s)", async (baseUrl, certUrl) => {
		const context = tools();
		const result = await verifyPayPalWebhook(vectorBody, { ...headers, 'paypal-cert-url': certUrl }, { ...secrets, baseUrl }, context);
		expect(result).toEqual({ ok: true });
		expect(context.fetched).toEqual([certUrl]);
	});

	it('refuses an unknown PayPal-Auth-Algo', async () => {
		const result = await verifyPayPalWebhook(vectorBody, { ...headers, 'paypal-auth-algo': 'SHA1withRSA' }, secrets, tools());
		expect(result).toEqual({ ok: false, reason: 'PayPal-Auth-Algo is not SHA256withRSA' });
	});

	it('fetches each certificate once, and again after a failed download', async () => {
		const certUrl = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-cache-check';
		const moved = { ...headers, 'paypal-cert-url': certUrl };
		const failing = tools({ fetchText: async () => Promise.reject(new Error('ECONNRESET')) });
		expect(await verifyPayPalWebhook(vectorBody, moved, secrets, failing)).toEqual({ ok: false, reason: expect.stringContaining('could not be fetched') });
		const context = tools();
		expect(await verifyPayPalWebhook(vectorBody, moved, secrets, context)).toEqual({ ok: true });
		expect(await verifyPayPalWebhook(vectorBody, moved, secrets, context)).toEqual({ ok: true });
		expect(context.fetched).toEqual([certUrl]);
	});

	it('runs the whole trigger on the vector, with the clock at its transmission time', async () => {
		jest.useFakeTimers({ now: VECTOR_TIME, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
		const certUrl = 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77-harness';
		nock('https://api.sandbox.paypal.com').get(new URL(certUrl).pathname).reply(200, vector.cert_pem);
		const node = trigger({ ...credentials, webhookId: vector.webhook_id, environment: 'sandbox' });
		const result = await node.deliver({ body: vectorBody, headers: { ...vector.headers, 'PAYPAL-CERT-URL': certUrl } });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({
				id: 'paypal:WH-0G2756385H040842W-5Y612302CV158622M',
				providerEventType: 'PAYMENT.SALE.COMPLETED',
				livemode: false,
				status: 'succeeded',
				amount: { minor: 2000, value: '20.00', currency: 'USD', exponent: 2 },
			}),
		]);
	});
});

describe('PayPal Payment Trigger: REST deliveries', () => {
	it('turns a signed capture into one canonical event', async () => {
		const result = await trigger().deliver({ body: capture, headers: signed(capture) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({ provider: 'paypal', providerEventType: 'PAYMENT.CAPTURE.COMPLETED', status: 'succeeded', raw: JSON.parse(capture.toString()) }),
		]);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(sale.toString().replace('"total":"', '"total":"9')), headers: signed(sale) })],
		['a signature for another webhook', () => ({ body: sale, headers: signed(sale, { webhookId: 'OTHERWEBHOOK1' }) })],
		['a stale transmission time', () => ({ body: sale, headers: signed(sale, { time: new Date(Date.now() - 24 * 3600 * 1000 - 5000) }) })],
		['a missing signature header', () => ({ body: sale, headers: { ...signed(sale), 'paypal-transmission-sig': '' } })],
		['a certificate outside PayPal', () => ({ body: sale, headers: signed(sale, { certUrl: testCertUrl('https://certs.example.com') }) })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toMatch(/client-secret|A21AA-test-token/);
	});

	it('refuses the same signed delivery twice (replay), but not PayPal re-sending it', async () => {
		const node = trigger();
		const headers = signed(sale);
		expect((await node.deliver({ body: sale, headers })).started).toBe(true);
		expect(await node.deliver({ body: sale, headers })).toMatchObject({ status: 401, body: undefined, started: false });
		expect((await node.deliver({ body: sale, headers: signed(sale) })).started).toBe(true);
	});

	it('accepts simulator events (signed for WEBHOOK_ID) only when the switch is on', async () => {
		const simulated = () => ({ body: capture, headers: signed(capture, { webhookId: 'WEBHOOK_ID' }) });
		expect(await trigger().deliver(simulated())).toMatchObject({ status: 401, started: false });
		const on = trigger(credentials, { options: { acceptSimulatorEvents: true } });
		expect((await on.deliver(simulated())).started).toBe(true);
		expect((await on.deliver({ body: sale, headers: signed(sale) })).started).toBe(true);
	});

	it('shows the simulator switch in REST mode only', () => {
		const options = new PayPalPaymentTrigger().description.properties.find((property) => property.name === 'options')!;
		const simulator = options.options!.find((option) => 'name' in option && option.name === 'acceptSimulatorEvents');
		expect(simulator).toMatchObject({ type: 'boolean', default: false, displayOptions: { show: { '/mode': ['paypal'] } } });
	});

	it('refuses deliveries while no webhook ID is known, and says registration fills it in', async () => {
		const node = trigger({ clientId: 'client-id', clientSecret: 'client-secret', accessToken: 'A21AA-test-token' });
		expect(await node.deliver({ body: sale, headers: signed(sale) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook ID');
		expect(node.warnings[0]).toContain('registers its webhook on publishing');
	});
});

describe('PayPal Payment Trigger: webhook registration', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const list = fixtureJson('paypal/webhooks-list.json');
	const created = fixtureJson('paypal/webhooks-create.json');
	const noId = { clientId: 'client-id', clientSecret: 'client-secret', accessToken: 'A21AA-test-token' };

	it('creates the webhook on publish with the event types PayPal publishes, and verifies for its ID', async () => {
		const node = trigger(noId, { providerEvents: ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED'] });
		const api = nock(LIVE, { reqheaders: { authorization: 'Bearer A21AA-test-token' } })
			.get('/v1/notifications/webhooks')
			.reply(200, list)
			.post('/v1/notifications/webhooks', {
				url,
				event_types: [{ name: 'PAYMENT.CAPTURE.COMPLETED' }, { name: 'PAYMENT.CAPTURE.REFUNDED' }],
			})
			.reply(201, created);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: '0EH40505U7160970P', secret: '0EH40505U7160970P' });
		expect((await node.deliver({ body: capture, headers: signed(capture, { webhookId: '0EH40505U7160970P' }) })).started).toBe(true);
		expect((await node.deliver({ body: sale, headers: signed(sale) })).started).toBe(false);
	});

	it('subscribes to every payment event it knows when none is selected', async () => {
		const node = trigger(noId);
		let names: string[] = [];
		nock(LIVE)
			.get('/v1/notifications/webhooks')
			.reply(200, list)
			.post('/v1/notifications/webhooks', (body: { event_types: { name: string }[] }) => {
				names = body.event_types.map((type) => type.name);
				return true;
			})
			.reply(201, created);
		await node.publish();
		expect(names).toEqual([
			'PAYMENT.CAPTURE.COMPLETED',
			'PAYMENT.CAPTURE.PENDING',
			'PAYMENT.CAPTURE.DENIED',
			'PAYMENT.CAPTURE.DECLINED',
			'PAYMENT.CAPTURE.REFUNDED',
			'PAYMENT.SALE.COMPLETED',
			'PAYMENT.SALE.PENDING',
			'PAYMENT.SALE.DENIED',
		]);
	});

	it('finds the webhook registered for its URL instead of creating another', async () => {
		const node = trigger(noId, {}, 'https://example.com/example_webhook');
		const api = nock(LIVE).get('/v1/notifications/webhooks').reply(200, list);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: '40Y916089Y8324740', secret: '40Y916089Y8324740' });
	});

	it('deletes the webhook on unpublish, also when it was already removed by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: '0EH40505U7160970P', secret: '0EH40505U7160970P' });
		nock(LIVE).delete('/v1/notifications/webhooks/0EH40505U7160970P').reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: '5GP028458E2496506' });
		nock(LIVE).delete('/v1/notifications/webhooks/5GP028458E2496506').reply(404);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('uses the sandbox API when the credential says so', async () => {
		const node = trigger({ ...noId, environment: 'sandbox' }, {}, 'https://example.com/example_webhook');
		const api = nock('https://api-m.sandbox.paypal.com').get('/v1/notifications/webhooks').reply(200, list);
		await node.publish();
		expect(api.isDone()).toBe(true);
	});
});

describe('PayPal credential: access token', () => {
	const token = fixtureJson<{ access_token: string }>('paypal/oauth2-token.json');

	async function preAuthenticate(fields: Record<string, string>) {
		const requests: IHttpRequestOptions[] = [];
		const helper = { helpers: { httpRequest: async (options: IHttpRequestOptions) => (requests.push(options), token) } } as unknown as IHttpRequestHelper;
		const result = await new PaymentEventsPayPalApi().preAuthentication.call(helper, fields);
		return { result, requests };
	}

	it('exchanges the client ID and secret for a bearer token (client credentials)', async () => {
		const { result, requests } = await preAuthenticate({ clientId: 'client-id', clientSecret: 'client-secret', environment: 'sandbox' });
		expect(result).toEqual({ accessToken: token.access_token });
		expect(requests).toEqual([
			expect.objectContaining({
				method: 'POST',
				url: 'https://api-m.sandbox.paypal.com/v1/oauth2/token',
				auth: { username: 'client-id', password: 'client-secret' },
				body: 'grant_type=client_credentials',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			}),
		]);
	});

	it('asks the live API by default, or the Base URL Override', async () => {
		expect((await preAuthenticate({ clientId: 'a', clientSecret: 'b' })).requests[0].url).toBe('https://api-m.paypal.com/v1/oauth2/token');
		expect((await preAuthenticate({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://localhost:8099/' })).requests[0].url).toBe(
			'http://localhost:8099/v1/oauth2/token',
		);
	});

	it('keeps the token in a hidden field n8n renews when it expires', () => {
		const field = new PaymentEventsPayPalApi().properties.find((property) => property.name === 'accessToken');
		expect(field).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	});
});

describe('PayPal Payment Trigger: IPN mode', () => {
	const ipnMode = { mode: 'paypal_ipn' };
	const postback = `cmd=_notify-validate&${ipn.toString('latin1')}`;

	it('posts the message back unaltered and starts the workflow on VERIFIED', async () => {
		const paypalIpn = nock('https://ipnpb.paypal.com', { reqheaders: { 'content-type': 'application/x-www-form-urlencoded' }, badheaders: ['authorization'] })
			.post('/cgi-bin/webscr', postback)
			.reply(200, 'VERIFIED');
		const result = await trigger({}, ipnMode).deliver({ body: ipn, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
		expect(paypalIpn.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toEqual([
			expect.objectContaining({ id: 'paypal_ipn:61E67681CH3238416:Completed', status: 'succeeded', amount: expect.objectContaining({ value: '19.95' }) }),
		]);
	});

	it('posts back to the sandbox, or to the Base URL Override, as the credential says', async () => {
		const sandbox = nock('https://ipnpb.sandbox.paypal.com').post('/cgi-bin/webscr', postback).reply(200, 'VERIFIED');
		expect((await trigger({ environment: 'sandbox' }, ipnMode).deliver({ body: ipn })).started).toBe(true);
		expect(sandbox.isDone()).toBe(true);
		const proxy = nock('https://paypal-proxy.example.com').post('/cgi-bin/webscr', postback).reply(200, 'VERIFIED');
		expect((await trigger({ baseUrl: 'https://paypal-proxy.example.com/' }, ipnMode).deliver({ body: ipn })).started).toBe(true);
		expect(proxy.isDone()).toBe(true);
	});

	it.each([
		['INVALID', 200, 'INVALID'],
		['anything but exactly VERIFIED', 200, 'VERIFIED\n<html>'],
		['a failed post-back', 503, 'Service Unavailable'],
	])('answers %s with 401 and starts nothing', async (_case, status, answer) => {
		nock('https://ipnpb.paypal.com').post('/cgi-bin/webscr').reply(status, answer);
		expect(await trigger({}, ipnMode).deliver({ body: ipn })).toMatchObject({ status: 401, started: false });
	});

	it('acknowledges a repeat of the same message (PayPal retrying) without running again', async () => {
		nock('https://ipnpb.paypal.com').post('/cgi-bin/webscr', postback).times(2).reply(200, 'VERIFIED');
		const node = trigger({}, ipnMode);
		expect((await node.deliver({ body: ipn })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: ipn })).toMatchObject({ status: 200, started: false, body: '' });
		// Only the post-back that verifies the repeat.
		expect(node.requests.slice(fetched).map((request) => request.url)).toEqual(['https://ipnpb.paypal.com/cgi-bin/webscr']);
	});

	it('says in the node that IPN has no signature and where to register the URL, and registers nothing', async () => {
		const notice = new PayPalPaymentTrigger().description.properties.find((property) => property.name === 'notice_paypal_ipn')!;
		expect(notice.displayName).toContain('no signature');
		expect(notice.displayName).toContain('VERIFIED');
		expect(notice.displayName).toContain('Instant payment notifications');
		const node = trigger({}, ipnMode);
		await node.publish();
		expect(node.requests).toEqual([]);
	});
});
