import { XMLParser } from 'fast-xml-parser';

import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromDecimal,
	moneyFromMinor,
	normalizePhone,
	requireText,
	text,
} from './common';
import { isWithinTolerance, verifyHmac } from '../core/signature';
import type {
	CompletionRequest,
	NormalizeContext,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderWebhook,
	Verification,
} from './types';

const ID = 'recurly';

// Payment notifications, XML and JSON: Recurly's webhook docs, "Payment notifications"
// (github.com/recurly/recurly-docs docs/WEBHOOKS/notifications/payment-notifications.md)
const EVENTS = {
	successful_payment_notification: { description: 'XML: a payment succeeded (or a manual payment was recorded)' },
	failed_payment_notification: { description: 'XML: a payment was declined' },
	successful_refund_notification: { description: 'XML: a refund succeeded' },
	void_payment_notification: { description: 'XML: a payment was voided before it settled' },
	scheduled_payment_notification: { description: 'XML: an asynchronous payment (ACH, SEPA) was scheduled' },
	processing_payment_notification: { description: 'XML: an ACH or PayPal eCheck payment is processing' },
	'payment.scheduled': { description: 'JSON: an asynchronous payment was scheduled' },
	'payment.processing': { description: 'JSON: an ACH or PayPal eCheck payment is processing' },
	'payment.succeeded': { description: 'JSON: a payment succeeded' },
	'payment.failed': { description: 'JSON: a payment was declined' },
	'payment.refunded': { description: 'JSON: a refund succeeded' },
	'payment.voided': { description: 'JSON: a payment was voided' },
	'payment.transaction_status_updated': { description: 'JSON: the gateway updated a transaction’s status' },
} as const;

interface Outcome {
	kind: EventKind;
	status: PaymentStatus;
}

const XML_OUTCOMES: Record<string, Outcome> = {
	successful_payment_notification: { kind: 'payment', status: 'succeeded' },
	failed_payment_notification: { kind: 'payment', status: 'failed' },
	successful_refund_notification: { kind: 'refund', status: 'refunded' },
	void_payment_notification: { kind: 'payment', status: 'canceled' },
	scheduled_payment_notification: { kind: 'payment', status: 'pending' },
	processing_payment_notification: { kind: 'payment', status: 'pending' },
};

const JSON_OUTCOMES: Record<string, Outcome> = {
	scheduled: { kind: 'payment', status: 'pending' },
	processing: { kind: 'payment', status: 'pending' },
	succeeded: { kind: 'payment', status: 'succeeded' },
	failed: { kind: 'payment', status: 'failed' },
	refunded: { kind: 'refund', status: 'refunded' },
	voided: { kind: 'payment', status: 'canceled' },
};

/** Transaction `status` of the v3 API (https://developers.recurly.com/api/v2021-02-25#tag/transaction). */
const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	success: 'succeeded',
	declined: 'failed',
	error: 'failed',
	pending: 'pending',
	processing: 'pending',
	scheduled: 'pending',
	void: 'canceled',
	chargeback: 'disputed',
};

type Node = Record<string, unknown>;

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: true });

/**
 * The text of an XML element as fast-xml-parser ("#text", "@_nil") or n8n's webhook body parser,
 * xml2js ("_", "$"), gives it; undefined for an element Recurly marks nil="true".
 */
function value(node: unknown): string | undefined {
	if (!isObject(node)) return text(node);
	if (node['@_nil'] === 'true' || at(node, '$.nil') === 'true') return undefined;
	return text(node['#text'] ?? node._);
}

function xmlRoot(input: ProviderInput): { type: string; notification: Node } | undefined {
	const { body } = input;
	if (isObject(body)) {
		const keys = Object.keys(body);
		if (keys.length === 1 && keys[0].endsWith('_notification') && isObject(body[keys[0]])) {
			return { type: keys[0], notification: body[keys[0]] as Node };
		}
		return undefined;
	}
	const raw = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : input.rawBody?.toString('utf8');
	const type = raw && /^\s*(?:<\?xml[^>]*\?>\s*)?<([a-z_]+_notification)[\s>]/.exec(raw)?.[1];
	if (!raw || !type) return undefined;
	let parsed: unknown;
	try {
		parsed = xml.parse(raw);
	} catch (error) {
		throw new ProviderPayloadError(ID, 'body', 'is not well-formed XML', { cause: error });
	}
	const notification = at(parsed, type);
	return { type, notification: isObject(notification) ? notification : {} };
}

function isJsonWebhook(body: unknown): body is Node {
	return (
		isObject(body) &&
		typeof body.id === 'string' &&
		typeof body.object_type === 'string' &&
		typeof body.event_type === 'string' &&
		typeof body.site_id === 'string'
	);
}

function fullName(first: unknown, last: unknown): string | undefined {
	return [text(first), text(last)].filter(Boolean).join(' ') || undefined;
}

