import { randomBytes } from 'node:crypto';

import type { PaymentEventInput } from '../core/event';
import { subtractMoney } from '../core/money';
import { safeEqual } from '../core/signature';
import type { PaymentStatus } from '../core/status';
import { statusOf } from '../shared/providerApi';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromDecimal,
	normalizePhone,
	requireText,
	text,
} from './common';
import type {
	CompletionRequest,
	PolledRecord,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderPoll,
	ProviderWebhook,
	WebhookTools,
} from './types';

const ID = 'businesscentral';

// Records as API v2.0 returns them (an HTTP Request node or a poller), and webhook notifications:
// https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/resources/dynamics_salesinvoice
// https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/resources/dynamics_customerpayment
// https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/dynamics-subscriptions
const EVENTS = {
	salesInvoice: { description: 'A sales invoice as the API returns it (status Open, Paid, Canceled, ...)' },
	customerPayment: { description: 'A customer payment journal line (not yet posted)' },
	'salesInvoices.created': { description: 'Webhook: a sales invoice was created (fetched to read it)' },
	'salesInvoices.updated': { description: 'Webhook: a sales invoice changed, e.g. it was paid (fetched to read it)' },
	'salesInvoices.collection': { description: 'Webhook: many sales invoices changed (the filtered list is fetched)' },
} as const;

type Json = Record<string, unknown>;

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

function isNotification(item: unknown): item is Json {
	return (
		isObject(item) &&
		typeof item.subscriptionId === 'string' &&
		typeof item.changeType === 'string' &&
		typeof item.resource === 'string' &&
		/(^|\/)api\/.*companies\(/i.test(item.resource)
	);
}

function isSalesInvoice(record: Json): boolean {
	return 'totalAmountIncludingTax' in record && 'remainingAmount' in record;
}

function isCustomerPayment(record: Json): boolean {
	return 'appliesToInvoiceNumber' in record && 'amount' in record;
}

function isRecord(item: unknown): item is Json {
	return (
		isObject(item) &&
		typeof item.customerNumber === 'string' &&
		typeof item.lastModifiedDateTime === 'string' &&
		(isSalesInvoice(item) || isCustomerPayment(item))
	);
}

/** The entity set a notification's resource names, e.g. `salesInvoices` of `api/v2.0/companies(..)/salesInvoices(..)`. */
function entitySetOf(resource: string): string | undefined {
	return /\/([A-Za-z0-9_]+)(\([^)]*\))?\/*$/.exec(resource.split('?')[0])?.[1];
}

/** `prefix` locates the record in the delivery for error messages: '' or `value.<n>.`. */
function recordEventOf(record: Json, prefix: string): ProviderEvent {
	const id = requireText(ID, record.id, `${prefix}id`);
	const modified = requireText(ID, record.lastModifiedDateTime, `${prefix}lastModifiedDateTime`);
	const occurredAt = isoTime(ID, modified, `${prefix}lastModifiedDateTime`);
	if (isSalesInvoice(record)) {
		// status and remainingAmount come from the customer ledger entries, so they are part of the id too:
		// a re-read unchanged invoice gives the same id, a payment applied to it a new one.
		const status = text(record.status) ?? '';
		const remaining = text(record.remainingAmount) ?? '';
		return { id: `${id}:${status}:${remaining}:${modified}`, type: 'salesInvoice', occurredAt, data: record };
	}
	return { id: `${id}:${modified}`, type: 'customerPayment', occurredAt, data: record };
}

function notificationEventOf(item: Json, field: string): ProviderEvent {
	const subscriptionId = requireText(ID, item.subscriptionId, `${field}.subscriptionId`);
	const resource = requireText(ID, item.resource, `${field}.resource`);
	const changeType = requireText(ID, item.changeType, `${field}.changeType`);
	const modified = requireText(ID, item.lastModifiedDateTime, `${field}.lastModifiedDateTime`);
	const entitySet = entitySetOf(resource);
	if (!entitySet) throw new ProviderPayloadError(ID, `${field}.resource`, `"${resource}" names no entity set`);
	return {
		// Notifications carry no id of their own; a resource changes at most once per lastModifiedDateTime.
		id: `${subscriptionId}:${resource}:${changeType}:${modified}`,
		type: `${entitySet}.${changeType}`,
		occurredAt: isoTime(ID, modified, `${field}.lastModifiedDateTime`),
		data: item,
	};
}

/**
 * An empty currencyCode means the company's local currency (LCY), which the record does not name; guessing
 * it would put a wrong currency on the event, so the workflow has to supply it.
 */
function currencyOf(record: Json, prefix: string): string {
	const code = text(record.currencyCode);
	if (code === undefined) {
		throw new ProviderPayloadError(
			ID,
			`${prefix}currencyCode`,
			"is empty or missing: Business Central leaves it empty for the company's local currency (LCY), which the " +
				'record does not name; set currencyCode on the item to the company currency (GET companies({id})/companyInformation, ' +
				'currencyCode) before normalizing',
		);
	}
	return code;
}

function guid(value: unknown): string | undefined {
	const id = text(value);
	return id === EMPTY_GUID ? undefined : id;
}

function base(event: ProviderEvent, record: Json) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		occurredAt: event.occurredAt!,
		customer: compact({
			id: text(record.customerNumber),
			name: text(record.customerName),
			email: text(record.email),
			phone: normalizePhone(record.phoneNumber, text(record.billToCountry) ?? text(record.sellToCountry)),
		}),
		reference: text(record.externalDocumentNumber),
	};
}

