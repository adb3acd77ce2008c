/**
 * CRM Payment Sync inside a real n8n: Stripe's paid event, then a failed event that happened earlier but arrives
 * later, synced to a local stand-in for HubSpot's CRM API (standins.js), leave the deal Paid. E2E_N8N_LINES=2 limits the run to
 * one line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { standIns } = require('./standins.js');

jest.setTimeout(600_000);

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const SHARED_FIXTURES = path.resolve(__dirname, '../../../shared/fixtures');

describe.each(lines)('CRM Payment Sync in a real n8n %i.x', (line) => {
	const deal = { id: '18446744', properties: { stripe_payment_intent: 'pi_000000000000000000000000', dealstage: 'contractsent' } as Record<string, string> };
	const hubspot = standIns({ crmRecords: { deals: [deal] } });
	let userFolder: string;
	let instance: { baseUrl: string; stop: () => Promise<void> };
	let url: string;

	beforeAll(async () => {
		const base = await hubspot.listen();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-crm-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5730 + 2 * line, quiet: true });
		const api = localN8n.publicApi(instance);
		const credential = await api('POST', '/credentials', {
			name: 'HubSpot (stand-in)',
			type: 'paymentEventsHubSpotApi',
			data: {
				accessToken: 'pat-e2e',
				baseUrl: `${base}/hubspot`,
				allowedHttpRequestDomains: 'all',
			},
		});
		const webhookPath = `crm-${line}`;
		const workflow = await api('POST', '/workflows', {
			name: `CRM sync e2e ${line}`,
			nodes: [
				{
					parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
					name: 'Stripe Events',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: `9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c${line}d`,
				},
				{ parameters: { source: 'stripe', options: {} }, name: 'Payment Normalize', type: 'n8n-nodes-payment-events.paymentNormalize', typeVersion: 1, position: [240, 0] },
				{
					parameters: {
						crm: 'hubspot',
						hubspot_object: 'deals',
						hubspot_matchField: 'stripe_payment_intent',
						matchValue: '={{ $json.payment.id }}',
						statusValues: { mapping: [{ status: 'Paid', value: 'closedwon' }, { status: 'Failed', value: 'payment_failed' }] },
						hubspot_statusProperty: 'dealstage',
					},
					name: 'CRM Payment Sync',
					type: 'n8n-nodes-payment-events.crmPaymentSync',
					typeVersion: 1,
					position: [480, 0],
					credentials: { paymentEventsHubSpotApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {
				'Stripe Events': { main: [[{ node: 'Payment Normalize', type: 'main', index: 0 }]] },
				'Payment Normalize': { main: [[{ node: 'CRM Payment Sync', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		await localN8n.publishWorkflow(instance, workflow.id);
		url = `${instance.baseUrl}/webhook/${webhookPath}`;
	});

	afterAll(async () => {
		await instance?.stop();
		await hubspot.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('leaves the deal Paid when an earlier failure arrives after the payment', async () => {
		// ../shared/fixtures/stripe: the PaymentIntent succeeded at 1648320033; its failed attempt was at 1648320029.
		const deliver = async (file: string) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: fs.readFileSync(path.join(SHARED_FIXTURES, 'stripe', file)),
			});
			expect(response.status).toBe(200);
			return (await response.json()) as Record<string, unknown>;
		};
		const paid = await deliver('payment_intent.succeeded.json');
		expect(paid).toMatchObject({ recordId: deal.id, decision: 'applied', statusBefore: 'contractsent', statusAfter: 'closedwon' });
		const late = await deliver('payment_intent.payment_failed.json');
		expect(late).toMatchObject({ recordId: deal.id, decision: 'stale-skipped', statusBefore: 'closedwon', statusAfter: 'closedwon' });
		expect(deal.properties.dealstage).toBe('closedwon');
		expect(deal.properties.payment_status_updated_at).toBe(new Date(1648320033 * 1000).toISOString());
		expect(hubspot.outbox.filter((entry: { service: string }) => entry.service === 'hubspot')).toHaveLength(1);
	});
});
