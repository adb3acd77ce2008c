import { toPaymentEvents } from '../../../nodes/providers/index';
import { plaid } from '../../../nodes/providers/plaid';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureJson, payloadError } from './fixtures';
import { readContext } from '../../nodes/pollers/pollState';

type Json = Record<string, unknown>;

const receivedAt = new Date('2026-01-01T00:00:00Z');

// test/fixtures/banks/plaid (SOURCES.md): the /transactions/sync example of Plaid's OpenAPI spec. Both of its
// transactions are purchases (positive amounts: money out); the credits below are those transactions with the sign and
// the documented fields a deposit carries changed.
const sample = () => fixtureJson<{ added: Json[]; modified: Json[]; next_cursor: string } & Json>('banks/plaid/transactions_sync_response.json');
const [apple] = sample().added;
const [conEd] = sample().modified;

function syncResponse(added: Json[], fields: Json = {}): Json {
	return { ...sample(), added, modified: [], removed: [], ...fields };
}

function events(transaction: Json): ProviderEvent[] {
	return plaid.parse({ body: syncResponse([transaction]), headers: {} });
}

function normalize(transaction: Json) {
	return events(transaction).flatMap((event) => toPaymentEvents(plaid, event, { receivedAt }));
}

/** The sample purchase as money received: a negative amount. */
const credit = (fields: Json = {}): Json => ({ ...apple, amount: -2307.21, ...fields });

