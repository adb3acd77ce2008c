#!/usr/bin/env node
/*
 * Confirm Payment sending 10,000 confirmations to local stand-ins that enforce a fixed rate limit (answering 429 with
 * Retry-After beyond it), measured in the same run:
 *   1. email with the same message for everyone (a class booking) through SendGrid's batch API:
 *      requests used / the batch minimum (ceil(N / 1,000)); target <= 1.1.
 *   2. SMS through Twilio, one request per message, with the node's Rate Limit set to the provider's:
 *      wall time / (N / rate); target <= 1.05.
 * Usage: npm run bench   (builds first; reads dist/). BENCH_CONFIRMATIONS and BENCH_RATE change N and the rate.
 */
'use strict';

const http = require('node:http');

const { ConfirmPayment } = require('../../dist/nodes/ConfirmPayment/ConfirmPayment.node');
const { normalizeManualEntry } = require('../../dist/nodes/PaymentNormalize/manualEntry');

const N = Number(process.env.BENCH_CONFIRMATIONS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);

/** A provider stand-in allowing `rate` requests a second (a sliding one-second window); beyond it, 429 + Retry-After. */
function standIn(rate) {
	const recent = [];
	const stats = { requests: 0, limited: 0 };
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			stats.requests++;
			const now = Date.now();
			while (recent.length && now - recent[0] >= 1000) recent.shift();
			if (recent.length >= rate) {
				stats.limited++;
				response.writeHead(429, { 'retry-after': '1' });
				return response.end();
			}
			recent.push(now);
			if (request.url.endsWith('/Messages.json')) {
				response.writeHead(201, { 'content-type': 'application/json' });
				return response.end(JSON.stringify({ sid: `SM${stats.requests}`, status: 'queued' }));
			}
			response.writeHead(202, { 'x-message-id': `sg-${stats.requests}` });
			return response.end();
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, stats, url: `http://127.0.0.1:${server.address().port}` })));
}

function events(count) {
	return Array.from({ length: count }, (_, index) =>
		normalizeManualEntry(
			{
				amount: '25.00',
				amountFormat: 'decimal',
				currency: 'USD',
				status: 'succeeded',
				kind: 'payment',
				reference: `CLASS-${index}`,
				customer: { name: `Student ${index}`, email: `student${index}@example.com`, phone: `+1415555${String(index).padStart(4, '0')}` },
			},
			new Date('2026-11-20T10:00:00Z'),
		),
	);
}

/** n8n's execute context, reduced to what the node uses; HTTP through fetch with each credential's authentication. */
function context(items, parameters, credentials) {
	return {
		getInputData: () => items.map((json) => ({ json })),
		getNode: () => ({ name: 'Confirm Payment', type: 'confirmPayment', typeVersion: 1, parameters }),
		getNodeParameter: (name, _index, fallback) => parameters[name] ?? fallback,
		continueOnFail: () => false,
		getCredentials: async (type) => credentials[type],
		helpers: {
			checkProcessedAndRecord: async (keys) => ({ new: keys, processed: [] }),
			removeProcessed: async () => {},
			httpRequestWithAuthentication: async (type, options) => {
				const values = credentials[type];
				const headers = { ...options.headers };
				if (type === 'paymentEventsTwilioApi') headers.authorization = `Basic ${Buffer.from(`${values.accountSid}:${values.authToken}`).toString('base64')}`;
				else headers.authorization = `Bearer ${values.apiKey}`;
				let body = options.body;
				if (body !== undefined && typeof body !== 'string') {
					body = JSON.stringify(body);
					headers['content-type'] = 'application/json';
				}
				const response = await fetch(options.url, { method: options.method, headers, body });
				const text = await response.text();
				return { statusCode: response.status, headers: Object.fromEntries(response.headers.entries()), body: text };
			},
		},
	};
}

async function main() {
	const items = events(N);

	const email = await standIn(RATE);
	const sendgrid = { apiKey: 'SG.bench', baseUrl: email.url };
	const sameMessage = { template: [{ channel: 'email', locale: '', subject: 'Yoga, Saturday 9:00', text: 'Your place is booked and paid: {{money amount}}.', html: '<p>Your place is booked and paid: {{money amount}}.</p>' }] };
	let started = Date.now();
	const [emailed] = await new ConfirmPayment().execute.call(
		context(items, { channels: ['sendgrid'], mode: 'first', sendgrid_from: 'studio@example.com', templates: sameMessage, options: {} }, { paymentEventsSendGridApi: sendgrid }),
	);
	const emailMs = Date.now() - started;
	email.server.close();
	const minimum = Math.ceil(N / 1000);
	console.log(
		`email batch: ${N} confirmations in ${email.stats.requests} requests (${email.stats.limited} rate-limited), batch minimum ${minimum}: ` +
			`ratio ${(email.stats.requests / minimum).toFixed(2)} (target <= 1.1), ${emailMs} ms, ${emailed.filter((i) => i.json.confirmed).length} confirmed`,
	);

	const sms = await standIn(RATE);
	const twilio = { accountSid: 'ACbench', authToken: 'bench', baseUrl: sms.url };
	started = Date.now();
	const [texted] = await new ConfirmPayment().execute.call(
		context(
			items,
			{ channels: ['twilio'], mode: 'first', twilio_from: '+15017122661', options: { rateLimit: RATE, concurrency: 50 } },
			{ paymentEventsTwilioApi: twilio },
		),
	);
	const smsMs = Date.now() - started;
	sms.server.close();
	const ideal = (N / RATE) * 1000;
	console.log(
		`sms at ${RATE}/s: ${N} confirmations in ${smsMs} ms, ideal ${ideal.toFixed(0)} ms: ratio ${(smsMs / ideal).toFixed(3)} (target <= 1.05); ` +
			`${sms.stats.requests} requests, ${sms.stats.limited} rate-limited, ${texted.filter((i) => i.json.confirmed).length} confirmed`,
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
