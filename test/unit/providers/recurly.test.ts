import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { toPaymentEvents } from '../../../nodes/providers/index';
import { recurly } from '../../../nodes/providers/recurly';
import type { NormalizeContext } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError, PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

// Fixtures: ../shared/fixtures/recurly/ and test/fixtures/recurly/ ← recurly/recurly-docs
// docs/WEBHOOKS/notifications/payment-notifications.md (see PROVENANCE.md and test/fixtures/recurly/SOURCES.md).
const receivedAt = new Date('2026-01-01T00:00:00Z');

const xmlFixture = (name: string) => fixtureBytes(`recurly/${name}.xml`).toString('utf8');

function parseOne(body: unknown) {
	const events = recurly.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return events[0];
}

function normalize(body: unknown, context: NormalizeContext = {}) {
	return toPaymentEvents(recurly, parseOne(body), { ...context, receivedAt });
}

const base = (providerEventId: string, providerEventType: string, occurredAt: string) => ({
	schemaVersion: 1,
	id: `recurly:${providerEventId}`,
	provider: 'recurly',
	providerEventId,
	providerEventType,
	livemode: false,
	occurredAt,
	receivedAt: '2026-01-01T00:00:00.000Z',
});
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });
const verena = { id: '1', name: 'Verena Example', email: 'verena@example.com' };

// Recurly's XML payment notifications carry amount_in_cents but no currency, so the adapter asks for the
// transaction (complete()) and reads `currency` from the response. No real v3 Transaction response sample
// exists in Recurly's docs or SDKs (see test/fixtures/recurly/SOURCES.md), so these tests hand normalize only
// that one documented field.
const fetched = { completion: { currency: 'USD' } };

describe('Recurly XML notifications (docs samples)', () => {
	it('successful_payment_notification → Paid, with account and invoice', () => {
		expect(normalize(xmlFixture('successful_payment_notification'), fetched)).toEqual([
			{
				...base(
					'a5143c1d3a6f4a8287d0e2cc1d4c0427:successful_payment_notification',
					'successful_payment_notification',
					'2009-11-22T13:10:38.000Z',
				),
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(1000, '10.00'),
				customer: verena,
				invoice: { id: '1974a09kj90s0789dsf099798326881c', number: '2059' },
				payment: { id: 'a5143c1d3a6f4a8287d0e2cc1d4c0427' },
			},
		]);
	});

	it('failed_payment_notification → Failed, with the decline message', () => {
		expect(normalize(xmlFixture('failed_payment_notification'), fetched)).toEqual([
			{
				...base(
					'a5143c1d3a6f4a8287d0e2cc1d4c0427:failed_payment_notification',
					'failed_payment_notification',
					'2009-11-22T13:10:38.000Z',
				),
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(1000, '10.00'),
				customer: verena,
				invoice: { id: '8fjk3sd7j90s0789dsf099798jkliy65', number: '2059' },
				payment: { id: 'a5143c1d3a6f4a8287d0e2cc1d4c0427' },
				description: 'This transaction has been declined',
			},
		]);
	});

	it('successful_refund_notification → Refunded refund', () => {
		expect(normalize(xmlFixture('successful_refund_notification'), fetched)).toEqual([
			{
				...base(
					'2c7a2e30547e49869efd4e8a44b2be34:successful_refund_notification',
					'successful_refund_notification',
					'2010-10-06T20:37:55.000Z',
				),
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: usd(235, '2.35'),
				customer: verena,
				invoice: { id: 'ffc64d71d4b5404e93f13aac9c63b007', number: '2059' },
				payment: { id: '2c7a2e30547e49869efd4e8a44b2be34' },
			},
		]);
	});

	it('void_payment_notification → Canceled', () => {
		expect(normalize(xmlFixture('void_payment_notification'), fetched)).toEqual([
			{
				...base(
					'4997ace0f57341adb3e857f9f7d15de8:void_payment_notification',
					'void_payment_notification',
					'2010-10-05T23:00:50.000Z',
				),
				kind: 'payment',
				status: 'canceled',
				crmStatus: 'Failed',
				amount: usd(235, '2.35'),
				customer: verena,
				invoice: { id: 'ffc64d71d4b5404e93f13aac9c63b007', number: '2059' },
				payment: { id: '4997ace0f57341adb3e857f9f7d15de8' },
			},
		]);
	});

	it.each(['scheduled_payment_notification', 'processing_payment_notification'])('%s → Pending', (type) => {
		expect(normalize(xmlFixture(type), fetched)).toEqual([
			{
				...base(`a5143c1d3a6f4a8287d0e2cc1d4c0427:${type}`, type, '2009-11-22T13:10:38.000Z'),
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(1000, '10.00'),
				customer: verena,
				invoice: { id: '1974a09kj90s0789dsf099798326881c', number: '2059' },
				payment: { id: 'a5143c1d3a6f4a8287d0e2cc1d4c0427' },
			},
		]);
	});

	it.each([
		['successful_payment_notification', 'a5143c1d3a6f4a8287d0e2cc1d4c0427'],
		['failed_payment_notification', 'a5143c1d3a6f4a8287d0e2cc1d4c0427'],
		['successful_refund_notification', '2c7a2e30547e49869efd4e8a44b2be34'],
		['void_payment_notification', '4997ace0f57341adb3e857f9f7d15de8'],
	])('%s without a currency → complete() fetches transaction %s from the v3 API', (type, uuid) => {
		expect(recurly.complete!(parseOne(xmlFixture(type)))).toEqual({
			method: 'GET',
			path: `/transactions/uuid-${uuid}`,
			description: `the Recurly transaction ${uuid}`,
		});
	});

	it('without the fetched transaction there is no currency: ProviderPayloadError naming it', () => {
		expect(payloadError(() => normalize(xmlFixture('successful_payment_notification'))).field).toBe('transaction.currency');
	});

	it('a fetched transaction that is another one is refused', () => {
		const other = { completion: { uuid: '63b068f7d409d4b4478dea4e6aba58ae', currency: 'USD' } };
		expect(payloadError(() => normalize(xmlFixture('successful_payment_notification'), other)).field).toBe('completion.uuid');
	});

	it('a notification that names its currency needs no API call', () => {
		const xml = xmlFixture('successful_payment_notification').replace(
			'<amount_in_cents type="integer">1000</amount_in_cents>',
			'<amount_in_cents type="integer">1000</amount_in_cents>\n    <currency>EUR</currency>',
		);
		expect(recurly.complete!(parseOne(xml))).toBeUndefined();
		expect(normalize(xml)[0].amount).toEqual({ minor: 1000, value: '10.00', currency: 'EUR', exponent: 2 });
	});

	it('the notification as n8n’s Webhook node parses an XML body (xml2js) → the same event', async () => {
		const load = createRequire(__filename);
		const { Parser } = load('xml2js') as { Parser: new (options: object) => { parseStringPromise(xml: string): Promise<unknown> } };
		const xml = xmlFixture('failed_payment_notification');
		const body = await new Parser({ explicitArray: false, normalize: true, normalizeTags: true }).parseStringPromise(xml);
		expect(recurly.detect({ body, headers: {} })).toBe(true);
		expect(normalize(body, fetched)).toEqual(normalize(xml, fetched));
	});

	it('a non-payment notification → no events', () => {
		const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<new_account_notification>\n  <account>\n    <account_code>1</account_code>\n  </account>\n</new_account_notification>';
		expect(recurly.complete!(parseOne(xml))).toBeUndefined();
		expect(normalize(xml)).toEqual([]);
	});
});