/** The Transaction the v3 API returned for complete(), checked to be the one the event is about. */
function completionOf(context: NormalizeContext, uuid: string): Node | undefined {
	const completion = context.completion;
	if (completion === undefined || completion === null) return undefined;
	if (!isObject(completion)) throw new ProviderPayloadError(ID, 'completion', 'is not a Recurly transaction');
	const fetched = text(completion.uuid);
	if (fetched !== undefined && fetched !== uuid) {
		throw new ProviderPayloadError(ID, 'completion.uuid', `is ${fetched}, not the notified transaction ${uuid}`);
	}
	return completion;
}

function fetchTransaction(uuid: string): CompletionRequest {
	// https://developers.recurly.com/api/v2021-02-25#operation/get_transaction : "For UUID use prefix `uuid-`".
	return { method: 'GET', path: `/transactions/uuid-${uuid}`, description: `the Recurly transaction ${uuid}` };
}

function normalizeXml(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	const outcome = Object.hasOwn(XML_OUTCOMES, event.type) ? XML_OUTCOMES[event.type] : undefined;
	if (!outcome) return [];
	const account = at(event.data, 'account');
	const transaction = at(event.data, 'transaction');
	const transactionId = requireText(ID, value(at(transaction, 'id')), 'transaction.id');
	// Payment notifications carry amount_in_cents but no currency: it comes from the fetched transaction.
	const currency = value(at(transaction, 'currency')) ?? completionOf(context, transactionId)?.currency;
	if (text(currency) === undefined) {
		throw new ProviderPayloadError(ID, 'transaction.currency', 'is missing: fetch the transaction (complete()) for it');
	}
	const invoiceNumber = value(at(transaction, 'invoice_number'));
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: outcome.kind,
			status: outcome.status,
			amount: moneyFromMinor(ID, value(at(transaction, 'amount_in_cents')), currency, 'transaction.amount_in_cents'),
			customer: compact({
				id: value(at(account, 'account_code')),
				name: fullName(value(at(account, 'first_name')), value(at(account, 'last_name'))) ?? value(at(account, 'company_name')),
				email: value(at(account, 'email')),
				phone: normalizePhone(value(at(account, 'phone'))),
			}),
			invoice: compact({
				id: value(at(transaction, 'invoice_id')),
				number: invoiceNumber && (value(at(transaction, 'invoice_number_prefix')) ?? '') + invoiceNumber,
			}),
			payment: compact({ id: transactionId, method: value(at(transaction, 'payment_method')) }),
			description: outcome.status === 'failed' ? value(at(transaction, 'message')) : undefined,
		},
	];
}

function normalizeJson(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	const eventType = text(at(event.data, 'event_type')) ?? '';
	const known = Object.hasOwn(JSON_OUTCOMES, eventType) || eventType === 'transaction_status_updated';
	if (text(at(event.data, 'object_type')) !== 'payment' || !known) return [];
	const uuid = requireText(ID, at(event.data, 'uuid'), 'uuid');
	const transaction = completionOf(context, uuid);
	if (!transaction) throw new ProviderPayloadError(ID, 'completion', 'is missing: fetch the transaction (complete()) first');

	const fetchedStatus = text(transaction.status) ?? '';
	const refund = text(transaction.type) === 'refund';
	let outcome: Outcome | undefined = JSON_OUTCOMES[eventType];
	if (!outcome) {
		const status = Object.hasOwn(TRANSACTION_STATUS, fetchedStatus) ? TRANSACTION_STATUS[fetchedStatus] : undefined;
		if (!status) throw new ProviderPayloadError(ID, 'completion.status', `unknown transaction status "${fetchedStatus}"`);
		const kind: EventKind = status === 'disputed' ? 'dispute' : refund ? 'refund' : 'payment';
		outcome = { kind, status: refund && status === 'succeeded' ? 'refunded' : status };
	}
	const account = transaction.account;
	const billing = transaction.billing_address;
	const method = transaction.payment_method;
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: outcome.kind,
			status: outcome.status,
			// v3 amounts are decimal numbers in the currency's unit.
			amount: moneyFromDecimal(ID, transaction.amount, transaction.currency, 'completion.amount'),
			customer: compact({
				id: text(at(account, 'code')) ?? text(at(account, 'id')),
				name:
					fullName(at(account, 'first_name'), at(account, 'last_name')) ??
					fullName(at(billing, 'first_name'), at(billing, 'last_name')) ??
					text(at(account, 'company')),
				email: text(at(account, 'email')),
				phone: normalizePhone(at(billing, 'phone'), text(at(billing, 'country'))),
			}),
			invoice: compact({ id: text(at(transaction, 'invoice.id')), number: text(at(transaction, 'invoice.number')) }),
			payment: compact({
				id: (refund ? text(transaction.original_transaction_id) : undefined) ?? text(transaction.id),
				method: text(at(method, 'object')),
				brand: text(at(method, 'card_type')),
				last4: text(at(method, 'last_four')),
			}),
			description: outcome.status === 'failed' ? text(transaction.status_message) : undefined,
		},
	];
}

