/**
 * A polling trigger inside a real n8n: the QuickBooks Online Payment Poll Trigger reads Change Data Capture from a
 * local stand-in for Intuit's API and starts one execution per new payment, across polls (n8n polls each time the
 * workflow is published, and at start-up) and an n8n restart. E2E_N8N_LINES=2 limits the run to one line.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const REALM = '9130349981257506';

/**
 * Intuit's documented "Read a payment" response (test/fixtures/quickbooks/payment_read_response.json, with the
 * CurrencyRef QuickBooks returns at minor version 75, see its SOURCES.md): each payment the stand-in lists is that
 * payment with its own Id, amount and LastUpdatedTime.
 */
const documented = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/quickbooks/payment_read_response.json'), 'utf8'))
	.Payment as Record<string, unknown>;

function payment(id: string, amount: number, updated: Date): Record<string, unknown> {
	const time = updated.toISOString().replace(/\.\d{3}Z$/, '-00:00');
	return {
		...documented,
		Id: id,
		TotalAmt: amount,
		CurrencyRef: { value: 'USD', name: 'United States Dollar' },
		MetaData: { CreateTime: time, LastUpdatedTime: time },
	};
}

/** Change Data Capture as Intuit documents it: the entities changed since `changedSince`, grouped by type. */
function quickBooksStandIn() {
	const payments: Array<Record<string, unknown>> = [];
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '', 'http://stand-in');
		requests.push(`${request.method} ${url.pathname}?${url.searchParams}`);
		const json = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (request.method !== 'GET' || url.pathname !== `/v3/company/${REALM}/cdc`) return json(404, { Fault: { type: 'stand-in' } });
		if (request.headers.authorization !== 'Bearer e2e-access-token') return json(401, { Fault: { type: 'AUTHENTICATION' } });
		const since = Date.parse(url.searchParams.get('changedSince') ?? '');
		const entity = url.searchParams.get('entities');
		const changed =
			entity === 'Payment'
				? payments.filter((p) => Date.parse(String((p.MetaData as Record<string, string>).LastUpdatedTime)) >= since)
				: [];
		const group = changed.length ? [{ [String(entity)]: changed, startPosition: 1, maxResults: changed.length }] : [{}];
		return json(200, { CDCResponse: [{ QueryResponse: group }], time: new Date().toISOString() });
	});
	return { server, payments, requests };
}

describe.each(lines)('the QuickBooks Online Payment Poll Trigger in a real n8n %i.x', (line) => {
	const standIn = quickBooksStandIn();
	let userFolder: string;
	let instance: { baseUrl: string; stop: () => Promise<void>; request: (method: string, url: string, body?: unknown) => Promise<unknown> };
	const port = 5710 + 2 * line;

	beforeAll(async () => {
		await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-pollers-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port, quiet: true });
	});

	afterAll(async () => {
		await instance?.stop();
		standIn.server.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	/** The payment ids of the workflow's successful executions, oldest first. */
	async function emittedPayments(workflowId: string, expected: number): Promise<string[][]> {
		const found = await localN8n.executions(instance, workflowId, { atLeast: expected, includeData: true });
		return found.map((execution: { status: string; data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: { payment?: { id: string } } }>> } }>> } } }) => {
			expect(execution.status).toBe('success');
			return execution.data.resultData.runData['Payment Poll'][0].data.main[0].map((item) => item.json.payment?.id ?? '');
		});
	}

	async function republish(workflowId: string) {
		await localN8n.unpublishWorkflow(instance, workflowId);
		await localN8n.publishWorkflow(instance, workflowId);
	}

	it('emits each new payment once, across polls and a restart', async () => {
		const api = localN8n.publicApi(instance);
		const start = new Date();
		standIn.payments.push(payment('1001', 120, new Date(start.getTime() - 60_000)));
		const credential = await api('POST', '/credentials', {
			name: 'QuickBooks (stand-in)',
			type: 'paymentEventsQuickBooksOAuth2Api',
			data: {
				clientId: 'e2e-client',
				clientSecret: 'e2e-secret',
				environment: 'sandbox',
				realmId: REALM,
				baseUrl: `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`,
				oauthTokenData: { access_token: 'e2e-access-token', token_type: 'bearer' },
				// n8n's defaults, stated: 1.x's public API asks for these OAuth2 settings and the allowed domains.
				serverUrl: '',
				sendAdditionalBodyProperties: false,
				additionalBodyProperties: '',
				allowedHttpRequestDomains: 'all',
			},
		});
		const workflow = await api('POST', '/workflows', {
			name: `Pollers: QuickBooks ${line}`,
			nodes: [
				{
					parameters: {
						pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] },
						startFrom: new Date(start.getTime() - 10 * 60_000).toISOString(),
					},
					name: 'Payment Poll',
					type: 'n8n-nodes-payment-events.quickBooksPaymentPollTrigger',
					typeVersion: 1,
					position: [0, 0],
					credentials: { paymentEventsQuickBooksOAuth2Api: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});

		// Publishing polls at once: the backfill finds the payment made before.
		await localN8n.publishWorkflow(instance, workflow.id);
		expect(await emittedPayments(workflow.id, 1)).toEqual([['1001']]);

		// Polling again finds nothing new.
		await republish(workflow.id);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await emittedPayments(workflow.id, 1)).toHaveLength(1);

		// A new payment is reported, the earlier one not again.
		standIn.payments.push(payment('1002', 75.5, new Date()));
		await republish(workflow.id);
		expect(await emittedPayments(workflow.id, 2)).toEqual([['1001'], ['1002']]);

		// After a restart n8n polls again, from where the node left off.
		await instance.stop();
		standIn.payments.push(payment('1003', 42, new Date()));
		instance = await localN8n.startN8n({ userFolder, line, port, quiet: true });
		expect(await emittedPayments(workflow.id, 3)).toEqual([['1001'], ['1002'], ['1003']]);
		expect(standIn.requests.every((request) => request.includes('changedSince='))).toBe(true);
	});
});
