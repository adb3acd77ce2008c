import { authorizenet } from '../../../nodes/providers/authorizenet';
import { ProviderPayloadError } from '../../../nodes/providers/common';
import { toPaymentEvents } from '../../../nodes/providers/index';
import type { ProviderEvent } from '../../../nodes/providers/types';
import { fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

// Webhook samples of the Authorize.Net Webhooks guide and a getTransactionDetails response, see
// test/fixtures/authorizenet/SOURCES.md. The response is of transaction 2162566217; the tests give it the transId
// of the notification at hand, as the transaction that notification names.
const receivedAt = new Date('2026-01-01T00:00:00Z');
const usd = (minor: number, value: string) => ({ minor, value, currency: 'USD', exponent: 2 });

type Json = Record<string, unknown>;
const notification = (type: string) => fixtureJson<Json>(`authorizenet/net.authorize.${type}.json`);

function transactionResponse(transId: string, changes: Json = {}) {
	const response = fixtureJson<{ transaction: Json }>('authorizenet/getTransactionDetails.response.json');
	Object.assign(response.transaction, { transId, ...changes });
	return response;
}

function parse(body: unknown): ProviderEvent[] {
	return authorizenet.parse({ body, headers: {} });
}

/** The authcapture sample re-typed: every payment event shares its documented envelope. */
function authCaptureAs(eventType: string): ProviderEvent {
	return parse({ ...notification('payment.authcapture.created'), eventType })[0];
}

const fetchedCustomer = { id: '4', name: 'Matteo Bignotti', phone: '+16192740494' };

describe('Authorize.Net notifications completed with getTransactionDetails', () => {
	it('authcapture.created: a thin notification that fetches its transaction', () => {
		const [event] = parse(notification('payment.authcapture.created'));
		expect(event).toMatchObject({
			id: 'd0e8e7fe-c3e7-4add-a480-27bc5ce28a18',
			type: 'net.authorize.payment.authcapture.created',
			occurredAt: '2017-03-29T20:48:02.008Z',
		});
		expect(authorizenet.complete!(event)).toEqual({
			method: 'POST',
			path: '/xml/v1/request.api',
			body: { getTransactionDetailsRequest: { transId: '60020981676' } },
			description: 'the Authorize.Net transaction 60020981676',
		});
	});

	it('authcapture.created + the settled transaction → Paid 1018.88 USD with the billing contact and card', () => {
		const [event] = parse(notification('payment.authcapture.created'));
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion: transactionResponse('60020981676') })).toEqual([
			{
				schemaVersion: 1,
				id: 'authorizenet:d0e8e7fe-c3e7-4add-a480-27bc5ce28a18',
				provider: 'authorizenet',
				providerEventId: 'd0e8e7fe-c3e7-4add-a480-27bc5ce28a18',
				providerEventType: 'net.authorize.payment.authcapture.created',
				livemode: false,
				kind: 'payment',
				status: 'succeeded',
				crmStatus: 'Paid',
				amount: usd(101888, '1018.88'),
				occurredAt: '2017-03-29T20:48:02.008Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: fetchedCustomer,
				payment: { id: '60020981676', method: 'creditCard', brand: 'MasterCard', last4: '4444' },
				reference: '60',
				description: 'Auto-charge for Invoice #60',
			},
		]);
	});

	it('fraud.held → Pending', () => {
		const [event] = parse(notification('payment.fraud.held'));
		expect(authorizenet.complete!(event)?.body).toEqual({ getTransactionDetailsRequest: { transId: '2154067719' } });
		const completion = transactionResponse('2154067719', { responseCode: 4, transactionStatus: 'FDSPendingReview' });
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })).toEqual([
			{
				schemaVersion: 1,
				id: 'authorizenet:26024a6c-3b78-4d18-8ce7-53dd020aee72',
				provider: 'authorizenet',
				providerEventId: '26024a6c-3b78-4d18-8ce7-53dd020aee72',
				providerEventType: 'net.authorize.payment.fraud.held',
				livemode: false,
				kind: 'payment',
				status: 'pending',
				crmStatus: 'Pending',
				amount: usd(101888, '1018.88'),
				occurredAt: '2016-10-24T17:47:39.774Z',
				receivedAt: '2026-01-01T00:00:00.000Z',
				customer: fetchedCustomer,
				payment: { id: '2154067719', method: 'creditCard', brand: 'MasterCard', last4: '4444' },
				reference: '60',
				description: 'Auto-charge for Invoice #60',
			},
		]);
	});

	it('customer.created is not about money: nothing to fetch, no event', () => {
		const [event] = parse(notification('customer.created'));
		expect(event.id).toBe('5c3f7e00-1265-4e8e-abd0-a7d734163881');
		expect(authorizenet.complete!(event)).toBeUndefined();
		expect(toPaymentEvents(authorizenet, event, { receivedAt })).toEqual([]);
	});

	it.each([
		['authorization.created', 'payment', 'pending', 'Pending'],
		['capture.created', 'payment', 'succeeded', 'Paid'],
		['priorAuthCapture.created', 'payment', 'succeeded', 'Paid'],
		['fraud.approved', 'payment', 'succeeded', 'Paid'],
		['fraud.declined', 'payment', 'failed', 'Failed'],
	])('payment.%s → %s %s', (action, kind, status, crmStatus) => {
		const event = authCaptureAs(`net.authorize.payment.${action}`);
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion: transactionResponse('60020981676') })[0]).toMatchObject({
			providerEventType: `net.authorize.payment.${action}`,
			kind,
			status,
			crmStatus,
		});
	});

	it('refund.created → a refund of the transaction it refunds', () => {
		const event = authCaptureAs('net.authorize.payment.refund.created');
		const completion = transactionResponse('60020981676', {
			transactionType: 'refundTransaction',
			refTransId: '2162566217',
			settleAmount: 25.5,
		});
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })[0]).toMatchObject({
			kind: 'refund',
			status: 'refunded',
			crmStatus: 'Refunded',
			amount: usd(2550, '25.50'),
			payment: { id: '2162566217' },
		});
	});

	it('void.created → Canceled, for the authorized amount (a voided transaction settles nothing)', () => {
		const event = authCaptureAs('net.authorize.payment.void.created');
		const completion = transactionResponse('60020981676', { transactionStatus: 'voided', settleAmount: 0 });
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })[0]).toMatchObject({
			kind: 'payment',
			status: 'canceled',
			crmStatus: 'Failed',
			amount: usd(101888, '1018.88'),
		});
	});

	it('fraud.approved of an authorization only → Pending until captured', () => {
		const event = authCaptureAs('net.authorize.payment.fraud.approved');
		const completion = transactionResponse('60020981676', { transactionType: 'authOnlyTransaction' });
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })[0].status).toBe('pending');
	});

	it('a declined (2) or errored (3) transaction → Failed; held for review (4) → Pending', () => {
		const event = authCaptureAs('net.authorize.payment.authcapture.created');
		const statusFor = (responseCode: number) =>
			toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion: transactionResponse('60020981676', { responseCode }) })[0]
				.status;
		expect([statusFor(2), statusFor(3), statusFor(4)]).toEqual(['failed', 'failed', 'pending']);
	});
});