function invoiceStatus(bcStatus: string, amountPaid: { minor: number }, field: string): PaymentStatus | undefined {
	if (bcStatus === 'Paid') return 'succeeded';
	if (bcStatus === 'Open') return amountPaid.minor > 0 ? 'partially_paid' : 'pending';
	// Corrective: a corrective credit memo cancelled the posted invoice.
	if (bcStatus === 'Canceled' || bcStatus === 'Corrective') return 'canceled';
	// " ", Draft and In Review are unposted: nothing is owed yet.
	if (bcStatus === '' || bcStatus === 'Draft' || bcStatus === 'In Review') return undefined;
	throw new ProviderPayloadError(ID, field, `unknown sales invoice status "${bcStatus}"`);
}

function normalizeSalesInvoice(event: ProviderEvent, record: Json, prefix = ''): PaymentEventInput[] {
	const currency = currencyOf(record, prefix);
	const total = moneyFromDecimal(ID, record.totalAmountIncludingTax, currency, `${prefix}totalAmountIncludingTax`);
	const amountDue = moneyFromDecimal(ID, record.remainingAmount, currency, `${prefix}remainingAmount`);
	if (amountDue.minor > total.minor) {
		throw new ProviderPayloadError(ID, `${prefix}remainingAmount`, 'is more than totalAmountIncludingTax');
	}
	const amountPaid = subtractMoney(total, amountDue);
	const status = invoiceStatus(typeof record.status === 'string' ? record.status.trim() : '', amountPaid, `${prefix}status`);
	if (!status) return [];
	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;
	return [
		{
			...base(event, record),
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			invoice: compact({ id: text(record.id), number: text(record.number) }),
		},
	];
}

function normalizeCustomerPayment(event: ProviderEvent, record: Json): PaymentEventInput[] {
	const amount = moneyFromDecimal(ID, record.amount, currencyOf(record, ''), 'amount');
	return [
		{
			...base(event, record),
			kind: 'payment',
			// A payment journal line records money received but is not posted to the ledger yet.
			status: 'pending',
			amount,
			payment: compact({ id: text(record.id) }),
			invoice: compact({ id: guid(record.appliesToInvoiceId), number: text(record.appliesToInvoiceNumber) }),
			reference: text(record.documentNumber) ?? text(record.externalDocumentNumber),
			description: text(record.description),
		},
	];
}

