import { PaymentEventsSageIntacctOAuth2Api } from '../../../credentials/PaymentEventsSageIntacctOAuth2Api.credentials';
import { toPaymentEvents } from '../../../nodes/providers/index';
import { sageintacct } from '../../../nodes/providers/sageintacct';
import type { ProviderInput } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson, payloadError } from './fixtures';
import { otherProviderSamples } from './otherProviderSamples';

const receivedAt = new Date('2026-01-01T00:00:00Z');

type IntacctObject = Record<string, unknown>;
type Response = { 'ia::result': IntacctObject; 'ia::meta': IntacctObject };

function input(file: string): ProviderInput {
	return { body: fixtureJson(file), headers: {}, rawBody: fixtureBytes(file) };
}

const getPayment = () => fixtureJson<Response>('sageintacct/get_payment.json');
const getInvoice = () => fixtureJson<Response>('sageintacct/get_invoice.json');

function eventsOf(body: unknown, completion?: unknown) {
	return sageintacct.parse({ body, headers: {} }).flatMap((event) => toPaymentEvents(sageintacct, event, { receivedAt, completion }));
}

/** A GET response with some fields of its record replaced (or removed, with undefined). */
function recordWith(response: Response, fields: IntacctObject): Response {
	const record: IntacctObject = { ...response['ia::result'], ...fields };
	for (const [key, value] of Object.entries(fields)) if (value === undefined) delete record[key];
	return { ...response, 'ia::result': record };
}

const gbp = (value: string, minor: number) => ({ minor, value, currency: 'GBP', exponent: 2 });
const aud = (value: string, minor: number) => ({ minor, value, currency: 'AUD', exponent: 2 });