describe('Authorize.Net currency', () => {
	const [event] = parse(notification('payment.authcapture.created'));

	it('getTransactionDetails returns no currency: the account currency the user states is used', () => {
		const completion = transactionResponse('60020981676');
		expect(completion.transaction.currencyCode).toBeUndefined();
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })[0].amount).toEqual(
			usd(101888, '1018.88'),
		);
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'GBP', completion })[0].amount.currency).toBe('GBP');
	});

	it('without an account currency the amount is not guessed: a named error', () => {
		const completion = transactionResponse('60020981676');
		expect(() => toPaymentEvents(authorizenet, event, { receivedAt, completion })).toThrow(
			'authorizenet: transaction.currencyCode: is missing: Authorize.Net does not return the currency of a transaction; set the account currency',
		);
	});

	it('a currencyCode on the transaction (the SOAP-era element) is used when present', () => {
		const completion = transactionResponse('60020981676', { currencyCode: 'CAD' });
		expect(toPaymentEvents(authorizenet, event, { receivedAt, accountCurrency: 'USD', completion })[0].amount).toEqual({
			minor: 101888,
			value: '1018.88',
			currency: 'CAD',
			exponent: 2,
		});
	});

	it('amounts with more decimals than the currency has are rejected, not rounded', () => {
		const completion = transactionResponse('60020981676', { settleAmount: 10.005 });
		expect(payloadError(() => authorizenet.normalize(event, { accountCurrency: 'USD', completion })).field).toBe('transaction.settleAmount');
	});
});

