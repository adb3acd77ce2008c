/**
 * Payment triggers inside a real n8n: publishing a workflow registers the webhook at a local stand-in for
 * the provider's API, signed deliveries to the production URL start executions, forged ones start none,
 * and unpublishing removes the registration. E2E_N8N_LINES=2 limits the run to one line.
 */
import { createHmac, randomBytes, sign as rsaSign } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

import { WebhooksHelper } from 'square';
import Stripe from 'stripe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

const SHARED_FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const PROJECT_FIXTURES = path.resolve(__dirname, '../fixtures');
const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);

interface Instance {
	baseUrl: string;
	line: number;
	stop: () => Promise<void>;
}

interface Recorded {
	method: string;
	url: string;
	body: string;
	headers: http.IncomingHttpHeaders;
}

interface Registered {
	id: string;
	url: string;
	events: string[];
	secret: string;
}

/**
 * Local stand-ins for the providers' webhook-registration APIs, one path prefix each (the credential's Base URL
 * Override points there). Response shapes follow each API's reference; only the fields the nodes read are kept.
 */
function providerApis() {
	const requests: Recorded[] = [];
	const stripe = new Map<string, Registered>();
	const square = new Map<string, Registered>();
	const paypal = new Map<string, Registered>();
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '', 'http://stand-in');
			const route = `${request.method} ${url.pathname}`;
			requests.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers });
			const reply = (status: number, json: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(json));
			};
			const id = url.pathname.split('/').pop() ?? '';
			const token = () => randomBytes(12).toString('hex');

			// https://docs.stripe.com/api/webhook_endpoints: list, create (form-encoded; the secret only here), delete.
			if (route === 'GET /stripe/v1/webhook_endpoints') {
				const data = [...stripe.values()].map((e) => ({ id: e.id, object: 'webhook_endpoint', url: e.url, enabled_events: e.events }));
				return reply(200, { object: 'list', url: '/v1/webhook_endpoints', has_more: false, data });
			}
			if (route === 'POST /stripe/v1/webhook_endpoints') {
				const form = new URLSearchParams(body);
				const endpoint = { id: `we_${token()}`, url: form.get('url') ?? '', events: form.getAll('enabled_events[]'), secret: `whsec_${token()}` };
				stripe.set(endpoint.id, endpoint);
				return reply(200, { id: endpoint.id, object: 'webhook_endpoint', url: endpoint.url, enabled_events: endpoint.events, secret: endpoint.secret, status: 'enabled' });
			}
			if (route.startsWith('DELETE /stripe/v1/webhook_endpoints/') && stripe.delete(id)) return reply(200, { id, object: 'webhook_endpoint', deleted: true });

			// https://developer.squareup.com/reference/square/webhook-subscriptions-api: the signature key only on create.
			if (route === 'GET /square/v2/webhooks/subscriptions') {
				return reply(200, { subscriptions: [...square.values()].map((s) => ({ id: s.id, notification_url: s.url, event_types: s.events, enabled: true })) });
			}
			if (route === 'POST /square/v2/webhooks/subscriptions') {
				const { subscription } = JSON.parse(body);
				const created = { id: `wbhk_${token()}`, url: subscription.notification_url, events: subscription.event_types, secret: token() };
				square.set(created.id, created);
				return reply(200, { subscription: { id: created.id, name: subscription.name, enabled: true, event_types: created.events, notification_url: created.url, signature_key: created.secret } });
			}
			if (route.startsWith('DELETE /square/v2/webhooks/subscriptions/') && square.delete(id)) return reply(200, {});

			// https://developer.paypal.com/api/rest/authentication/ and https://developer.paypal.com/docs/api/webhooks/v1/.
			if (route === 'POST /paypal/v1/oauth2/token') {
				return reply(200, { scope: 'https://uri.paypal.com/services/applications/webhooks', access_token: `A21AA${token()}`, token_type: 'Bearer', app_id: 'APP-80W284485P519543T', expires_in: 31668, nonce: token() });
			}
			if (route === 'GET /paypal/v1/notifications/webhooks') {
				return reply(200, { webhooks: [...paypal.values()].map((w) => ({ id: w.id, url: w.url, event_types: w.events.map((name) => ({ name })) })) });
			}
			if (route === 'POST /paypal/v1/notifications/webhooks') {
				const created = JSON.parse(body);
				const hook = { id: token().toUpperCase().slice(0, 17), url: created.url, events: created.event_types.map((e: { name: string }) => e.name), secret: '' };
				paypal.set(hook.id, hook);
				return reply(201, { id: hook.id, url: hook.url, event_types: created.event_types });
			}
			if (route.startsWith('DELETE /paypal/v1/notifications/webhooks/') && paypal.delete(id)) {
				response.writeHead(204);
				return response.end();
			}
			// The signing certificate PayPal-Cert-Url names (a throw-away one: test/fixtures/paypal/SOURCES.md).
			if (route.startsWith('GET /paypal/v1/notifications/certs/')) {
				response.writeHead(200, { 'content-type': 'text/plain' });
				return response.end(fs.readFileSync(path.join(PROJECT_FIXTURES, 'paypal/test-signing-cert.pem')));
			}
			return reply(404, { error: { message: `no stand-in for ${route}` } });
		});
	});
	return { server, requests, stripe, square, paypal };
}

