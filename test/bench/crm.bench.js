#!/usr/bin/env node
/*
 * CRM Payment Sync writing 1,000 payment statuses to a local stand-in for HubSpot's CRM API (batch read and batch
 * update, 100 records a request, answering 429 with Retry-After beyond its rate limit), measured in one run:
 * requests used / the batch minimum (a read and an update per 100 records); target <= 1.1, and no 429 left unhandled.
 * Usage: npm run bench   (builds first; reads dist/). BENCH_CRM_UPDATES and BENCH_CRM_RATE change N and the rate.
 */
'use strict';

const http = require('node:http');

const { CrmPaymentSync } = require('../../dist/nodes/CrmPaymentSync/CrmPaymentSync.node');
const { normalizeManualEntry } = require('../../dist/nodes/PaymentNormalize/manualEntry');

const N = Number(process.env.BENCH_CRM_UPDATES ?? 1_000);
const RATE = Number(process.env.BENCH_CRM_RATE ?? 10);

function standIn() {
	const contacts = new Map(Array.from({ length: N }, (_, index) => [`client${index}@example.com`, { id: String(5000 + index), properties: {} }]));
	const stats = { requests: 0, limited: 0 };
	const recent = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			stats.requests++;
			const now = Date.now();
			while (recent.length && now - recent[0] >= 1000) recent.shift();
			if (recent.length >= RATE) {
				stats.limited++;
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
				return response.end(JSON.stringify({ status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' }));
			}
			recent.push(now);
			const input = JSON.parse(body);
			let results = [];
			if (request.url.endsWith('/batch/read')) {
				results = input.inputs.flatMap(({ id }) => {
					const contact = contacts.get(id);
					return contact ? [{ id: contact.id, properties: { email: id, ...contact.properties } }] : [];
				});
			} else if (request.url.endsWith('/batch/update')) {
				results = input.inputs.map(({ id, properties }) => ({ id, properties }));
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			return response.end(JSON.stringify({ status: 'COMPLETE', results }));
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, stats, url: `http://127.0.0.1:${server.address().port}` })));
}

async function main() {
	const hubspot = await standIn();
	const items = Array.from({ length: N }, (_, index) =>
		normalizeManualEntry(
			{
				amount: '80.00',
				amountFormat: 'decimal',
				currency: 'EUR',
				status: 'succeeded',
				kind: 'payment',
				reference: `INV-${index}`,
				customer: { email: `client${index}@example.com` },
			},
			new Date('2026-11-20T10:00:00Z'),
		),
	);
	const parameters = { crm: 'hubspot', hubspot_object: 'contacts', hubspot_matchField: 'email', matchValue: null };
	const context = {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => ({ name: 'CRM Payment Sync', type: 'crmPaymentSync', typeVersion: 1, parameters }),
		getNodeParameter: (name, index, fallback) => (name === 'matchValue' ? items[index].customer.email : (parameters[name] ?? fallback)),
		continueOnFail: () => false,
		getCredentials: async () => ({ accessToken: 'pat-bench', baseUrl: hubspot.url }),
		helpers: {
			httpRequestWithAuthentication: async (_type, options) => {
				const response = await fetch(options.url, {
					method: options.method,
					headers: { ...options.headers, authorization: 'Bearer pat-bench', 'content-type': 'application/json' },
					body: JSON.stringify(options.body),
				});
				return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
			},
		},
	};
	const started = Date.now();
	const [records] = await new CrmPaymentSync().execute.call(context);
	const ms = Date.now() - started;
	hubspot.server.close();
	const minimum = 2 * Math.ceil(N / 100);
	const applied = records.filter((item) => item.json.decision === 'applied').length;
	console.log(
		`crm: ${N} status updates in ${hubspot.stats.requests} requests (${hubspot.stats.limited} answered 429 and retried), batch minimum ${minimum}: ` +
			`ratio ${(hubspot.stats.requests / minimum).toFixed(2)} (target <= 1.1); ${applied} applied, ${N - applied} not; ${ms} ms`,
	);
	if (applied !== N) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
