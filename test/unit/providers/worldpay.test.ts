import { ProviderPayloadError } from '../../../nodes/providers/common';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { worldpay } from '../../../nodes/providers/worldpay';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Samples: the Access Worldpay events webhook examples of developer.worldpay.com / docs.worldpay.com
// (test/fixtures/worldpay, see SOURCES.md there). They all share one eventId and timestamp.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const EVENT_ID = 'bb55ca5a-e05c-47e1-8e94-e88bac1a0a17';
const eur = (minor: number, value: string) => ({ minor, value, currency: 'EUR', exponent: 2 });

type Json = Record<string, unknown>;

function parse(body: unknown): ProviderEvent {
	const events = worldpay.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return events[0];
}

const normalize = (file: string) => toPaymentEvents(worldpay, parse(fixtureJson(file)), { receivedAt });

/** What every docs sample without a paymentId or card says about the payment. */
const docsEvent = {
	schemaVersion: 1,
	id: `worldpay:${EVENT_ID}`,
	provider: 'worldpay',
	providerEventId: EVENT_ID,
	livemode: false,
	amount: eur(100, '1.00'),
	// eventTimestamp "2018-06-13T14:18:13.407" has no zone: read as UTC.
	occurredAt: '2018-06-13T14:18:13.407Z',
	receivedAt: '2026-01-01T00:00:00.000Z',
	payment: { id: 'Memory265-13/08/1876' },
	reference: 'Memory265-13/08/1876',
	metadata: { downstreamReference: '3378792436' },
};

describe('Worldpay events webhook samples', () => {
	it('authorized (with the card) → pending payment of 1.00 EUR, card brand and last4 only', () => {
		const events = normalize('worldpay/authorized.json');
		expect(events).toEqual([
			{
				...docsEvent,
				providerEventType: 'authorized',
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				payment: { id: 'payI-dUcet9fk4_X4qZU0hpU0', method: 'card', brand: 'visa', last4: '5555' },
				metadata: { orderReference: 'my-order-ref', downstreamReference: '3378792436' },
			},
		]);
		expect(JSON.stringify(events)).not.toContain('555555');
	});

	it.each([
		['sentForAuthorization', 'payment', 'pending', 'Pending'],
		['sentForSettlement', 'payment', 'succeeded', 'Paid'],
		['settled', 'payment', 'succeeded', 'Paid'],
		['settlementFailed', 'payment', 'failed', 'Failed'],
		['cancelled', 'payment', 'canceled', 'Failed'],
		['expired', 'payment', 'canceled', 'Failed'],
		['sentForRefund', 'refund', 'pending', 'Pending'],
		['refunded', 'refund', 'refunded', 'Refunded'],
		['refundFailed', 'refund', 'failed', 'Failed'],
	])('%s → %s %s (%s), 1.00 EUR', (type, kind, status, crmStatus) => {
		expect(normalize(`worldpay/${type}.json`)).toEqual([{ ...docsEvent, providerEventType: type, kind, status, crmStatus }]);
	});

	it('chargeback informationRequested → disputed, held as Pending', () => {
		// This chargeback sample has no downstreamReference.
		const withoutMetadata: Json = { ...docsEvent };
		delete withoutMetadata.metadata;
		expect(normalize('worldpay/informationRequested.json')).toEqual([
			{ ...withoutMetadata, providerEventType: 'informationRequested', kind: 'dispute', status: 'disputed', crmStatus: 'Pending' },
		]);
	});

	it.each(['refused', 'error'])('%s: the docs sample has no amount → no canonical event', (type) => {
		expect(normalize(`worldpay/${type}.json`)).toEqual([]);
	});

	it('a refused event that carries an amount → failed payment', () => {
		const body = fixtureJson<{ eventDetails: Json }>('worldpay/refused.json');
		body.eventDetails.amount = { value: 2500, currencyCode: 'GBP' };
		expect(toPaymentEvents(worldpay, parse(body), { receivedAt })[0]).toMatchObject({
			kind: 'payment',
			status: 'failed',
			crmStatus: 'Failed',
			amount: { minor: 2500, value: '25.00', currency: 'GBP', exponent: 2 },
		});
	});

	it('types that are not about a payment (tokenCreated) → []', () => {
		const body = fixtureJson<{ eventDetails: Json }>('worldpay/settled.json');
		body.eventDetails.type = 'tokenCreated';
		expect(normalize('worldpay/settled.json')).toHaveLength(1);
		expect(toPaymentEvents(worldpay, parse(body), { receivedAt })).toEqual([]);
	});
});

describe('Worldpay currencies', () => {
	const withAmount = (value: unknown, currencyCode: unknown) => {
		const body = fixtureJson<{ eventDetails: Json }>('worldpay/settled.json');
		body.eventDetails.amount = { value, currencyCode };
		return parse(body);
	};

	it('value is in minor units of the ISO exponent: JPY 0, KWD 3', () => {
		expect(toPaymentEvents(worldpay, withAmount(1000, 'JPY'), { receivedAt })[0].amount).toEqual({
			minor: 1000,
			value: '1000',
			currency: 'JPY',
			exponent: 0,
		});
		expect(toPaymentEvents(worldpay, withAmount(1234, 'KWD'), { receivedAt })[0].amount).toEqual({
			minor: 1234,
			value: '1.234',
			currency: 'KWD',
			exponent: 3,
		});
	});

	it('a decimal value or an unknown currency → ProviderPayloadError naming the amount', () => {
		expect(payloadError(() => worldpay.normalize(withAmount(1.5, 'EUR'), {})).field).toBe('eventDetails.amount.value');
		expect(payloadError(() => worldpay.normalize(withAmount(100, 'XYZ'), {})).field).toBe('eventDetails.amount.value');
		expect(payloadError(() => worldpay.normalize(withAmount(100, undefined), {})).field).toBe('eventDetails.amount.value currency');
	});
});

describe('Worldpay malformed deliveries', () => {
	it('no eventDetails → ProviderPayloadError naming it', () => {
		expect(payloadError(() => worldpay.parse({ body: { eventId: 'x', eventTimestamp: '2018-06-13T14:18:13Z' }, headers: {} })).field).toBe(
			'eventDetails',
		);
	});

	it('a missing eventId or an unreadable eventTimestamp is named', () => {
		const noId = fixtureJson<Json>('worldpay/settled.json');
		delete noId.eventId;
		expect(payloadError(() => worldpay.parse({ body: noId, headers: {} })).field).toBe('eventId');
		const badTime = fixtureJson<Json>('worldpay/settled.json');
		badTime.eventTimestamp = 'yesterday';
		expect(payloadError(() => worldpay.parse({ body: badTime, headers: {} })).field).toBe('eventTimestamp');
	});

	it('a body that is not an object', () => {
		expect(() => worldpay.parse({ body: 'eventId=1', headers: {} })).toThrow(ProviderPayloadError);
	});
});

describe('Worldpay detection', () => {
	it.each([
		'authorized',
		'sentForAuthorization',
		'sentForSettlement',
		'settled',
		'settlementFailed',
		'cancelled',
		'expired',
		'error',
		'refused',
		'sentForRefund',
		'refunded',
		'refundFailed',
		'informationRequested',
	])('recognises %s', (type) => {
		expect(worldpay.detect({ body: fixtureJson(`worldpay/${type}.json`), headers: {} })).toBe(true);
	});

	it('does not claim a Stripe event', () => {
		expect(worldpay.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['worldpay']))('does not claim %s', (_file, body) => {
		expect(worldpay.detect({ body, headers: {} })).toBe(false);
	});
});
