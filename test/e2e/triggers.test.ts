/**
 * Payment triggers inside a real n8n: publishing a workflow registers the webhook at a local stand-in for
 * the provider's API, signed deliveries to the production URL start executions, forged ones start none,
 * and unpublishing removes the registration. E2E_N8N_LINES=2 limits the run to one line.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import Stripe from 'stripe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

const SHARED_FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');
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

/** Local stand-ins for the providers' APIs, one path prefix each (the credential's Base URL Override points there). */
function providerApis() {
	const requests: Recorded[] = [];
	const stripeEndpoints = new Map<string, { id: string; url: string; secret: string; enabled_events: string[] }>();
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const url = request.url ?? '';
			requests.push({ method: request.method ?? '', url, body, headers: request.headers });
			const reply = (status: number, json: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(json));
			};
			// Stripe's webhook endpoints API (https://docs.stripe.com/api/webhook_endpoints): list, create, delete.
			if (url.startsWith('/stripe/v1/webhook_endpoints')) {
				const id = url.split('?')[0].split('/')[4];
				if (request.method === 'GET') {
					const data = [...stripeEndpoints.values()].map(({ secret: _secret, ...endpoint }) => ({ object: 'webhook_endpoint', ...endpoint }));
					return reply(200, { object: 'list', url: '/v1/webhook_endpoints', has_more: false, data });
				}
				if (request.method === 'POST') {
					const form = new URLSearchParams(body);
					const endpoint = {
						id: `we_${randomBytes(8).toString('hex')}`,
						url: form.get('url') ?? '',
						enabled_events: form.getAll('enabled_events[]'),
						secret: `whsec_${randomBytes(16).toString('hex')}`,
					};
					stripeEndpoints.set(endpoint.id, endpoint);
					return reply(200, { object: 'webhook_endpoint', status: 'enabled', ...endpoint });
				}
				if (request.method === 'DELETE' && id && stripeEndpoints.delete(id)) return reply(200, { id, object: 'webhook_endpoint', deleted: true });
			}
			return reply(404, { error: { message: `no stand-in for ${request.method} ${url}` } });
		});
	});
	return { server, requests, stripeEndpoints };
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
		const [endpoint] = apis.stripeEndpoints.values();
		expect(endpoint.url).toMatch(/\/webhook\/5b0e2a9c-.*\/webhook$/);
		expect(new URL(endpoint.url).pathname).toBe(new URL(productionUrl).pathname);
		expect(endpoint.enabled_events).toContain('payment_intent.succeeded');
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
		await eventually(() => expect(apis.stripeEndpoints.size).toBe(0));
		expect((await fetch(productionUrl, { method: 'POST', body: payload })).status).toBe(404);
	});
});
