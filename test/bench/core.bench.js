#!/usr/bin/env node
/*
 * Benchmarks of the core's hot paths (run per webhook / per item), each against a baseline measured
 * in the same run, interleaved round by round so a noisy shared machine affects both alike.
 * Prints the median ratio candidate/baseline time: the number to watch between commits.
 * Usage: npm run bench   (builds first; reads dist/)
 */
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '../../dist/nodes/core');
const { fromDecimal } = require(path.join(dist, 'money'));
const { verifyHmac } = require(path.join(dist, 'signature'));
const { createPaymentEvent } = require(path.join(dist, 'event'));
const { redactText } = require(path.join(dist, 'redact'));

// A real Stripe event body (../shared/fixtures, from stripe-ruby-mock's webhook fixtures).
const fixture = path.resolve(__dirname, '../../../shared/fixtures/stripe/payment_intent.succeeded.json');
const body = fs.existsSync(fixture)
	? fs.readFileSync(fixture)
	: Buffer.from(JSON.stringify({ id: 'evt_bench', data: { object: { amount: 1000, currency: 'usd' } } }));
const secret = 'whsec_bench_0123456789abcdef';
const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
const amounts = ['19.99', '4.35', '1234.56', '0.10', '100000.00', '7.5'];
const eventInput = {
	provider: 'stripe',
	providerEventId: 'evt_bench',
	providerEventType: 'payment_intent.succeeded',
	livemode: false,
	kind: 'payment',
	status: 'succeeded',
	amount: { minor: 1999, value: '19.99', currency: 'USD', exponent: 2 },
	occurredAt: '2026-11-21T12:00:00.000Z',
	customer: { email: 'client@example.com', name: 'A Client' },
	payment: { id: 'pi_bench', method: 'card', brand: 'visa', last4: '4242' },
};
const errorText =
	'Request failed with status 401: {"error":{"message":"Invalid API Key provided: sk_test_4eC39HqLyjWDarjtT1zdp7dc",' +
	'"type":"invalid_request_error"}} while sending to jane.doe@example.com with card 4242 4242 4242 4242';

let sink = 0;
const cases = [
	{
		name: 'money: exact decimal parse vs parseFloat*100',
		candidate: () => {
			for (const amount of amounts) sink += fromDecimal(amount, 'USD').minor;
		},
		baseline: () => {
			for (const amount of amounts) sink += Math.round(parseFloat(amount) * 100);
		},
	},
	{
		name: 'signature: verifyHmac vs bare createHmac + ===',
		candidate: () => {
			sink += verifyHmac({ algorithm: 'sha256', key: secret, payload: body, signature, encoding: 'hex' }) ? 1 : 0;
		},
		baseline: () => {
			sink += crypto.createHmac('sha256', secret).update(body).digest('hex') === signature ? 1 : 0;
		},
	},
	{
		name: 'event: createPaymentEvent (zod) vs JSON round trip',
		candidate: () => {
			sink += createPaymentEvent(eventInput).amount.minor;
		},
		baseline: () => {
			sink += JSON.parse(JSON.stringify(eventInput)).amount.minor;
		},
	},
	{
		name: 'redact: redactText vs one split/join',
		candidate: () => {
			sink += redactText(errorText, { secrets: [secret] }).length;
		},
		baseline: () => {
			sink += errorText.split(secret).join('[redacted]').length;
		},
	},
];

function timeIt(fn, iterations) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) fn();
	return Number(process.hrtime.bigint() - start) / iterations;
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const rounds = Number(process.env.BENCH_ROUNDS || 15);
console.log(`core benchmarks: ${rounds} interleaved rounds, median per round (ns/op)`);
console.log(['case', 'candidate', 'baseline', 'ratio'].join('\t'));
for (const { name, candidate, baseline } of cases) {
	// Calibrate to ~20 ms per measurement, after a warm-up.
	timeIt(candidate, 2000);
	timeIt(baseline, 2000);
	const iterations = Math.max(200, Math.round(20e6 / timeIt(candidate, 1000)));
	const ratios = [];
	const candidateTimes = [];
	const baselineTimes = [];
	for (let round = 0; round < rounds; round++) {
		const c = timeIt(candidate, iterations);
		const b = timeIt(baseline, iterations);
		candidateTimes.push(c);
		baselineTimes.push(b);
		ratios.push(c / b);
	}
	console.log([name, median(candidateTimes).toFixed(0), median(baselineTimes).toFixed(0), `${median(ratios).toFixed(2)}x`].join('\t'));
}
if (sink === 0.5) console.log(sink); // keeps the work observable to the optimiser
