import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
import { verifyHmac } from '../core/signature';
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
import type { CompletionRequest, NormalizeContext, ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook } from './types';

const ID = 'authorizenet';

/**
 * The payment events of https://developer.authorize.net/api/reference/features/webhooks.html ("Event Types and
 * Payloads"). Their payload only names the transaction (`entityName: "transaction"`, `id`: its transId) with a
 * decimal amount and no currency, so each is completed with getTransactionDetails. Customer, profile and
 * subscription events normalize to no event.
 */
const TYPES: Record<string, { kind: EventKind; status: PaymentStatus; description: string }> = {
	'net.authorize.payment.authorization.created': {
		kind: 'payment',
		status: 'pending',
		description: 'A transaction was authorized, to be captured later',
	},
	'net.authorize.payment.authcapture.created': {
		kind: 'payment',
		status: 'succeeded',
		description: 'A transaction was authorized and captured',
	},
	'net.authorize.payment.capture.created': {
		kind: 'payment',
		status: 'succeeded',
		description: 'A capture-only transaction was created',
	},
	'net.authorize.payment.priorAuthCapture.created': {
		kind: 'payment',
		status: 'succeeded',
		description: 'A previously authorized transaction was captured',
	},
	'net.authorize.payment.refund.created': { kind: 'refund', status: 'refunded', description: 'A refund was created' },
	'net.authorize.payment.void.created': { kind: 'payment', status: 'canceled', description: 'A transaction was voided' },
	'net.authorize.payment.fraud.held': {
		kind: 'payment',
		status: 'pending',
		description: 'A transaction was held for review by a fraud filter',
	},
	'net.authorize.payment.fraud.approved': {
		kind: 'payment',
		status: 'succeeded',
		description: 'A held transaction was approved',
	},
	'net.authorize.payment.fraud.declined': {
		kind: 'payment',
		status: 'failed',
		description: 'A held transaction was declined',
	},
};

const EVENTS = Object.fromEntries(Object.entries(TYPES).map(([type, { description }]) => [type, { description }]));

type AuthorizeNetObject = Record<string, unknown>;

function isAuthorizeNetNotification(body: unknown): body is AuthorizeNetObject {
	return (
		isObject(body) &&
		typeof body.notificationId === 'string' &&
		typeof body.eventType === 'string' &&
		body.eventType.startsWith('net.authorize.') &&
		isObject(body.payload)
	);
}

/** The payment event the notification is about, or undefined for customer/subscription events. */
function mappedType(event: ProviderEvent) {
	const mapped = Object.hasOwn(TYPES, event.type) ? TYPES[event.type] : undefined;
	return mapped && at(event.data, 'payload.entityName') === 'transaction' ? mapped : undefined;
}

/** The fetched transaction, which must be the one the notification names; an API error names what went wrong. */
function transactionOf(event: ProviderEvent, context: NormalizeContext): AuthorizeNetObject {
	const completion = context.completion;
	if (at(completion, 'messages.resultCode') === 'Error') {
		const message = text(at(completion, 'messages.message.0.text')) ?? 'unknown error';
		throw new ProviderPayloadError(ID, 'completion', `getTransactionDetails failed: ${message}`);
	}
	const transaction = at(completion, 'transaction');
	if (!isObject(transaction)) {
		throw new ProviderPayloadError(
			ID,
			'completion',
			'is missing the fetched transaction (call complete() and pass its getTransactionDetails response)',
		);
	}
	const expected = text(at(event.data, 'payload.id'));
	const fetched = text(transaction.transId);
	if (fetched !== undefined && fetched !== expected) {
		throw new ProviderPayloadError(ID, 'completion', `is transaction ${fetched}, not ${expected} that the notification names`);
	}
	return transaction;
}

/**
 * The status, corrected by the transaction's response code (1 approved, 2 declined, 3 error, 4 held for review):
 * a refund or capture that was declined did not move money.
 */
function statusOf(event: ProviderEvent, transaction: AuthorizeNetObject, mapped: { status: PaymentStatus }): PaymentStatus {
	const responseCode = text(transaction.responseCode) ?? text(at(event.data, 'payload.responseCode'));
	if (responseCode === '2' || responseCode === '3') return 'failed';
	if (responseCode === '4') return 'pending';
	// An approved held transaction that was only authorized still awaits its capture.
	if (event.type === 'net.authorize.payment.fraud.approved' && transaction.transactionType === 'authOnlyTransaction') {
		return 'pending';
	}
	return mapped.status;
}

/** The settled amount; until settlement (authorizations, voids, declines) it is 0 and the authorized amount counts. */
/**
 * getTransactionDetails returns no currency (only the retired SOAP API had `currencyCode`, read when present):
 * an Authorize.Net account settles in one currency, which the user states as the account currency.
 */
function amountOf(transaction: AuthorizeNetObject, context: NormalizeContext) {
	const currency = text(transaction.currencyCode) ?? text(context.accountCurrency);
	if (currency === undefined) {
		throw new ProviderPayloadError(
			ID,
			'transaction.currencyCode',
			'is missing: Authorize.Net does not return the currency of a transaction; set the account currency',
		);
	}
	const settled = moneyFromDecimal(ID, transaction.settleAmount, currency, 'transaction.settleAmount');
	return settled.minor > 0 ? settled : moneyFromDecimal(ID, transaction.authAmount, currency, 'transaction.authAmount');
}

/** billTo.country is free text: a two-letter code or the United States spelled out, as far as a phone needs it. */
function countryCode(country: unknown): string | undefined {
	const value = text(country);
	if (value === undefined) return undefined;
	if (/^[a-z]{2}$/i.test(value)) return value.toUpperCase();
	return /^(usa?|united states( of america)?)$/i.test(value) ? 'US' : undefined;
}