describe('plaid adapter', () => {
	describe("the OpenAPI /transactions/sync example", () => {
		it('is recognised, and its added and modified transactions are posted transactions', () => {
			expect(plaid.detect({ body: sample(), headers: {} })).toBe(true);
			const parsed = plaid.parse({ body: sample(), headers: {} });
			expect(parsed.map(({ id, type, occurredAt }) => ({ id, type, occurredAt }))).toEqual([
				{ id: 'lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje', type: 'transaction.posted', occurredAt: '2022-02-03T11:00:00.000Z' },
				{ id: 'yhnUVvtcGGcCKU0bcz8PDQr5ZUxUXebUvbKC0', type: 'transaction.posted', occurredAt: '2022-02-28T11:00:00.000Z' },
			]);
		});

		it('reports no payment for its purchases: a positive amount is money leaving the account', () => {
			expect(normalize(apple)).toEqual([]);
			expect(normalize(conEd)).toEqual([]);
		});

		it('is not taken for other payloads', () => {
			expect(plaid.detect({ body: { added: [] }, headers: {} })).toBe(false);
			expect(plaid.detect({ body: { transactions: { booked: [] } }, headers: {} })).toBe(false);
		});
	});

	describe('credits (negative amounts)', () => {
		it('a posted credit is a succeeded payment with the exact amount, the payer and the transaction id', () => {
			expect(normalize(credit())).toEqual([
				{
					schemaVersion: 1,
					id: 'plaid:lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje',
					provider: 'plaid',
					providerEventId: 'lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje',
					providerEventType: 'transaction.posted',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: { minor: 230721, value: '2307.21', currency: 'USD', exponent: 2 },
					occurredAt: '2022-02-03T11:00:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { name: 'Apple' },
					payment: { id: 'lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje' },
					description: 'Apple Store',
					metadata: {
						accountId: 'BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp',
						transactionId: 'lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje',
						paymentChannel: 'in store',
						category: 'GENERAL_MERCHANDISE',
					},
				},
			]);
		});

		it('names the payer from payment_meta.payer first, then counterparties, then the merchant, then the description', () => {
			const meta = (payer: string | null) => ({ ...(apple.payment_meta as Json), payer, reference_number: 'INV-0002' });
			const counterparties = [{ name: 'Platypus Payroll', type: 'income_source' }];
			expect(normalize(credit({ payment_meta: meta('Jane Doe'), counterparties }))[0]).toMatchObject({
				customer: { name: 'Jane Doe' },
				reference: 'INV-0002',
			});
			expect(normalize(credit({ counterparties }))[0].customer).toEqual({ name: 'Platypus Payroll' });
			expect(normalize(credit({ merchant_name: null }))[0].customer).toEqual({ name: 'Apple Store' });
			expect(normalize(credit({ original_description: 'DEPOSIT 0412 PLATYPUS', merchant_name: null }))[0]).toMatchObject({
				customer: { name: 'DEPOSIT 0412 PLATYPUS' },
				description: 'DEPOSIT 0412 PLATYPUS',
			});
		});

		it('reads amounts exactly, never through float arithmetic', () => {
			const minor = (amount: number, currency = 'USD') => normalize(credit({ amount, iso_currency_code: currency }))[0].amount;
			// 4.35 * 100 is 434.99999999999994 in floating point.
			expect(minor(-4.35)).toEqual({ minor: 435, value: '4.35', currency: 'USD', exponent: 2 });
			expect(minor(-0.1)).toEqual({ minor: 10, value: '0.10', currency: 'USD', exponent: 2 });
			expect(minor(-1234567.89)).toEqual({ minor: 123456789, value: '1234567.89', currency: 'USD', exponent: 2 });
			expect(minor(-1500, 'JPY')).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			// More decimals than the currency has is refused, not rounded.
			expect(payloadError(() => minor(-1.005)).field).toBe('amount');
		});

		it('a pending credit is pending, dated by its date at midnight UTC when Plaid gives no time', () => {
			const pending = credit({ pending: true, datetime: null, transaction_id: 'pending-lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje' });
			const [event] = normalize(pending);
			expect(event).toMatchObject({
				id: 'plaid:pending-lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje',
				providerEventType: 'transaction.pending',
				status: 'pending',
				crmStatus: 'Pending',
				occurredAt: '2022-02-03T00:00:00.000Z',
				payment: { id: 'pending-lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje' },
			});
		});

		it('the posted version of a pending credit is the same payment: its payment id is the pending one it names', () => {
			const posted = credit({ pending_transaction_id: 'pending-lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje' });
			expect(normalize(posted)[0]).toMatchObject({
				id: 'plaid:lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje',
				status: 'succeeded',
				payment: { id: 'pending-lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje' },
			});
		});
	});

	describe('bad input', () => {
		it('an amount in an unofficial currency (iso_currency_code null) is a named error, not a guess', () => {
			const error = payloadError(() => normalize(credit({ iso_currency_code: null, unofficial_currency_code: 'BTC' })));
			expect(error.field).toBe('iso_currency_code');
			expect(error.message).toMatch(/BTC, which is not an ISO 4217 currency/);
		});

		it('a missing or non-numeric amount, a missing transaction id or date are named errors', () => {
			expect(payloadError(() => normalize(credit({ amount: undefined }))).message).toBe('plaid: amount: is missing');
			expect(payloadError(() => normalize(credit({ amount: '-2307.21' }))).message).toBe('plaid: amount: is not a number');
			expect(payloadError(() => events(credit({ transaction_id: null }))).field).toBe('added.0.transaction_id');
			expect(payloadError(() => events(credit({ datetime: null, date: '03/02/2022' }))).field).toBe('added.0.date');
			expect(payloadError(() => plaid.parse({ body: syncResponse([], { added: {} }), headers: {} })).field).toBe('added');
		});
	});

	describe('poll', () => {
		const tools = readContext(undefined, { accessToken: 'access-sandbox-de3ce8ef', environment: 'sandbox' }).tools;

		it('asks /transactions/sync for the Item from its first transaction, then from the stored cursor, then page by page', () => {
			const first = plaid.poll!.request('default', '2026-01-01T00:00:00.000Z', undefined, tools, undefined);
			expect(first).toEqual({
				method: 'POST',
				path: '/transactions/sync',
				headers: { 'Plaid-Version': '2020-09-14' },
				body: { access_token: 'access-sandbox-de3ce8ef', count: 500, options: { include_original_description: true } },
				description: "the Item's Plaid transactions",
			});
			expect(plaid.poll!.request('default', '', undefined, tools, 'stored-cursor').body).toMatchObject({ cursor: 'stored-cursor' });
			expect(plaid.poll!.request('default', '', 'page-2', tools, 'stored-cursor').body).toMatchObject({ cursor: 'page-2' });
			// The access token travels in the body only, never in a message.
			expect(JSON.stringify([first.description, first.headers])).not.toContain('access-sandbox');
		});

		it('refuses to poll without an access token', () => {
			expect(() => plaid.poll!.request('default', '', undefined, readContext().tools)).toThrow(/no Access Token/);
		});

		it('reads a page: records keyed by the pending id that links them, the next page while has_more, and the cursor', () => {
			const posted = credit({ pending_transaction_id: 'pending-1' });
			const page = plaid.poll!.read('default', syncResponse([posted], { has_more: true }), readContext(undefined, { environment: 'sandbox' }));
			expect(page.next).toBe(sample().next_cursor);
			expect(page.cursor).toBe(sample().next_cursor);
			expect(page.records.map(({ key, modifiedAt, event }) => ({ key, modifiedAt, livemode: event.livemode }))).toEqual([
				{ key: 'pending-1', modifiedAt: '2022-02-03T11:00:00.000Z', livemode: false },
			]);
			const last = plaid.poll!.read('default', sample(), readContext());
			expect(last.next).toBeUndefined();
			expect(last.records.map((record) => record.key)).toEqual(['lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje', 'yhnUVvtcGGcCKU0bcz8PDQr5ZUxUXebUvbKC0']);
		});

		it('restarts a stream on TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION only', () => {
			const mutation = fixtureJson('banks/plaid/transactions_sync_mutation_during_pagination.json');
			expect(plaid.poll!.restartOn!({ status: 400, body: mutation })).toBe(true);
			expect(plaid.poll!.restartOn!({ status: 400, body: { ...mutation, error_code: 'ITEM_LOGIN_REQUIRED' } })).toBe(false);
			expect(plaid.poll!.restartOn!({ status: 429, body: undefined })).toBe(false);
		});
	});
});