describe('Recurly JSON webhooks (thin: the transaction is fetched)', () => {
	it.each([
		['successful_payment', 'rafhdbbf41mc', 'succeeded', '2022-07-27T21:43:53Z', '63b068f7d409d4b4478dea4e6aba58ae'],
		['failed_payment', 'ra93x2i8g69t', 'failed', '2022-07-27T00:17:45Z', '63abcf806e29cbfb3ec9c84e658777be'],
		['successful_refund', 'rafhoo0hbzff', 'refunded', '2022-07-27T21:45:37Z', '63b06a9098839d7b45a18443b6b395a0'],
		['void_payment', 'radnhmaoszxc', 'voided', '2022-07-27T15:39:17Z', '63af16e06d659f949c37cc4f8cb2c5d0'],
		['scheduled_payment', 'rafhdbbf41mc', 'scheduled', '2022-07-27T21:43:53Z', '63b068f7d409d4b4478dea4e6aba58ae'],
	])('%s → event %s:%s, complete() GETs the transaction', (file, id, eventType, time, uuid) => {
		const event = parseOne(fixtureJson(`recurly/${file}.json`));
		expect(event).toMatchObject({
			id: `${id}:${eventType}:${time}`,
			type: `payment.${eventType}`,
			occurredAt: time.replace('Z', '.000Z'),
		});
		expect(recurly.complete!(event)).toEqual({
			method: 'GET',
			path: `/transactions/uuid-${uuid}`,
			description: `the Recurly transaction ${uuid}`,
		});
	});

	it('the scheduled and the succeeded event about one transaction get different ids', () => {
		const scheduled = parseOne(fixtureJson('recurly/scheduled_payment.json'));
		const succeeded = parseOne(fixtureJson('recurly/successful_payment.json'));
		expect(scheduled.id).not.toBe(succeeded.id);
	});

	it('normalize without the fetched transaction → ProviderPayloadError naming the completion', () => {
		expect(payloadError(() => normalize(fixtureJson('recurly/successful_payment.json'))).field).toBe('completion');
	});

	it('a fetched transaction that is another one is refused', () => {
		const other = { completion: { uuid: 'a5143c1d3a6f4a8287d0e2cc1d4c0427', amount: 10, currency: 'USD' } };
		expect(payloadError(() => normalize(fixtureJson('recurly/successful_payment.json'), other)).field).toBe('completion.uuid');
	});

	it('events about other objects need no call and give no events', () => {
		const body = { ...fixtureJson('recurly/successful_payment.json'), object_type: 'account', event_type: 'created' };
		expect(recurly.complete!(parseOne(body))).toBeUndefined();
		expect(normalize(body)).toEqual([]);
	});
});

