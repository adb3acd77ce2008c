import { randomBytes } from 'node:crypto';

import type { PaymentEventInput } from '../core/event';
import type { Money } from '../core/money';
import type { PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromMinor,
	normalizePhone,
	requireText,
	text,
} from './common';
import { safeEqual } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification, WebhookTools } from './types';

const ID = 'chargebee';

// https://apidocs.chargebee.com/docs/api/events#event_types
const EVENTS = {
	payment_succeeded: { description: 'A payment was collected' },
	payment_failed: { description: 'A payment attempt failed' },
	payment_initiated: { description: 'A payment was started (direct debit and other asynchronous methods)' },
	payment_refunded: { description: 'A payment was refunded' },
	refund_initiated: { description: 'A refund was started (asynchronous methods)' },
	invoice_generated: { description: 'An invoice was generated' },
} as const;

type ChargebeeObject = Record<string, unknown>;

// https://apidocs.chargebee.com/docs/api/transactions#transaction_status
const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	success: 'succeeded',
	in_progress: 'pending',
	needs_attention: 'pending',
	failure: 'failed',
	timeout: 'failed',
	late_failure: 'failed',
	voided: 'canceled',
};

function customerOf(content: ChargebeeObject, owner: ChargebeeObject): PaymentEventInput['customer'] {
	const customer = isObject(content.customer) ? content.customer : undefined;
	const billing = isObject(customer?.billing_address) ? customer.billing_address : at(owner, 'billing_address');
	const nameOf = (value: unknown) =>
		[text(at(value, 'first_name')), text(at(value, 'last_name'))].filter(Boolean).join(' ') || undefined;
	return compact({
		id: text(customer?.id) ?? text(owner.customer_id),
		name: nameOf(customer) ?? nameOf(billing),
		email: text(customer?.email) ?? text(at(billing, 'email')),
		phone: normalizePhone(text(customer?.phone) ?? text(at(billing, 'phone')), text(at(billing, 'country'))),
		locale: text(customer?.locale),
	});
}

function base(event: ProviderEvent, content: ChargebeeObject, owner: ChargebeeObject) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		// Events do not say whether the site is a test site.
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: customerOf(content, owner),
	};
}

function transactionEvent(event: ProviderEvent, content: ChargebeeObject): PaymentEventInput[] {
	const transaction = content.transaction;
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, 'content.transaction', 'is missing');
	const txnStatus = requireText(ID, transaction.status, 'content.transaction.status');
	let status = Object.hasOwn(TRANSACTION_STATUS, txnStatus) ? TRANSACTION_STATUS[txnStatus] : undefined;
	if (!status) throw new ProviderPayloadError(ID, 'content.transaction.status', `unknown transaction status "${txnStatus}"`);
	const currency = transaction.currency_code;
	const amount = moneyFromMinor(ID, transaction.amount, currency, 'content.transaction.amount');
	const isRefund = transaction.type === 'refund';
	const invoice = isObject(content.invoice) ? content.invoice : undefined;
	const paymentId = isRefund ? text(transaction.refunded_txn_id) : text(transaction.id);

	// A refund of the whole payment or of part of it: the invoice lists what the refunded payment was.
	let total: Money | undefined;
	if (isRefund) {
		const linked = at(invoice, 'linked_payments');
		const original = Array.isArray(linked) ? linked.find((payment) => text(at(payment, 'txn_id')) === paymentId) : undefined;
		if (original !== undefined) {
			total = moneyFromMinor(ID, at(original, 'txn_amount'), currency, 'content.invoice.linked_payments.txn_amount');
			if (status === 'succeeded') status = amount.minor >= total.minor ? 'refunded' : 'partially_refunded';
		}
		if (status === 'succeeded') status = 'refunded';
	}

	const masked = text(transaction.masked_card_number);
	return [
		{
			...base(event, content, transaction),
			kind: isRefund ? 'refund' : 'payment',
			status,
			amount,
			total,
			invoice: compact({ id: text(invoice?.id) ?? text(at(transaction, 'linked_invoices.0.invoice_id')) }),
			payment: compact({
				id: paymentId,
				method: text(transaction.payment_method),
				last4: cardLast4(masked),
			}),
		},
	];
}

// https://apidocs.chargebee.com/docs/api/invoices#invoice_status
function invoiceEvent(event: ProviderEvent, content: ChargebeeObject): PaymentEventInput[] {
	const invoice = content.invoice;
	if (!isObject(invoice)) throw new ProviderPayloadError(ID, 'content.invoice', 'is missing');
	const currency = invoice.currency_code;
	const total = moneyFromMinor(ID, invoice.total, currency, 'content.invoice.total');
	const amountPaid = moneyFromMinor(ID, invoice.amount_paid, currency, 'content.invoice.amount_paid');
	const amountDue = moneyFromMinor(ID, invoice.amount_due, currency, 'content.invoice.amount_due');
	const invoiceStatus = requireText(ID, invoice.status, 'content.invoice.status');
	let status: PaymentStatus;
	if (invoiceStatus === 'paid') status = 'succeeded';
	else if (invoiceStatus === 'voided') status = 'canceled';
	// not_paid: every collection attempt failed (payment_due is still being retried).
	else if (invoiceStatus === 'not_paid') status = 'failed';
	else status = amountPaid.minor > 0 && amountDue.minor > 0 ? 'partially_paid' : 'pending';
	const collected = status === 'succeeded' || status === 'partially_paid';
	const id = text(invoice.id);
	return [
		{
			...base(event, content, invoice),
			kind: 'invoice',
			status,
			amount: collected ? amountPaid : amountDue,
			total,
			amountPaid,
			amountDue,
			// A Chargebee invoice id is its number.
			invoice: compact({ id, number: id }),
		},
	];
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const content = at(event.data, 'content');
	if (!isObject(content)) throw new ProviderPayloadError(ID, 'content', 'is missing');
	if (event.type === 'invoice_generated') return invoiceEvent(event, content);
	if (Object.hasOwn(EVENTS, event.type)) return transactionEvent(event, content);
	return [];
}

