import { toPaymentEvents } from '../../../nodes/providers/index';
import { intuitpayments } from '../../../nodes/providers/intuitpayments';
import { quickbooks } from '../../../nodes/providers/quickbooks';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Samples in test/fixtures/intuitpayments (see SOURCES.md there): the charge response of Intuit's "Create basic
// requests" page, and a sandbox refund read back with GET .../charges/{id}/refunds/{refundId} (community SDK docs).
const receivedAt = new Date('2026-01-01T00:00:00Z');
const CHARGE = 'intuitpayments/charge.captured.json';
const REFUND = 'intuitpayments/refund.issued.json';

type Json = Record<string, unknown>;
const charge = () => fixtureJson<Json & { card: Json }>(CHARGE);

function parse(body: unknown): ProviderEvent {
	const events = intuitpayments.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return events[0];
}

const normalize = (body: unknown) => toPaymentEvents(intuitpayments, parse(body), { receivedAt });

describe('QuickBooks Payments charges', () => {
	it('the docs charge (CAPTURED, 10.55 USD) → Paid, card brand and last4 only', () => {
		const events = normalize(charge());
		expect(events).toEqual([
			{
				schemaVersion: 1,
				id: 'intuitpayments:EAQX3720TN5J:CAPTURED',
				provider: 'intuitpayments',
				providerEventId: 'EAQX3720TN5J:CAPTURED',
				providerEventType: 'charge.CAPTURED',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: { minor: 1055, value: '10.55', currency: 'USD', exponent: 2 },
				occurredAt: '2018-01-31T18:48:25.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				// The sandbox sample's cardholder name is Intuit's emulation switch, as printed.
				customer: { name: 'emulate=0' },
				payment: { id: 'EAQX3720TN5J', method: 'card', brand: 'Visa', last4: '1111' },
			},
		]);
	});

	it.each([
		['AUTHORIZED', 'payment', 'pending', 'Pending'],
		['SETTLED', 'payment', 'succeeded', 'Paid'],
		['DECLINED', 'payment', 'failed', 'Failed'],
		['CANCELLED', 'payment', 'canceled', 'Failed'],
		['REFUNDED', 'refund', 'refunded', 'Refunded'],
	])('status %s → %s %s (%s), its own event id', (chargeStatus, kind, status, crmStatus) => {
		const body = charge();
		body.status = chargeStatus;
		expect(normalize(body)[0]).toMatchObject({
			providerEventId: `EAQX3720TN5J:${chargeStatus}`,
			providerEventType: `charge.${chargeStatus}`,
			kind,
			status,
			crmStatus,
		});
	});

	it('a partial capture reports the captured amount', () => {
		const body = charge();
		body.captureDetail = { amount: '5.00', created: '2018-01-31T19:00:00Z' };
		expect(normalize(body)[0].amount).toEqual({ minor: 500, value: '5.00', currency: 'USD', exponent: 2 });
	});

	it('a full card number never reaches the event: only its last four digits', () => {
		const body = charge();
		body.card.number = '4111111111111111';
		const events = normalize(body);
		expect(events[0].payment).toEqual({ id: 'EAQX3720TN5J', method: 'card', brand: 'Visa', last4: '1111' });
		expect(JSON.stringify(events)).not.toContain('4111111111111111');
	});

	it('description and the client transaction id are kept', () => {
		const body = charge();
		body.description = 'Class 12 May';
		body.context = { ...(body.context as Json), clientTransID: 'a9xts389' };
		expect(normalize(body)[0]).toMatchObject({ description: 'Class 12 May', reference: 'a9xts389' });
	});
});

describe('QuickBooks Payments money', () => {
	it('amount is a decimal string in the charge currency', () => {
		const body = charge();
		body.currency = 'CAD';
		body.amount = '1200';
		expect(normalize(body)[0].amount).toEqual({ minor: 120000, value: '1200.00', currency: 'CAD', exponent: 2 });
	});

	it('more decimals than the currency has, or an unknown currency → ProviderPayloadError naming amount', () => {
		const body = charge();
		body.amount = '10.555';
		expect(payloadError(() => intuitpayments.normalize(parse(body), {})).field).toBe('amount');
		const unknown = charge();
		unknown.currency = 'XXX';
		expect(payloadError(() => intuitpayments.normalize(parse(unknown), {})).field).toBe('amount');
	});
});

describe('QuickBooks Payments refunds', () => {
	it('a refund object is recognised but has no currency: normalize names it instead of guessing', () => {
		const event = parse(fixtureJson(REFUND));
		expect(event).toMatchObject({ id: 'EUATXWTYC2ZL:ISSUED', type: 'refund.ISSUED', occurredAt: '2025-03-30T07:58:42.000Z' });
		expect(payloadError(() => intuitpayments.normalize(event, {})).field).toBe('currency');
	});
});

describe('QuickBooks Payments malformed input', () => {
	it('an unknown status or a missing created is refused', () => {
		const unknownStatus = charge();
		unknownStatus.status = 'PENDING_REVIEW';
		expect(payloadError(() => intuitpayments.parse({ body: unknownStatus, headers: {} })).field).toBe('body');
		const noCreated = charge();
		delete noCreated.created;
		expect(payloadError(() => intuitpayments.parse({ body: noCreated, headers: {} })).field).toBe('created');
	});
});

describe('QuickBooks Payments detection', () => {
	it.each([CHARGE, REFUND])('recognises %s', (file) => {
		expect(intuitpayments.detect({ body: fixtureJson(file), headers: {} })).toBe(true);
	});

	it('is not QuickBooks Online, and QuickBooks Online does not claim its objects', () => {
		for (const file of [CHARGE, REFUND]) {
			expect(quickbooks.detect({ body: fixtureJson(file), headers: {} })).toBe(false);
		}
		expect(intuitpayments.detect({ body: fixtureJson('quickbooks/payment_read_response.json'), headers: {} })).toBe(false);
	});

	it('does not claim a Stripe event', () => {
		expect(intuitpayments.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['intuitpayments']))('does not claim %s', (_file, body) => {
		expect(intuitpayments.detect({ body, headers: {} })).toBe(false);
	});
});
