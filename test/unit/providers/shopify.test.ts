import { toPaymentEvents } from '../../../nodes/providers/index';
import { shopify } from '../../../nodes/providers/shopify';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

function input(file: string, headers: Record<string, string> = {}): ProviderInput {
	return { body: fixtureJson(file), headers, rawBody: fixtureBytes(file) };
}

type Json = Record<string, unknown>;

function normalizeInput(delivery: ProviderInput) {
	const [event] = shopify.parse(delivery);
	return toPaymentEvents(shopify, event, { receivedAt });
}

/** The order sample with some fields changed, delivered as n8n's Shopify Trigger emits it (body only). */
function orderWith(fields: Json, headers: Record<string, string> = {}): ProviderInput {
	return { body: { ...fixtureJson<Json>('shopify/order.json'), ...fields }, headers };
}

/** A delivery whose raw bytes hold the given text; the parsed body is what JSON.parse makes of it. */
function rawDelivery(raw: string, headers: Record<string, string> = {}): ProviderInput {
	return { body: JSON.parse(raw), headers, rawBody: Buffer.from(raw, 'utf8') };
}

const usd = (value: string, minor: number) => ({ minor, value, currency: 'USD', exponent: 2 });

// Ids of the size Shopify's webhook reference samples use; both are beyond 2^53 (9007199254740992).
const BIG_ORDER_ID = '820982911946154508';
const BIG_CUSTOMER_ID = '115310627314723954';

