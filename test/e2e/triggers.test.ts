/**
 * Payment triggers inside a real n8n: publishing a workflow registers the webhook at a local stand-in for
 * the provider's API, signed deliveries to the production URL start executions, forged ones start none,
 * and unpublishing removes the registration. E2E_N8N_LINES=2 limits the run to one line.
 */
import { createHmac, randomBytes, sign as rsaSign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

import { WebhooksHelper } from 'square';
import Stripe from 'stripe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { standIns } = require('./standins.js');

jest.setTimeout(600_000);

const SHARED_FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
const PROJECT_FIXTURES = path.resolve(__dirname, '../fixtures');
const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);

interface Instance {
	baseUrl: string;
	line: number;
	stop: () => Promise<void>;
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
	const apis = standIns();
	let apiBase: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- n8n's public API answers untyped JSON
	let api: (method: string, urlPath: string, body?: unknown) => Promise<any>;

	beforeAll(async () => {
		apiBase = await apis.listen();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-triggers-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5700 + 2 * line, quiet: true });
		api = localN8n.publicApi(instance);
	});

	afterAll(async () => {
		await instance?.stop();
		await apis.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

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
		expect(apis.requests.find((r: { method: string; url: string; headers: Record<string, string> }) => r.method === 'POST')?.headers.authorization).toBe('Bearer sk_test_e2e');

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
		expect((await localN8n.executions(instance, workflowId)).length).toBe(1);

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
		expect((await localN8n.executions(instance, workflowId)).length).toBe(1);

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
		const token = apis.requests.find((r: { method: string; url: string; headers: Record<string, string> }) => r.url === '/paypal/v1/oauth2/token');
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
		expect((await localN8n.executions(instance, workflowId)).length).toBe(1);

		await localN8n.unpublishWorkflow(instance, workflowId);
		await eventually(() => expect(apis.paypal.size).toBe(0));
	});
});
