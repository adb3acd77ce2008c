import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderInput } from '../../../nodes/providers/types';
import { wise } from '../../../nodes/providers/wise';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

function input(file: string, headers: Record<string, string> = {}): ProviderInput {
	return { body: fixtureJson(file), headers, rawBody: fixtureBytes(file) };
}

type Json = Record<string, unknown>;

function normalizeFile(file: string, completion?: unknown) {
	const [event] = wise.parse(input(file));
	return toPaymentEvents(wise, event, { receivedAt, completion });
}

/** A sample with some of its `data` fields changed. */
function withData(file: string, fields: Json): ProviderInput {
	const body = fixtureJson<{ data: Json }>(file);
	body.data = { ...body.data, ...fields };
	return { body, headers: {} };
}

function normalizeInput(delivery: ProviderInput, completion?: unknown) {
	const [event] = wise.parse(delivery);
	return toPaymentEvents(wise, event, { receivedAt, completion });
}

describe('wise adapter', () => {
	describe('transfers#state-change (thin: fetched with GET /v1/transfers/{id})', () => {
		it('parses the shared sample into one event with a stable id', () => {
			expect(wise.parse(input('wise/transfers_state-change.raw.json'))).toEqual([
				{
					id: 'transfers#state-change:49983981:incoming_payment_waiting:2021-08-23T10:12:50.000Z',
					type: 'transfers#state-change',
					occurredAt: '2021-08-23T10:12:50.000Z',
					// The delivery does not say live or sandbox (the trigger's credential does): livemode is left unset.
					livemode: undefined,
					data: fixtureJson<{ data: unknown }>('wise/transfers_state-change.raw.json').data,
				},
			]);
		});

		it('asks for the transfer to read its amount', () => {
			const [event] = wise.parse(input('wise/transfers_state-change.raw.json'));
			expect(wise.complete!(event)).toEqual({
				method: 'GET',
				path: '/v1/transfers/49983981',
				description: 'the Wise transfer 49983981',
			});
		});

		it('maps incoming_payment_waiting to a pending payout of the target amount (docs transfer: 150 GBP)', () => {
			const transfer = fixtureJson('wise/transfer_get_response.json');
			expect(normalizeFile('wise/transfers_state-change.raw.json', transfer)).toEqual([
				{
					schemaVersion: 1,
					id: 'wise:transfers#state-change:49983981:incoming_payment_waiting:2021-08-23T10:12:50.000Z',
					provider: 'wise',
					providerEventId: 'transfers#state-change:49983981:incoming_payment_waiting:2021-08-23T10:12:50.000Z',
					providerEventType: 'transfers#state-change',
					livemode: true,
					kind: 'payout',
					status: 'pending',
					crmStatus: 'Pending',
					amount: { minor: 15000, value: '150.00', currency: 'GBP', exponent: 2 },
					occurredAt: '2021-08-23T10:12:50.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					payment: { id: '49983981' },
					reference: 'Testing',
				},
			]);
		});

		it('takes the status from the event state, not from the (later) fetched transfer', () => {
			const transfer = fixtureJson('wise/transfer_get_response.json');
			const statusOf = (current_state: string) =>
				normalizeInput(withData('wise/transfers_state-change.raw.json', { current_state }), transfer)[0].status;
			expect(statusOf('outgoing_payment_sent')).toBe('succeeded');
			expect(statusOf('funds_refunded')).toBe('refunded');
			expect(statusOf('cancelled')).toBe('canceled');
			expect(statusOf('bounced_back')).toBe('failed');
			expect(statusOf('processing')).toBe('pending');
			expect(statusOf('funds_converted')).toBe('pending');
			expect(statusOf('charged_back')).toBe('disputed');
		});

		it('gives each state change its own id', () => {
			const ids = ['processing', 'outgoing_payment_sent'].map(
				(current_state) => wise.parse(withData('wise/transfers_state-change.raw.json', { current_state }))[0].id,
			);
			expect(new Set(ids).size).toBe(2);
		});

		it('the "unknown" state is not fetched and yields nothing', () => {
			const [event] = wise.parse(withData('wise/transfers_state-change.raw.json', { current_state: 'unknown' }));
			expect(wise.complete!(event)).toBeUndefined();
			expect(wise.normalize(event, {})).toEqual([]);
		});
	});

	describe('balances#credit', () => {
		it('maps the docs sample (1.23 EUR credited) to a succeeded payment', () => {
			expect(normalizeFile('wise/balances_credit.json')).toEqual([
				{
					schemaVersion: 1,
					id: 'wise:balances#credit:111:EUR:2020-01-01T12:34:56.000Z:2.34',
					provider: 'wise',
					providerEventId: 'balances#credit:111:EUR:2020-01-01T12:34:56.000Z:2.34',
					providerEventType: 'balances#credit',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: { minor: 123, value: '1.23', currency: 'EUR', exponent: 2 },
					occurredAt: '2020-01-01T12:34:56.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					metadata: { balanceAccountId: '111' },
				},
			]);
			expect(wise.complete!(wise.parse(input('wise/balances_credit.json'))[0])).toBeUndefined();
		});

		it('reads decimal amounts exactly in every currency exponent', () => {
			const amountOf = (amount: number, currency: string) =>
				normalizeInput(withData('wise/balances_credit.json', { amount, currency }))[0].amount;
			expect(amountOf(1500, 'JPY')).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			expect(amountOf(7.125, 'OMR')).toEqual({ minor: 7125, value: '7.125', currency: 'OMR', exponent: 3 });
			expect(amountOf(4.35, 'EUR')).toEqual({ minor: 435, value: '4.35', currency: 'EUR', exponent: 2 });
			expect(payloadError(() => amountOf(1.5, 'JPY')).field).toBe('data.amount');
			expect(payloadError(() => amountOf(1.5, 'XYZ')).field).toBe('data.amount');
		});

		it('marks Wise test deliveries as not live', () => {
			expect(wise.parse(input('wise/balances_credit.json', { 'x-test-notification': 'true' }))[0].livemode).toBe(false);
		});
	});

	describe('balances#update', () => {
		it('maps the docs credit sample (70 GBP) to a succeeded payment', () => {
			expect(normalizeFile('wise/balances_update_credit.json')).toEqual([
				{
					schemaVersion: 1,
					id: 'wise:balances#update:2:111:1234567:credit:2023-03-08T14:55:38.000Z',
					provider: 'wise',
					providerEventId: 'balances#update:2:111:1234567:credit:2023-03-08T14:55:38.000Z',
					providerEventType: 'balances#update',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					amount: { minor: 7000, value: '70.00', currency: 'GBP', exponent: 2 },
					occurredAt: '2023-03-08T14:55:38.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					reference: 'BNK-1234567',
					metadata: { balanceAccountId: '2', balanceId: '111', channel: 'TRANSFER' },
				},
			]);
		});

		it('the docs debit sample is not a payment received', () => {
			expect(normalizeFile('wise/balances_update_debit.json')).toEqual([]);
		});
	});

	describe('transfers#refund', () => {
		it('maps the docs sample (5000 EUR refunded) to a refund', () => {
			expect(normalizeFile('wise/transfers_refund.json')).toEqual([
				{
					schemaVersion: 1,
					id: 'wise:transfers#refund:111:2024-01-01T12:34:56.000Z',
					provider: 'wise',
					providerEventId: 'transfers#refund:111:2024-01-01T12:34:56.000Z',
					providerEventType: 'transfers#refund',
					livemode: true,
					kind: 'refund',
					status: 'refunded',
					crmStatus: 'Refunded',
					amount: { minor: 500000, value: '5000.00', currency: 'EUR', exponent: 2 },
					occurredAt: '2024-01-01T12:34:56.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					payment: { id: '111' },
				},
			]);
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => wise.parse({ body: [], headers: {} })).field).toBe('body');
			expect(payloadError(() => wise.parse(withData('wise/balances_credit.json', { occurred_at: 'yesterday' }))).field).toBe(
				'data.occurred_at',
			);
			expect(payloadError(() => wise.parse(withData('wise/balances_credit.json', { resource: {} }))).field).toBe(
				'data.resource.id',
			);
			expect(payloadError(() => normalizeInput(withData('wise/balances_credit.json', { amount: '1,23' }))).field).toBe(
				'data.amount',
			);
			const [transfer] = wise.parse(input('wise/transfers_state-change.raw.json'));
			expect(payloadError(() => wise.normalize(transfer, {})).field).toBe('completion');
			expect(payloadError(() => wise.normalize(transfer, { completion: { targetCurrency: 'GBP' } })).field).toBe('targetValue');
		});
	});

	describe('detect', () => {
		it('recognises every Wise webhook sample', () => {
			for (const file of [
				'transfers_state-change.raw.json',
				'balances_credit.json',
				'balances_update_credit.json',
				'balances_update_debit.json',
				'transfers_refund.json',
			]) {
				expect(wise.detect(input(`wise/${file}`))).toBe(true);
			}
		});

		it('does not claim a fetched transfer or a Stripe event', () => {
			expect(wise.detect(input('wise/transfer_get_response.json'))).toBe(false);
			expect(wise.detect(input('stripe/charge.succeeded.json'))).toBe(false);
		});

		it.each(otherProviderSamples(['wise']))('does not claim %s', (_name, body, rawBody) => {
			expect(wise.detect({ body, headers: {}, rawBody })).toBe(false);
		});
	});
});