describe('shopify adapter', () => {
	describe('orders', () => {
		it('maps the shopify-api-ruby order (authorized, 409.94 USD) delivered body-only to a pending payment', () => {
			expect(normalizeInput(input('shopify/order.json'))).toEqual([
				{
					schemaVersion: 1,
					id: 'shopify:orders/paid:450789469',
					provider: 'shopify',
					providerEventId: 'orders/paid:450789469',
					providerEventType: 'orders/paid',
					livemode: true,
					kind: 'payment',
					status: 'pending',
					crmStatus: 'Pending',
					amount: usd('409.94', 40994),
					// updated_at 2008-01-10T11:00:00-05:00
					occurredAt: '2008-01-10T16:00:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: {
						id: '207119551',
						name: 'Bob Norman',
						email: 'bob.norman@hostmail.com',
						// billing_address.phone "555-625-1199" in country_code US
						phone: '+15556251199',
					},
					// payment_details.credit_card_number is "XXXX-XXXX-XXXX-4242"
					payment: { method: 'card', brand: 'Visa', last4: '4242' },
					reference: '450789469',
					description: '#1001',
				},
			]);
		});

		it('uses the topic and webhook id headers when a Webhook node delivers it', () => {
			const delivery = input('shopify/order.json', {
				'x-shopify-topic': 'orders/updated',
				'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
			});
			expect(shopify.parse(delivery).map(({ id, type }) => ({ id, type }))).toEqual([
				{ id: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', type: 'orders/updated' },
			]);
			const eventId = input('shopify/order.json', { 'x-shopify-topic': 'orders/paid', 'x-shopify-event-id': 'evt-98880550' });
			expect(shopify.parse(eventId)[0].id).toBe('evt-98880550');
			expect(shopify.parse(input('shopify/order.json', { 'x-shopify-topic': 'orders/paid' }))[0].id).toBe('orders/paid:450789469');
		});

		it('maps each financial status', () => {
			const statusOf = (financial_status: string) => normalizeInput(orderWith({ financial_status }))[0]?.status;
			expect(statusOf('paid')).toBe('succeeded');
			expect(statusOf('pending')).toBe('pending');
			expect(statusOf('authorized')).toBe('pending');
			expect(statusOf('refunded')).toBe('refunded');
			expect(statusOf('partially_refunded')).toBe('partially_refunded');
			expect(statusOf('voided')).toBe('canceled');
			expect(statusOf('partially_paid')).toBe('partially_paid');
		});

		it('a partially paid order with total_outstanding carries what was paid and what is owed', () => {
			const [event] = normalizeInput(orderWith({ financial_status: 'partially_paid', total_outstanding: '100.00' }));
			expect(event).toMatchObject({
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: usd('309.94', 30994),
				amountPaid: usd('309.94', 30994),
				amountDue: usd('100.00', 10000),
				total: usd('409.94', 40994),
			});
		});

		it('reads decimal strings exactly in every currency exponent', () => {
			const amountOf = (total_price: string, currency: string) =>
				normalizeInput(orderWith({ total_price, currency, financial_status: 'paid' }))[0].amount;
			expect(amountOf('1500', 'JPY')).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			expect(amountOf('25.500', 'KWD')).toEqual({ minor: 25500, value: '25.500', currency: 'KWD', exponent: 3 });
			expect(amountOf('4.35', 'USD')).toEqual(usd('4.35', 435));
			expect(payloadError(() => amountOf('1500.50', 'JPY')).field).toBe('total_price');
		});

		it('a test order is not live', () => {
			expect(shopify.parse(orderWith({ test: true }))[0].livemode).toBe(false);
		});
	});

	describe('refunds/create', () => {
		it('maps the shopify-api-ruby refund (one 209.00 USD refund transaction) to a refund', () => {
			expect(normalizeInput(input('shopify/refund.json'))).toEqual([
				{
					schemaVersion: 1,
					id: 'shopify:refunds/create:509562969',
					provider: 'shopify',
					providerEventId: 'refunds/create:509562969',
					providerEventType: 'refunds/create',
					livemode: true,
					kind: 'refund',
					status: 'refunded',
					crmStatus: 'Refunded',
					amount: usd('209.00', 20900),
					// created_at 2016-03-22T11:15:00-04:00
					occurredAt: '2016-03-22T15:15:00.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					reference: '450789469',
					description: 'it broke during shipping',
				},
			]);
		});

		it('adds up several successful refund transactions and ignores other kinds', () => {
			const refund = fixtureJson<{ transactions: Json[] }>('shopify/refund.json');
			const [transaction] = refund.transactions;
			refund.transactions = [
				transaction,
				{ ...transaction, id: 179259970, amount: '0.10' },
				{ ...transaction, id: 179259971, kind: 'sale', amount: '999.00' },
			];
			expect(normalizeInput({ body: refund, headers: {} })[0].amount).toEqual(usd('209.10', 20910));
		});

		it('a pending refund transaction is pending; a refund that moves no money yields nothing', () => {
			const refund = fixtureJson<{ transactions: Json[] }>('shopify/refund.json');
			refund.transactions = [{ ...refund.transactions[0], status: 'pending' }];
			expect(normalizeInput({ body: refund, headers: {} })[0]).toMatchObject({ status: 'pending', amount: usd('209.00', 20900) });
			refund.transactions = [];
			expect(normalizeInput({ body: refund, headers: {} })).toEqual([]);
		});
	});

	describe('ids beyond 2^53', () => {
		const bigOrder = () =>
			fixtureBytes('shopify/order.json')
				.toString('utf8')
				.replace('"id": 450789469', `"id": ${BIG_ORDER_ID}`)
				.replaceAll('"id": 207119551', `"id": ${BIG_CUSTOMER_ID}`);

		it('JSON.parse alone would round them', () => {
			expect(String((JSON.parse(bigOrder()) as { id: number }).id)).not.toBe(BIG_ORDER_ID);
		});

		it('reads the order and customer ids exactly from the raw body', () => {
			const [event] = normalizeInput(rawDelivery(bigOrder()));
			expect(event.providerEventId).toBe(`orders/paid:${BIG_ORDER_ID}`);
			expect(event.id).toBe(`shopify:orders/paid:${BIG_ORDER_ID}`);
			expect(event.reference).toBe(BIG_ORDER_ID);
			expect(event.customer?.id).toBe(BIG_CUSTOMER_ID);
		});

		it('reads a refund order_id exactly from the raw body', () => {
			const raw = fixtureBytes('shopify/refund.json')
				.toString('utf8')
				.replaceAll('"order_id": 450789469', `"order_id": ${BIG_ORDER_ID}`);
			expect(normalizeInput(rawDelivery(raw))[0].reference).toBe(BIG_ORDER_ID);
		});

		it('falls back to admin_graphql_api_id when only the parsed body is there', () => {
			const body: Json = { ...(JSON.parse(bigOrder()) as Json), admin_graphql_api_id: `gid://shopify/Order/${BIG_ORDER_ID}` };
			delete (body.customer as Json).id;
			const [event] = normalizeInput({ body, headers: {} });
			expect(event.providerEventId).toBe(`orders/paid:${BIG_ORDER_ID}`);
			expect(event.reference).toBe(BIG_ORDER_ID);
		});

		it('refuses an id that JSON.parse already rounded rather than use a wrong one', () => {
			expect(payloadError(() => shopify.parse({ body: JSON.parse(bigOrder()), headers: {} })).field).toBe('id');
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => shopify.parse({ body: 'not json', headers: { 'x-shopify-topic': 'orders/paid' } })).field).toBe(
				'body',
			);
			expect(payloadError(() => shopify.parse({ body: { id: 1 }, headers: {} })).field).toBe('X-Shopify-Topic');
			expect(payloadError(() => shopify.parse(orderWith({ id: undefined }))).field).toBe('id');
			expect(payloadError(() => shopify.parse(orderWith({ updated_at: 'soon' }))).field).toBe('updated_at');
			expect(payloadError(() => normalizeInput(orderWith({ total_price: undefined }))).field).toBe('total_price');
			expect(payloadError(() => normalizeInput(orderWith({ currency: undefined }))).field).toBe('total_price currency');
			const [event] = shopify.parse(input('shopify/refund.json'));
			const withoutTransactions = { ...event, data: { ...(event.data as Json), transactions: null } };
			expect(payloadError(() => shopify.normalize(withoutTransactions, {})).field).toBe('transactions');
		});
	});

	describe('detect', () => {
		it('recognises the order and refund bodies without headers, and anything with X-Shopify-Topic', () => {
			expect(shopify.detect(input('shopify/order.json'))).toBe(true);
			expect(shopify.detect(input('shopify/refund.json'))).toBe(true);
			expect(shopify.detect({ body: { id: 1 }, headers: { 'x-shopify-topic': 'customers/create' } })).toBe(true);
		});

		it('an unsupported topic is parsed but yields nothing', () => {
			const body = { id: 1, updated_at: '2024-01-01T00:00:00Z' };
			const [event] = shopify.parse({ body, headers: { 'x-shopify-topic': 'customers/create' } });
			expect(shopify.normalize(event, {})).toEqual([]);
		});

		it('does not claim a Stripe event', () => {
			expect(shopify.detect(input('stripe/charge.succeeded.json'))).toBe(false);
		});

		it.each(otherProviderSamples(['shopify']))('does not claim %s', (_name, body, rawBody) => {
			expect(shopify.detect({ body, headers: {}, rawBody })).toBe(false);
		});
	});
});
