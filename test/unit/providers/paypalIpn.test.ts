import { toPaymentEvents } from '../../../nodes/providers/index';
import { parseIpnForm, paypalIpn } from '../../../nodes/providers/paypalIpn';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Fixtures in test/fixtures/paypal_ipn/ (see its SOURCES.md): the sample IPN of PayPal's IPN guide, as
// posted (form text), and a sandbox refund IPN as the fields n8n's Webhook node parses a form into.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const COMPLETED = 'paypal_ipn/express_checkout.Completed.form.txt';
const REFUNDED = 'paypal_ipn/Refunded.sandbox.fields.json';

function normalize(input: ProviderInput | string | Record<string, unknown>) {
	const delivery = typeof input === 'object' && 'headers' in input ? (input as ProviderInput) : { body: input, headers: {} };
	const events = paypalIpn.parse(delivery);
	expect(events).toHaveLength(1);
	return toPaymentEvents(paypalIpn, events[0], { receivedAt });
}

const completedForm = () => fixtureBytes(COMPLETED).toString('utf8');
const completedFields = () => Object.fromEntries(new URLSearchParams(completedForm()));
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

const completed = {
	schemaVersion: 1,
	id: 'paypal_ipn:61E67681CH3238416:Completed',
	provider: 'paypal_ipn',
	providerEventId: '61E67681CH3238416:Completed',
	providerEventType: 'express_checkout',
	// test_ipn=1: the sample comes from the sandbox.
	livemode: false,
	kind: 'payment',
	status: 'succeeded',
	crmStatus: 'Paid',
	amount: usd(1995, '19.95'),
	// payment_date "20:12:59 Jan 13, 2009 PST" is UTC-8.
	occurredAt: '2009-01-14T04:12:59.000Z',
	receivedAt: '2026-01-01T00:00:00.000Z',
	customer: { id: 'LPLWNMTBWMFAY', name: 'Test User', email: 'gpmac_1231902590_per@paypal.com' },
	payment: { id: '61E67681CH3238416', method: 'instant' },
};

describe('PayPal IPN adapter on the sample messages', () => {
	it('the IPN guide’s Express Checkout payment, as posted → Paid', () => {
		expect(normalize(completedForm())).toEqual([completed]);
	});

	it('the same message as n8n’s Webhook node parses the form, and as raw bytes only', () => {
		expect(normalize(completedFields())).toEqual([completed]);
		expect(normalize({ body: undefined, headers: {}, rawBody: fixtureBytes(COMPLETED) })).toEqual([completed]);
	});

	it('a sandbox refund: negative mc_gross → Refunded for its magnitude, against the parent transaction', () => {
		expect(normalize(fixtureJson(REFUNDED))).toEqual([
			{
				schemaVersion: 1,
				id: 'paypal_ipn:69B89632XK721821J:Refunded',
				provider: 'paypal_ipn',
				providerEventId: '69B89632XK721821J:Refunded',
				// Refunds carry no txn_type.
				providerEventType: 'Refunded',
				livemode: false,
				kind: 'refund',
				status: 'refunded',
				crmStatus: 'Refunded',
				amount: usd(108000, '1080.00'),
				// payment_date "07:43:04 Jun 23, 2019 PDT" is UTC-7.
				occurredAt: '2019-06-23T14:43:04.000Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: { id: 'A4CSL993V3BDG', name: 'test buyer', email: 'aramaswamis-buyer@gmail.com' },
				payment: { id: '23X19291EC9014330', method: 'instant' },
				// The source test filled `custom` with its own placeholder.
				reference: '{responseId}',
			},
		]);
	});
});