describe('Recurly currencies (amount_in_cents in the ISO minor unit)', () => {
	const inCurrency = (currency: string, cents: number) =>
		xmlFixture('successful_payment_notification').replace(
			'<amount_in_cents type="integer">1000</amount_in_cents>',
			`<amount_in_cents type="integer">${cents}</amount_in_cents><currency>${currency}</currency>`,
		);

	it.each([
		['JPY', 1000, { minor: 1000, value: '1000', currency: 'JPY', exponent: 0 }],
		['KWD', 1234, { minor: 1234, value: '1.234', currency: 'KWD', exponent: 3 }],
		['GBP', 5, { minor: 5, value: '0.05', currency: 'GBP', exponent: 2 }],
	])('%s %d', (currency, cents, amount) => {
		expect(normalize(inCurrency(currency, cents))[0].amount).toEqual(amount);
	});

	it('an unknown currency from the fetched transaction is rejected, naming the field', () => {
		const error = payloadError(() => normalize(xmlFixture('successful_payment_notification'), { completion: { currency: 'XXX' } }));
		expect(error.field).toBe('transaction.amount_in_cents');
	});
});

describe('Recurly malformed payloads', () => {
	it('an XML payment notification without a transaction id', () => {
		const xml = xmlFixture('successful_payment_notification').replace('<id>a5143c1d3a6f4a8287d0e2cc1d4c0427</id>', '');
		expect(payloadError(() => recurly.parse({ body: xml, headers: {} })).field).toBe('transaction.id');
	});

	it('an XML payment notification without a date', () => {
		const xml = xmlFixture('successful_payment_notification').replace(/<date[^>]*>[^<]*<\/date>/, '');
		expect(payloadError(() => recurly.parse({ body: xml, headers: {} })).field).toBe('transaction.date');
	});

	it('a JSON webhook without event_time', () => {
		const body: Record<string, unknown> = fixtureJson('recurly/successful_payment.json');
		delete body.event_time;
		expect(payloadError(() => recurly.parse({ body, headers: {} })).field).toBe('event_time');
	});

	it('a payment JSON webhook without uuid', () => {
		const body: Record<string, unknown> = fixtureJson('recurly/successful_payment.json');
		delete body.uuid;
		expect(payloadError(() => recurly.complete!(parseOne(body))).field).toBe('uuid');
	});

	it('a body that is neither XML nor a webhook object', () => {
		expect(payloadError(() => recurly.parse({ body: { hello: 'world' }, headers: {} })).field).toBe('body');
	});
});

describe('Recurly detect', () => {
	const ownFiles = fs.readdirSync(path.join(SHARED_FIXTURES, 'recurly'));

	it.each(ownFiles)('recognises recurly/%s', (file) => {
		const text = fixtureBytes(`recurly/${file}`).toString('utf8');
		const body = file.endsWith('.json') ? (JSON.parse(text) as unknown) : text;
		expect(recurly.detect({ body, headers: {} })).toBe(true);
	});

	it('recognises an XML notification from the raw bytes alone', () => {
		expect(recurly.detect({ body: undefined, headers: {}, rawBody: fixtureBytes('recurly/void_payment_notification.xml') })).toBe(
			true,
		);
	});

	it('does not match a Stripe event', () => {
		expect(recurly.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	// Every other provider's samples: the shared ones and those other adapters added under test/fixtures.
	const others = [SHARED_FIXTURES, PROJECT_FIXTURES]
		.filter((root) => fs.existsSync(root))
		.flatMap((root) =>
			fs
				.readdirSync(root, { withFileTypes: true })
				.filter((entry) => entry.isDirectory() && entry.name !== 'recurly' && entry.name !== 'test-vectors')
				.flatMap((entry) => fs.readdirSync(path.join(root, entry.name)).map((file) => `${entry.name}/${file}`)),
		)
		.filter((file) => /\.(json|txt|xml)$/.test(file));

	it.each(others)('does not match %s', (file) => {
		const text = fixtureBytes(file).toString('utf8');
		const body = file.endsWith('.json') ? (JSON.parse(text) as unknown) : text;
		expect(recurly.detect({ body, headers: {} })).toBe(false);
	});
});