/** The user name of the endpoints the trigger registers; their password is generated and kept in the node. */
export const REGISTERED_USER = 'n8n';
/** Where the node's static data holds the generated password: not a credential field, so a filled-in one never hides it. */
const REGISTERED_PASSWORD = 'registeredWebhookPassword';

// Chargebee does not sign webhooks; its strongest check is HTTP basic auth on the endpoint
// (https://apidocs.chargebee.com/docs/api/webhook_endpoints : basic_auth_username / basic_auth_password).
function verify(authorization: string | undefined, secrets: Readonly<Record<string, string>>): Verification {
	const candidates = [
		secrets.webhookPassword && `${secrets.webhookUsername ?? ''}:${secrets.webhookPassword}`,
		secrets[REGISTERED_PASSWORD] && `${REGISTERED_USER}:${secrets[REGISTERED_PASSWORD]}`,
	].filter((candidate): candidate is string => Boolean(candidate));
	if (candidates.length === 0) {
		return { ok: false, reason: 'the credential has no Webhook Password and the node has not registered its endpoint yet' };
	}
	const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
	if (!basic) return { ok: false, reason: 'no basic Authorization header' };
	const given = Buffer.from(basic[1], 'base64').toString('utf8');
	// Every candidate is compared, so the time taken does not tell which one came close.
	const matches = candidates.map((candidate) => safeEqual(given, candidate));
	return matches.some(Boolean) ? { ok: true } : { ok: false, reason: 'the basic auth user name or password does not match' };
}

interface WebhookEndpoint {
	id: string;
	url: string;
}

// https://apidocs.chargebee.com/docs/api/webhook_endpoints : list (paginated by next_offset), create, delete.
async function findEndpoint(tools: WebhookTools, url: string): Promise<WebhookEndpoint | undefined> {
	let offset: string | undefined;
	for (;;) {
		const page = (await tools.callApi({
			method: 'GET',
			path: '/webhook_endpoints',
			qs: { limit: 100, ...(offset ? { offset } : {}) },
			description: 'the webhook endpoints',
		})) as { list: Array<{ webhook_endpoint: WebhookEndpoint }>; next_offset?: string };
		const found = page.list.find((entry) => entry.webhook_endpoint.url === url);
		if (found) return found.webhook_endpoint;
		if (!page.next_offset) return undefined;
		offset = page.next_offset;
	}
}

const webhook: ProviderWebhook = {
	authentication: 'HTTP basic auth set on the webhook endpoint (Chargebee does not sign webhooks)',
	// Either the credential's user name and password or the pair the node registered will do: verify says which is missing.
	secretFields: {},
	signatureHeaders: ['authorization'],
	verify: (request, secrets) => verify(request.headers.authorization, secrets),
	subscription: {
		secretField: REGISTERED_PASSWORD,
		// Chargebee never returns the password: an endpoint for this URL whose password the node lacks is replaced.
		secretOnlyAtCreation: true,
		async find(tools, url) {
			const found = await findEndpoint(tools, url);
			return found && { id: found.id };
		},
		async create(tools, url, eventTypes) {
			const password = randomBytes(24).toString('base64url');
			const created = (await tools.callApi({
				method: 'POST',
				path: '/webhook_endpoints',
				form: {
					name: 'n8n payment events',
					url,
					api_version: 'v2',
					basic_auth_username: REGISTERED_USER,
					basic_auth_password: password,
					...Object.fromEntries(eventTypes.map((type, index) => [`enabled_events[${index}]`, type])),
				},
				description: `the webhook endpoint for ${url}`,
			})) as { webhook_endpoint: WebhookEndpoint };
			return { id: created.webhook_endpoint.id, secret: password };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'POST', path: `/webhook_endpoints/${id}/delete`, description: `the webhook endpoint ${id}` });
		},
	},
};

export const chargebee: ProviderAdapter = {
	id: ID,
	displayName: 'Chargebee',
	events: EVENTS,
	api: { credentialType: 'paymentEventsChargebeeApi', hosts: { live: 'https://{site}.chargebee.com/api/v2' } },
	webhook,

	// A Chargebee event as delivered, and as n8n's Chargebee Trigger emits it.
	detect: ({ body }) =>
		isObject(body) &&
		typeof body.event_type === 'string' &&
		isObject(body.content) &&
		typeof body.id === 'string' &&
		body.occurred_at !== undefined,

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Chargebee event object');
		return [
			{
				id: requireText(ID, body.id, 'id'),
				type: requireText(ID, body.event_type, 'event_type'),
				occurredAt: isoTime(ID, body.occurred_at, 'occurred_at'),
				data: body,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
