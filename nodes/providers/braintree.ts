import { XMLParser } from 'fast-xml-parser';

import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
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
import { hash, hmac, verifyHmac } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification } from './types';

const ID = 'braintree';

// https://developer.paypal.com/braintree/docs/reference/general/webhooks/overview (kinds per object:
// transaction, subscription, dispute, local payment)
const EVENTS = {
	transaction_settled: { description: 'An ACH or other delayed-settlement transaction settled' },
	transaction_settlement_declined: { description: 'The settlement of a transaction was declined' },
	subscription_charged_successfully: { description: 'A subscription billing cycle was charged' },
	subscription_charged_unsuccessfully: { description: 'A subscription billing charge failed' },
	refund_failed: { description: 'A refund failed' },
	dispute_opened: { description: 'A customer opened a dispute' },
	local_payment_completed: { description: 'A local payment method payment was completed by the payer' },
} as const;

type Node = Record<string, unknown>;

// Keep every value a string: ids such as "0123" and amounts such as "10.50" must not become numbers.
const xml = new XMLParser({ parseTagValue: false, trimValues: true });

/** The transaction statuses of https://developer.paypal.com/braintree/docs/reference/response/transaction#status */
const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	authorizing: 'pending',
	authorized: 'pending',
	settlement_pending: 'pending',
	submitted_for_settlement: 'succeeded',
	settling: 'succeeded',
	settled: 'succeeded',
	settlement_confirmed: 'succeeded',
	authorization_expired: 'canceled',
	voided: 'canceled',
	failed: 'failed',
	gateway_rejected: 'failed',
	processor_declined: 'failed',
	settlement_declined: 'failed',
};

/** bt_signature and bt_payload from a form-encoded body (text) or from the fields n8n parsed. */
function formFields(input: ProviderInput): Record<string, unknown> | undefined {
	const { body } = input;
	if (isObject(body)) return body;
	const raw = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : input.rawBody?.toString('utf8');
	if (raw === undefined || !raw.includes('bt_payload=')) return undefined;
	return Object.fromEntries(new URLSearchParams(raw.trim()));
}

function asArray(value: unknown): Node[] {
	if (Array.isArray(value)) return value.filter(isObject);
	return isObject(value) ? [value] : [];
}

function decodePayload(payload: string): Node {
	// A "+" sent unencoded arrives as a space after form decoding; base64 has no spaces.
	const decoded = Buffer.from(payload.replace(/ /g, '+'), 'base64').toString('utf8');
	let parsed: unknown;
	try {
		parsed = xml.parse(decoded);
	} catch (error) {
		throw new ProviderPayloadError(ID, 'bt_payload', 'is not base64 of an XML notification', { cause: error });
	}
	const notification = at(parsed, 'notification');
	if (!isObject(notification)) throw new ProviderPayloadError(ID, 'bt_payload', 'is not base64 of an XML notification');
	return notification;
}

function customerOf(transaction: Node | undefined): PaymentEventInput['customer'] {
	const customer = at(transaction, 'customer');
	const name = [text(at(customer, 'first-name')), text(at(customer, 'last-name'))].filter(Boolean).join(' ');
	return compact({
		id: text(at(customer, 'id')),
		name: name || text(at(customer, 'company')),
		email: text(at(customer, 'email')),
		phone: normalizePhone(at(customer, 'phone'), text(at(transaction, 'billing.country-code-alpha2'))),
	});
}

/** Last four digits only: the SDK's sample refund even carries a whole (test) card number. */
function last4Of(transaction: Node | undefined): string | undefined {
	const card = at(transaction, 'credit-card');
	const explicit = text(at(card, 'last-4')) ?? text(at(transaction, 'us-bank-account.last-4'));
	if (explicit) return explicit;
	return cardLast4(at(card, 'masked-number') ?? at(card, 'number'));
}

function paymentOf(transaction: Node | undefined, id?: string): PaymentEventInput['payment'] {
	return compact({
		id: id ?? text(at(transaction, 'id')),
		method: text(at(transaction, 'payment-instrument-type')),
		brand: text(at(transaction, 'credit-card.card-type')),
		last4: last4Of(transaction),
	});
}

function transactionMoney(transaction: Node, field: string) {
	return moneyFromDecimal(ID, at(transaction, 'amount'), at(transaction, 'currency-iso-code'), `${field}.amount`);
}

