import fs from 'node:fs';
import path from 'node:path';

import { braintree } from '../../../nodes/providers/braintree';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { fixtureBytes, fixtureJson, payloadError, PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

// Fixtures: ../shared/fixtures/braintree/<kind>.json and <kind>.form.txt ← generated with the official
// braintree_node WebhookTestingGateway.sampleNotification(kind, "my_id") (see ../shared/fixtures/PROVENANCE.md).
const receivedAt = new Date('2026-01-01T00:00:00Z');
const at = '2026-01-01T00:00:00.000Z';

interface Sample {
	bt_signature: string;
	bt_payload: string;
	decoded_xml: string;
}

const sample = (kind: string) => fixtureJson<Sample>(`braintree/${kind}.json`);
const form = (kind: string) => fixtureBytes(`braintree/${kind}.form.txt`).toString('utf8');

function normalize(body: unknown) {
	const events = braintree.parse({ body, headers: {} });
	expect(events).toHaveLength(1);
	return toPaymentEvents(braintree, events[0], { receivedAt });
}

/** The SDK sample's XML with `edit` applied, signed field kept: a variant of a real notification. */
function variant(kind: string, edit: (xml: string) => string) {
	const { bt_signature, decoded_xml } = sample(kind);
	return { bt_signature, bt_payload: Buffer.from(edit(decoded_xml)).toString('base64') };
}

const base = (providerEventId: string, providerEventType: string) => ({
	schemaVersion: 1,
	id: `braintree:${providerEventId}`,
	provider: 'braintree',
	providerEventId,
	providerEventType,
	livemode: false,
	occurredAt: at,
	receivedAt: at,
});
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

describe('Braintree adapter on the SDK sample notifications', () => {
	const settled = [
		{
			...base(`transaction_settled:my_id:${at}`, 'transaction_settled'),
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: usd(10000, '100.00'),
			payment: { id: 'my_id', method: 'us_bank_account', last4: '1234' },
		},
	];
	const declined = [
		{
			...base(`transaction_settlement_declined:my_id:${at}`, 'transaction_settlement_declined'),
			kind: 'payment',
			status: 'failed',
			crmStatus: 'Failed',
			amount: usd(10000, '100.00'),
			payment: { id: 'my_id', method: 'us_bank_account', last4: '1234' },
		},
	];
	const disputed = [
		{
			...base(`dispute_opened:my_id:${at}`, 'dispute_opened'),
			kind: 'dispute',
			status: 'disputed',
			crmStatus: 'Pending',
			// amount-disputed "250.0" in USD
			amount: usd(25000, '250.00'),
			payment: { id: 'my_id' },
			description: 'fraud',
		},
	];

	it.each([
		['transaction_settled', settled],
		['transaction_settlement_declined', declined],
		['dispute_opened', disputed],
	])('%s, as the form body and as parsed fields', (kind, expected) => {
		expect(normalize(form(kind))).toEqual(expected);
		expect(normalize(sample(kind))).toEqual(expected);
	});

	// The SDK's templates for these kinds leave out the transaction's currency-iso-code, which a real
	// notification's full transaction carries; without a currency there is no amount to report.
	it.each([
		['subscription_charged_successfully', 'subject.subscription.transactions.transaction.amount currency'],
		['subscription_charged_unsuccessfully', 'subject.subscription.transactions.transaction.amount currency'],
		['refund_failed', 'subject.transaction.amount currency'],
		['local_payment_completed', 'subject.local-payment.transaction.amount currency'],
	])('%s as generated (no currency) → ProviderPayloadError naming %s', (kind, field) => {
		expect(payloadError(() => normalize(form(kind))).field).toBe(field);
		expect(payloadError(() => normalize(sample(kind))).field).toBe(field);
	});
});

describe('Braintree adapter on the SDK samples with the transaction currency present', () => {
	const withUsd = (amount: string) => (xml: string) =>
		xml.replace(`<amount>${amount}</amount>`, `<amount>${amount}</amount><currency-iso-code>USD</currency-iso-code>`);

	it('subscription_charged_successfully → Paid for the newest transaction', () => {
		expect(normalize(variant('subscription_charged_successfully', withUsd('49.99')))).toEqual([
			{
				...base(`subscription_charged_successfully:my_id:${at}`, 'subscription_charged_successfully'),
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(4999, '49.99'),
				payment: { id: 'my_id' },
			},
		]);
	});

	it('subscription_charged_unsuccessfully → Failed', () => {
		expect(normalize(variant('subscription_charged_unsuccessfully', withUsd('49.99')))).toEqual([
			{
				...base(`subscription_charged_unsuccessfully:my_id:${at}`, 'subscription_charged_unsuccessfully'),
				kind: 'payment',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(4999, '49.99'),
				payment: { id: 'my_id' },
			},
		]);
	});

	it('refund_failed → a failed refund of the refunded transaction, card reduced to its last four digits', () => {
		const events = normalize(variant('refund_failed', withUsd('100')));
		expect(events).toEqual([
			{
				...base(`refund_failed:my_id:${at}`, 'refund_failed'),
				kind: 'refund',
				status: 'failed',
				crmStatus: 'Failed',
				amount: usd(10000, '100.00'),
				payment: { id: '1', brand: 'MasterCard', last4: '1234' },
			},
		]);
		// The SDK sample carries a whole test card number; it must not reach the event.
		expect(JSON.stringify(events)).not.toContain('1234560000001234');
	});

	it('local_payment_completed with the transaction still authorizing → Pending, with the payer and order', () => {
		expect(normalize(variant('local_payment_completed', withUsd('10.00')))).toEqual([
			{
				...base(`local_payment_completed:1:${at}`, 'local_payment_completed'),
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(1000, '10.00'),
				customer: { id: 'a-payer-id', name: 'a-payer-name' },
				payment: { id: '1', method: 'local_payment' },
				reference: 'order1234',
			},
		]);
	});

	it('a settled credit (refund) transaction → Refunded', () => {
		const body = variant('transaction_settled', (xml) => xml.replace('<type>sale</type>', '<type>credit</type>'));
		expect(normalize(body)[0]).toMatchObject({ kind: 'refund', status: 'refunded', crmStatus: 'Refunded' });
	});

	it('the check notification (Control Panel test) → no events', () => {
		// Subject as in braintree_node WebhookTestingGateway.subjectXmlForCheck().
		const body = variant('transaction_settled', (xml) =>
			xml
				.replace('<kind>transaction_settled</kind>', '<kind>check</kind>')
				.replace(/<subject>[\s\S]*<\/subject>/, '<subject><check type="boolean">true</check></subject>'),
		);
		expect(normalize(body)).toEqual([]);
	});
});

describe('Braintree currencies (decimal amounts, ISO exponents)', () => {
	const settled = (currency: string, amount: string) =>
		variant('transaction_settled', (xml) =>
			xml
				.replace('<currency-iso-code>USD</currency-iso-code>', `<currency-iso-code>${currency}</currency-iso-code>`)
				.replace('<amount>100</amount>', `<amount>${amount}</amount>`),
		);

	it.each([
		['USD', '10.5', { minor: 1050, value: '10.50', currency: 'USD', exponent: 2 }],
		['JPY', '1000', { minor: 1000, value: '1000', currency: 'JPY', exponent: 0 }],
		['KWD', '1.234', { minor: 1234, value: '1.234', currency: 'KWD', exponent: 3 }],
		['EUR', '0.01', { minor: 1, value: '0.01', currency: 'EUR', exponent: 2 }],
	])('%s %s', (currency, amount, expected) => {
		expect(normalize(settled(currency, amount))[0].amount).toEqual(expected);
	});

	it('more fraction digits than the currency has are rejected, naming the field', () => {
		expect(payloadError(() => normalize(settled('USD', '10.123'))).field).toBe('subject.transaction.amount');
	});
});

describe('Braintree malformed payloads', () => {
	it('a body without bt_payload', () => {
		expect(payloadError(() => braintree.parse({ body: { bt_signature: 'a|b' }, headers: {} })).field).toBe('bt_payload');
		expect(payloadError(() => braintree.parse({ body: 'bt_signature=a%7Cb', headers: {} })).field).toBe('bt_payload');
	});

	it('a bt_payload that is not base64 of a notification', () => {
		const body = { bt_signature: 'a|b', bt_payload: Buffer.from('<error>no</error>').toString('base64') };
		expect(payloadError(() => braintree.parse({ body, headers: {} })).field).toBe('bt_payload');
	});

	it('a notification without a kind', () => {
		const body = variant('transaction_settled', (xml) => xml.replace('<kind>transaction_settled</kind>', ''));
		expect(payloadError(() => braintree.parse({ body, headers: {} })).field).toBe('kind');
	});

	it('a transaction notification without its transaction', () => {
		const body = variant('transaction_settled', (xml) => xml.replace(/<subject>[\s\S]*<\/subject>/, '<subject></subject>'));
		expect(payloadError(() => normalize(body)).field).toBe('subject.transaction');
	});
});

describe('Braintree detect', () => {
	const ownFiles = fs.readdirSync(path.join(SHARED_FIXTURES, 'braintree'));

	it.each(ownFiles)('recognises braintree/%s', (file) => {
		const text = fixtureBytes(`braintree/${file}`).toString('utf8');
		const body = file.endsWith('.json') ? (JSON.parse(text) as unknown) : text;
		expect(braintree.detect({ body, headers: {} })).toBe(true);
	});

	it('recognises the form body when only the raw bytes are known', () => {
		expect(braintree.detect({ body: undefined, headers: {}, rawBody: fixtureBytes('braintree/dispute_opened.form.txt') })).toBe(
			true,
		);
	});

	it('does not match a Stripe event', () => {
		expect(braintree.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	// Every other provider's samples: the shared ones and those other adapters added under test/fixtures.
	const others = [SHARED_FIXTURES, PROJECT_FIXTURES]
		.filter((root) => fs.existsSync(root))
		.flatMap((root) =>
			fs
				.readdirSync(root, { withFileTypes: true })
				.filter((entry) => entry.isDirectory() && entry.name !== 'braintree' && entry.name !== 'test-vectors')
				.flatMap((entry) => fs.readdirSync(path.join(root, entry.name)).map((file) => `${entry.name}/${file}`)),
		)
		.filter((file) => /\.(json|txt|xml)$/.test(file));

	it.each(others)('does not match %s', (file) => {
		const text = fixtureBytes(file).toString('utf8');
		const body = file.endsWith('.json') ? (JSON.parse(text) as unknown) : text;
		expect(braintree.detect({ body, headers: {} })).toBe(false);
	});
});
