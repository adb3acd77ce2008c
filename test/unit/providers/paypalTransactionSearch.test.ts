import { TRANSACTION_SEARCH_EVENT, paypal } from '../../../nodes/providers/paypal';
import type { ProviderEvent, WebhookTools } from '../../../nodes/providers/types';
import { readContext } from '../../nodes/pollers/pollState';
import { fixtureJson, payloadError } from './fixtures';

// test/fixtures/paypal/transactions-search.json: the "List transactions" sample response of PayPal's Transaction
// Search API reference (see SOURCES.md). Rows below change only its documented transaction_info fields.
type Json = Record<string, unknown>;
const sample = fixtureJson<Json & { transaction_details: Array<Json & { transaction_info: Json }> }>('paypal/transactions-search.json');
const ROW = sample.transaction_details[0];
const poll = paypal.poll!;
/** What read gets with a first page. */
const firstPage = readContext();

function row(info: Json = {}): Json {
	return { ...ROW, transaction_info: { ...ROW.transaction_info, ...info } };
}

function event(data: Json): ProviderEvent {
	return poll.read('default', { ...sample, transaction_details: [data] }, firstPage).records[0].event;
}

const normalize = (data: Json) => paypal.normalize(event(data), {});
const tools = (now: string) => ({ now: new Date(now), switches: {}, credentials: {} }) as unknown as WebhookTools;

describe('PayPal Transaction Search rows as canonical events', () => {
	it('reads the documented row as a received checkout payment, keyed by its transaction id', () => {
		const read = poll.read('default', sample, firstPage);
		expect(read.records).toHaveLength(1);
		expect(read.records[0]).toMatchObject({
			key: '5TY05013RG002845M',
			modifiedAt: '2014-07-11T04:03:52.000Z',
			event: { id: '5TY05013RG002845M@2014-07-11T04:03:52.000Z', type: TRANSACTION_SEARCH_EVENT, livemode: false },
		});
		// The sample's own range (2014-07-01 … 2014-07-30, under 31 days, one page): nothing follows.
		expect(read.next).toBeUndefined();
		expect(paypal.normalize(read.records[0].event, {})).toEqual([
			expect.objectContaining({ kind: 'payment', status: 'succeeded', amount: expect.objectContaining({ minor: 46500, value: '465.00' }) }),
		]);
	});

	it.each([
		['P', 'pending'],
		['D', 'failed'],
		['V', 'refunded'],
		['F', 'partially_refunded'],
	])('maps transaction_status %s of a payment to %s', (code, status) => {
		expect(normalize(row({ transaction_status: code }))).toEqual([expect.objectContaining({ kind: 'payment', status })]);
	});

	it('reads a merchant refund (T1107, negative) as a refund of the original transaction, in positive money', () => {
		const refund = row({
			transaction_id: '1Y107995YT783435V',
			transaction_event_code: 'T1107',
			transaction_amount: { currency_code: 'USD', value: '-465.00' },
			paypal_reference_id: '5TY05013RG002845M',
			paypal_reference_id_type: 'TXN',
		});
		expect(normalize(refund)).toEqual([
			expect.objectContaining({
				kind: 'refund',
				status: 'refunded',
				amount: expect.objectContaining({ minor: 46500, value: '465.00', currency: 'USD' }),
				payment: { id: '5TY05013RG002845M' },
			}),
		]);
	});

	it('reads a chargeback (T1201) as a dispute', () => {
		const chargeback = row({ transaction_event_code: 'T1201', transaction_amount: { currency_code: 'USD', value: '-465.00' } });
		expect(normalize(chargeback)).toEqual([expect.objectContaining({ kind: 'dispute', status: 'disputed' })]);
	});

	it('ignores a payment the account sent and rows that are not payments (fees, transfers)', () => {
		expect(normalize(row({ transaction_amount: { currency_code: 'USD', value: '-465.00' } }))).toEqual([]);
		expect(normalize(row({ transaction_event_code: 'T0400' }))).toEqual([]);
	});

	it('names the field of a malformed row', () => {
		expect(payloadError(() => normalize(row({ transaction_status: 'X' }))).field).toBe('transaction_info.transaction_status');
		expect(payloadError(() => normalize(row({ transaction_amount: undefined }))).field).toBe('transaction_info.transaction_amount.value');
		expect(payloadError(() => poll.read('default', { transaction_details: [{ payer_info: {} }] }, firstPage)).field).toBe(
			'transaction_details.0.transaction_info.transaction_id',
		);
	});

	it('tells live rows from the API host of the response', () => {
		const live = { ...sample, links: [{ href: 'https://api-m.paypal.com/v1/reporting/transactions?page=1', rel: 'self', method: 'GET' }] };
		expect(poll.read('default', live, firstPage).records[0].event.livemode).toBe(true);
	});
});

describe('PayPal Transaction Search requests', () => {
	it('asks for at most 31 days from a week before the cursor, up to now, in whole seconds', () => {
		expect(poll.request('default', '2026-11-20T10:00:00.250Z', undefined, tools('2026-11-21T12:00:00.900Z')).qs).toEqual({
			start_date: '2026-11-13T10:00:00Z',
			end_date: '2026-11-21T12:00:00Z',
			fields: 'all',
			page_size: 500,
			page: 1,
		});
		expect(poll.request('default', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z|3', tools('2026-11-21T12:00:00Z')).qs).toMatchObject({
			start_date: '2026-03-01T00:00:00Z',
			end_date: '2026-04-01T00:00:00Z',
			page: 3,
		});
	});

	it('pages within a range, then moves to the next full range, and stops at a range that reaches the present', () => {
		const range = { start_date: '2026-01-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z' };
		expect(poll.read('default', { ...sample, ...range, page: 1, total_pages: 3 }, firstPage).next).toBe('2026-01-01T00:00:00Z|2');
		expect(poll.read('default', { ...sample, ...range, page: 3, total_pages: 3 }, readContext('2026-01-01T00:00:00Z|3')).next).toBe('2026-02-01T00:00:00Z|1');
		expect(poll.read('default', { ...sample, ...range, end_date: '2026-01-20T00:00:00Z', page: 1, total_pages: 1 }, firstPage).next).toBeUndefined();
	});
});