function base(event: ProviderEvent, transaction: Node | undefined) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: customerOf(transaction),
		payment: paymentOf(transaction),
		reference: text(at(transaction, 'order-id')),
	};
}

function requireNode(value: unknown, field: string): Node {
	if (!isObject(value)) throw new ProviderPayloadError(ID, field, 'is missing');
	return value;
}

function normalizeNotification(event: ProviderEvent): PaymentEventInput[] {
	const subject = at(event.data, 'subject');
	switch (event.type) {
		case 'transaction_settled':
		case 'transaction_settlement_declined': {
			const transaction = requireNode(at(subject, 'transaction'), 'subject.transaction');
			// A settled "credit" transaction is a refund reaching the customer.
			const refund = text(at(transaction, 'type')) === 'credit';
			const settled = event.type === 'transaction_settled';
			return [
				{
					...base(event, transaction),
					kind: refund ? 'refund' : 'payment',
					status: settled ? (refund ? 'refunded' : 'succeeded') : 'failed',
					amount: transactionMoney(transaction, 'subject.transaction'),
				},
			];
		}
		case 'subscription_charged_successfully':
		case 'subscription_charged_unsuccessfully': {
			const subscription = requireNode(at(subject, 'subscription'), 'subject.subscription');
			// Braintree lists a subscription's transactions newest first.
			const [transaction] = asArray(at(subscription, 'transactions.transaction'));
			if (!transaction) throw new ProviderPayloadError(ID, 'subject.subscription.transactions', 'is empty');
			return [
				{
					...base(event, transaction),
					kind: 'payment',
					status: event.type === 'subscription_charged_successfully' ? 'succeeded' : 'failed',
					amount: transactionMoney(transaction, 'subject.subscription.transactions.transaction'),
				},
			];
		}
		case 'refund_failed': {
			const transaction = requireNode(at(subject, 'transaction'), 'subject.transaction');
			return [
				{
					...base(event, transaction),
					kind: 'refund',
					status: 'failed',
					amount: transactionMoney(transaction, 'subject.transaction'),
					payment: paymentOf(transaction, text(at(transaction, 'refunded-transaction-fk'))),
				},
			];
		}
		case 'dispute_opened': {
			const dispute = requireNode(at(subject, 'dispute'), 'subject.dispute');
			const disputed = at(dispute, 'amount-disputed') ?? at(dispute, 'amount');
			return [
				{
					...base(event, undefined),
					kind: 'dispute',
					status: 'disputed',
					amount: moneyFromDecimal(ID, disputed, at(dispute, 'currency-iso-code'), 'subject.dispute.amount-disputed'),
					payment: compact({ id: text(at(dispute, 'transaction.id')) }),
					description: text(at(dispute, 'reason')),
				},
			];
		}
		case 'local_payment_completed': {
			const payment = requireNode(at(subject, 'local-payment'), 'subject.local-payment');
			const transaction = requireNode(at(payment, 'transaction'), 'subject.local-payment.transaction');
			// The event says the payer completed it; the transaction's status says whether money moved yet.
			const transactionStatus = text(at(transaction, 'status')) ?? '';
			const status = Object.hasOwn(TRANSACTION_STATUS, transactionStatus) ? TRANSACTION_STATUS[transactionStatus] : 'succeeded';
			return [
				{
					...base(event, transaction),
					kind: 'payment',
					status,
					amount: transactionMoney(transaction, 'subject.local-payment.transaction'),
					customer: compact({ id: text(at(payment, 'payer-id')), name: text(at(payment, 'payer-name')) }),
					payment: compact({ id: text(at(transaction, 'id')) ?? text(at(payment, 'payment-id')), method: 'local_payment' }),
				},
			];
		}
		default:
			// `check` (the test notification sent from the Control Panel) and non-payment kinds.
			return [];
	}
}

/** The id of what the notification is about, so each charge or dispute gets its own event id. */
function subjectId(kind: string, subject: unknown): string | undefined {
	const subscriptionTransaction = asArray(at(subject, 'subscription.transactions.transaction'))[0];
	return (
		text(at(subject, 'transaction.id')) ??
		text(at(subject, 'dispute.id')) ??
		text(at(subscriptionTransaction, 'id')) ??
		text(at(subject, 'subscription.id')) ??
		text(at(subject, 'local-payment.transaction.id')) ??
		text(at(subject, 'local-payment.payment-id')) ??
		(kind === 'check' ? 'check' : undefined)
	);
}

