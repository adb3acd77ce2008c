import type { PaymentEventInput } from '../core/event';
import { bookingTime, creditEvent, requiredField } from './bankFeed';
import { ProviderPayloadError, at, isObject, isoTime, moneyFromDecimal, requireText, text } from './common';
import type { PolledRecord, ProviderAdapter, ProviderApi, ProviderEvent, ProviderInput, ProviderPoll } from './types';

const ID = 'plaid';

export const PLAID_API: ProviderApi = {
	credentialType: 'paymentEventsPlaidApi',
	hosts: { production: 'https://production.plaid.com', sandbox: 'https://sandbox.plaid.com' },
};

const EVENTS = {
	'transaction.posted': { description: 'Money came into an account of the Item: a posted credit (negative amount)' },
	'transaction.pending': { description: 'Money is on its way into an account of the Item: a pending credit' },
} as const;

/** The largest page /transactions/sync returns: https://plaid.com/docs/api/products/transactions/#transactionssync */
const PAGE_SIZE = 500;

/** https://plaid.com/docs/errors/transactions/#transactions_sync_mutation_during_pagination */
const MUTATION_DURING_PAGINATION = 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION';

type PlaidObject = Record<string, unknown>;

/** One transaction of a /transactions/sync answer as the event of its state: posted or pending. */
function transactionEvent(transaction: unknown, field: string, livemode?: boolean): ProviderEvent {
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, field, 'is not a transaction');
	const id = requireText(ID, transaction.transaction_id, `${field}.transaction_id`);
	// `datetime` when the institution gives a time; `date` (the posted date, or for a pending one the day it happened) else.
	const occurredAt = text(transaction.datetime)
		? isoTime(ID, transaction.datetime, `${field}.datetime`)
		: bookingTime(ID, transaction.date, `${field}.date`);
	return { id, type: transaction.pending === true ? 'transaction.pending' : 'transaction.posted', occurredAt, livemode, data: transaction };
}

function transactionsOf(response: PlaidObject, list: 'added' | 'modified'): unknown[] {
	const value = response[list] ?? [];
	if (!Array.isArray(value)) throw new ProviderPayloadError(ID, list, 'is not a list of transactions');
	return value;
}

/**
 * The events of a /transactions/sync page: what was added and what was modified. `removed` names only ids: a pending
 * transaction is removed when it posts (its posted version, added, names it in `pending_transaction_id`) or when the
 * institution drops it, which the response does not tell apart, so removals report nothing.
 */
function syncEvents(response: PlaidObject, livemode?: boolean): ProviderEvent[] {
	return (['added', 'modified'] as const).flatMap((list) =>
		transactionsOf(response, list).map((transaction, n) => transactionEvent(transaction, `${list}.${n}`, livemode)),
	);
}

/** The first named counterparty (`counterparties` in newer API versions). */
function counterpartyName(transaction: PlaidObject): string | undefined {
	const counterparties = Array.isArray(transaction.counterparties) ? transaction.counterparties : [];
	return counterparties.map((counterparty) => text(at(counterparty, 'name'))).find(Boolean);
}

function normalizeTransaction(event: ProviderEvent): PaymentEventInput[] {
	const transaction = event.data;
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, 'transaction', 'is not an object');
	// A JSON number: JSON.parse gives the double nearest to what Plaid wrote, and moneyFromDecimal reads it through its
	// shortest round-trip decimal ("-2307.21"), never multiplying a float, so the cents are exactly Plaid's.
	const amount = transaction.amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new ProviderPayloadError(ID, 'amount', amount === undefined || amount === null ? 'is missing' : 'is not a number');
	}
	// Plaid's sign: positive when money leaves the account, negative when it comes in. Only money in is a payment received.
	if (!(amount < 0)) return [];
	const unofficial = text(transaction.unofficial_currency_code);
	if (!text(transaction.iso_currency_code) && unofficial) {
		throw new ProviderPayloadError(ID, 'iso_currency_code', `is null: the amount is in ${unofficial}, which is not an ISO 4217 currency`);
	}
	const money = moneyFromDecimal(ID, amount, transaction.iso_currency_code, 'amount');
	// The posted version of a pending transaction has its own transaction_id and names the pending one: that links them.
	const paymentId = text(transaction.pending_transaction_id) ?? requireText(ID, transaction.transaction_id, 'transaction_id');
	const description = text(transaction.original_description) ?? text(transaction.name);
	return [
		creditEvent(ID, event, {
			amount: money,
			pending: transaction.pending === true,
			payer: text(at(transaction, 'payment_meta.payer')) ?? counterpartyName(transaction) ?? text(transaction.merchant_name) ?? description,
			paymentId,
			paymentMethod: text(at(transaction, 'payment_meta.payment_method')),
			reference: text(at(transaction, 'payment_meta.reference_number')),
			description,
			metadata: {
				accountId: text(transaction.account_id),
				transactionId: text(transaction.transaction_id),
				paymentChannel: text(transaction.payment_channel),
				category: text(at(transaction, 'personal_finance_category.primary')),
			},
		}),
	];
}

// https://plaid.com/docs/api/products/transactions/#transactionssync: every change of the Item's transactions since a
// cursor, oldest first, in pages; the cursor after the last page is kept for the next poll.
const poll: ProviderPoll = {
	description: "Plaid's /transactions/sync (credits to the Item's accounts, pending and posted; the sync cursor is kept between polls)",
	tracking: 'seen',
	request(_stream, _since, page, tools, cursor) {
		const from = page ?? cursor;
		return {
			method: 'POST',
			path: '/transactions/sync',
			// The response shape of this API version, whatever the dashboard's default.
			headers: { 'Plaid-Version': '2020-09-14' },
			body: {
				access_token: requiredField(tools, 'accessToken', 'Plaid: the credential has no Access Token (the access_token of the Item to read)'),
				// Without a cursor, the Item's whole history, from its first transaction.
				...(from ? { cursor: from } : {}),
				count: PAGE_SIZE,
				options: { include_original_description: true },
			},
			description: page
				? 'the next page of Plaid transaction updates'
				: from
					? 'the Plaid transaction updates since the last poll'
					: "the Item's Plaid transactions",
		};
	},
	read(_stream, response, { tools }) {
		if (!isObject(response)) throw new ProviderPayloadError(ID, 'body', 'is not a /transactions/sync response');
		if (typeof response.next_cursor !== 'string') throw new ProviderPayloadError(ID, 'next_cursor', 'is missing');
		const livemode = tools.credentials.environment !== 'sandbox';
		const records = syncEvents(response, livemode).map((event): PolledRecord => {
			const transaction = event.data as PlaidObject;
			return { key: text(transaction.pending_transaction_id) ?? event.id, modifiedAt: event.occurredAt!, event };
		});
		// next_cursor is "" while Plaid has no transactions for a new Item yet; kept, it means "from the start".
		return { records, next: response.has_more === true ? response.next_cursor : undefined, cursor: response.next_cursor };
	},
	restartOn: ({ status, body }) => status === 400 && at(body, 'error_code') === MUTATION_DURING_PAGINATION,
};

export const plaid: ProviderAdapter = {
	id: ID,
	displayName: 'Plaid',
	events: EVENTS,
	api: PLAID_API,
	poll,

	// A /transactions/sync response, e.g. from an HTTP Request node.
	detect: ({ body }) =>
		isObject(body) && typeof body.next_cursor === 'string' && typeof body.has_more === 'boolean' && Array.isArray(body.added),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a /transactions/sync response');
		return syncEvents(body);
	},

	normalize(event) {
		if (!(event.type in EVENTS)) return [];
		return normalizeTransaction(event);
	},
};
