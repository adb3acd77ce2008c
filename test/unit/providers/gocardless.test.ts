import { ProviderPayloadError } from '../../../nodes/providers/common';
import { gocardless } from '../../../nodes/providers/gocardless';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Webhooks: ../shared/fixtures/gocardless (official SDKs and docs, see its PROVENANCE.md) and
// test/fixtures/gocardless (API responses from the official Python SDK fixtures, see SOURCES.md there).
const receivedAt = new Date('2026-01-01T00:00:00Z');
const eur = (minor: number, value: string) => ({ minor, value, currency: 'EUR', exponent: 2 });

type Json = Record<string, unknown>;
const payment = () => fixtureJson<{ payments: Json }>('gocardless/payments.get.json');

function parse(body: unknown): ProviderEvent[] {
	return gocardless.parse({ body, headers: {} });
}

describe('GoCardless webhook batches', () => {
	it('the signed SDK body: one provider event per event, neither about money', () => {
		const events = parse(JSON.parse(fixtureBytes('gocardless/webhook_body.raw.json').toString('utf8')));
		expect(events.map(({ id, type, occurredAt }) => ({ id, type, occurredAt }))).toEqual([
			{ id: 'EV00BD05S5VM2T', type: 'subscriptions.created', occurredAt: '2018-07-05T09:13:51.404Z' },
			{ id: 'EV00BD05TB8K63', type: 'mandates.created', occurredAt: '2018-07-05T09:13:56.893Z' },
		]);
		for (const event of events) {
			expect(gocardless.complete!(event)).toBeUndefined();
			expect(toPaymentEvents(gocardless, event, { receivedAt })).toEqual([]);
		}
	});

	it('the pretty-printed SDK body parses to the same events', () => {
		const events = parse(fixtureJson('gocardless/webhook_body_subscription_mandate_created.json'));
		expect(events.map((event) => event.id)).toEqual(['EV00BD05S5VM2T', 'EV00BD05TB8K63']);
	});

	it('a batch of two payment events: each is thin and fetches its own payment', () => {
		const events = parse(fixtureJson('gocardless/webhook_payments_confirmed_failed.json'));
		expect(events.map((event) => [event.id, event.type])).toEqual([
			['EV123', 'payments.confirmed'],
			['EV456', 'payments.failed'],
		]);
		expect(events.map((event) => gocardless.complete!(event))).toEqual([
			{ method: 'GET', path: '/payments/PM123', headers: { 'GoCardless-Version': '2015-07-06' }, description: 'the GoCardless payment PM123' },
			{ method: 'GET', path: '/payments/PM456', headers: { 'GoCardless-Version': '2015-07-06' }, description: 'the GoCardless payment PM456' },
		]);
	});
});

