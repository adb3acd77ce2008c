import type { PaymentEventInput } from '../core/event';
import { LOOKBACK_DAYS, bookingTime, creditEvent, dateBefore, requiredField } from './bankFeed';
import { ProviderPayloadError, at, isObject, moneyFromDecimal, requireText, text } from './common';
import type { PolledRecord, ProviderAdapter, ProviderApi, ProviderEvent, ProviderInput, ProviderPoll } from './types';

const ID = 'truelayer';

export const TRUELAYER_API: ProviderApi = {
	credentialType: 'paymentEventsTrueLayerOAuth2Api',
	hosts: { live: 'https://api.truelayer.com', sandbox: 'https://api.truelayer-sandbox.com' },
};

const EVENTS = {
	'transaction.settled': { description: 'Money came into the account: a settled credit (positive amount)' },
	'transaction.pending': { description: 'Money is on its way into the account: a pending credit' },
} as const;

/** The Data API's listings of an account: settled transactions and pending ones, each its own endpoint. */
const STREAMS = ['settled', 'pending'] as const;
type Stream = (typeof STREAMS)[number];

type TrueLayerObject = Record<string, unknown>;

/** One transaction of a listing as the event of its state. */
function transactionEvent(transaction: unknown, field: string, stream: Stream, livemode?: boolean): ProviderEvent {
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, field, 'is not a transaction');
	const id = requireText(ID, transaction.transaction_id, `${field}.transaction_id`);
	return {
		// A pending transaction and its settled one may share ids: the state keeps their events apart.
		id: stream === 'pending' ? `${id}:pending` : id,
		type: `transaction.${stream}`,
		occurredAt: bookingTime(ID, transaction.timestamp, `${field}.timestamp`),
		livemode,
		data: transaction,
	};
}

function resultsOf(body: unknown): unknown[] {
	const results = at(body, 'results');
	if (!Array.isArray(results)) throw new ProviderPayloadError(ID, 'results', 'is not a list of transactions');
	return results;
}

/**
 * What stays the same for a transaction across requests: transaction_id may change between two reads, the provider's
 * own id (normalised when TrueLayer could) does not.
 */
function stableId(transaction: TrueLayerObject): string {
	return text(transaction.normalised_provider_transaction_id) ?? text(transaction.provider_transaction_id) ?? String(transaction.transaction_id);
}

function normalizeTransaction(event: ProviderEvent): PaymentEventInput[] {
	const transaction = event.data;
	if (!isObject(transaction)) throw new ProviderPayloadError(ID, 'transaction', 'is not an object');
	// A JSON number, read through its shortest round-trip decimal ("12345.67"), never multiplied: the pence are exact.
	const amount = transaction.amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new ProviderPayloadError(ID, 'amount', amount === undefined || amount === null ? 'is missing' : 'is not a number');
	}
	// On an account, positive amounts come in and negative ones go out (transaction_type CREDIT / DEBIT says the same).
	if (!(amount > 0)) return [];
	const meta = isObject(transaction.meta) ? transaction.meta : {};
	return [
		creditEvent(ID, event, {
			amount: moneyFromDecimal(ID, amount, transaction.currency, 'amount'),
			pending: event.type === 'transaction.pending',
			payer: text(meta.counter_party_preferred_name) ?? text(meta.debtor_account_name) ?? text(transaction.merchant_name),
			paymentId: stableId(transaction),
			reference: text(meta.provider_reference),
			description: text(transaction.description),
			metadata: {
				transactionId: text(transaction.transaction_id),
				transactionCategory: text(transaction.transaction_category),
				providerTransactionType: text(meta.transaction_type),
			},
		}),
	];
}

// https://docs.truelayer.com/docs/account-data-requests: GET /data/v1/accounts/{account_id}/transactions (settled) and
// .../transactions/pending, each filtered by `from`/`to` dates; the v1 Data API documents no pages for them.
const poll: ProviderPoll = {
	description: `the TrueLayer Data API (settled and pending transactions of the account, re-read ${LOOKBACK_DAYS} days back as banks list them late)`,
	streams: STREAMS,
	tracking: 'seen',
	request(stream, since, _page, tools) {
		const accountId = requiredField(tools, 'accountId', 'TrueLayer: the credential has no Account ID (GET /data/v1/accounts lists them)');
		return {
			method: 'GET',
			path: `/data/v1/accounts/${encodeURIComponent(accountId)}/transactions${stream === 'pending' ? '/pending' : ''}`,
			qs: { from: dateBefore(since, LOOKBACK_DAYS), to: dateBefore(tools.now, 0) },
			description: `the ${stream} transactions of the TrueLayer account ${accountId}`,
		};
	},
	read(stream, response, { tools }) {
		const livemode = tools.credentials.environment !== 'sandbox';
		const records = resultsOf(response).map((transaction, n): PolledRecord => {
			const event = transactionEvent(transaction, `results.${n}`, stream as Stream, livemode);
			return { key: stableId(transaction as TrueLayerObject), modifiedAt: event.occurredAt!, event };
		});
		return { records };
	},
};

export const truelayer: ProviderAdapter = {
	id: ID,
	displayName: 'TrueLayer',
	events: EVENTS,
	api: TRUELAYER_API,
	poll,

	// A Data API transactions answer ({ results: [...] }), e.g. from an HTTP Request node: settled transactions.
	detect: ({ body }) => {
		const results = at(body, 'results');
		return Array.isArray(results) && results.length > 0 && results.every((t) => isObject(t) && 'transaction_type' in t && 'timestamp' in t);
	},

	parse({ body }: ProviderInput): ProviderEvent[] {
		return resultsOf(body).map((transaction, n) => transactionEvent(transaction, `results.${n}`, 'settled'));
	},

	normalize(event) {
		if (!(event.type in EVENTS)) return [];
		return normalizeTransaction(event);
	},
};