// https://developer.paypal.com/braintree/docs/guides/webhooks/parse (and the SDKs' WebhookNotificationGateway):
// bt_signature holds "<public key>|<hex HMAC-SHA1 of bt_payload, keyed with SHA1(private key)>" pairs joined by "&".
const CHALLENGE = /^[a-f0-9]{20,32}$/;
const PAYLOAD = /^[A-Za-z0-9+=/\n]+$/;

function hmacKey(privateKey: string): Buffer {
	return hash('sha1', privateKey);
}

/** Exported for tests: the signature check of one form-encoded notification. */
export function verifyBraintree(rawBody: Buffer, secrets: Readonly<Record<string, string>>): Verification {
	const form = new URLSearchParams(rawBody.toString('utf8'));
	const signatures = form.get('bt_signature');
	// A "+" sent unencoded arrives as a space after form decoding; base64 has no spaces.
	const payload = form.get('bt_payload')?.replace(/ /g, '+');
	if (!signatures || !payload) return { ok: false, reason: 'bt_signature or bt_payload is missing' };
	if (!PAYLOAD.test(payload)) return { ok: false, reason: 'bt_payload has characters base64 does not' };
	const signature = signatures
		.split('&')
		.map((pair) => pair.split('|'))
		.find(([publicKey]) => publicKey === secrets.publicKey)?.[1];
	if (!signature) return { ok: false, reason: 'bt_signature has no signature for this public key' };
	const key = hmacKey(secrets.privateKey);
	// The SDKs accept the payload with or without a trailing newline.
	const valid = [payload, `${payload}\n`].some((signed) =>
		verifyHmac({ algorithm: 'sha1', key, payload: signed, signature, encoding: 'hex' }),
	);
	return valid ? { ok: true } : { ok: false, reason: 'bt_signature does not match bt_payload for this private key' };
}

const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA1 of bt_payload keyed with the private key (bt_signature, per public key)',
	secretFields: { publicKey: 'Public Key', privateKey: 'Private Key' },
	// The signature travels in the body, so the same body twice is a replay.
	signatureHeaders: [],
	verify: (request, secrets) => verifyBraintree(request.rawBody, secrets),
	acceptsGet: true,
	// Braintree checks a new destination URL with GET ?bt_challenge=<hex>, answered "<public key>|<HMAC of it>".
	// Only hex of the SDK's length is answered, so the reply can never sign a notification payload.
	handshake(request, secrets) {
		const challenge = request.query.bt_challenge;
		if (challenge === undefined || request.rawBody.length > 0) return undefined;
		if (!secrets.publicKey || !secrets.privateKey) return { status: 401 };
		if (!CHALLENGE.test(challenge)) return { status: 400 };
		return {
			status: 200,
			headers: { 'Content-Type': 'text/plain' },
			body: `${secrets.publicKey}|${hmac('sha1', hmacKey(secrets.privateKey), challenge, 'hex')}`,
		};
	},
	// https://developer.paypal.com/braintree/docs/guides/webhooks/create
	setup: 'in the Braintree Control Panel: gear icon → API → Webhooks → Create New Webhook',
};

export const braintree: ProviderAdapter = {
	id: ID,
	displayName: 'Braintree',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsBraintreeApi',
		hosts: { production: 'https://api.braintreegateway.com', sandbox: 'https://api.sandbox.braintreegateway.com' },
	},
	webhook,

	// The webhook POST is form-encoded: bt_signature and bt_payload (base64 of the XML notification).
	detect: (input) => {
		const fields = formFields(input);
		return typeof fields?.bt_payload === 'string' && typeof fields.bt_signature === 'string';
	},

	parse(input: ProviderInput): ProviderEvent[] {
		const fields = formFields(input);
		const payload = requireText(ID, fields?.bt_payload, 'bt_payload');
		const notification = decodePayload(payload);
		const kind = requireText(ID, notification.kind, 'kind');
		const occurredAt = isoTime(ID, notification.timestamp, 'timestamp');
		const about = subjectId(kind, notification.subject);
		return [
			{
				// Notifications carry no id of their own; the kind, the subject and the time make one.
				id: `${kind}:${about ?? 'unknown'}:${occurredAt}`,
				type: kind,
				occurredAt,
				data: notification,
			},
		];
	},

	normalize: (event) => normalizeNotification(event),
};