// https://docs.recurly.com/recurly-subscriptions/docs/signature-verification : `recurly-signature: <unix ms>,<hex>[,<hex>]`,
// HMAC-SHA256 of `<timestamp>.<raw body>` with the endpoint's secret key, JSON webhooks only (XML ones are unsigned).
// The window is the official clients' default (recurly-client-ruby Recurly::Webhooks::DEFAULT_TOLERANCE, 5 minutes).
const TOLERANCE_SECONDS = 300;

function verify(rawBody: Buffer, header: string | undefined, secret: string, now: Date): Verification {
	if (!header) return { ok: false, reason: 'no recurly-signature header (XML notifications are not signed: use JSON webhooks)' };
	const [timestamp, ...signatures] = header.split(',').map((part) => part.trim());
	if (!/^\d+$/.test(timestamp) || signatures.length === 0) return { ok: false, reason: 'recurly-signature has no timestamp or signature' };
	if (!isWithinTolerance(new Date(Number(timestamp)), TOLERANCE_SECONDS, now)) {
		return { ok: false, reason: `the signature's timestamp is more than ${TOLERANCE_SECONDS} s away` };
	}
	const payload = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
	const valid = signatures.some((signature) => verifyHmac({ algorithm: 'sha256', key: secret, payload, signature, encoding: 'hex' }));
	return valid ? { ok: true } : { ok: false, reason: 'no signature matches the secret key' };
}

const webhook: ProviderWebhook = {
	authentication: `HMAC-SHA256 of the timestamp and raw body (recurly-signature header, JSON webhooks), at most ${TOLERANCE_SECONDS} s old`,
	secretFields: { webhookSecret: 'Webhook Secret Key' },
	signatureHeaders: ['recurly-signature'],
	signsEachAttempt: true,
	verify: (request, secrets, tools) => verify(request.rawBody, request.headers['recurly-signature'], secrets.webhookSecret, tools.now),
	// https://docs.recurly.com/recurly-subscriptions/docs/webhooks : configured in the Admin UI, not through the API.
	setup: 'in Recurly under Integrations → Webhooks, as a JSON endpoint, and paste its secret key into the credential',
};

export const recurly: ProviderAdapter = {
	id: ID,
	displayName: 'Recurly',
	api: { credentialType: 'paymentEventsRecurlyApi', hosts: { us: 'https://v3.recurly.com', eu: 'https://v3.eu.recurly.com' } },
	events: EVENTS,
	webhook,

	// XML notifications (as text, or as n8n's Webhook node parses them) and the thin JSON webhooks.
	detect: (input) => {
		if (isJsonWebhook(input.body)) return true;
		try {
			return xmlRoot(input) !== undefined;
		} catch {
			return false;
		}
	},

	parse(input: ProviderInput): ProviderEvent[] {
		const { body } = input;
		if (isJsonWebhook(body)) {
			const objectType = requireText(ID, body.object_type, 'object_type');
			const eventType = requireText(ID, body.event_type, 'event_type');
			const eventTime = requireText(ID, body.event_time, 'event_time');
			return [
				{
					// `id` is the object's id, shared by every event about it; the event type and time tell them apart.
					id: `${requireText(ID, body.id, 'id')}:${eventType}:${eventTime}`,
					type: `${objectType}.${eventType}`,
					occurredAt: isoTime(ID, eventTime, 'event_time'),
					data: body,
				},
			];
		}
		const root = xmlRoot(input);
		if (!root) throw new ProviderPayloadError(ID, 'body', 'is neither a Recurly XML notification nor a JSON webhook');
		const transaction = at(root.notification, 'transaction');
		if (!isObject(transaction)) {
			// Account, subscription and other notifications: not about a payment.
			return [{ id: root.type, type: root.type, data: root.notification }];
		}
		const transactionId = requireText(ID, value(transaction.id), 'transaction.id');
		return [
			{
				// XML notifications have no id or time of their own: the transaction's id and date stand in.
				id: `${transactionId}:${root.type}`,
				type: root.type,
				occurredAt: isoTime(ID, value(transaction.date), 'transaction.date'),
				livemode: value(transaction.test) !== 'true',
				data: root.notification,
			},
		];
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		if (event.type.startsWith('payment.')) {
			const eventType = event.type.slice('payment.'.length);
			const known = Object.hasOwn(JSON_OUTCOMES, eventType) || eventType === 'transaction_status_updated';
			return known ? fetchTransaction(requireText(ID, at(event.data, 'uuid'), 'uuid')) : undefined;
		}
		if (!Object.hasOwn(XML_OUTCOMES, event.type)) return undefined;
		const transaction = at(event.data, 'transaction');
		if (value(at(transaction, 'currency')) !== undefined) return undefined;
		return fetchTransaction(requireText(ID, value(at(transaction, 'id')), 'transaction.id'));
	},

	normalize: (event, context) =>
		event.type.endsWith('_notification') ? normalizeXml(event, context) : normalizeJson(event, context),
};
