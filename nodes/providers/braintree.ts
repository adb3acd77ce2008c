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
import type { ProviderAdapter, ProviderEvent, ProviderInput } from './types';

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

export const braintree: ProviderAdapter = {
	id: ID,
	displayName: 'Braintree',
	events: EVENTS,

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
