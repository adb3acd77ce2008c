/**
 * Boots a real n8n (2.x on Node 24 and 1.x on Node 20, SQLite) with the freshly packed package in
 * its nodes folder and proves that n8n lists this package's nodes and executes one inside a
 * published workflow. E2E_N8N_LINES=2 limits the run to one line.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Plain JS shared with `npm start`, so it runs on the machine's Node without a build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

const PACKAGE = 'n8n-nodes-payment-events';
const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));

interface NodeType {
	name: string;
	displayName: string;
	iconUrl?: { light: string; dark: string };
	codex?: { categories?: string[] };
}

interface Instance {
	baseUrl: string;
	request: (method: string, urlPath: string, body?: unknown) => Promise<unknown>;
	stop: () => Promise<void>;
	logs: string[];
}

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);

describe.each(lines)('a real n8n %i.x with this package installed', (line) => {
	let instance: Instance;
	let userFolder: string;
	let workflowId: string;
	let providerWorkflowId: string;

	beforeAll(async () => {
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-e2e-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5690 + 2 * line, quiet: true });
	});

	afterAll(async () => {
		await instance?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('lists every node of the package in the editor', async () => {
		const types = (await instance.request('GET', '/types/nodes.json')) as NodeType[];
		const ours = types.filter((type) => type.name.startsWith(`${PACKAGE}.`));
		const expected = packageJson.n8n.nodes.map(
			(file: string) => `${PACKAGE}.${path.basename(file, '.node.js').replace(/^./, (c) => c.toLowerCase())}`,
		);
		// usableAsTool nodes (all but the triggers) also appear as an AI-agent tool variant.
		const withTools = expected.flatMap((name: string) => (name.endsWith('Trigger') ? [name] : [name, `${name}Tool`]));
		expect(ours.map((type) => type.name).sort()).toEqual(withTools.sort());
		const normalize = ours.find((type) => type.name === `${PACKAGE}.paymentNormalize`);
		expect(normalize?.displayName).toBe('Payment Normalize');
		expect(normalize?.codex?.categories).toEqual(['Finance & Accounting']);
	});

	it('serves each node icon, light and dark, from the built package', async () => {
		const types = (await instance.request('GET', '/types/nodes.json')) as NodeType[];
		const ours = types.filter((type) => type.name.startsWith(`${PACKAGE}.`) && !type.name.endsWith('Tool'));
		for (const type of ours) {
			expect(type.iconUrl).toBeDefined();
			for (const url of [type.iconUrl!.light, type.iconUrl!.dark]) {
				const response = await fetch(`${instance.baseUrl}/${url}`);
				expect(response.status).toBe(200);
				expect(await response.text()).toContain('<svg');
			}
		}
	});

	it('imports workflow files once, however often it is asked', async () => {
		const dir = path.join(__dirname, 'workflows');
		const first = await localN8n.importWorkflows(instance, dir);
		const second = await localN8n.importWorkflows(instance, dir);
		expect(first).toHaveLength(fs.readdirSync(dir).filter((file) => file.endsWith('.json')).length);
		expect(second.map((w: { id: string }) => w.id)).toEqual(first.map((w: { id: string }) => w.id));
		workflowId = first.find((w: { file: string }) => w.file === 'manual-payment-entry.json').id;
		providerWorkflowId = first.find((w: { file: string }) => w.file === 'provider-webhook.json').id;
		await localN8n.publishWorkflow(instance, workflowId);
		await localN8n.publishWorkflow(instance, providerWorkflowId);
	});

	it('executes Payment Normalize in a published workflow and returns the canonical event', async () => {
		const response = await fetch(`${instance.baseUrl}/webhook/payment-events-smoke`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				amount: '1234.5',
				currency: 'kwd',
				reference: 'INV-2041',
				paidAt: '2026-11-20T09:30:00+03:00',
				email: 'owner@welding-shop.example',
				phone: '+965 2222 3333',
				card: '4242424242424242',
			}),
		});
		expect(response.status).toBe(200);
		const event = await response.json();
		expect(event).toMatchObject({
			schemaVersion: 1,
			id: 'manual:INV-2041:succeeded:1234500',
			provider: 'manual',
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 1234500, value: '1234.500', currency: 'KWD', exponent: 3 },
			occurredAt: '2026-11-20T06:30:00.000Z',
			customer: { email: 'owner@welding-shop.example', phone: '+96522223333' },
			payment: { method: 'card', last4: '4242' },
			reference: 'INV-2041',
		});
		expect(JSON.stringify(event)).not.toContain('4242424242424242');
	});

	it('fails the execution with a named error for an unknown currency, without crashing n8n', async () => {
		const response = await fetch(`${instance.baseUrl}/webhook/payment-events-smoke`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ amount: '10', currency: 'ABC', reference: 'INV-2042' }),
		});
		expect(response.status).toBe(500);
		const failed = await localN8n.lastExecution(instance, workflowId, 'error');
		expect(JSON.stringify(failed.data.resultData.error)).toContain('Unknown currency');
		expect(failed.data.resultData.lastNodeExecuted).toBe('Payment Normalize');
		const ready = await fetch(`${instance.baseUrl}/healthz/readiness`);
		expect(ready.ok).toBe(true);
	});

	it('recognises a Stripe event posted to a Webhook node and outputs it once, however often it is delivered', async () => {
		// ../shared/fixtures/stripe/invoice.payment_succeeded.json (stripe-ruby-mock webhook fixture).
		const body = fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures/stripe/invoice.payment_succeeded.json'));
		const deliver = () =>
			fetch(`${instance.baseUrl}/webhook/payment-events-provider`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body,
			});
		const first = await deliver();
		expect(first.status).toBe(200);
		const events = (await first.json()) as Array<{ id: string }>;
		expect(events).toEqual([
			expect.objectContaining({
				id: 'stripe:evt_000000000000000000000000',
				kind: 'invoice',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: { minor: 2000, value: '20.00', currency: 'USD', exponent: 2 },
				amountDue: { minor: 0, value: '0.00', currency: 'USD', exponent: 2 },
				invoice: expect.objectContaining({ number: 'EE1DF78D-0001' }),
			}),
		]);
		const again = await deliver();
		expect(again.status).toBe(200);
		const repeated = await again.text();
		expect(repeated === '' ? [] : JSON.parse(repeated)).not.toContainEqual(expect.objectContaining({ id: events[0].id }));
	});

	it('normalises real samples of several providers in a manually run workflow', async () => {
		// Provider samples from ../shared/fixtures (sources in its PROVENANCE.md).
		const samples = [
			'stripe/payment_intent.succeeded.json',
			'square/payment.updated.json',
			'paypal/PAYMENT.SALE.COMPLETED.json',
			'paddle/transaction.completed.json',
			'chargebee/payment_refunded.json',
		].map((file) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures', file), 'utf8')));
		const api = localN8n.publicApi(instance);
		const workflow = await api('POST', '/workflows', {
			name: 'Smoke: manual run with provider payloads',
			nodes: [
				{ parameters: {}, name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
				{
					parameters: { jsCode: `return ${JSON.stringify(samples.map((json) => ({ json })))};` },
					name: 'Payloads',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [220, 0],
				},
				{
					parameters: { source: 'auto', options: {} },
					name: 'Payment Normalize',
					type: 'n8n-nodes-payment-events.paymentNormalize',
					typeVersion: 1,
					position: [440, 0],
				},
			],
			connections: {
				Run: { main: [[{ node: 'Payloads', type: 'main', index: 0 }]] },
				Payloads: { main: [[{ node: 'Payment Normalize', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const execution = await localN8n.runManually(instance, workflow.id, 'Run');
		expect(execution.data.resultData.error).toBeUndefined();
		const output = execution.data.resultData.runData['Payment Normalize'][0].data.main[0];
		expect(output.map((item: { json: { provider: string; crmStatus: string } }) => [item.json.provider, item.json.crmStatus])).toEqual([
			['stripe', 'Paid'],
			['square', 'Paid'],
			['paypal', 'Paid'],
			['paddle', 'Paid'],
			['chargebee', 'Refunded'],
		]);
		expect(output.map((item: { pairedItem: unknown }) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	it('completes a thin Mollie webhook by fetching the payment with the Mollie credential', async () => {
		// A local stand-in for Mollie's API, answering with the payment from mollie-api-php's tests
		// (test/fixtures/mollie/payment_paid.get.json).
		const payment = fs.readFileSync(path.resolve(__dirname, '../fixtures/mollie/payment_paid.get.json'));
		const requests: Array<{ url?: string; authorization?: string }> = [];
		const standIn = http.createServer((request, response) => {
			requests.push({ url: request.url, authorization: request.headers.authorization });
			response.writeHead(request.url?.startsWith('/v2/payments/tr_44aKxzEbr8') ? 200 : 404, { 'content-type': 'application/json' });
			response.end(payment);
		});
		await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
		try {
			const api = localN8n.publicApi(instance);
			const apiKey = 'test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM';
			const credential = await api('POST', '/credentials', {
				name: 'Mollie (stand-in)',
				type: 'paymentEventsMollieApi',
				data: {
					apiKey,
					baseUrl: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`,
					// n8n's default, stated: 1.x's public API rejects a credential without it.
					allowedHttpRequestDomains: 'all',
				},
			});
			const workflow = await api('POST', '/workflows', {
				name: 'Smoke: thin Mollie webhook',
				nodes: [
					{
						parameters: { httpMethod: 'POST', path: `mollie-thin-${line}`, responseMode: 'lastNode', options: {} },
						name: 'Mollie Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: `0c9a4a4e-1b7d-4f55-9a36-6f0d2b1c4e0${line}`,
					},
					{
						parameters: { source: 'mollie', options: {} },
						name: 'Payment Normalize',
						type: 'n8n-nodes-payment-events.paymentNormalize',
						typeVersion: 1,
						position: [240, 0],
						credentials: { paymentEventsMollieApi: { id: credential.id, name: credential.name } },
					},
				],
				connections: { 'Mollie Webhook': { main: [[{ node: 'Payment Normalize', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});
			await localN8n.publishWorkflow(instance, workflow.id);
			// Mollie posts the payment id form-encoded (../shared/fixtures/mollie/legacy_payment_webhook.form.txt shows the shape).
			const response = await fetch(`${instance.baseUrl}/webhook/mollie-thin-${line}`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'id=tr_44aKxzEbr8',
			});
			expect(response.status).toBe(200);
			expect(await response.json()).toMatchObject({
				provider: 'mollie',
				crmStatus: 'Paid',
				amount: { minor: 2000, value: '20.00', currency: 'EUR', exponent: 2 },
			});
			expect(requests).toEqual([
				{ url: '/v2/payments/tr_44aKxzEbr8?embed=refunds%2Cchargebacks', authorization: `Bearer ${apiKey}` },
			]);
		} finally {
			standIn.close();
		}
	});
});
