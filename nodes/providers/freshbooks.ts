import type { PaymentEventInput } from '../core/event';
import { verifyHmac } from '../core/signature';
import type { PaymentStatus } from '../core/status';
import { statusOf } from '../shared/providerApi';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	moneyFromDecimal,
	requireText,
	text,
} from './common';
import type {
	CompletionRequest,
	NormalizeContext,
	PolledRecord,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderPoll,
	ProviderWebhook,
	WebhookTools,
} from './types';

const ID = 'freshbooks';

type Fields = Record<string, unknown>;

/**
 * https://www.freshbooks.com/api/webhooks : every notification is a thin form post (name, object_id,
 * account_id, ...); the resource is read back from the accounting API.
 */
const EVENTS = {
	'payment.create': { description: 'A payment was recorded' },
	'payment.update': { description: 'A payment changed' },
	'invoice.create': { description: 'An invoice was created' },
	'invoice.update': { description: 'An invoice changed, e.g. a payment was applied to it' },
} as const;

const HANDSHAKE = 'callback.verify';

/** The resource a notification points at, below /accounting/account/{account_id}/. */
const RESOURCES: Record<string, { path: string; key: string }> = {
	payment: { path: 'payments/payments', key: 'payment' },
	invoice: { path: 'invoices/invoices', key: 'invoice' },
};

/** The posted fields: form text as sent, or the object n8n's Webhook node parses a form into. */
function fieldsOf(input: ProviderInput): Fields | undefined {
	const { body } = input;
	if (isObject(body)) return body;
	const raw = typeof body === 'string' ? body : input.rawBody?.toString('utf8');
	if (raw === undefined || !/^[^{<\s][^=&]*=/.test(raw.trim())) return undefined;
	return Object.fromEntries(new URLSearchParams(raw.trim()));
}

function isNotification(fields: Fields | undefined): fields is Fields {
	if (fields === undefined || typeof fields.name !== 'string' || fields.object_id === undefined) return false;
	if (fields.name === HANDSHAKE) return typeof fields.verifier === 'string';
	return /^[a-z_]+\.[a-zA-Z_]+$/.test(fields.name) && text(fields.account_id) !== undefined;
}

function moneyEventOf(event: ProviderEvent) {
	const [resource, action] = event.type.split('.');
	const supported = Object.hasOwn(RESOURCES, resource) && (action === 'create' || action === 'update');
	return supported ? { resource, ...RESOURCES[resource] } : undefined;
}

/**
 * FreshBooks stamps `updated` as "YYYY-MM-DD hh:mm:ss" in US Eastern time, which the official SDK also
 * assumes (freshbooks-nodejs-sdk packages/api/src/models/Date.ts, zone America/New_York).
 */
export function easternToIso(value: unknown, field: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text(value) ?? '');
	if (!match) throw new ProviderPayloadError(ID, field, `${JSON.stringify(value)} is not "YYYY-MM-DD hh:mm:ss"`);
	const [, y, mo, d, h, mi, s] = match.map(Number);
	const wall = Date.UTC(y, mo - 1, d, h, mi, s);
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone: 'America/New_York',
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const offsetAt = (time: number) => {
		const parts = Object.fromEntries(format.formatToParts(new Date(time)).map((part) => [part.type, part.value]));
		const shown = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
		return shown - time;
	};
	// Two passes settle the offset when the first guess falls on the other side of a DST change.
	let utc = wall - offsetAt(wall);
	utc = wall - offsetAt(utc);
	return new Date(utc).toISOString();
}

function amountOf(value: unknown, field: string) {
	return moneyFromDecimal(ID, at(value, 'amount'), at(value, 'code'), `${field}.amount`);
}

function base(event: ProviderEvent, resource: Fields, field: string) {
	const occurredAt = easternToIso(resource.updated, `${field}.updated`);
	return {
		provider: ID,
		// Notifications carry no id of their own; the fetched state's `updated` tells two updates apart.
		providerEventId: `${event.id}:${occurredAt}`,
		providerEventType: event.type,
		// FreshBooks has no test mode.
		livemode: event.livemode ?? true,
		occurredAt,
	};
}

function normalizePayment(event: ProviderEvent, payment: Fields): PaymentEventInput[] {
	const field = 'response.result.payment';
	return [
		{
			...base(event, payment, field),
			kind: 'payment',
			// vis_state 1 is a deleted payment.
			status: payment.vis_state === 1 ? 'canceled' : 'succeeded',
			amount: amountOf(payment.amount, `${field}.amount`),
			customer: compact({ id: text(payment.clientid) }),
			invoice: compact({ id: text(payment.invoiceid) }),
			payment: compact({ id: text(payment.id), method: text(payment.type) }),
			reference: text(payment.transactionid),
			description: text(payment.note),
		},
	];
}

