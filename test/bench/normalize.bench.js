#!/usr/bin/env node
/*
 * Provider adapters in process: the full path from the bytes a webhook delivers to validated canonical
 * events (JSON.parse, detect, parse, normalize, schema validation) against JSON.parse of the same bytes,
 * the floor any normaliser pays. Interleaved rounds, median ratio. Then memory: heap after normalising
 * 1k, 100k and 200k events with nothing kept, which should stay flat once warmed up.
 * Usage: npm run bench   (builds first; reads dist/; run with --expose-gc for the memory figures)
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { PROVIDERS, detectProvider, toPaymentEvents } = require('../../dist/nodes/providers/index');

const SHARED = path.resolve(__dirname, '../../../shared/fixtures');
const PROJECT = path.resolve(__dirname, '../fixtures');

/** Every JSON sample of a registered provider whose events carry the payment (no API call needed). */
function samples() {
	const result = [];
	for (const adapter of PROVIDERS) {
		for (const root of [SHARED, PROJECT]) {
			const dir = path.join(root, adapter.id);
			if (!fs.existsSync(dir)) continue;
			for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
				const bytes = fs.readFileSync(path.join(dir, file));
				let body;
				try {
					body = JSON.parse(bytes.toString('utf8'));
				} catch {
					continue;
				}
				const input = { body, headers: {} };
				if (detectProvider(input) !== adapter) continue;
				try {
					const events = adapter.parse(input);
					if (events.some((event) => adapter.complete?.(event))) continue;
					if (events.flatMap((event) => toPaymentEvents(adapter, event, { receivedAt: new Date() })).length === 0) continue;
				} catch {
					continue;
				}
				result.push({ name: `${adapter.id}/${file}`, text: bytes.toString('utf8') });
			}
		}
	}
	return result;
}

function normalizeText(text, receivedAt) {
	const input = { body: JSON.parse(text), headers: {} };
	const adapter = detectProvider(input);
	let count = 0;
	for (const event of adapter.parse(input)) count += toPaymentEvents(adapter, event, { receivedAt }).length;
	return count;
}

function timePerPayload(fn, payloads, iterations) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) fn(payloads[i % payloads.length]);
	return Number(process.hrtime.bigint() - start) / iterations;
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const all = samples();
const payloads = all.map((sample) => sample.text);
if (payloads.length === 0) throw new Error('no provider samples found');
const providers = [...new Set(all.map((sample) => sample.name.split('/')[0]))];
const receivedAt = new Date();
let sink = 0;
const candidate = (text) => (sink += normalizeText(text, receivedAt));
const baseline = (text) => (sink += JSON.parse(text) ? 1 : 0);

const rounds = Number(process.env.BENCH_ROUNDS || 15);
timePerPayload(candidate, payloads, 5000);
timePerPayload(baseline, payloads, 5000);
const iterations = Math.max(500, Math.round(20e6 / timePerPayload(candidate, payloads, 1000)));
const ratios = [];
const candidateTimes = [];
const baselineTimes = [];
for (let round = 0; round < rounds; round++) {
	const c = timePerPayload(candidate, payloads, iterations);
	const b = timePerPayload(baseline, payloads, iterations);
	candidateTimes.push(c);
	baselineTimes.push(b);
	ratios.push(c / b);
}
console.log(`\nadapters in process: ${payloads.length} real samples from ${providers.join(', ')}; ${rounds} interleaved rounds`);
console.log(['case', 'ns/payload', 'payloads/s', 'JSON.parse ns', 'ratio'].join('\t'));
console.log(
	[
		'bytes → canonical events vs JSON.parse',
		median(candidateTimes).toFixed(0),
		Math.round(1e9 / median(candidateTimes)),
		median(baselineTimes).toFixed(0),
		`${median(ratios).toFixed(2)}x`,
	].join('\t'),
);

// Per provider: small documentation samples show the fixed cost of an event, full-size ones the parsing cost.
console.log(['provider', 'samples', 'ns/payload', 'JSON.parse ns', 'ratio'].join('\t'));
for (const provider of providers) {
	const own = all.filter((sample) => sample.name.startsWith(`${provider}/`)).map((sample) => sample.text);
	const perRound = [];
	const c = [];
	const b = [];
	for (let round = 0; round < Math.max(3, Math.floor(rounds / 3)); round++) {
		const candidateTime = timePerPayload(candidate, own, 2000);
		const baselineTime = timePerPayload(baseline, own, 2000);
		c.push(candidateTime);
		b.push(baselineTime);
		perRound.push(candidateTime / baselineTime);
	}
	console.log([provider, own.length, median(c).toFixed(0), median(b).toFixed(0), `${median(perRound).toFixed(2)}x`].join('\t'));
}

if (typeof global.gc === 'function') {
	const heapAfter = (count) => {
		for (let i = 0; i < count; i++) candidate(payloads[i % payloads.length]);
		global.gc();
		return process.memoryUsage().heapUsed;
	};
	global.gc();
	const before = process.memoryUsage().heapUsed;
	const after1k = heapAfter(1000);
	const after100k = heapAfter(100000);
	const after200k = heapAfter(100000);
	const mb = (bytes) => (bytes / 1048576).toFixed(2);
	const change = (from, to) => `${((to / from - 1) * 100).toFixed(1)}%`;
	console.log(
		`memory (heap after GC, nothing kept): ${mb(before)} MB at start, ${mb(after1k)} MB after 1k events, ` +
			`${mb(after100k)} MB after 100k (${change(after1k, after100k)}, JIT warm-up), ${mb(after200k)} MB after 200k ` +
			`(${change(after100k, after200k)} over the last 100k)`,
	);
} else {
	console.log('memory: run with node --expose-gc for the heap figures');
}
if (sink === 0.5) console.log(sink);