describe('PayPal IPN adapter: statuses, currencies and fields on the sample', () => {
	it.each([
		['Pending', 'payment', 'pending', 'Pending'],
		['Failed', 'payment', 'failed', 'Failed'],
		['Denied', 'payment', 'failed', 'Failed'],
		['Voided', 'payment', 'canceled', 'Failed'],
		['Reversed', 'refund', 'refunded', 'Refunded'],
		['Canceled_Reversal', 'payment', 'succeeded', 'Paid'],
	])('payment_status %s → %s %s', (paymentStatus, kind, status, crmStatus) => {
		const [event] = normalize({ ...completedFields(), payment_status: paymentStatus });
		expect(event).toMatchObject({ kind, status, crmStatus, providerEventId: `61E67681CH3238416:${paymentStatus}` });
	});

	it('one txn_id going Pending then Completed gives two distinct events', () => {
		const pending = normalize({ ...completedFields(), payment_status: 'Pending', pending_reason: 'echeck' })[0];
		const done = normalize(completedFields())[0];
		expect(pending.id).not.toBe(done.id);
	});

	it('JPY has no decimals (ISO and PayPal): mc_gross=1000 is 1000 yen', () => {
		const [event] = normalize({ ...completedFields(), mc_gross: '1000', mc_currency: 'JPY' });
		expect(event.amount).toEqual({ minor: 1000, value: '1000', currency: 'JPY', exponent: 0 });
	});

	it('HUF has no decimals at PayPal: mc_gross=1000 is 1000.00 HUF in ISO minor units', () => {
		const [event] = normalize({ ...completedFields(), mc_gross: '1000', mc_currency: 'HUF' });
		expect(event.amount).toEqual({ minor: 100000, value: '1000.00', currency: 'HUF', exponent: 2 });
	});

	it('a JPY amount with a fraction is refused, naming mc_gross', () => {
		const error = payloadError(() => normalize({ ...completedFields(), mc_gross: '1000.5', mc_currency: 'JPY' }));
		expect(error.provider).toBe('paypal_ipn');
		expect(error.field).toBe('mc_gross');
	});

	it('reads the contact phone in E.164 with the address country, and the invoice as reference', () => {
		const [event] = normalize({ ...completedFields(), contact_phone: '(408) 555-1234', invoice: 'INV-42', item_name: 'Yoga class' });
		expect(event.customer?.phone).toBe('+14085551234');
		expect(event.reference).toBe('INV-42');
		expect(event.description).toBe('Yoga class');
	});

	it('decodes the form in the charset the message names (windows-1252 by default)', () => {
		const form = completedForm().replace('first_name=Test', 'first_name=J%F6rg');
		expect(parseIpnForm(form).first_name).toBe('Jörg');
		expect(parseIpnForm('charset=UTF-8&first_name=J%C3%B6rg&verify_sign=x').first_name).toBe('Jörg');
	});

	it('an IPN that moves no money (a subscription sign-up) → no payment event', () => {
		const signup = { txn_type: 'subscr_signup', subscr_id: 'I-XXX', verify_sign: 'A5', ipn_track_id: 'abc' };
		expect(normalize(signup)).toEqual([]);
	});
});

describe('PayPal IPN detection and malformed payloads', () => {
	it('detects both samples, as form text and as parsed fields', () => {
		expect(paypalIpn.detect({ body: completedForm(), headers: {} })).toBe(true);
		expect(paypalIpn.detect({ body: completedFields(), headers: {} })).toBe(true);
		expect(paypalIpn.detect({ body: undefined, headers: {}, rawBody: fixtureBytes(COMPLETED) })).toBe(true);
		expect(paypalIpn.detect({ body: fixtureJson(REFUNDED), headers: {} })).toBe(true);
	});

	it.each(otherProviderSamples(['paypal_ipn']))('does not claim %s', (_name, body) => {
		expect(paypalIpn.detect({ body, headers: {} })).toBe(false);
	});

	it('names the missing or bad field', () => {
		expect(payloadError(() => paypalIpn.parse({ body: '{"id":1}', headers: {} })).field).toBe('body');
		const noTxn = { ...completedFields(), txn_id: '', ipn_track_id: '' };
		expect(payloadError(() => paypalIpn.parse({ body: noTxn, headers: {} })).field).toBe('txn_id');
		expect(payloadError(() => normalize({ ...completedFields(), payment_date: '2009-01-13' })).field).toBe('payment_date');
		expect(payloadError(() => normalize({ ...completedFields(), payment_status: 'Lost' })).field).toBe('payment_status');
		expect(payloadError(() => normalize({ ...completedFields(), mc_currency: '' })).field).toBe('mc_gross currency');
		expect(payloadError(() => normalize({ ...completedFields(), mc_gross: undefined })).field).toBe('mc_gross');
	});
});
