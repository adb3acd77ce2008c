#!/usr/bin/env node
/*
 * In the real n8n: 10,000 mixed payment payloads (real Stripe, PayPal and Square samples) through
 * Payment Normalize, against the same workflow mapping them by hand in a Code node, the way n8n users
 * do it today. Both workflows share their trigger and generator; the figure is the ratio of the two
 * nodes' execution times as n8n records them, median over interleaved runs.
 * Usage: npm run bench   (builds first; installs n8n into the cache on first use)
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const localN8n = require('../e2e/local-n8n.js');

const ITEMS = Number(process.env.BENCH_ITEMS || 10000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const SHARED = path.resolve(__dirname, '../../../shared/fixtures');

// Sources: ../shared/fixtures/PROVENANCE.md.
const SAMPLES = [
	'stripe/payment_intent.succeeded.json',
	'stripe/charge.refunded.json',
	'stripe/invoice.payment_succeeded.json',
	'paypal/PAYMENT.SALE.COMPLETED.json',
	'square/payment.created.json',
	'square/payment.updated.json',
	'square/refund.created.json',
].map((file) => JSON.parse(fs.readFileSync(path.join(SHARED, file), 'utf8')));

const GENERATE = `const samples = $input.first().json.body.samples;
const items = [];
for (let i = 0; i < ${ITEMS}; i++) items.push({ json: samples[i % samples.length] });
return items;`;

// What a user writes today to get Stripe, PayPal and Square payments into one shape.
const MAP_BY_HAND = `const out = [];
for (const item of $input.all()) {
  const p = item.json;
  if (p.object === 'event') {
    const o = p.data.object;
    const cents = o.object === 'charge' && p.type === 'charge.refunded' ? o.amount_refunded : (o.amount_paid ?? o.amount_received ?? o.amount);
    const status = p.type.endsWith('succeeded') || p.type === 'invoice.paid' ? 'Paid' : p.type.includes('refund') ? 'Refunded' : p.type.includes('failed') ? 'Failed' : 'Pending';
    out.push({ json: { id: 'stripe:' + p.id, provider: 'stripe', status, amount: (cents / 100).toFixed(2), currency: o.currency.toUpperCase(), email: o.receipt_email || o.customer_email || (o.billing_details && o.billing_details.email) || null, occurredAt: new Date(p.created * 1000).toISOString() } });
  } else if (p.event_type) {
    const r = p.resource;
    const amount = r.amount.total || r.amount.value;
    const status = /COMPLETED/.test(p.event_type) ? 'Paid' : /REFUNDED|REVERSED/.test(p.event_type) ? 'Refunded' : /DENIED|DECLINED/.test(p.event_type) ? 'Failed' : 'Pending';
    out.push({ json: { id: 'paypal:' + p.id, provider: 'paypal', status, amount: parseFloat(amount).toFixed(2), currency: r.amount.currency || r.amount.currency_code, email: r.payer && r.payer.email_address || null, occurredAt: new Date(p.create_time).toISOString() } });
  } else if (p.merchant_id && p.data) {
    const o = p.data.object.payment || p.data.object.refund;
    const money = o.amount_money;
    const status = o.status === 'COMPLETED' ? (p.data.object.refund ? 'Refunded' : 'Paid') : o.status === 'FAILED' ? 'Failed' : 'Pending';
    out.push({ json: { id: 'square:' + p.event_id, provider: 'square', status, amount: (money.amount / 100).toFixed(2), currency: money.currency, email: o.buyer_email_address || null, occurredAt: new Date(p.created_at).toISOString() } });
  }
}
return out;`;

function workflow(name, pathName, last) {
	const trigger = {
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'lastNode', responseData: 'noData', options: {} },
		name: 'Bench Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: pathName,
	};
	const generate = {
		parameters: { jsCode: GENERATE },
		name: 'Generate Payloads',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
	};
	return {
		name,
		nodes: [trigger, generate, { ...last, position: [440, 0] }],
		connections: {
			'Bench Webhook': { main: [[{ node: 'Generate Payloads', type: 'main', index: 0 }]] },
			'Generate Payloads': { main: [[{ node: last.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}

const normalizeNode = {
	parameters: { source: 'auto', options: {} },
	name: 'Payment Normalize',
	type: 'n8n-nodes-payment-events.paymentNormalize',
	typeVersion: 1,
};
const codeNode = { parameters: { jsCode: MAP_BY_HAND }, name: 'Map By Hand', type: 'n8n-nodes-base.code', typeVersion: 2 };

async function nodeTime(instance, workflowId, pathName, nodeName) {
	const api = localN8n.publicApi(instance);
	const before = (await api('GET', `/executions?workflowId=${workflowId}&limit=1`)).data[0]?.id;
	const response = await fetch(`${instance.baseUrl}/webhook/${pathName}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ samples: SAMPLES }),
	});
	if (!response.ok) throw new Error(`${pathName}: ${response.status} ${await response.text()}`);
	for (let attempt = 0; attempt < 200; attempt++) {
		const [latest] = (await api('GET', `/executions?workflowId=${workflowId}&limit=1&includeData=true`)).data;
		if (latest && latest.id !== before && latest.finished) {
			const run = latest.data.resultData.runData[nodeName][0];
			const items = run.data.main[0].length;
			if (items !== ITEMS) throw new Error(`${nodeName} output ${items} items, expected ${ITEMS}`);
			return run.executionTime;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`no finished execution of ${pathName}`);
}

async function main() {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-bench-'));
	localN8n.installPackage(userFolder);
	const instance = await localN8n.startN8n({ userFolder, port: 5710, quiet: true });
	try {
		const api = localN8n.publicApi(instance);
		const ids = {};
		for (const [key, node] of [
			['normalize', normalizeNode],
			['code', codeNode],
		]) {
			const created = await api('POST', '/workflows', workflow(`Bench: ${node.name}`, `bench-${key}`, node));
			await localN8n.publishWorkflow(instance, created.id);
			ids[key] = created.id;
		}
		const ratios = [];
		const times = { normalize: [], code: [] };
		await nodeTime(instance, ids.normalize, 'bench-normalize', 'Payment Normalize'); // warm-up
		await nodeTime(instance, ids.code, 'bench-code', 'Map By Hand');
		for (let run = 0; run < RUNS; run++) {
			const normalize = await nodeTime(instance, ids.normalize, 'bench-normalize', 'Payment Normalize');
			const code = await nodeTime(instance, ids.code, 'bench-code', 'Map By Hand');
			times.normalize.push(normalize);
			times.code.push(code);
			ratios.push(code / normalize);
		}
		const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
		console.log(`\nreal n8n ${instance.version}: ${ITEMS} mixed Stripe/PayPal/Square payloads, ${RUNS} interleaved runs`);
		console.log(['node', 'ms (median)', 'items/s'].join('\t'));
		console.log(['Payment Normalize', median(times.normalize), Math.round((ITEMS * 1000) / median(times.normalize))].join('\t'));
		console.log(['Code node mapping by hand', median(times.code), Math.round((ITEMS * 1000) / median(times.code))].join('\t'));
		console.log(`ratio Code node / Payment Normalize: ${median(ratios).toFixed(2)}x (target >= 20x)`);
	} finally {
		await instance.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