/** The fetched salesInvoice, or each one of a fetched `{ value: [...] }` list (collection notifications). */
function normalizeCompletion(event: ProviderEvent, completion: unknown): PaymentEventInput[] {
	if (!isObject(completion)) throw new ProviderPayloadError(ID, 'completion', 'is not a Business Central response object');
	const records = Array.isArray(completion.value) ? completion.value : [completion];
	return records.flatMap((record, index) => {
		const prefix = Array.isArray(completion.value) ? `value.${index}.` : '';
		if (!isObject(record) || !isSalesInvoice(record)) {
			throw new ProviderPayloadError(ID, prefix ? `value.${index}` : 'completion', 'is not a salesInvoice record');
		}
		// The fetched state is what the event reports, so it gets the id a poller reading that record would give.
		const recordEvent = recordEventOf(record, prefix);
		return normalizeSalesInvoice({ ...recordEvent, type: event.type, livemode: event.livemode }, record, prefix);
	});
}

// https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/dynamics-subscriptions
// No signature: every notification carries the subscription's clientState, a secret the node chose when subscribing.
// A 401 answer makes Business Central delete the subscription, which is what a forged request should never cause.
const SUBSCRIPTIONS = '/api/v2.0/subscriptions';
/** Subscriptions expire after three days; they are renewed this long before. */
const RENEW_AHEAD_MS = 12 * 60 * 60 * 1000;
const RETRY_MS = 15 * 60 * 1000;

interface BcSubscription {
	subscriptionId?: string;
	notificationUrl?: string;
	resource?: string;
	clientState?: string;
	expirationDateTime?: string;
	'@odata.etag'?: string;
}

const subscriptionPath = (id: string) => `${SUBSCRIPTIONS}('${encodeURIComponent(id)}')`;

/** The API path of an OData nextLink, relative to the environment's base URL like every other call. */
function nextPath(nextLink: unknown): { path: string; qs: Record<string, string> } | undefined {
	const link = text(nextLink);
	if (!link) return undefined;
	const url = new URL(link);
	const start = url.pathname.indexOf('/api/');
	return start < 0 ? undefined : { path: url.pathname.slice(start), qs: Object.fromEntries(url.searchParams) };
}

async function listAll<T>(tools: WebhookTools, path: string, description: string): Promise<T[]> {
	const records: T[] = [];
	let page: { path: string; qs?: Record<string, string> } | undefined = { path };
	for (let pages = 0; page && pages < 100; pages++) {
		const response = await tools.callApi({ method: 'GET', path: page.path, qs: page.qs, description });
		const value = isObject(response) && Array.isArray(response.value) ? (response.value as T[]) : [];
		records.push(...value);
		page = isObject(response) ? nextPath(response['@odata.nextLink']) : undefined;
	}
	return records;
}

const renewals = new Map<string, ReturnType<typeof setTimeout>>();

function cancelRenewal(id: string): void {
	clearTimeout(renewals.get(id));
	renewals.delete(id);
}

/** PATCH renews a subscription for three more days; Business Central repeats the validation handshake for it. */
export async function renewSubscription(tools: WebhookTools, id: string): Promise<string | undefined> {
	const current = (await tools.callApi({ method: 'GET', path: subscriptionPath(id), description: `the webhook subscription ${id}` })) as BcSubscription;
	const renewed = (await tools.callApi({
		method: 'PATCH',
		path: subscriptionPath(id),
		headers: { 'If-Match': current['@odata.etag'] ?? '*' },
		body: { notificationUrl: current.notificationUrl, resource: current.resource, clientState: current.clientState },
		description: `the webhook subscription ${id} (renewal)`,
	})) as BcSubscription;
	return text(renewed.expirationDateTime);
}

/**
 * Renews the subscription before it expires, from this process. Registration hooks run only when the workflow is
 * published or n8n starts, so the renewal is a timer; it lives as long as the process that published the workflow.
 */
