import type { PaymentEventInput } from '../core/event';
import { subtractMoney } from '../core/money';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	compact,
	isObject,
	isoTime,
	moneyFromDecimal,
	normalizePhone,
	requireText,
	text,
} from './common';
import type { CompletionRequest, ProviderAdapter, ProviderEvent, ProviderInput } from './types';

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

export const businesscentral: ProviderAdapter = {
	id: ID,
	displayName: 'Dynamics 365 Business Central',
	api: {
		credentialType: 'paymentEventsBusinessCentralOAuth2Api',
		hosts: { default: 'https://api.businesscentral.dynamics.com/v2.0/{tenantId}/{bcEnvironment}' },
	},
	events: EVENTS,

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
