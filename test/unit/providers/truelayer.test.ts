import { toPaymentEvents } from '../../../nodes/providers/index';
import { truelayer } from '../../../nodes/providers/truelayer';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { readContext } from '../../nodes/pollers/pollState';
import { fixtureJson, payloadError } from './fixtures';

type Json = Record<string, unknown>;

const receivedAt = new Date('2026-01-01T00:00:00Z');

// test/fixtures/banks/truelayer (SOURCES.md): transactions_response.json is the example of TrueLayer's Data API docs for
// GET /data/v1/accounts/{account_id}/transactions (two purchases); sdk_transactions_response.json the transactions
// fixture of TrueLayer's JavaScript client (TrueLayer/truelayer-client-javascript), which has two credits but predates
// transaction_id. The credits below are the SDK's, with the ids a current answer carries.
const docs = () => fixtureJson<{ results: Json[] }>('banks/truelayer/transactions_response.json');
const sdk = () => fixtureJson<{ results: Json[] }>('banks/truelayer/sdk_transactions_response.json');
const acme = sdk().results[5];

/** The SDK's ACME LIMITED credit (12345.67 GBP, FASTER_PAYMENTS_INCOMING) with the ids of a current answer. */
const acmeCredit = (fields: Json = {}): Json => ({
	...acme,
	transaction_id: '1a5d8156569ba848d84c07c34d291bcb',
	normalised_provider_transaction_id: 'txn-ajdifh38fheu5hgue',
	provider_transaction_id: '9882ks-00js',
	...fields,
});

function settled(transaction: Json): ProviderEvent[] {
	return truelayer.parse({ body: { results: [transaction] }, headers: {} });
}

function normalize(events: ProviderEvent[]) {
	return events.flatMap((event) => toPaymentEvents(truelayer, event, { receivedAt }));
}

/** A transaction as the pending stream of the poll reads it. */
function pending(transaction: Json): ProviderEvent[] {
	return truelayer.poll!.read('pending', { results: [transaction] }, readContext()).records.map((record) => record.event);
}

