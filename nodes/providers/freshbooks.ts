import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	moneyFromDecimal,
	requireText,
	text,
} from './common';
import type { CompletionRequest, NormalizeContext, ProviderAdapter, ProviderEvent, ProviderInput } from './types';

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

export const freshbooks: ProviderAdapter = {
	id: ID,
	displayName: 'FreshBooks',
	api: { credentialType: 'paymentEventsFreshBooksOAuth2Api', hosts: { live: 'https://api.freshbooks.com' } },
	events: EVENTS,

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