describe('sageintacct adapter', () => {
	describe('AR payment (GET /objects/accounts-receivable/payment/{key})', () => {
		it('parses one event whose id changes with the modification time, state and amount', () => {
			const [event] = sageintacct.parse(input('sageintacct/get_payment.json'));
			expect(event).toEqual({
				id: 'payment:464:2024-12-12T06:51:22Z:complete:250',
				type: 'accounts-receivable/payment',
				occurredAt: '2024-12-12T06:51:22.000Z',
				data: getPayment()['ia::result'],
			});
			expect(sageintacct.complete!(event)).toBeUndefined();
			const [reversed] = sageintacct.parse({ body: recordWith(getPayment(), { state: 'reversed' }), headers: {} });
			expect(reversed.id).toBe('payment:464:2024-12-12T06:51:22Z:reversed:250');
		});

		it('maps the "Get a payment" example (complete, 250 GBP, cash) to a succeeded payment', () => {
			expect(eventsOf(getPayment())).toEqual([
				{
					schemaVersion: 1,
					id: 'sageintacct:payment:464:2024-12-12T06:51:22Z:complete:250',
					provider: 'sageintacct',
					providerEventId: 'payment:464:2024-12-12T06:51:22Z:complete:250',
					providerEventType: 'accounts-receivable/payment',
					livemode: true,
					kind: 'payment',
					status: 'succeeded',
					crmStatus: 'Paid',
					// txnCurrency { currency: "GBP", totalAmount: "250" }: what the customer paid, in their currency
					amount: gbp('250.00', 25000),
					occurredAt: '2024-12-12T06:51:22.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: 'C-000012', name: 'Gomez Manufacturers' },
					invoice: { id: '406' },
					payment: { id: '464', method: 'cash' },
					// documentNumber (a check number); referenceNumber is null
					reference: '1567',
					description: 'Regular payment for services',
					metadata: {
						intacctState: 'complete',
						webURL: 'https://intacct.com/acct/ur.phtml?.r=ijVqUVXUX3TzexR2EcQNU3U7RuBoTavvJ5Pvp9qZZG0',
					},
				},
			]);
		});

		it('maps each payment state', () => {
			const statusOf = (state: string) => eventsOf(recordWith(getPayment(), { state }))[0]?.status;
			expect(statusOf('reconciled')).toBe('succeeded');
			expect(statusOf('draft')).toBe('pending');
			expect(statusOf('reversed')).toBe('canceled');
			// The reversing entry: the original's "reversed" state already says so.
			expect(eventsOf(recordWith(getPayment(), { state: 'reversal' }))).toEqual([]);
			expect(payloadError(() => eventsOf(recordWith(getPayment(), { state: 'voided' }))).field).toBe('state');
		});

		it('a payment applied to several invoices names them in metadata, not as the invoice', () => {
			const payment = getPayment()['ia::result'];
			const [detail] = payment.paymentDetails as IntacctObject[];
			const second = { ...detail, arInvoice: { id: '407', key: '407', href: '/objects/accounts-receivable/invoice/407' } };
			const [event] = eventsOf(recordWith(getPayment(), { paymentDetails: [detail, second] }));
			expect(event.invoice).toBeUndefined();
			expect(event.metadata).toMatchObject({ invoiceIds: ['406', '407'] });
		});

		it('uses the base currency when the record has no transaction currency amounts', () => {
			const [event] = eventsOf(recordWith(getPayment(), { txnCurrency: undefined }));
			expect(event.amount).toEqual({ minor: 25000, value: '250.00', currency: 'USD', exponent: 2 });
		});

		it('reads amounts exactly in the currency exponent', () => {
			const amountOf = (currency: string, totalAmount: string) =>
				eventsOf(recordWith(getPayment(), { txnCurrency: { currency, totalAmount, totalPaid: totalAmount, totalDue: '0' } }))[0]
					.amount;
			expect(amountOf('JPY', '1500')).toEqual({ minor: 1500, value: '1500', currency: 'JPY', exponent: 0 });
			expect(amountOf('KWD', '12.345')).toEqual({ minor: 12345, value: '12.345', currency: 'KWD', exponent: 3 });
			expect(amountOf('GBP', '0.10')).toEqual(gbp('0.10', 10));
			expect(payloadError(() => amountOf('JPY', '1500.5')).field).toBe('txnCurrency.totalAmount');
		});
	});

	describe('AR invoice (GET /objects/accounts-receivable/invoice/{key})', () => {
		it('maps the "Get an invoice" example (posted, 440.00 AUD due, nothing paid) to a pending invoice', () => {
			expect(eventsOf(getInvoice())).toEqual([
				{
					schemaVersion: 1,
					id: 'sageintacct:invoice:292:2024-09-24T14:18:20Z:posted:440.00',
					provider: 'sageintacct',
					providerEventId: 'invoice:292:2024-09-24T14:18:20Z:posted:440.00',
					providerEventType: 'accounts-receivable/invoice',
					livemode: true,
					kind: 'invoice',
					status: 'pending',
					crmStatus: 'Pending',
					amount: aud('440.00', 44000),
					total: aud('440.00', 44000),
					amountPaid: aud('0.00', 0),
					amountDue: aud('440.00', 44000),
					occurredAt: '2024-09-24T14:18:20.000Z',
					receivedAt: '2026-01-01T00:00:00.000Z',
					customer: { id: '1', name: 'Power Aerospace Materials' },
					invoice: { id: '292', number: 'ADJDEC0002' },
					reference: 'PO6917',
					description: 'nextGen Recurr',
					metadata: {
						intacctState: 'posted',
						dueDate: '2024-09-24',
						webURL: 'https://intacct.com/acct/ur.phtml?.r=ijVqUVXUX3TzexR2EcQNU3U7RuBoTavvJ5Pvp9qZZG0',
					},
				},
			]);
		});

		it('maps the "Get an invoice enabled for online payment" example by the invoice amounts, still pending', () => {
			const [event] = eventsOf(fixtureJson('sageintacct/get_invoice_online_payment.json'));
			expect(event).toMatchObject({
				id: 'sageintacct:invoice:22484:2024-09-24T14:18:20Z:posted:440.00',
				status: 'pending',
				amount: aud('440.00', 44000),
				invoice: { id: '22484', number: 'ADJDEC0002' },
			});
			// referenceNumber is null in this example.
			expect(event.reference).toBeUndefined();
		});

		it('partiallyPaid is partially paid for what was paid', () => {
			const [event] = eventsOf(
				recordWith(getInvoice(), {
					state: 'partiallyPaid',
					totalTxnAmountDue: '140.00',
					paymentInformation: { totalTxnAmountPaid: '300.00', fullyPaidDate: null },
				}),
			);
			expect(event).toMatchObject({
				id: 'sageintacct:invoice:292:2024-09-24T14:18:20Z:partiallyPaid:140.00',
				status: 'partially_paid',
				crmStatus: 'Partially paid',
				amount: aud('300.00', 30000),
				amountPaid: aud('300.00', 30000),
				amountDue: aud('140.00', 14000),
				total: aud('440.00', 44000),
			});
		});

		it('paid is succeeded for the amount paid, with the date it was paid', () => {
			const [event] = eventsOf(
				recordWith(getInvoice(), {
					state: 'paid',
					totalTxnAmountDue: '0.00',
					paymentInformation: { totalTxnAmountPaid: '440.00', fullyPaidDate: '2024-10-01' },
				}),
			);
			expect(event).toMatchObject({ status: 'succeeded', crmStatus: 'Paid', amount: aud('440.00', 44000) });
			expect(event.metadata).toMatchObject({ fullyPaidDate: '2024-10-01' });
		});

		it('posted or selected invoices are read by their amounts; without totalTxnAmountPaid it is total minus due', () => {
			const [selected] = eventsOf(recordWith(getInvoice(), { state: 'selected', totalTxnAmountDue: '40.00', paymentInformation: undefined }));
			expect(selected).toMatchObject({ status: 'partially_paid', amountPaid: aud('400.00', 40000) });
			const [settled] = eventsOf(recordWith(getInvoice(), { totalTxnAmountDue: '0.00', paymentInformation: undefined }));
			expect(settled).toMatchObject({ status: 'succeeded', amount: aud('440.00', 44000) });
		});

		it('reversed is canceled for the total; drafts and reversal entries are not payment events', () => {
			const [event] = eventsOf(recordWith(getInvoice(), { state: 'reversed' }));
			expect(event).toMatchObject({ status: 'canceled', crmStatus: 'Failed', amount: aud('440.00', 44000) });
			expect(eventsOf(recordWith(getInvoice(), { state: 'draft' }))).toEqual([]);
			expect(eventsOf(recordWith(getInvoice(), { state: 'reversal' }))).toEqual([]);
		});
	});

	describe('object references (thin: fetched with GET)', () => {
		it('"Reference to new payment" (create response) asks for the payment and maps the fetched record', () => {
			const [event] = sageintacct.parse(input('sageintacct/create_payment_response.json'));
			expect(event).toEqual({
				id: 'accounts-receivable/payment:2096',
				type: 'accounts-receivable/payment',
				data: { id: '2096', key: '2096', href: '/objects/accounts-receivable/payment/2096' },
			});
			expect(sageintacct.complete!(event)).toEqual({
				method: 'GET',
				path: '/objects/accounts-receivable/payment/2096',
				description: 'the Sage Intacct AR payment 2096',
			});
			// The "Get a payment" example is payment 464, not 2096: the adapter refuses a record it did not ask for.
			expect(payloadError(() => sageintacct.normalize(event, { completion: getPayment() })).field).toBe('completion.ia::result');
			expect(payloadError(() => sageintacct.normalize(event, {})).field).toBe('completion');
		});

		it('"List payments" gives one event per payment; each is completed into the canonical event', () => {
			const events = sageintacct.parse(input('sageintacct/list_payments.json'));
			expect(events.map((event) => sageintacct.complete!(event)?.path)).toEqual([
				'/objects/accounts-receivable/payment/212',
				'/objects/accounts-receivable/payment/201',
				'/objects/accounts-receivable/payment/289',
			]);
			// The list example's payment 212 completed with the "Get a payment" example re-keyed to 212.
			const fetched = recordWith(getPayment(), { id: '212', key: '212', href: '/objects/accounts-receivable/payment/212' });
			const [payment] = toPaymentEvents(sageintacct, events[0], { receivedAt, completion: fetched });
			expect(payment).toMatchObject({
				id: 'sageintacct:payment:212:2024-12-12T06:51:22Z:complete:250',
				status: 'succeeded',
				amount: gbp('250.00', 25000),
				payment: { id: '212', method: 'cash' },
			});
		});

		it('"List invoices" references are completed from the invoice GET; a payment record is refused', () => {
			const [event] = sageintacct.parse(input('sageintacct/list_invoices.json'));
			expect(sageintacct.complete!(event)).toEqual({
				method: 'GET',
				path: '/objects/accounts-receivable/invoice/498',
				description: 'the Sage Intacct AR invoice 498',
			});
			const fetched = recordWith(getInvoice(), { id: '498', key: '498', href: '/objects/accounts-receivable/invoice/498' });
			expect(toPaymentEvents(sageintacct, event, { receivedAt, completion: fetched })[0]).toMatchObject({
				id: 'sageintacct:invoice:498:2024-09-24T14:18:20Z:posted:440.00',
				kind: 'invoice',
				invoice: { id: '498', number: 'ADJDEC0002' },
			});
			const payment498 = recordWith(getPayment(), { key: '498', href: '/objects/accounts-receivable/payment/498' });
			expect(payloadError(() => sageintacct.normalize(event, { completion: payment498 })).field).toBe('completion.ia::result');
		});

		it('accepts the bare record as well as the REST envelope', () => {
			expect(eventsOf(getInvoice()['ia::result'])).toEqual(eventsOf(getInvoice()));
		});
	});

	describe('malformed payloads', () => {
		it('names the field that is wrong', () => {
			expect(payloadError(() => sageintacct.parse({ body: 'text', headers: {} })).field).toBe('body');
			expect(payloadError(() => sageintacct.parse({ body: { 'ia::result': [{ key: '1' }] }, headers: {} })).field).toBe(
				'ia::result.0.href',
			);
			expect(payloadError(() => eventsOf(recordWith(getPayment(), { audit: undefined }))).field).toBe(
				'ia::result.audit.modifiedDateTime',
			);
			expect(payloadError(() => eventsOf(recordWith(getInvoice(), { totalTxnAmountDue: '500.00' }))).field).toBe(
				'totalTxnAmountDue',
			);
			expect(payloadError(() => eventsOf(recordWith(getInvoice(), { currency: {} }))).field).toBe('totalTxnAmount currency');
			expect(payloadError(() => eventsOf(recordWith(getInvoice(), { state: 'open' }))).field).toBe('state');
		});

		it('objects that are not AR payments or invoices are parsed but are not payment events', () => {
			const body = { 'ia::result': { key: '1', id: '1', href: '/objects/accounts-receivable/customer/1' } };
			const [event] = sageintacct.parse({ body, headers: {} });
			expect(event.type).toBe('accounts-receivable/customer');
			expect(sageintacct.complete!(event)).toBeUndefined();
			expect(toPaymentEvents(sageintacct, event, { receivedAt })).toEqual([]);
		});
	});

	describe('detect', () => {
		it('recognises every Sage Intacct sample', () => {
			for (const file of [
				'get_payment.json',
				'get_invoice.json',
				'get_invoice_online_payment.json',
				'list_payments.json',
				'list_invoices.json',
				'create_payment_response.json',
			]) {
				expect(sageintacct.detect(input(`sageintacct/${file}`))).toBe(true);
			}
		});

		it('does not claim other Intacct objects or empty lists', () => {
			const customer = { 'ia::result': { key: '1', id: '1', href: '/objects/accounts-receivable/customer/1' } };
			expect(sageintacct.detect({ body: customer, headers: {} })).toBe(false);
			expect(sageintacct.detect({ body: { 'ia::result': [], 'ia::meta': { totalCount: 0 } }, headers: {} })).toBe(false);
		});

		it.each(otherProviderSamples(['sageintacct']))('does not claim %s', (_name, body, rawBody) => {
			expect(sageintacct.detect({ body, headers: {}, rawBody })).toBe(false);
		});
	});

	describe('credential', () => {
		it('uses the documented OAuth2 endpoints and tests with the API the adapter calls', () => {
			const credential = new PaymentEventsSageIntacctOAuth2Api();
			expect(credential.name).toBe(sageintacct.api!.credentialType);
			const value = (name: string) => credential.properties.find((property) => property.name === name)?.default;
			expect(value('authUrl')).toBe('https://api.intacct.com/ia/api/v1/oauth2/authorize');
			expect(value('accessTokenUrl')).toBe('https://api.intacct.com/ia/api/v1/oauth2/token');
			expect(value('authentication')).toBe('body');
			expect(value('scope')).toBe('offline_access');
			expect(credential.test.request).toEqual({
				baseURL: '={{ $credentials.baseUrl || "https://api.intacct.com/ia/api/v1" }}',
				url: '/objects/accounts-receivable/payment',
			});
		});
	});
});