function scheduleRenewal(
	tools: WebhookTools,
	id: string,
	expiresAt: number,
	delay = Math.max(expiresAt - Date.now() - RENEW_AHEAD_MS, 60_000),
): void {
	cancelRenewal(id);
	if (!Number.isFinite(expiresAt)) return;
	const timer = setTimeout(() => {
		renewals.delete(id);
		renewSubscription(tools, id).then(
			(next) => scheduleRenewal(tools, id, Date.parse(next ?? '')),
			() => {
				if (expiresAt - Date.now() > RETRY_MS) scheduleRenewal(tools, id, expiresAt, RETRY_MS);
			},
		);
	}, delay);
	timer.unref?.();
	renewals.set(id, timer);
}

/** Whether a renewal timer runs for the subscription (for tests and diagnostics). */
export const renewalScheduled = (id: string): boolean => renewals.has(id);

const salesInvoicesOf = (companyId: string) => `/api/v2.0/companies(${companyId})/salesInvoices`;

async function deleteSubscriptions(tools: WebhookTools, ids: readonly string[]): Promise<void> {
	for (const id of ids) {
		cancelRenewal(id);
		try {
			const current = (await tools.callApi({ method: 'GET', path: subscriptionPath(id), description: `the webhook subscription ${id}` })) as BcSubscription;
			await tools.callApi({
				method: 'DELETE',
				path: subscriptionPath(id),
				headers: { 'If-Match': current['@odata.etag'] ?? '*' },
				description: `the webhook subscription ${id}`,
			});
		} catch (error) {
			if (statusOf(error) !== 404) throw error;
		}
	}
}

const webhook: ProviderWebhook = {
	authentication: 'the clientState secret the node set on its subscription, in every notification, compared in constant time',
	secretFields: { webhookSecret: 'Client State' },
	// No header is signed: the same body again is a replay.
	signatureHeaders: [],
	verify(request, secrets) {
		let body: unknown;
		try {
			body = JSON.parse(request.rawBody.toString('utf8'));
		} catch {
			return { ok: false, reason: 'the body is not JSON' };
		}
		const notifications = isObject(body) && Array.isArray(body.value) ? body.value : [];
		if (notifications.length === 0) return { ok: false, reason: 'the body has no notifications (value)' };
		const authentic = notifications.every((item) => isObject(item) && safeEqual(text(item.clientState), secrets.webhookSecret));
		return authentic ? { ok: true } : { ok: false, reason: 'a notification does not carry the subscription’s clientState' };
	},
	/** Creating or renewing a subscription: Business Central posts `?validationToken=…` and wants it back as text within 5 s. */
	handshake(request) {
		const token = request.query.validationToken;
		if (token === undefined) return undefined;
		// Tokens are opaque text (Microsoft's contain spaces); markup is never echoed, even as text/plain.
		if (!/^[\x20-\x3b=\x3f-\x7e]{1,1024}$/.test(token)) return { status: 400, body: { error: 'Bad validationToken' } };
		return { status: 200, body: token, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } };
	},
	subscription: {
		secretField: 'webhookSecret',
		// A subscription found without a clientState (made by someone else) cannot be verified, so it is replaced.
		secretOnlyAtCreation: true,
		async find(tools, url) {
			const now = tools.now.getTime();
			const mine = (await listAll<BcSubscription>(tools, SUBSCRIPTIONS, 'the webhook subscriptions')).filter(
				(subscription) =>
					subscription.notificationUrl === url &&
					/\/salesInvoices$/.test(subscription.resource ?? '') &&
					!(Date.parse(subscription.expirationDateTime ?? '') <= now),
			);
			if (mine.length === 0) return undefined;
			for (const subscription of mine) {
				scheduleRenewal(tools, String(subscription.subscriptionId), Date.parse(subscription.expirationDateTime ?? ''));
			}
			const states = new Set(mine.map((subscription) => text(subscription.clientState)));
			const [state] = states;
			return { id: mine.map((subscription) => String(subscription.subscriptionId)).join(','), ...(states.size === 1 && state ? { secret: state } : {}) };
		},
		/**
		 * One subscription to salesInvoices per company of the environment (the registration hooks get no credential
		 * fields, so there is no company to choose), all with one new clientState.
		 */
		async create(tools, url) {
			const companies = await listAll<{ id?: string }>(tools, '/api/v2.0/companies', 'the companies');
			if (companies.length === 0) throw new Error('Dynamics 365 Business Central: the environment has no company to subscribe to');
			const clientState = randomBytes(32).toString('base64url');
			const created: BcSubscription[] = [];
			try {
				for (const company of companies) {
					const companyId = requireText(ID, company.id, 'companies.value.id');
					created.push(
						(await tools.callApi({
							method: 'POST',
							path: SUBSCRIPTIONS,
							body: { notificationUrl: url, resource: salesInvoicesOf(companyId), clientState },
							description: `the webhook subscription to the sales invoices of company ${companyId}`,
						})) as BcSubscription,
					);
				}
			} catch (error) {
				await deleteSubscriptions(tools, created.map((subscription) => String(subscription.subscriptionId)));
				throw error;
			}
			for (const subscription of created) {
				scheduleRenewal(tools, String(subscription.subscriptionId), Date.parse(subscription.expirationDateTime ?? ''));
			}
			return { id: created.map((subscription) => String(subscription.subscriptionId)).join(','), secret: clientState };
		},
		async delete(tools, id) {
			await deleteSubscriptions(tools, id.split(',').filter(Boolean));
		},
	},
};