describe('GoCardless events completed with the fetched resource', () => {
	const [confirmed, failed] = parse(fixtureJson('gocardless/webhook_payments_confirmed_failed.json'));

	it('payments.confirmed + GET /payments/PM123 → Paid, 10.00 EUR', () => {
		expect(toPaymentEvents(gocardless, confirmed, { receivedAt, completion: payment() })).toEqual([
			{
				schemaVersion: 1,
				id: 'gocardless:EV123',
				provider: 'gocardless',
				providerEventId: 'EV123',
				providerEventType: 'payments.confirmed',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(1000, '10.00'),
				occurredAt: '2014-08-03T12:00:00.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				payment: { id: 'PM123' },
				description: 'One-off upgrade fee',
			},
		]);
	});

	it('payments.failed → Failed, with the Direct Debit scheme the event names', () => {
		const completion = payment();
		completion.payments.id = 'PM456'; // the sample response, as the payment the event links
		const [event] = toPaymentEvents(gocardless, failed, { receivedAt, completion });
		expect(event).toMatchObject({
			id: 'gocardless:EV456',
			kind: 'payment',
			status: 'failed',
			crmStatus: 'Failed',
			amount: eur(1000, '10.00'),
			payment: { id: 'PM456', method: 'bacs' },
		});
	});

	it.each([
		['cancelled', 'payment', 'canceled', 'Failed'],
		['charged_back', 'dispute', 'disputed', 'Pending'],
		['paid_out', 'payment', 'succeeded', 'Paid'],
		['submitted', 'payment', 'pending', 'Pending'],
	])('payments.%s → %s %s', (action, kind, status, crmStatus) => {
		const event = { ...confirmed, type: `payments.${action}`, data: { ...(confirmed.data as Json), action } };
		expect(toPaymentEvents(gocardless, event, { receivedAt, completion: payment() })[0]).toMatchObject({
			providerEventType: `payments.${action}`,
			kind,
			status,
			crmStatus,
		});
	});

	it('refunds.created + GET /refunds/{id} → a pending refund of the payment it links', () => {
		const sample = fixtureJson<{ events: Json }>('gocardless/events.get.refund_created.json');
		const [event] = parse({ events: [sample.events] });
		expect(gocardless.complete!(event)).toEqual({
			method: 'GET',
			path: '/refunds/RF000099999999',
			headers: { 'GoCardless-Version': '2015-07-06' },
			description: 'the GoCardless refund RF000099999999',
		});
		const completion = fixtureJson('gocardless/refunds.get.json');
		expect(toPaymentEvents(gocardless, event, { receivedAt, completion })).toEqual([
			{
				schemaVersion: 1,
				id: 'gocardless:EV000099999999',
				provider: 'gocardless',
				providerEventId: 'EV000099999999',
				providerEventType: 'refunds.created',
				livemode: false,
				kind: 'refund',
				status: 'pending',
				crmStatus: 'Pending',
				amount: eur(150, '1.50'),
				occurredAt: '2017-06-27T10:00:26.278Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				payment: { id: 'PM123' },
				reference: 'Nude Wines refund',
			},
		]);
	});

	it('a payment event normalized without its fetched payment names the missing completion', () => {
		expect(payloadError(() => gocardless.normalize(confirmed, {})).field).toBe('completion');
	});

	it('reads the API integer amounts as well as the SDK fixtures string ones, and rejects decimals', () => {
		const completion = payment();
		completion.payments.amount = 1000;
		expect(toPaymentEvents(gocardless, confirmed, { receivedAt, completion })[0].amount).toEqual(eur(1000, '10.00'));
		completion.payments.amount = '10.00';
		expect(payloadError(() => gocardless.normalize(confirmed, { completion })).field).toBe('payments.amount');
	});
});

describe('GoCardless malformed deliveries', () => {
	const docsSample = () => fixtureJson<{ events: Json }>('gocardless/payments.failed.docs-sample.json');

	it('the docs sample with `events` as an object → ProviderPayloadError naming events', () => {
		expect(() => parse(docsSample())).toThrow(new ProviderPayloadError('gocardless', 'events', 'is not an array'));
	});

	it('its time "17:01::06" → ProviderPayloadError naming the event created_at', () => {
		expect(payloadError(() => parse({ events: [docsSample().events] })).field).toBe('events[0].created_at');
	});

	it('an event without an id or action is named by its index', () => {
		const { events } = fixtureJson<{ events: Json[] }>('gocardless/webhook_payments_confirmed_failed.json');
		delete events[1].action;
		expect(payloadError(() => parse({ events })).field).toBe('events[1].action');
	});
});

describe('GoCardless detection', () => {
	it.each([
		'gocardless/webhook_body_subscription_mandate_created.json',
		'gocardless/payments.failed.docs-sample.json',
		'gocardless/webhook_payments_confirmed_failed.json',
	])('recognises %s', (file) => {
		expect(gocardless.detect({ body: fixtureJson(file), headers: {} })).toBe(true);
	});

	it('recognises the signed raw body once parsed', () => {
		const body = JSON.parse(fixtureBytes('gocardless/webhook_body.raw.json').toString('utf8'));
		expect(gocardless.detect({ body, headers: {} })).toBe(true);
	});

	it.each(otherProviderSamples(['gocardless']))('does not claim %s', (_file, body) => {
		expect(gocardless.detect({ body, headers: {} })).toBe(false);
	});
});