describe('truelayer adapter', () => {
	describe('the Data API docs example', () => {
		it('is recognised; its transactions are settled ones dated at midnight UTC (the timestamps have no zone)', () => {
			expect(truelayer.detect({ body: docs(), headers: {} })).toBe(true);
			const events = truelayer.parse({ body: docs(), headers: {} });
			expect(events.map(({ id, type, occurredAt }) => ({ id, type, occurredAt }))).toEqual([
				{ id: '03c333979b729315545816aaa365c33f', type: 'transaction.settled', occurredAt: '2018-03-06T00:00:00.000Z' },
				{ id: '3484333edb2078e77cf2ed58f1dec11e', type: 'transaction.settled', occurredAt: '2018-02-18T00:00:00.000Z' },
			]);
		});

		it('reports no payment for its purchases (DEBIT, negative amounts)', () => {
			expect(normalize(truelayer.parse({ body: docs(), headers: {} }))).toEqual([]);
		});
	});

	describe("the SDK's fixture", () => {
		it('has no transaction_id, which a current answer always carries: a named error, not a made-up id', () => {
			expect(payloadError(() => truelayer.parse({ body: sdk(), headers: {} })).message).toBe(
				'truelayer: results.0.transaction_id: is missing',
			);
		});

		it('its credits are payments with exact amounts; its debits are not', () => {
			const events = normalize(sdk().results.map((transaction, n) => ({ ...transaction, transaction_id: `sdk-${n}` })).flatMap(settled));
			expect(events.map((event) => [event.providerEventId, event.amount.value, event.occurredAt])).toEqual([
				['sdk-0', '0.77', '2017-02-01T00:00:00.000Z'],
				['sdk-5', '12345.67', '2017-01-03T00:00:00.000Z'],
			]);
		});
	});

	describe('credits', () => {
		it('a settled credit is a succeeded payment: exact amount, payer, bank reference, the stable id as payment id', () => {
			const meta = { ...(acme.meta as Json), counter_party_preferred_name: 'ACME LIMITED', provider_reference: 'INV-0042' };
			expect(normalize(settled(acmeCredit({ meta })))).toEqual([
				{
					schemaVersion: 1,
					id: 'truelayer:1a5d8156569ba848d84c07c34d291bcb',
					provider: 'truelayer',
					providerEventId: '1a5d8156569ba848d84c07c34d291bcb',
					providerEventType: 'transaction.settled',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: { minor: 1234567, value: '12345.67', currency: 'GBP', exponent: 2 },
					occurredAt: '2017-01-03T00:00:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { name: 'ACME LIMITED' },
					payment: { id: 'txn-ajdifh38fheu5hgue' },
					reference: 'INV-0042',
					description: 'ACME LIMITED',
					metadata: { transactionId: '1a5d8156569ba848d84c07c34d291bcb', providerTransactionType: 'FASTER_PAYMENTS_INCOMING' },
				},
			]);
		});

		it('names the payer from the counterparty, else the debtor account name, else the merchant', () => {
			const name = (fields: Json) => normalize(settled(acmeCredit(fields)))[0].customer;
			expect(name({ meta: { debtor_account_name: 'Personal Acct' } })).toEqual({ name: 'Personal Acct' });
			expect(name({ meta: {}, merchant_name: 'Ebay' })).toEqual({ name: 'Ebay' });
			expect(name({ meta: {} })).toBeUndefined();
		});

		it('a pending credit is pending, with an event id of its own', () => {
			const [event] = normalize(pending(acmeCredit()));
			expect(event).toMatchObject({
				id: 'truelayer:1a5d8156569ba848d84c07c34d291bcb:pending',
				providerEventType: 'transaction.pending',
				status: 'pending',
				payment: { id: 'txn-ajdifh38fheu5hgue' },
			});
		});

		it('reads amounts exactly', () => {
			const amount = (value: number) => normalize(settled(acmeCredit({ amount: value })))[0].amount;
			expect(amount(0.3)).toEqual({ minor: 30, value: '0.30', currency: 'GBP', exponent: 2 });
			expect(amount(1234.5)).toEqual({ minor: 123450, value: '1234.50', currency: 'GBP', exponent: 2 });
			expect(payloadError(() => amount(10.005)).field).toBe('amount');
		});

		it('a zero amount or a credit marked CREDIT with a negative amount moves no money in', () => {
			expect(normalize(settled(acmeCredit({ amount: 0 })))).toEqual([]);
			expect(normalize(settled(acmeCredit({ amount: -20.5 })))).toEqual([]);
		});
	});

	describe('bad input', () => {
		it('names the field: amount, currency, timestamp, results', () => {
			expect(payloadError(() => normalize(settled(acmeCredit({ amount: '12345.67' })))).message).toBe('truelayer: amount: is not a number');
			expect(payloadError(() => normalize(settled(acmeCredit({ currency: undefined })))).field).toBe('amount currency');
			expect(payloadError(() => settled(acmeCredit({ timestamp: '03/01/2017' }))).field).toBe('results.0.timestamp');
			expect(payloadError(() => truelayer.parse({ body: { results: {} }, headers: {} })).field).toBe('results');
		});
	});

	describe('poll', () => {
		const tools = readContext(undefined, { accountId: 'f1234560abf9f57287637624def390871' }).tools;

		it('asks for the settled and the pending transactions from a week before `since` to today', () => {
			const today = tools.now.toISOString().slice(0, 10);
			expect(truelayer.poll!.streams).toEqual(['settled', 'pending']);
			expect(truelayer.poll!.request('settled', '2026-01-10T12:00:00.000Z', undefined, tools)).toEqual({
				method: 'GET',
				path: '/data/v1/accounts/f1234560abf9f57287637624def390871/transactions',
				qs: { from: '2026-01-03', to: today },
				description: 'the settled transactions of the TrueLayer account f1234560abf9f57287637624def390871',
			});
			expect(truelayer.poll!.request('pending', '2026-01-10T12:00:00.000Z', undefined, tools).path).toBe(
				'/data/v1/accounts/f1234560abf9f57287637624def390871/transactions/pending',
			);
			expect(() => truelayer.poll!.request('settled', '2026-01-10T12:00:00.000Z', undefined, readContext().tools)).toThrow(/no Account ID/);
		});

		it('keys records by the id that stays the same across reads, and takes livemode from the environment', () => {
			const page = truelayer.poll!.read('settled', { results: [acmeCredit()] }, readContext(undefined, { environment: 'sandbox' }));
			expect(page.next).toBeUndefined();
			expect(page.records.map(({ key, modifiedAt, event }) => ({ key, modifiedAt, livemode: event.livemode }))).toEqual([
				{ key: 'txn-ajdifh38fheu5hgue', modifiedAt: '2017-01-03T00:00:00.000Z', livemode: false },
			]);
		});
	});
});