function normalizeInvoice(event: ProviderEvent, invoice: Fields): PaymentEventInput[] {
	const field = 'response.result.invoice';
	const total = amountOf(invoice.amount, `${field}.amount`);
	const amountPaid = amountOf(invoice.paid, `${field}.paid`);
	const amountDue = amountOf(invoice.outstanding, `${field}.outstanding`);
	if (amountPaid.currency !== total.currency || amountDue.currency !== total.currency) {
		throw new ProviderPayloadError(ID, `${field}.paid`, 'is not in the currency of the invoice amount');
	}
	let status: PaymentStatus;
	if (invoice.vis_state === 1) status = 'canceled';
	else if (amountDue.minor === 0 && total.minor > 0) status = 'succeeded';
	else if (amountPaid.minor > 0) status = 'partially_paid';
	else status = 'pending';
	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;
	const name = [text(invoice.fname), text(invoice.lname)].filter(Boolean).join(' ');
	return [
		{
			...base(event, invoice, field),
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			customer: compact({
				id: text(invoice.customerid),
				name: text(name) ?? text(invoice.organization),
				email: text(invoice.email),
				locale: text(invoice.language),
			}),
			invoice: compact({ id: text(invoice.invoiceid) ?? text(invoice.id), number: text(invoice.invoice_number) }),
			reference: text(invoice.po_number),
			description: text(invoice.description),
		},
	];
}

function normalizeEvent(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	const target = moneyEventOf(event);
	if (!target) return [];
	const resource = at(context.completion, `response.result.${target.key}`);
	if (!isObject(resource)) {
		throw new ProviderPayloadError(
			ID,
			'completion',
			`is missing the fetched ${target.key} (call complete() and pass its response)`,
		);
	}
	return target.resource === 'payment' ? normalizePayment(event, resource) : normalizeInvoice(event, resource);
}

// https://www.freshbooks.com/api/webhooks ("Verifying Webhook Signatures"; the SDK guides quote FreshBooks' Python):
// base64 HMAC-SHA256, keyed with the callback's verifier, of Python's json.dumps of the posted form fields.
const SIGNATURE_HEADER = 'x-freshbooks-hmac-sha256';
/** How long registration waits for FreshBooks to post the verifier of each callback it created (tests shorten it). */
export const registration = { verifierWaitMs: 30_000 };