describe('Authorize.Net malformed notifications and completions', () => {
	it('a notification without its id, type or payload is named', () => {
		const noId = notification('payment.authcapture.created');
		delete noId.notificationId;
		expect(payloadError(() => parse(noId)).field).toBe('notificationId');
		const noType = notification('payment.authcapture.created');
		delete noType.eventType;
		expect(payloadError(() => parse(noType)).field).toBe('eventType');
		const noPayload = notification('payment.authcapture.created');
		delete noPayload.payload;
		expect(payloadError(() => parse(noPayload)).field).toBe('payload');
		expect(payloadError(() => parse('notificationId=1')).field).toBe('body');
	});

	it('an eventDate without a zone → eventDate', () => {
		expect(payloadError(() => parse({ ...notification('payment.authcapture.created'), eventDate: '2017-03-29T20:48:02' })).field).toBe(
			'eventDate',
		);
	});

	it('a payment notification without the transaction id cannot be completed → payload.id', () => {
		const body = notification('payment.authcapture.created');
		delete (body.payload as Json).id;
		expect(payloadError(() => authorizenet.complete!(parse(body)[0])).field).toBe('payload.id');
	});

	it('normalized without the fetched transaction, with an API error, or with another transaction → completion', () => {
		const [event] = parse(notification('payment.authcapture.created'));
		expect(payloadError(() => authorizenet.normalize(event, {})).field).toBe('completion');
		const error = { messages: { resultCode: 'Error', message: [{ code: 'E00040', text: 'The record cannot be found.' }] } };
		expect(() => authorizenet.normalize(event, { completion: error })).toThrow(
			new ProviderPayloadError('authorizenet', 'completion', 'getTransactionDetails failed: The record cannot be found.'),
		);
		const other = fixtureJson('authorizenet/getTransactionDetails.response.json');
		expect(payloadError(() => authorizenet.normalize(event, { completion: other })).field).toBe('completion');
	});

	it('a transaction without its settled amount → transaction.settleAmount', () => {
		const [event] = parse(notification('payment.authcapture.created'));
		const completion = transactionResponse('60020981676');
		delete completion.transaction.settleAmount;
		expect(payloadError(() => authorizenet.normalize(event, { accountCurrency: 'USD', completion })).field).toBe('transaction.settleAmount');
	});
});

describe('Authorize.Net detection', () => {
	it.each(['payment.authcapture.created', 'payment.fraud.held', 'customer.created'])('recognises %s', (type) => {
		expect(authorizenet.detect({ body: notification(type), headers: {} })).toBe(true);
	});

	it('does not claim the getTransactionDetails response (it is not a delivery)', () => {
		const body = fixtureJson('authorizenet/getTransactionDetails.response.json');
		expect(authorizenet.detect({ body, headers: {} })).toBe(false);
	});

	it('does not claim a Stripe event', () => {
		expect(authorizenet.detect({ body: fixtureJson('stripe/charge.succeeded.json'), headers: {} })).toBe(false);
	});

	it.each(otherProviderSamples(['authorizenet']))('does not claim %s', (_file, body) => {
		expect(authorizenet.detect({ body, headers: {} })).toBe(false);
	});
});
