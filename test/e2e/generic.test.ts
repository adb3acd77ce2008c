/**
 * The Payment Webhook Trigger inside a real n8n: a published workflow receives a Zapier-style post carrying the
 * header token and runs once; a forged token gets 401 and runs nothing; a repeat of the same event ID and a malformed
 * post run nothing either. E2E_N8N_LINES=2 limits the run to one line.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

// test/fixtures/webhook/zapier-payment.json: the Zapier preset's keys in the JSON shape Zapier documents (see SOURCES.md there).
const ZAPIER_POST = fs.readFileSync(path.resolve(__dirname, '../fixtures/webhook/zapier-payment.json'), 'utf8');
const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);

interface Instance {
	baseUrl: string;
	line: number;
	stop: () => Promise<void>;
}

describe.each(lines)('Payment Webhook Trigger in a real n8n %i.x', (line) => {
	let instance: Instance;
	let userFolder: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- n8n's public API answers untyped JSON
	let api: (method: string, urlPath: string, body?: unknown) => Promise<any>;
	const token = `tok_${randomBytes(16).toString('hex')}`;

	beforeAll(async () => {
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-generic-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5740 + 2 * line, quiet: true });
		api = localN8n.publicApi(instance);
	});

	afterAll(async () => {
		await instance?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('runs a Zapier-style post with the header token once, and refuses a forged one with 401', async () => {
		const credential = await localN8n.createCredential(instance, 'paymentEventsWebhookTokenApi', 'Zapier forward token', { headerName: 'Authorization', token });
		const webhookId = `7d3f1c52-0a4e-4b8b-9c61-${line}${randomBytes(5).toString('hex').slice(0, 11)}`;
		const workflow = await api('POST', '/workflows', {
			name: 'Generic: Zapier payment forward',
			nodes: [
				{
					parameters: { preset: 'zapier', authentication: 'headerToken' },
					name: 'Payment Webhook Trigger',
					type: 'n8n-nodes-payment-events.paymentWebhookTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					credentials: { paymentEventsWebhookTokenApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		await localN8n.publishWorkflow(instance, workflow.id);
		const productionUrl = `${instance.baseUrl}/webhook/${webhookId}/webhook`;
		const post = (authorization: string | undefined, body = ZAPIER_POST) =>
			fetch(productionUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
				body,
			});

		const forged = await post('Bearer tok_forged');
		expect(forged.status).toBe(401);
		expect(await forged.text()).toBe('');
		expect((await post(undefined)).status).toBe(401);

		const good = await post(`Bearer ${token}`);
		expect(good.status).toBe(200);
		expect(await good.json()).toEqual({ received: true });
		const execution = await localN8n.lastExecution(instance, workflow.id, 'success');
		const [item] = execution.data.resultData.runData['Payment Webhook Trigger'][0].data.main[0];
		expect(item.json).toMatchObject({
			id: 'zapier:zap-run-4822',
			provider: 'zapier',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 4990, value: '49.90', currency: 'USD', exponent: 2 },
			customer: { email: 'jane.doe@example.com' },
		});
		expect(JSON.stringify(execution.data)).not.toContain(token);

		// Zapier replaying the step: acknowledged, not run again.
		expect((await post(`Bearer ${token}`)).status).toBe(200);
		// A malformed post: 400 naming the key.
		const malformed = await post(`Bearer ${token}`, JSON.stringify({ ...JSON.parse(ZAPIER_POST), event_id: 'zap-run-9', amount: '49.999' }));
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toMatchObject({ field: 'amount' });

		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect((await localN8n.executions(instance, workflow.id)).length).toBe(1);
		await localN8n.unpublishWorkflow(instance, workflow.id);
	});
});