/** JSON as Python's json.dumps writes a string: JSON.stringify's escapes, plus \uXXXX for DEL and every non-ASCII unit. */
function pythonJsonString(value: string): string {
	return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The message FreshBooks signs: json.dumps of the form fields in the order posted; undefined for no or repeated fields. */
export function signedMessage(rawBody: Buffer): string | undefined {
	const seen = new Set<string>();
	const members: string[] = [];
	for (const [name, value] of new URLSearchParams(rawBody.toString('utf8'))) {
		// Python's dict would keep one of the values; which one FreshBooks signed is not documented.
		if (seen.has(name)) return undefined;
		seen.add(name);
		members.push(`${pythonJsonString(name)}: ${pythonJsonString(value)}`);
	}
	return members.length ? `{${members.join(', ')}}` : undefined;
}

/** Each callback has its own verifier; the stored secret holds them all, separated by spaces. */
function verifiersOf(secret: string | undefined): string[] {
	return (secret ?? '').split(/\s+/).filter(Boolean);
}

interface CallbackRecord {
	callbackid?: number | string;
	uri?: string;
	event?: string;
	verified?: boolean;
}

/** Verifiers the handshake confirmed with FreshBooks, by webhook URL and callback id, for `create` waiting in this process. */
const confirmed = new Map<string, { verifier: string; until: number }>();
const confirmedKey = (url: string, callbackId: string) => `${url}\n${callbackId}`;

function remember(url: string, callbackId: string, verifier: string, now: number): void {
	for (const [key, entry] of confirmed) if (entry.until <= now) confirmed.delete(key);
	confirmed.set(confirmedKey(url, callbackId), { verifier, until: now + 10 * registration.verifierWaitMs });
}

const callbacksPath = (account: string) => `/events/account/${encodeURIComponent(account)}/events/callbacks`;

/**
 * The account the callbacks belong to. The registration hooks get no credential fields, so the account is the one
 * business of the authorised FreshBooks user (https://www.freshbooks.com/api/me_endpoint).
 */
async function accountOf(tools: WebhookTools): Promise<string> {
	const me = await tools.callApi({ method: 'GET', path: '/auth/api/v1/users/me', description: 'the FreshBooks user (users/me)' });
	const memberships = at(me, 'response.business_memberships');
	const accounts = [
		...new Set((Array.isArray(memberships) ? memberships : []).map((membership) => text(at(membership, 'business.account_id')))),
	].filter((account): account is string => account !== undefined);
	if (accounts.length === 1) return accounts[0];
	throw new Error(
		accounts.length === 0
			? 'FreshBooks: the authorised user belongs to no business with an account ID, so no webhook can be registered'
			: `FreshBooks: the authorised user belongs to ${accounts.length} businesses (accounts ${accounts.join(', ')}); ` +
					'the node registers its webhook only for a user of one business. Connect the credential with a user of the business to watch.',
	);
}

async function listCallbacks(tools: WebhookTools, account: string): Promise<CallbackRecord[]> {
	const callbacks: CallbackRecord[] = [];
	for (let page = 1; ; page++) {
		const response = await tools.callApi({
			method: 'GET',
			path: callbacksPath(account),
			qs: { page, per_page: 100 },
			description: `the webhook callbacks of account ${account}`,
		});
		const found = at(response, 'response.result.callbacks');
		if (Array.isArray(found)) callbacks.push(...(found as CallbackRecord[]));
		const pages = Number(at(response, 'response.result.pages'));
		if (!Array.isArray(found) || found.length === 0 || !(page < pages)) return callbacks;
	}
}

/** Subscription ids are `<account>:<callback id>,<callback id>…`: one callback per event type. */
function parseId(id: string): { account: string; callbackIds: string[] } {
	const separator = id.lastIndexOf(':');
	return { account: id.slice(0, separator), callbackIds: id.slice(separator + 1).split(',').filter(Boolean) };
}

async function deleteCallbacks(tools: WebhookTools, account: string, callbackIds: readonly string[]): Promise<void> {
	for (const callbackId of callbackIds) {
		try {
			await tools.callApi({
				method: 'DELETE',
				path: `${callbacksPath(account)}/${encodeURIComponent(callbackId)}`,
				description: `the webhook callback ${callbackId}`,
			});
		} catch (error) {
			if (statusOf(error) !== 404) throw error;
		}
	}
}

async function waitForVerifiers(url: string, callbackIds: readonly string[]): Promise<string[] | undefined> {
	const deadline = Date.now() + registration.verifierWaitMs;
	for (;;) {
		const verifiers = callbackIds.map((callbackId) => confirmed.get(confirmedKey(url, callbackId))?.verifier);
		if (verifiers.every((verifier) => verifier !== undefined)) {
			for (const callbackId of callbackIds) confirmed.delete(confirmedKey(url, callbackId));
			return verifiers as string[];
		}
		if (Date.now() >= deadline) return undefined;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the form fields, keyed with the verifier FreshBooks sent when the callback was registered (X-FreshBooks-Hmac-SHA256)',
	secretFields: { webhookSecret: 'Webhook Verifier' },
	signatureHeaders: [SIGNATURE_HEADER],
	verify(request, secrets) {
		const signature = request.headers[SIGNATURE_HEADER];
		if (!signature) return { ok: false, reason: 'no X-FreshBooks-Hmac-SHA256 header' };
		const message = signedMessage(request.rawBody);
		if (message === undefined) return { ok: false, reason: 'the body is not a form with distinct fields' };
		const matches = verifiersOf(secrets.webhookSecret).some((key) =>
			verifyHmac({ algorithm: 'sha256', key, payload: message, signature, encoding: 'base64' }),
		);
		return matches ? { ok: true } : { ok: false, reason: 'the X-FreshBooks-Hmac-SHA256 signature does not match' };
	},
	/**
	 * callback.verify: FreshBooks posts the verifier of a callback it just registered. The callback must point at this
	 * node's URL, and FreshBooks must accept the verifier back (PUT), which also proves the post came from FreshBooks.
	 */
	async handshake(request, _secrets, tools) {
		const fields = new URLSearchParams(request.rawBody.toString('utf8'));
		const verifier = fields.get('verifier');
		const callbackId = fields.get('object_id');
		if (fields.get('name') !== HANDSHAKE || !verifier || !callbackId || !/^\d+$/.test(callbackId)) return undefined;
		try {
			const account = text(fields.get('account_id')) ?? (await accountOf(tools));
			const path = `${callbacksPath(account)}/${callbackId}`;
			const found = await tools.callApi({ method: 'GET', path, description: `the webhook callback ${callbackId}` });
			if (at(found, 'response.result.callback.uri') !== request.url) return { status: 401, body: { error: 'Unauthorized' } };
			await tools.callApi({
				method: 'PUT',
				path,
				body: { callback: { verifier } },
				description: `the verification of webhook callback ${callbackId}`,
			});
		} catch {
			return { status: 401, body: { error: 'Unauthorized' } };
		}
		remember(request.url, callbackId, verifier, tools.now.getTime());
		return { status: 200, body: { received: true } };
	},
	// https://www.freshbooks.com/api/webhooks: POST/GET/PUT/DELETE /events/account/<account_id>/events/callbacks
	subscription: {
		secretField: 'webhookSecret',
		// FreshBooks never shows a verifier again: callbacks found without the node's stored verifiers are replaced.
		secretOnlyAtCreation: true,
		async find(tools, url) {
			const account = await accountOf(tools);
			const mine = (await listCallbacks(tools, account)).filter((callback) => callback.uri === url);
			if (mine.length === 0) return undefined;
			return { id: `${account}:${mine.map((callback) => String(callback.callbackid)).join(',')}` };
		},
		async create(tools, url, eventTypes) {
			const account = await accountOf(tools);
			const callbackIds: string[] = [];
			try {
				for (const event of eventTypes) {
					const created = await tools.callApi({
						method: 'POST',
						path: callbacksPath(account),
						body: { callback: { event, uri: url } },
						description: `the webhook callback for ${event}`,
					});
					callbackIds.push(requireText(ID, at(created, 'response.result.callback.callbackid'), 'response.result.callback.callbackid'));
				}
			} catch (error) {
				await deleteCallbacks(tools, account, callbackIds);
				throw error;
			}
			const verifiers = await waitForVerifiers(url, callbackIds);
			if (!verifiers) {
				await deleteCallbacks(tools, account, callbackIds);
				throw new Error(
					`FreshBooks: no verification code reached ${url} within ${registration.verifierWaitMs / 1000} s, so the callbacks were removed. ` +
						'The URL must be reachable from the internet, and its requests must reach this n8n process.',
				);
			}
			return { id: `${account}:${callbackIds.join(',')}`, secret: verifiers.join(' ') };
		},
		async delete(tools, id) {
			const { account, callbackIds } = parseId(id);
			await deleteCallbacks(tools, account, callbackIds);
		},
	},
};

/** The day (YYYY-MM-DD) a time falls on in US Eastern time, the zone FreshBooks stamps `updated` in. */
function easternDate(iso: string): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' })
			.formatToParts(new Date(iso))
			.map((part) => [part.type, part.value]),
	);
	return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The account of a record (`accounting_systemid` on payments and invoices, `accountid` on invoices). */
function accountOfRecord(record: Fields): string | undefined {
	return text(record.accounting_systemid) ?? text(record.accountid);
}

/** The account ids the authorised user's businesses have (https://www.freshbooks.com/api/me_endpoint). */
function accountsOfUser(me: unknown): string[] {
	const memberships = at(me, 'response.business_memberships');
	const accounts = (Array.isArray(memberships) ? memberships : []).map((membership) => text(at(membership, 'business.account_id')));
	return [...new Set(accounts)].filter((account): account is string => account !== undefined);
}

/** Page tokens are `<account>/<page>`; without an Account ID in the credential the first request reads users/me. */
function pageToken(account: string, page: number): string {
	return `${account}/${page}`;
}

/**
 * Payments and invoices changed since the cursor: GET /accounting/account/<account>/payments/payments
 * (https://www.freshbooks.com/api/payments) and .../invoices/invoices (https://www.freshbooks.com/api/invoices) with
 * `search[updated_min]`, which has day granularity and is inclusive (https://www.freshbooks.com/api/parameters), in
 * pages of at most 100 (`page`, `per_page`, `pages`). Each record is read as the payment.update / invoice.update
 * notification for it plus the fetch of the record, so it gives the webhook trigger's event id for the same state.
 */
const poll: ProviderPoll = {
	description: 'FreshBooks payments and invoices, through their lists searched by last update',
	streams: ['payments', 'invoices'],
	// FreshBooks publishes no request quota; it answers 429 when one is exceeded, which the trigger retries.
	minIntervalMs: 250,
	request(stream, since, page, tools) {
		const [account, number] = page ? page.split('/') : [tools.credentials.accountId, '1'];
		if (!account) {
			return { method: 'GET', path: '/auth/api/v1/users/me', description: 'the FreshBooks user (users/me), for the account ID' };
		}
		const resource = stream === 'payments' ? RESOURCES.payment : RESOURCES.invoice;
		return {
			method: 'GET',
			path: `/accounting/account/${encodeURIComponent(account)}/${resource.path}`,
			qs: { 'search[updated_min]': easternDate(since), page: Number(number), per_page: 100 },
			description: `the ${stream} of account ${account} updated since ${since} (page ${number})`,
		};
	},
	read(stream, response) {
		if (at(response, 'response.business_memberships') !== undefined) {
			const accounts = accountsOfUser(response);
			if (accounts.length !== 1) {
				throw new Error(
					accounts.length === 0
						? 'FreshBooks: the authorised user belongs to no business with an account ID; set the Account ID in the credential'
						: `FreshBooks: the authorised user belongs to ${accounts.length} businesses (accounts ${accounts.join(', ')}); ` +
								'set the Account ID of the one to watch in the credential',
				);
			}
			return { records: [], next: pageToken(accounts[0], 1) };
		}
		const result = at(response, 'response.result');
		const list = at(result, stream);
		if (!Array.isArray(list)) throw new ProviderPayloadError(ID, `response.result.${stream}`, 'is not a list');
		const key = stream === 'payments' ? 'payment' : 'invoice';
		let account: string | undefined;
		const records = list.map((record, index): PolledRecord => {
			const field = `response.result.${stream}.${index}`;
			if (!isObject(record)) throw new ProviderPayloadError(ID, field, `is not a ${key}`);
			const id = requireText(ID, key === 'invoice' ? (record.invoiceid ?? record.id) : record.id, `${field}.id`);
			account = requireText(ID, accountOfRecord(record), `${field}.accounting_systemid`);
			const type = `${key}.update`;
			return {
				key: `${key}:${id}`,
				modifiedAt: easternToIso(record.updated, `${field}.updated`),
				// What the webhook's notification for this record carries; the record is what complete() would fetch.
				event: { id: `${account}:${type}:${id}`, type, data: { name: type, object_id: id, account_id: account } },
				completion: { response: { result: { [key]: record } } },
			};
		});
		const page = Number(at(result, 'page'));
		const pages = Number(at(result, 'pages'));
		return { records, next: account && page < pages ? pageToken(account, page + 1) : undefined };
	},
};

export const freshbooks: ProviderAdapter = {
	id: ID,
	displayName: 'FreshBooks',
	api: { credentialType: 'paymentEventsFreshBooksOAuth2Api', hosts: { live: 'https://api.freshbooks.com' } },
	events: EVENTS,
	webhook,
	poll,

	// A notification or the callback.verify handshake, as posted (form text) or as n8n's Webhook node parses it.
	detect: (input) => isNotification(fieldsOf(input)),

	parse(input: ProviderInput): ProviderEvent[] {
		const fields = fieldsOf(input);
		if (!isNotification(fields)) {
			throw new ProviderPayloadError(ID, 'body', 'is not a FreshBooks webhook form (name, object_id, account_id)');
		}
		const name = requireText(ID, fields.name, 'name');
		const objectId = requireText(ID, fields.object_id, 'object_id');
		// The handshake carries the verifier the node sends back; it is not an event about money.
		const id = name === HANDSHAKE ? `${HANDSHAKE}:${objectId}` : `${requireText(ID, fields.account_id, 'account_id')}:${name}:${objectId}`;
		return [{ id, type: name, data: fields }];
	},

	// https://www.freshbooks.com/api/payments (get single payment) and https://www.freshbooks.com/api/invoices
	complete(event): CompletionRequest | undefined {
		const target = moneyEventOf(event);
		if (!target) return undefined;
		const accountId = requireText(ID, at(event.data, 'account_id'), 'account_id');
		const objectId = requireText(ID, at(event.data, 'object_id'), 'object_id');
		return {
			method: 'GET',
			path: `/accounting/account/${encodeURIComponent(accountId)}/${target.path}/${encodeURIComponent(objectId)}`,
			description: `the FreshBooks ${target.key} ${objectId} of account ${accountId}`,
		};
	},

	normalize: (event, context) => normalizeEvent(event, context),
};
