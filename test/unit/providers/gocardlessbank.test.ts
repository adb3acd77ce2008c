import { gocardlessbank } from '../../../nodes/providers/gocardlessbank';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { readContext } from '../../nodes/pollers/pollState';
import { fixtureJson, payloadError } from './fixtures';

type Json = Record<string, unknown>;
type Transactions = { transactions: { booked: Json[]; pending: Json[] } };

const receivedAt = new Date('2026-01-01T00:00:00Z');

// test/fixtures/banks/gocardlessbank (SOURCES.md): the transactions response of GoCardless Bank Account Data's
// quickstart guide: a booked credit of 45.00 EUR from MON MOTHMA, a booked debit of 15.00 EUR and a pending debit of
// 10.00 EUR without a transactionId.
const sample = () => fixtureJson<Transactions>('banks/gocardlessbank/transactions_response.json');
const [mothma, coffee] = sample().transactions.booked;
const [burgers] = sample().transactions.pending;

function body(booked: Json[], pending: Json[] = []): Transactions {
	return { transactions: { booked, pending } };
}

function normalize(events: ProviderEvent[]) {
	return events.flatMap((event) => toPaymentEvents(gocardlessbank, event, { receivedAt }));
}

const parse = (input: unknown) => gocardlessbank.parse({ body: input, headers: {} });

describe('gocardlessbank adapter', () => {
	describe("the quickstart's transactions", () => {
		it('are recognised: two booked transactions and one pending, dated at midnight UTC', () => {
			expect(gocardlessbank.detect({ body: sample(), headers: {} })).toBe(true);
			expect(parse(sample()).map(({ id, type, occurredAt }) => ({ id, type, occurredAt }))).toEqual([
				{ id: '2020103000624289-1', type: 'transaction.booked', occurredAt: '2020-10-30T00:00:00.000Z' },
				{ id: '2020111101899195-1', type: 'transaction.booked', occurredAt: '2020-11-11T00:00:00.000Z' },
				// No transactionId: a digest of the entry stands in, so the same entry keeps the same id.
				{ id: expect.stringMatching(/^sha256:[0-9a-f]{32}:pending$/), type: 'transaction.pending', occurredAt: '2020-11-03T00:00:00.000Z' },
			]);
			expect(parse(sample())[2].id).toBe(parse(sample())[2].id);
		});

		it('only the credit is a payment: exact amount, payer, remittance information as reference', () => {
			expect(normalize(parse(sample()))).toEqual([
				{
					schemaVersion: 1,
					id: 'gocardlessbank:2020103000624289-1',
					provider: 'gocardlessbank',
					providerEventId: '2020103000624289-1',
					providerEventType: 'transaction.booked',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: { minor: 4500, value: '45.00', currency: 'EUR', exponent: 2 },
					occurredAt: '2020-10-30T00:00:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { name: 'MON MOTHMA' },
					payment: { id: '2020103000624289-1' },
					reference: 'For the support of Restoration of the Republic foundation',
					metadata: { debtorIban: 'GL53SAFI055151515' },
				},
			]);
		});

		it('is not taken for other payloads', () => {
			expect(gocardlessbank.detect({ body: { results: [] }, headers: {} })).toBe(false);
			expect(gocardlessbank.detect({ body: { transactions: [] }, headers: {} })).toBe(false);
		});
	});

	describe('credits', () => {
		it('a pending credit is pending, with its own event id', () => {
			const [event] = normalize(parse(body([], [{ ...burgers, transactionAmount: { currency: 'EUR', amount: '10.00' } }])));
			expect(event).toMatchObject({
				providerEventType: 'transaction.pending',
				status: 'pending',
				crmStatus: 'Pending',
				amount: { minor: 1000, value: '10.00' },
				occurredAt: '2020-11-03T00:00:00.000Z',
				reference: "Reserved PAYMENT Emperor's Burgers",
			});
			expect(event.id).toMatch(/^gocardlessbank:sha256:[0-9a-f]{32}:pending$/);
		});

		it('a pending entry booked later under the same transactionId is the same payment, with two events', () => {
			const booked = parse(body([mothma]))[0];
			const pending = parse(body([], [mothma]))[0];
			expect([booked.id, pending.id]).toEqual(['2020103000624289-1', '2020103000624289-1:pending']);
			const read = gocardlessbank.poll!.read('default', body([mothma], [mothma]), readContext()).records;
			expect(read.map((record) => record.key)).toEqual(['2020103000624289-1', '2020103000624289-1']);
		});

		it('prefers structured remittance information, then the unstructured text, then its array form', () => {
			const reference = (fields: Json) => normalize(parse(body([{ ...mothma, ...fields }])))[0].reference;
			expect(reference({ remittanceInformationStructured: 'RF18539007547034' })).toBe('RF18539007547034');
			expect(reference({ remittanceInformationUnstructured: undefined, remittanceInformationUnstructuredArray: ['INV 42', 'THANK YOU'] })).toBe(
				'INV 42 THANK YOU',
			);
		});

		it('reads amounts exactly, as the decimal strings they are; zero and negative amounts are not payments', () => {
			const amount = (value: string, currency = 'EUR') =>
				normalize(parse(body([{ ...mothma, transactionAmount: { currency, amount: value } }])))[0]?.amount;
			expect(amount('1234567.89')).toEqual({ minor: 123456789, value: '1234567.89', currency: 'EUR', exponent: 2 });
			expect(amount('12.345', 'KWD')).toEqual({ minor: 12345, value: '12.345', currency: 'KWD', exponent: 3 });
			expect(amount('0.00')).toBeUndefined();
			expect(normalize(parse(body([coffee])))).toEqual([]);
			expect(payloadError(() => amount('45.001')).field).toBe('transactionAmount.amount');
		});
	});

	describe('bad input', () => {
		it('names the field: amount, currency, date, transactions', () => {
			const one = (fields: Json) => normalize(parse(body([{ ...mothma, ...fields }])));
			expect(payloadError(() => one({ transactionAmount: { currency: 'EUR' } })).message).toBe('gocardlessbank: transactionAmount.amount: is missing');
			expect(payloadError(() => one({ transactionAmount: { amount: '45.00' } })).field).toBe('transactionAmount.amount currency');
			expect(payloadError(() => one({ bookingDate: undefined, valueDate: undefined })).field).toBe('transactions.booked.0.bookingDate');
			expect(payloadError(() => parse({ transactions: { booked: {} } })).field).toBe('transactions.booked');
			expect(payloadError(() => parse({})).field).toBe('transactions');
		});
	});

	describe('poll', () => {
		it('asks for the transactions from a week before `since` to today; no account, no request', () => {
			const { tools } = readContext(undefined, { accountId: '065da497-e6af-4950-88ed-2edbc0577d20' });
			expect(gocardlessbank.poll!.request('default', '2026-01-10T12:00:00.000Z', undefined, tools)).toEqual({
				method: 'GET',
				path: '/api/v2/accounts/065da497-e6af-4950-88ed-2edbc0577d20/transactions/',
				qs: { date_from: '2026-01-03', date_to: tools.now.toISOString().slice(0, 10) },
				description: 'the transactions of the GoCardless Bank Account Data account 065da497-e6af-4950-88ed-2edbc0577d20',
			});
			expect(() => gocardlessbank.poll!.request('default', '2026-01-10T12:00:00.000Z', undefined, readContext().tools)).toThrow(/no Account ID/);
		});
	});
});
