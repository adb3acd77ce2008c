import fs from 'node:fs';
import path from 'node:path';

import { adyen } from '../../../nodes/providers/adyen';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { fixtureBytes, fixtureJson, payloadError, PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

// Fixtures: ../shared/fixtures/adyen/ ← Adyen/adyen-node-api-library and adyen-ruby-api-library mocks (see
// ../shared/fixtures/PROVENANCE.md); test/fixtures/adyen/openapi.*.json ← Adyen's OpenAPI webhook examples
// (see test/fixtures/adyen/SOURCES.md).
const receivedAt = new Date('2026-01-01T00:00:00Z');

type Body = { live: string; notificationItems: Array<{ NotificationRequestItem: Record<string, unknown> }> };

function normalize(body: unknown) {
	const events = adyen.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(adyen, events[0], { receivedAt });
}

const base = (providerEventId: string) => ({
	schemaVersion: 1,
	id: `adyen:${providerEventId}`,
	provider: 'adyen',
	providerEventId,
	livemode: false,
	receivedAt: '2026-01-01T00:00:00.000Z',
});
const eur = (minor: number, value: string) => ({ minor, value, currency: 'EUR', exponent: 2 });
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

describe('Adyen adapter on the SDK mocks', () => {
	it('AUTHORISATION (tools payload) → Paid, with card, shopper reference, holder and metadata', () => {
		expect(normalize(fixtureJson('adyen/AUTHORISATION_tools_payload.json'))).toEqual([
			{
				...base('AB1234567890:AUTHORISATION:true'),
				providerEventType: 'AUTHORISATION',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(32500, '325.00'),
				occurredAt: '2025-02-24T14:20:56.000Z',
				customer: {
					id: '4d74f0727a318b13f85aee28ae556a08d7d9cf9e6d67b70a62e60e334aa7090d',
					name: 'Checkout Test',
				},
				payment: { id: 'AB1234567890', method: 'mc', brand: 'mc', last4: '0010' },
				reference: '1143-R2',
				metadata: { orderTransactionId: '63' },
			},
		]);
	});

	it('authorisationTrue → Paid with the card summary as last4', () => {
		expect(normalize(fixtureJson('adyen/authorisationTrue.json'))).toEqual([
			{
				...base('123456789:AUTHORISATION:true'),
				providerEventType: 'AUTHORISATION',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(10100, '101.00'),
				occurredAt: '2017-01-19T15:42:03.000Z',
				payment: { id: '123456789', method: 'visa', brand: 'visa', last4: '7777' },
				reference: '8313842560770001',
			},
		]);
	});

	it('captureTrue → Paid for the original payment', () => {
		expect(normalize(fixtureJson('adyen/captureTrue.json'))).toEqual([
			{
				...base('PSP_REFERENCE:CAPTURE:true'),
				providerEventType: 'CAPTURE',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(23623, '236.23'),
				occurredAt: '2017-01-25T17:08:19.000Z',
				payment: { id: 'ORIGINAL_PSP', method: 'visa' },
				reference: '00000001',
			},
		]);
	});

	it('captureFalse → Failed with the reason, and an id distinct from captureTrue', () => {
		expect(normalize(fixtureJson('adyen/captureFalse.json'))).toEqual([
			{
				...base('PSP_REFERENCE:CAPTURE:false'),
				providerEventType: 'CAPTURE',
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(23623, '236.23'),
				occurredAt: '2017-01-25T17:08:19.000Z',
				payment: { id: 'ORIGINAL_PSP', method: 'visa' },
				reference: '00000001',
				description: 'Insufficient balance on payment',
			},
		]);
	});

	it('refundTrue → Refunded refund of the original payment', () => {
		expect(normalize(fixtureJson('adyen/refundTrue.json'))).toEqual([
			{
				...base('PSP_REFERENCE:REFUND:true'),
				providerEventType: 'REFUND',
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: eur(1500, '15.00'),
				occurredAt: '2017-02-17T10:11:44.000Z',
				payment: { id: 'ORIGINAL_PSP', method: 'visa' },
				reference: 'payment-2017-1-17-11-refund',
			},
		]);
	});

	it('refundFalse → a failed refund', () => {
		expect(normalize(fixtureJson('adyen/refundFalse.json'))).toEqual([
			{
				...base('PSP_REFERENCE:REFUND:false'),
				providerEventType: 'REFUND',
				kind: 'refund',
				status: 'failed',
				crmStatus: 'Failed',
				amount: eur(1500, '15.00'),
				occurredAt: '2017-02-17T10:04:07.000Z',
				payment: { id: 'ORIGINAL_PSP', method: 'visa' },
				reference: 'payment-2017-1-17-11-refund',
				description: 'Insufficient balance on payment',
			},
		]);
	});

	it.each([
		['hmac_backslash_webhook.json', 'T7FD4VM4D3RZNN82', '2023-01-09T15:27:29.000Z', '\\\\slashes are fun'],
		['hmac_colon_webhook.json', 'M8NB66SBZSGLNK82', '2023-01-10T12:40:54.000Z', ':slashes are fun'],
		['hmac_forwardslash_webhook.json', 'X3GWNS6KJ8NKGK82', '2023-01-10T12:37:30.000Z', '//slashes are fun'],
		['hmac_mixed_webhook.json', 'ZVWN7D3WSMK2WN82', '2023-01-10T12:42:29.000Z', '\\:/\\/slashes are fun'],
	])('%s, a lone NotificationRequestItem → Paid', (file, psp, occurredAt, reference) => {
		expect(normalize(fixtureJson(`adyen/${file}`))).toEqual([
			{
				...base(`${psp}:AUTHORISATION:true`),
				providerEventType: 'AUTHORISATION',
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: eur(1000, '10.00'),
				occurredAt,
				payment: { id: psp, method: 'visa', brand: 'visa', last4: '1111' },
				reference,
			},
		]);
	});

	it('accountHolderCreated (Balance Platform, not a payment) → no events', () => {
		expect(normalize(fixtureJson('adyen/accountHolderCreated.json'))).toEqual([]);
	});
});

describe('Adyen adapter on the OpenAPI webhook examples', () => {
	const example = (code: string) => fixtureJson(`adyen/openapi.${code}.json`);
	const common = {
		amount: eur(1000, '10.00'),
		occurredAt: '2021-01-01T00:00:00.000Z',
		reference: 'YOUR_MERCHANT_REFERENCE',
	};

	it.each([
		['CANCELLATION', 'payment', 'canceled', 'Failed', { id: '9913140798220028', method: 'visa' }, undefined],
		['CANCEL_OR_REFUND', 'payment', 'canceled', 'Failed', { id: '9913140798220028', method: 'visa' }, undefined],
		['CAPTURE_FAILED', 'payment', 'failed', 'Failed', { id: '9913140798220028', method: 'facilypay_3x' }, 'Capture Failed'],
		['OFFER_CLOSED', 'payment', 'canceled', 'Failed', { id: 'QFQTPCQ8HXSKGK82', method: 'ideal' }, undefined],
		['REFUNDED_REVERSED', 'refund', 'failed', 'Failed', { id: '9913140798220028', method: 'mc' }, 'test_AUTHORISATION_1'],
		['REFUND_FAILED', 'refund', 'failed', 'Failed', { id: '9913140798220028', method: 'blik' }, 'Refund Failed'],
		[
			'NOTIFICATION_OF_CHARGEBACK',
			'dispute',
			'disputed',
			'Pending',
			{ id: '9913140798220028', method: 'mc' },
			'Payment.TxId=300000000524659113 dispute (automatically defended)',
		],
		['SECOND_CHARGEBACK', 'dispute', 'disputed', 'Pending', { id: 'QFQTPCQ8HXSKGK82', method: 'jcb' }, '502:Cardmember Dispute'],
		[
			'CHARGEBACK_REVERSED',
			'dispute',
			'succeeded',
			'Paid',
			{ id: 'QFQTPCQ8HXSKGK82', method: 'mc' },
			'Fraudulent Processing of Transactions',
		],
	])('%s → %s %s', (code, kind, status, crmStatus, payment, description) => {
		const expected = {
			...base(`QFQTPCQ8HXSKGK82:${code}:true`),
			providerEventType: code,
			kind,
			status,
			crmStatus,
			...common,
			payment,
			...(description === undefined ? {} : { description }),
		};
		expect(normalize(example(code))).toEqual([expected]);
	});

	it('CHARGEBACK → Disputed, with the shopper reference', () => {
		expect(normalize(example('CHARGEBACK'))).toEqual([
			{
				...base('QFQTPCQ8HXSKGK82:CHARGEBACK:true'),
				providerEventType: 'CHARGEBACK',
				kind: 'dispute',
				status: 'disputed',
				crmStatus: 'Pending',
				...common,
				customer: { id: 'YOUR_SHOPPER_REFERENCE' },
				payment: { id: '9913140798220028', method: 'mc' },
				description: 'Payment.TxId=300000000524534724 dispute',
			},
		]);
	});

	it('REFUND with success "false" → a failed refund with the reason', () => {
		expect(normalize(example('REFUND'))).toEqual([
			{
				...base('QFQTPCQ8HXSKGK82:REFUND:false'),
				providerEventType: 'REFUND',
				kind: 'refund',
				status: 'failed',
				crmStatus: 'Failed',
				...common,
				payment: { id: '9913140798220028', method: 'visa' },
				description: "Transaction hasn't been captured, refund not possible",
			},
		]);
	});

	it('REFUND_WITH_DATA → Refunded', () => {
		expect(normalize(example('REFUND_WITH_DATA'))).toEqual([
			{
				...base('QFQTPCQ8HXSKGK82:REFUND_WITH_DATA:true'),
				providerEventType: 'REFUND_WITH_DATA',
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				...common,
				reference: 'YOUR_MODIFICATION_REFERENCE',
				payment: { id: '9913140798220028', method: 'mc' },
			},
		]);
	});

	it('TECHNICAL_CANCEL → Canceled', () => {
		expect(normalize(example('TECHNICAL_CANCEL'))).toEqual([
			{
				...base('8515208516304269:TECHNICAL_CANCEL:true'),
				providerEventType: 'TECHNICAL_CANCEL',
				kind: 'payment',
				status: 'canceled',
				crmStatus: 'Failed',
				amount: eur(1000, '10.00'),
				occurredAt: '2018-07-18T20:35:14.000Z',
				payment: { id: '8313547924770610', method: 'visa' },
				reference: 'YOUR_ORIGINAL_REFERENCE',
			},
		]);
	});

	it('CANCEL_OR_REFUND that Adyen carried out as a refund → Refunded', () => {
		const body = example('CANCEL_OR_REFUND') as Body;
		body.notificationItems[0].NotificationRequestItem.additionalData = { 'modification.action': 'refund' };
		expect(normalize(body)[0]).toMatchObject({ kind: 'refund', status: 'refunded', crmStatus: 'Refunded' });
	});

	it('a CANCELLATION that did not go through, and REPORT_AVAILABLE → no events', () => {
		const body = example('CANCELLATION') as Body;
		body.notificationItems[0].NotificationRequestItem.success = 'false';
		expect(normalize(body)).toEqual([]);
		expect(normalize(example('REPORT_AVAILABLE'))).toEqual([]);
	});
});

describe('Adyen delivery handling', () => {
	it('a batch (SOAP-style, several items) → one event each with its own id; live "true" → livemode', () => {
		const body = {
			live: 'true',
			notificationItems: [
				...(fixtureJson('adyen/captureTrue.json') as Body).notificationItems,
				...(fixtureJson('adyen/refundTrue.json') as Body).notificationItems,
				...(fixtureJson('adyen/refundFalse.json') as Body).notificationItems,
			],
		};
		const events = adyen.parse({ body, headers: {} });
		expect(events.map((event) => [event.id, event.type, event.livemode])).toEqual([
			['PSP_REFERENCE:CAPTURE:true', 'CAPTURE', true],
			['PSP_REFERENCE:REFUND:true', 'REFUND', true],
			['PSP_REFERENCE:REFUND:false', 'REFUND', true],
		]);
		expect(toPaymentEvents(adyen, events[1], { receivedAt })[0].livemode).toBe(true);
	});

	it('the same event delivered twice gets the same id', () => {
		const [first] = adyen.parse({ body: fixtureJson('adyen/authorisationTrue.json'), headers: {} });
		const [again] = adyen.parse({ body: fixtureJson('adyen/authorisationTrue.json'), headers: {} });
		expect(again.id).toBe(first.id);
	});
});

describe('Adyen currencies (amount.value is in Adyen minor units, events in ISO minor units)', () => {
	function withAmount(currency: string, value: number) {
		const body = fixtureJson('adyen/authorisationTrue.json') as Body;
		body.notificationItems[0].NotificationRequestItem.amount = { currency, value };
		return body;
	}

	it.each([
		// Adyen counts IDR without decimals and CLP/ISK with two (docs.adyen.com/development-resources/currency-codes).
		['IDR', 150000, { minor: 15000000, value: '150000.00', currency: 'IDR', exponent: 2 }],
		['CLP', 100000, { minor: 1000, value: '1000', currency: 'CLP', exponent: 0 }],
		['ISK', 50000, { minor: 500, value: '500', currency: 'ISK', exponent: 0 }],
		['JPY', 1000, { minor: 1000, value: '1000', currency: 'JPY', exponent: 0 }],
		['KWD', 1234, { minor: 1234, value: '1.234', currency: 'KWD', exponent: 3 }],
		['EUR', 0, { minor: 0, value: '0.00', currency: 'EUR', exponent: 2 }],
	])('%s %d', (currency, value, amount) => {
		expect(normalize(withAmount(currency, value))[0].amount).toEqual(amount);
	});

	it('CLP with Adyen "cents" that are not whole pesos is rejected, naming the field', () => {
		expect(payloadError(() => normalize(withAmount('CLP', 12345))).field).toBe('amount.value');
	});

	it('an unknown currency is rejected, naming the field', () => {
		const error = payloadError(() => normalize(withAmount('XYZ', 100)));
		expect(error.field).toBe('amount.value');
		expect(error.message).toMatch(/Unknown currency "XYZ"/);
	});
});

describe('Adyen malformed payloads', () => {
	it('notificationItems that is not an array', () => {
		expect(payloadError(() => adyen.parse({ body: { live: 'false', notificationItems: {} }, headers: {} })).field).toBe(
			'notificationItems',
		);
	});

	it('an item that is not a NotificationRequestItem', () => {
		const body = { live: 'false', notificationItems: [{ NotificationRequestItem: { eventCode: 'AUTHORISATION' } }] };
		expect(payloadError(() => adyen.parse({ body, headers: {} })).field).toBe('notificationItems.0.NotificationRequestItem');
	});

	it('an item without eventDate', () => {
		const body = fixtureJson('adyen/authorisationTrue.json') as Body;
		delete body.notificationItems[0].NotificationRequestItem.eventDate;
		expect(payloadError(() => adyen.parse({ body, headers: {} })).field).toBe('notificationItems.0.NotificationRequestItem.eventDate');
	});

	it('an item without amount.value', () => {
		const body = fixtureJson('adyen/authorisationTrue.json') as Body;
		body.notificationItems[0].NotificationRequestItem.amount = { currency: 'EUR' };
		expect(payloadError(() => normalize(body)).field).toBe('amount.value');
	});

	it('a body that is not an object', () => {
		expect(payloadError(() => adyen.parse({ body: 'live=false', headers: {} })).field).toBe('body');
	});
});

describe('Adyen detect', () => {
	const ownFiles = fs.readdirSync(path.join(SHARED_FIXTURES, 'adyen'));

	it.each(ownFiles)('recognises adyen/%s', (file) => {
		expect(adyen.detect({ body: fixtureJson(`adyen/${file}`), headers: {} })).toBe(true);
	});

	it('recognises the OpenAPI examples', () => {
		expect(adyen.detect({ body: fixtureJson('adyen/openapi.CHARGEBACK.json'), headers: {} })).toBe(true);
	});

	it('does not match a Stripe event', () => {
		expect(adyen.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	// Every other provider's samples: the shared ones and those other adapters added under test/fixtures.
	const others = [SHARED_FIXTURES, PROJECT_FIXTURES]
		.filter((root) => fs.existsSync(root))
		.flatMap((root) =>
			fs
				.readdirSync(root, { withFileTypes: true })
				.filter((entry) => entry.isDirectory() && entry.name !== 'adyen' && entry.name !== 'test-vectors')
				.flatMap((entry) => fs.readdirSync(path.join(root, entry.name)).map((file) => `${entry.name}/${file}`)),
		)
		.filter((file) => /\.(json|txt|xml)$/.test(file));

	it.each(others)('does not match %s', (file) => {
		const text = fixtureBytes(file).toString('utf8');
		const body = file.endsWith('.json') ? (JSON.parse(text) as unknown) : text;
		expect(adyen.detect({ body, headers: {} })).toBe(false);
	});
});