/** How many records a page of the poll asks for (the service's own limit is 20,000 a page). */
const POLL_PAGE_SIZE = 1000;

/** Whether a list response is GET /companies (answered when the credential names no company) rather than invoices. */
function isCompanyList(response: Json, value: unknown[]): boolean {
	const context = text(response['@odata.context']);
	if (context) return /#companies$/.test(context);
	return value.length > 0 && value.every((item) => isObject(item) && 'displayName' in item && !isSalesInvoice(item));
}

/**
 * Sales invoices changed since the cursor: GET companies({id})/salesInvoices?$filter=lastModifiedDateTime ge <since>
 * (https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/api/dynamics_salesinvoice_get),
 * paged by the service with @odata.nextLink under `Prefer: odata.maxpagesize`
 * (https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/webservices/server-driven-paging-in-odata-web-services).
 * A payment applied to a posted invoice shows as its remainingAmount falling and its status turning Paid.
 * Page tokens: `company:<id>` for the first page, then the API path of the nextLink.
 */
const poll: ProviderPoll = {
	description: 'Business Central sales invoices (status and remaining amount), through the list filtered by lastModifiedDateTime',
	streams: ['salesInvoices'],
	// https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/dynamics-rate-limits and the
	// operational limits it points to: 6,000 requests per user in a 5-minute sliding window, then 429 (retried).
	minIntervalMs: 100,
	request(_stream, since, page, tools) {
		const company = page?.startsWith('company:') ? page.slice('company:'.length) : page ? undefined : tools.credentials.companyId;
		if (page && company === undefined) {
			const [path, query] = page.split('?');
			return {
				method: 'GET',
				path,
				qs: Object.fromEntries(new URLSearchParams(query ?? '')),
				headers: { Prefer: `odata.maxpagesize=${POLL_PAGE_SIZE}` },
				description: `the sales invoices changed since ${since} (next page)`,
			};
		}
		if (!company) return { method: 'GET', path: '/api/v2.0/companies', description: 'the companies, for the company to poll' };
		return {
			method: 'GET',
			path: salesInvoicesOf(company),
			qs: { $filter: `lastModifiedDateTime ge ${new Date(since).toISOString()}` },
			headers: { Prefer: `odata.maxpagesize=${POLL_PAGE_SIZE}` },
			description: `the sales invoices of company ${company} changed since ${since}`,
		};
	},
	read(_stream, response) {
		if (!isObject(response) || !Array.isArray(response.value)) {
			throw new ProviderPayloadError(ID, 'value', 'is not an OData list of sales invoices');
		}
		const value = response.value;
		if (isCompanyList(response, value)) {
			const ids = value.map((company, index) => requireText(ID, at(company, 'id'), `value.${index}.id`));
			if (ids.length !== 1) {
				throw new Error(
					ids.length === 0
						? 'Dynamics 365 Business Central: the environment has no company to poll'
						: `Dynamics 365 Business Central: the environment has ${ids.length} companies; set the Company ID of the one to poll in the credential`,
				);
			}
			return { records: [], next: `company:${ids[0]}` };
		}
		const records = value.map((record, index): PolledRecord => {
			if (!isObject(record) || !isSalesInvoice(record)) throw new ProviderPayloadError(ID, `value.${index}`, 'is not a salesInvoice record');
			// The same event the record gives when it reaches the Normalize node or a webhook's fetch.
			const event = recordEventOf(record, `value.${index}.`);
			return { key: `salesInvoice:${requireText(ID, record.id, `value.${index}.id`)}`, modifiedAt: event.occurredAt!, event };
		});
		const next = nextPath(response['@odata.nextLink']);
		return { records, next: next ? `${next.path}?${new URLSearchParams(next.qs).toString()}` : undefined };
	},
};

