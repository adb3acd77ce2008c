import { createHash } from 'node:crypto';

import type { PaymentEventInput } from '../core/event';
import { LOOKBACK_DAYS, bookingTime, creditEvent, dateBefore, requiredField } from './bankFeed';
import { ProviderPayloadError, at, isObject, moneyFromDecimal, text } from './common';
import type { PolledRecord, ProviderAdapter, ProviderApi, ProviderEvent, ProviderInput, ProviderPoll } from './types';

const ID = 'gocardlessbank';

export const GOCARDLESS_BANK_API: ProviderApi = {
	credentialType: 'paymentEventsGoCardlessBankApi',
	hosts: { live: 'https://bankaccountdata.gocardless.com' },
};

const EVENTS = {
	'transaction.booked': { description: 'Money came into the account: a booked credit (positive transactionAmount)' },
	'transaction.pending': { description: 'Money is on its way into the account: a pending credit' },
} as const;

const LISTS = ['booked', 'pending'] as const;
type List = (typeof LISTS)[number];

type BankObject = Record<string, unknown>;

/**
 * The transaction's id: transactionId, else the ids GoCardless or the bank add, else (pending entries often have none)
 * a digest of the entry, which stays the same while the bank lists it unchanged.
 */
function idOf(transaction: BankObject): string {
	const id = text(transaction.transactionId) ?? text(transaction.internalTransactionId) ?? text(transaction.entryReference);
	if (id) return id;
	return `sha256:${createHash('sha256').update(JSON.stringify(transaction)).digest('hex').slice(0, 32)}`;
}

function transactionEvent(transaction: unknown, field: string, list: List): ProviderEvent {
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, field, 'is not a transaction');
	// Pending entries usually have only a value date.
	const date = ['bookingDateTime', 'bookingDate', 'valueDateTime', 'valueDate'].find((name) => text(transaction[name]));
	const id = idOf(transaction);
	return {
		// A bank may keep the id when a pending entry is booked: the state keeps their events apart.
		id: list === 'pending' ? `${id}:pending` : id,
		type: `transaction.${list}`,
		occurredAt: bookingTime(ID, date ? transaction[date] : undefined, `${field}.${date ?? 'bookingDate'}`),
		livemode: true,
		data: transaction,
	};
}

/** The booked and pending transactions of a GET /api/v2/accounts/{id}/transactions/ answer. */
function transactionEvents(body: unknown): ProviderEvent[] {
	const transactions = at(body, 'transactions');
	if (!isObject(transactions)) throw new ProviderPayloadError(ID, 'transactions', 'is missing');
	return LISTS.flatMap((list) => {
		const entries = transactions[list] ?? [];
		if (!Array.isArray(entries)) throw new ProviderPayloadError(ID, `transactions.${list}`, 'is not a list');
		return entries.map((transaction, n) => transactionEvent(transaction, `transactions.${list}.${n}`, list));
	});
}

/** The remittance information: structured (a creditor reference) when the bank gives it, else the free text. */
function referenceOf(transaction: BankObject): string | undefined {
	const lines = Array.isArray(transaction.remittanceInformationUnstructuredArray)
		? transaction.remittanceInformationUnstructuredArray.map(text).filter(Boolean).join(' ')
		: undefined;
	return text(transaction.remittanceInformationStructured) ?? text(transaction.remittanceInformationUnstructured) ?? text(lines);
}

function normalizeTransaction(event: ProviderEvent): PaymentEventInput[] {
	const transaction = event.data;
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, 'transaction', 'is not an object');
	const amount = at(transaction, 'transactionAmount.amount');
	// A decimal string ("45.00"), read exactly; positive when money comes in, negative when it goes out.
	if (typeof amount === 'string' && amount.trim().startsWith('-')) return [];
	const money = moneyFromDecimal(ID, amount, at(transaction, 'transactionAmount.currency'), 'transactionAmount.amount');
	if (money.minor === 0) return [];
	return [
		creditEvent(ID, event, {
			amount: money,
			pending: event.type === 'transaction.pending',
			payer: text(transaction.debtorName) ?? text(transaction.ultimateDebtor),
			paymentId: idOf(transaction),
			reference: referenceOf(transaction),
			description: text(transaction.additionalInformation),
			metadata: {
				debtorIban: text(at(transaction, 'debtorAccount.iban')),
				bankTransactionCode: text(transaction.bankTransactionCode) ?? text(transaction.proprietaryBankTransactionCode),
				endToEndId: text(transaction.endToEndId),
			},
		}),
	];
}

// https://developer.gocardless.com/bank-account-data/quick-start-guide/ (step "Access account details, balances and
// transactions"): GET /api/v2/accounts/{id}/transactions/ answers every booked and pending transaction between
// date_from and date_to at once, without pages.
const poll: ProviderPoll = {
	description: `GoCardless Bank Account Data (booked and pending transactions of the account, re-read ${LOOKBACK_DAYS} days back as banks list them late; banks may allow as few as 4 reads of an account a day, so poll a few times a day at most)`,
	tracking: 'seen',
	request(_stream, since, _page, tools) {
		const accountId = requiredField(tools, 'accountId', 'GoCardless Bank Account Data: the credential has no Account ID (the accounts of a requisition)');
		return {
			method: 'GET',
			path: `/api/v2/accounts/${encodeURIComponent(accountId)}/transactions/`,
			qs: { date_from: dateBefore(since, LOOKBACK_DAYS), date_to: dateBefore(tools.now, 0) },
			description: `the transactions of the GoCardless Bank Account Data account ${accountId}`,
		};
	},
	read(_stream, response) {
		const records = transactionEvents(response).map((event): PolledRecord => {
			// The key is the transaction's, whatever its state: a pending entry booked under the same id is the same payment.
			const key = idOf(event.data as BankObject);
			return { key, modifiedAt: event.occurredAt!, event };
		});
		return { records };
	},
};

export const gocardlessbank: ProviderAdapter = {
	id: ID,
	displayName: 'GoCardless Bank Account Data',
	events: EVENTS,
	api: GOCARDLESS_BANK_API,
	poll,

	// A transactions answer ({ transactions: { booked, pending } }), e.g. from an HTTP Request node.
	detect: ({ body }) => isObject(at(body, 'transactions')) && Array.isArray(at(body, 'transactions.booked')),

	parse: ({ body }: ProviderInput): ProviderEvent[] => transactionEvents(body),

	normalize(event) {
		if (!(event.type in EVENTS)) return [];
		return normalizeTransaction(event);
	},
};