function customerOf(transaction: AuthorizeNetObject): PaymentEventInput['customer'] {
	const billTo = isObject(transaction.billTo) ? transaction.billTo : undefined;
	const name = [text(billTo?.firstName), text(billTo?.lastName)].filter(Boolean).join(' ');
	return compact({
		id: text(at(transaction, 'customer.id')),
		name: name || text(billTo?.company),
		email: text(at(transaction, 'customer.email')) ?? text(billTo?.email),
		phone: normalizePhone(billTo?.phoneNumber, countryCode(billTo?.country)),
	});
}

function paymentOf(transaction: AuthorizeNetObject, kind: EventKind): PaymentEventInput['payment'] {
	const payment = isObject(transaction.payment) ? transaction.payment : {};
	const method = Object.keys(payment)[0];
	return compact({
		// A refund points at the transaction it refunds.
		id: (kind === 'refund' ? text(transaction.refTransId) : undefined) ?? text(transaction.transId),
		method,
		brand: text(at(payment, 'creditCard.cardType')),
		last4: cardLast4(at(payment, 'creditCard.cardNumber')),
	});
}

function normalizeEvent(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	const mapped = mappedType(event);
	if (!mapped) return [];
	const transaction = transactionOf(event, context);
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			// Notifications do not say which environment sent them; the node knows it from the credential.
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: mapped.kind,
			status: statusOf(event, transaction, mapped),
			amount: amountOf(transaction, context),
			customer: customerOf(transaction),
			payment: paymentOf(transaction, mapped.kind),
			reference:
				text(at(transaction, 'order.invoiceNumber')) ??
				text(at(event.data, 'payload.invoiceNumber')) ??
				text(at(event.data, 'payload.merchantReferenceId')),
			description: text(at(transaction, 'order.description')),
		},
	];
}

interface RestWebhook {
	webhookId: string;
	url: string;
}

/**
 * X-ANET-Signature: `sha512=` and the upper-case hex HMAC-SHA512 of the raw body with the Signature Key; registration
 * through the Webhooks REST API (/rest/v1/webhooks, HTTP basic authentication that the credential adds):
 * https://developer.authorize.net/api/reference/features/webhooks.html
 */
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA512 of the raw body with the Signature Key (X-ANET-Signature header)',
	secretFields: { webhookSecret: 'Signature Key' },
	signatureHeaders: ['x-anet-signature'],
	verify(request, secrets) {
		const header = request.headers['x-anet-signature'];
		if (!header) return { ok: false, reason: 'no X-ANET-Signature header' };
		const match = /^sha512=([0-9a-f]+)$/i.exec(header.trim());
		if (!match) return { ok: false, reason: 'the X-ANET-Signature is not sha512=<hex>' };
		const valid = verifyHmac({ algorithm: 'sha512', key: secrets.webhookSecret, payload: request.rawBody, signature: match[1], encoding: 'hex' });
		return valid ? { ok: true } : { ok: false, reason: 'the X-ANET-Signature does not match the Signature Key' };
	},
	// The Signature Key belongs to the account, not to a webhook: the API never issues one.
	subscription: {
		async find(tools, url) {
			const webhooks = (await tools.callApi({ method: 'GET', path: '/rest/v1/webhooks', description: 'the webhooks' })) as RestWebhook[];
			const found = Array.isArray(webhooks) ? webhooks.find((configured) => configured.url === url) : undefined;
			return found ? { id: found.webhookId } : undefined;
		},
		async create(tools, url, eventTypes) {
			const created = (await tools.callApi({
				method: 'POST',
				path: '/rest/v1/webhooks',
				body: { name: 'n8n payment events trigger', url, eventTypes, status: 'active' },
				description: `the webhook for ${url}`,
			})) as RestWebhook;
			return { id: created.webhookId };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/rest/v1/webhooks/${encodeURIComponent(id)}`, description: `the webhook ${id}` });
		},
	},
};

export const authorizenet: ProviderAdapter = {
	id: ID,
	displayName: 'Authorize.Net',
	needsAccountCurrency: true,
	api: { credentialType: 'paymentEventsAuthorizeNetApi', hosts: { production: 'https://api.authorize.net', sandbox: 'https://apitest.authorize.net' } },
	webhook,
	events: EVENTS,

	// A webhook notification as delivered (n8n has no built-in Authorize.Net trigger).
	detect: ({ body }) => isAuthorizeNetNotification(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not an Authorize.Net webhook notification');
		if (!isObject(body.payload)) throw new ProviderPayloadError(ID, 'payload', 'is missing');
		return [
			{
				id: requireText(ID, body.notificationId, 'notificationId'),
				type: requireText(ID, body.eventType, 'eventType'),
				occurredAt: isoTime(ID, body.eventDate, 'eventDate'),
				data: body,
			},
		];
	},

	// https://developer.authorize.net/api/reference/index.html#transaction-reporting-get-transaction-details
	complete(event): CompletionRequest | undefined {
		if (!mappedType(event)) return undefined;
		const transId = requireText(ID, at(event.data, 'payload.id'), 'payload.id');
		return {
			method: 'POST',
			path: '/xml/v1/request.api',
			// The credential adds merchantAuthentication, which the API requires as the first member.
			body: { getTransactionDetailsRequest: { transId } },
			description: `the Authorize.Net transaction ${transId}`,
		};
	},

	normalize: (event, context) => normalizeEvent(event, context),
};