/** Retries an assertion for up to 10 s: n8n applies publishing and unpublishing in the background. */
async function eventually(assertion: () => void): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		try {
			return assertion();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

describe.each(lines)('payment triggers in a real n8n %i.x', (line) => {
	let instance: Instance;
	let userFolder: string;
	const apis = providerApis();
	let apiBase: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- n8n's public API answers untyped JSON
	let api: (method: string, urlPath: string, body?: unknown) => Promise<any>;

	beforeAll(async () => {
		await new Promise<void>((resolve) => apis.server.listen(0, '127.0.0.1', resolve));
		apiBase = `http://127.0.0.1:${(apis.server.address() as AddressInfo).port}`;
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-triggers-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5700 + 2 * line, quiet: true });
		api = localN8n.publicApi(instance);
	});

	afterAll(async () => {
		await instance?.stop();
		apis.server.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	async function executionCount(workflowId: string): Promise<number> {
		const page = await api('GET', `/executions?workflowId=${workflowId}&limit=250`);
		return page.data.length;
	}

	/** A published workflow of one trigger node, with a credential pointing at the stand-in. */
	async function publishTrigger(type: string, credentialType: string, data: Record<string, string>) {
		const credential = await api('POST', '/credentials', {
			name: `${type} (stand-in)`,
			type: credentialType,
			// allowedHttpRequestDomains: n8n's default, stated, since 1.x's public API rejects a credential without it.
			data: { ...data, allowedHttpRequestDomains: 'all' },
		});
		const webhookId = `5b0e2a9c-7f1d-4c3e-9a51-${line}${randomBytes(5).toString('hex').slice(0, 11)}`;
		const workflow = await api('POST', '/workflows', {
			name: `Triggers: ${type}`,
			nodes: [
				{
					parameters: {},
					name: 'Payment Trigger',
					type: `n8n-nodes-payment-events.${type}`,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					credentials: { [credentialType]: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		await localN8n.publishWorkflow(instance, workflow.id);
		return { workflowId: workflow.id as string, productionUrl: `${instance.baseUrl}/webhook/${webhookId}/webhook` };
	}

	it('Stripe: registers its endpoint on publish, runs signed deliveries, refuses forged ones, and removes the endpoint on unpublish', async () => {
		const { workflowId, productionUrl } = await publishTrigger('stripePaymentTrigger', 'paymentEventsStripeApi', {
			secretKey: 'sk_test_e2e',
			baseUrl: `${apiBase}/stripe`,
		});
		const [endpoint] = apis.stripe.values();
		expect(new URL(endpoint.url).pathname).toBe(new URL(productionUrl).pathname);
		expect(endpoint.events).toContain('payment_intent.succeeded');
		expect(apis.requests.find((r) => r.method === 'POST')?.headers.authorization).toBe('Bearer sk_test_e2e');

		// ../shared/fixtures/stripe/payment_intent.succeeded.json, signed by the stripe SDK's test helper with the issued secret.
		const payload = fs.readFileSync(path.join(SHARED_FIXTURES, 'stripe/payment_intent.succeeded.json'), 'utf8');
		const stripe = new Stripe('sk_test_e2e');
		const post = (signature: string, body = payload) =>
			fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });

		const forged = await post(stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_forged' }));
		expect(forged.status).toBe(401);
		const unsigned = await post('');
		expect(unsigned.status).toBe(401);
		const good = await post(stripe.webhooks.generateTestHeaderString({ payload, secret: endpoint.secret }));
		expect(good.status).toBe(200);
		const execution = await localN8n.lastExecution(instance, workflowId, 'success');
		const [item] = execution.data.resultData.runData['Payment Trigger'][0].data.main[0];
		expect(item.json).toMatchObject({ id: 'stripe:evt_000000000000000000000000', status: 'succeeded', crmStatus: 'Paid', provider: 'stripe' });
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executionCount(workflowId)).toBe(1);

		await localN8n.unpublishWorkflow(instance, workflowId);
		await eventually(() => expect(apis.stripe.size).toBe(0));
		expect((await fetch(productionUrl, { method: 'POST', body: payload })).status).toBe(404);
	});

	it('Square: registers its subscription, verifies the URL-and-body signature with the issued key, and refuses forgeries', async () => {
		const { workflowId, productionUrl } = await publishTrigger('squarePaymentTrigger', 'paymentEventsSquareApi', {
			accessToken: 'EAAAl-e2e-token',
			environment: 'sandbox',
			baseUrl: `${apiBase}/square`,
		});
		const [subscription] = apis.square.values();
		expect(new URL(subscription.url).pathname).toBe(new URL(productionUrl).pathname);
		expect(subscription.events).toContain('payment.updated');

		// ../shared/fixtures/square/payment.updated.json (Square's API spec example), signed for the registered URL.
		const payload = fs.readFileSync(path.join(SHARED_FIXTURES, 'square/payment.updated.json'), 'utf8');
		const signature = (key: string) => createHmac('sha256', key).update(subscription.url + payload).digest('base64');
		// The Square SDK's own check agrees with the test's signature (the oracle).
		expect(await WebhooksHelper.verifySignature({ requestBody: payload, signatureHeader: signature(subscription.secret), signatureKey: subscription.secret, notificationUrl: subscription.url })).toBe(true);
		const post = (value: string) =>
			fetch(productionUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': value }, body: payload });

		expect((await post(signature('not-the-issued-key'))).status).toBe(401);
		expect((await post(signature(subscription.secret))).status).toBe(200);
		const execution = await localN8n.lastExecution(instance, workflowId, 'success');
		const [item] = execution.data.resultData.runData['Payment Trigger'][0].data.main[0];
		expect(item.json).toMatchObject({ provider: 'square', providerEventType: 'payment.updated', livemode: false });
		// Square retrying the same delivery is acknowledged without a second execution.
		expect((await post(signature(subscription.secret))).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executionCount(workflowId)).toBe(1);

		await localN8n.unpublishWorkflow(instance, workflowId);
		await eventually(() => expect(apis.square.size).toBe(0));
	});

	it("PayPal: registers its webhook, verifies PayPal's RSA transmission signature with the certificate it names, and refuses forgeries", async () => {
		const { workflowId, productionUrl } = await publishTrigger('payPalPaymentTrigger', 'paymentEventsPayPalApi', {
			clientId: 'AeA1QIZXiflr1_-e2e',
			clientSecret: 'ECYYrrSHdKfk_-e2e',
			environment: 'sandbox',
			baseUrl: `${apiBase}/paypal`,
		});
		const [webhook] = apis.paypal.values();
		expect(new URL(webhook.url).pathname).toBe(new URL(productionUrl).pathname);
		const token = apis.requests.find((r) => r.url === '/paypal/v1/oauth2/token');
		expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('AeA1QIZXiflr1_-e2e:ECYYrrSHdKfk_-e2e').toString('base64')}`);

		// ../shared/fixtures/paypal/PAYMENT.SALE.COMPLETED.raw.txt (PayPal's Node SDK sample), signed the way PayPal signs,
		// with a throw-away key whose certificate the stand-in serves at the certificate URL.
		const payload = fs.readFileSync(path.join(SHARED_FIXTURES, 'paypal/PAYMENT.SALE.COMPLETED.raw.txt'));
		const key = fs.readFileSync(path.join(PROJECT_FIXTURES, 'paypal/test-signing-key.pem'));
		const headers = (webhookId: string) => {
			const id = randomBytes(8).toString('hex');
			const time = new Date().toISOString();
			const signature = rsaSign('sha256', Buffer.from(`${id}|${time}|${webhookId}|${crc32(payload)}`), key).toString('base64');
			return {
				'content-type': 'application/json',
				'paypal-auth-algo': 'SHA256withRSA',
				'paypal-cert-url': `${apiBase}/paypal/v1/notifications/certs/CERT-e2e`,
				'paypal-transmission-id': id,
				'paypal-transmission-time': time,
				'paypal-transmission-sig': signature,
			};
		};
		const post = (value: Record<string, string>) => fetch(productionUrl, { method: 'POST', headers: value, body: payload });

		expect((await post(headers('ANOTHER-WEBHOOK'))).status).toBe(401);
		expect((await post({ ...headers(webhook.id), 'paypal-cert-url': 'https://attacker.example/v1/notifications/certs/CERT' })).status).toBe(401);
		const good = headers(webhook.id);
		expect((await post(good)).status).toBe(200);
		const execution = await localN8n.lastExecution(instance, workflowId, 'success');
		const [item] = execution.data.resultData.runData['Payment Trigger'][0].data.main[0];
		expect(item.json).toMatchObject({ provider: 'paypal', providerEventType: 'PAYMENT.SALE.COMPLETED', crmStatus: 'Paid' });
		// The same transmission again is a replay.
		expect((await post(good)).status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executionCount(workflowId)).toBe(1);

		await localN8n.unpublishWorkflow(instance, workflowId);
		await eventually(() => expect(apis.paypal.size).toBe(0));
	});
});