export const businesscentral: ProviderAdapter = {
	id: ID,
	displayName: 'Dynamics 365 Business Central',
	api: {
		credentialType: 'paymentEventsBusinessCentralOAuth2Api',
		hosts: { default: 'https://api.businesscentral.dynamics.com/v2.0/{tenantId}/{bcEnvironment}' },
	},
	events: EVENTS,
	webhook,
	poll,

	// A webhook notification, a salesInvoices/customerPayments record, or an OData list of them.
	detect({ body }) {
		if (!isObject(body)) return false;
		if (!Array.isArray(body.value)) return isRecord(body);
		return body.value.length > 0 && (body.value.every(isNotification) || body.value.every(isRecord));
	},

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Business Central record or notification');
		if (!Array.isArray(body.value)) {
			if (!isRecord(body)) throw new ProviderPayloadError(ID, 'body', 'is neither a salesInvoice nor a customerPayment record');
			return [recordEventOf(body, '')];
		}
		return body.value.map((item, index) => {
			if (isNotification(item)) return notificationEventOf(item, `value.${index}`);
			if (isRecord(item)) return recordEventOf(item, `value.${index}.`);
			throw new ProviderPayloadError(ID, `value.${index}`, 'is neither a notification nor a salesInvoice/customerPayment record');
		});
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		if (!(event.type in EVENTS) || !event.type.startsWith('salesInvoices.')) return undefined;
		const resource = requireText(ID, (event.data as Json | undefined)?.resource, 'resource');
		const [path, query] = resource.split('?');
		const qs = query ? Object.fromEntries(new URLSearchParams(query)) : undefined;
		return {
			method: 'GET',
			// The resource is relative to the environment's base URL, https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}.
			path: `/${path.replace(/^\/+/, '')}`,
			...(qs ? { qs } : {}),
			description: `the Business Central ${event.type.endsWith('.collection') ? 'sales invoices' : 'sales invoice'} ${path}`,
		};
	},

	normalize(event, context) {
		if (event.type === 'salesInvoice') return normalizeSalesInvoice(event, event.data as Json);
		if (event.type === 'customerPayment') return normalizeCustomerPayment(event, event.data as Json);
		// Notifications: deleted records cannot be read back; other entities (customers, items, ...) are not about money.
		if (businesscentral.complete!(event) === undefined) return [];
		if (context.completion === undefined) {
			throw new ProviderPayloadError(ID, 'completion', 'is missing: fetch the resource named by complete() first');
		}
		return normalizeCompletion(event, context.completion);
	},
};
