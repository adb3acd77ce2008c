import { createHmac } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsQuickBooksOAuth2Api } from '../../../credentials/PaymentEventsQuickBooksOAuth2Api.credentials';
import { QuickBooksPaymentTrigger } from '../../../nodes/QuickBooksPaymentTrigger/QuickBooksPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

type Json = Record<string, unknown>;

// shared/fixtures/test-vectors: Intuit's own vector from QuickBooks-V3-Java-SDK WebhooksServiceTest (PROVENANCE.md).
const vectors = fixtureJson<{ vectors: Array<{ verifier_token: string; raw_body: string; expected_intuit_signature: string }> }>(
	'test-vectors/quickbooks_intuit_signature_vectors.json',
).vectors;
const [vector] = vectors;

const TOKEN = 'b5771f19b12ddb4bcdb9f08bdc50bc63878a';
const ACCESS_TOKEN = 'qbo-access-token';
const PRODUCTION = 'https://quickbooks.api.intuit.com';
const SANDBOX = 'https://sandbox-quickbooks.api.intuit.com';
const REALM = '1185883450';

/**
 * The documented scheme, base64(HMAC-SHA256(Verifier Token, raw body)), which the vector pins down:
 * https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification
 */
function sign(payload: Buffer, token = TOKEN) {
	return { 'intuit-signature': createHmac('sha256', token).update(payload).digest('base64') };
}

/** The legacy notification sample (a Customer) re-pointed at another entity, as the adapter's unit tests do. */
function legacyNotification(entity: Json): Buffer {
	const body = fixtureJson<{ eventNotifications: Array<{ dataChangeEvent: { entities: Json[] } }> }>(
		'quickbooks/legacy_eventNotifications_customer_create.raw.json',
	);
	const entities = body.eventNotifications[0].dataChangeEvent.entities;
	entities[0] = { ...entities[0], ...entity };
	return Buffer.from(JSON.stringify(body));
}

/** The CloudEvents sample (a Class) re-pointed at another entity and type. */
function cloudEvent(fields: Json): Buffer {
	const body = fixtureJson<Json[]>('quickbooks/cloudevents_class_created.raw.json');
	body[0] = { ...body[0], ...fields };
	return Buffer.from(JSON.stringify(body));
}

/** Intuit's documented read responses with CurrencyRef added in its documented shape (see test/fixtures/quickbooks/SOURCES.md). */
function readResponse(file: string, key: 'Payment' | 'Invoice'): Json {
	const response = fixtureJson<Json>(file);
	response[key] = { ...(response[key] as Json), CurrencyRef: { value: 'USD', name: 'United States Dollar' } };
	return response;
}

const paymentCreated = legacyNotification({ name: 'Payment', id: '163', operation: 'Create' });

function paymentApi(host = PRODUCTION) {
	return nock(host, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
		.get(`/v3/company/${REALM}/payment/163`)
		.query({ minorversion: '75' })
		.reply(200, readResponse('quickbooks/payment_read_response.json', 'Payment'));
}

function trigger(credentials: Json = { webhookSecret: TOKEN }, parameters = {}) {
	return triggerHarness(QuickBooksPaymentTrigger, {
		credential: new PaymentEventsQuickBooksOAuth2Api(),
		credentials: {
			clientId: 'qbo-client-id',
			clientSecret: 'qbo-client-secret',
			environment: 'production',
			oauthTokenData: { access_token: ACCESS_TOKEN },
			...credentials,
		},
		parameters,
	});
}

/** The delivery with one digit of its realm id changed: the same length, one byte different. */
function tampered(payload: Buffer): Buffer {
	const changed = Buffer.from(payload.toString('utf8').replace(`"realmId":"${REALM}"`, `"realmId":"${REALM.replace(/0$/, '1')}"`));
	expect(changed.length).toBe(payload.length);
	expect(changed.equals(payload)).toBe(false);
	return changed;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("QuickBooks Online Payment Trigger: Intuit's signature vector", () => {
	it('accepts the vector body with its published intuit-signature (a Customer change: 200, no execution)', async () => {
		expect(vector.verifier_token).toBe(TOKEN);
		const body = Buffer.from(vector.raw_body);
		expect(sign(body)['intuit-signature']).toBe(vector.expected_intuit_signature);
		const node = trigger({ webhookSecret: vector.verifier_token });
		const result = await node.deliver({ body, headers: { 'intuit-signature': vector.expected_intuit_signature } });
		expect(result).toMatchObject({ status: 200, started: false, items: [], body: '' });
		expect(node.requests).toEqual([]);
		expect(node.warnings).toEqual([]);
	});

	it('refuses the vector body with one byte changed, and the vector signature checked with another token', async () => {
		const body = Buffer.from(vector.raw_body);
		const headers = { 'intuit-signature': vector.expected_intuit_signature };
		expect(await trigger().deliver({ body: tampered(body), headers })).toMatchObject({ status: 401, started: false });
		expect(await trigger({ webhookSecret: 'another-apps-verifier-token' }).deliver({ body, headers })).toMatchObject({
			status: 401,
			started: false,
		});
	});
});

describe('QuickBooks Online Payment Trigger: deliveries', () => {
	it('fetches the payment a legacy notification names and emits the canonical payment with the raw delivery', async () => {
		const api = paymentApi();
		const result = await trigger().deliver({ body: paymentCreated, headers: sign(paymentCreated) });
		expect(api.isDone()).toBe(true);
		expect(result.status).toBe(200);
		expect(result.started).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			id: `quickbooks:${REALM}:Payment:163:Create:2015-10-05T14:42:19-0700`,
			provider: 'quickbooks',
			providerEventType: 'Payment.Create',
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 6500, value: '65.00', currency: 'USD', exponent: 2 },
			customer: { id: '20', name: 'Red Rock Diner' },
			payment: { id: '163' },
			invoice: { id: '70' },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(paymentCreated.toString('utf8')));
	});

	it('reads a CloudEvents notification from the sandbox company when the credential is set to Sandbox', async () => {
		const invoiceUpdated = cloudEvent({ type: 'qbo.invoice.updated.v1', intuitentityid: '130' });
		const api = nock(SANDBOX)
			.get('/v3/company/310687/invoice/130')
			.query({ minorversion: '75' })
			.reply(200, readResponse('quickbooks/invoice_read_response.json', 'Invoice'));
		const result = await trigger({ webhookSecret: TOKEN, environment: 'sandbox' }).deliver({
			body: invoiceUpdated,
			headers: sign(invoiceUpdated),
		});
		expect(api.isDone()).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			id: 'quickbooks:d1a3aedd-9670-41bf-a4f9-c148a1cc4e03',
			providerEventType: 'qbo.invoice.updated.v1',
			kind: 'invoice',
			status: 'pending',
			amount: { minor: 36207, value: '362.07', currency: 'USD', exponent: 2 },
			amountDue: { minor: 36207, value: '362.07', currency: 'USD', exponent: 2 },
			invoice: { id: '130', number: '1037' },
		});
	});

	it("accepts Intuit's CloudEvents sample as sent, with 200 and no execution (a Class is not a payment)", async () => {
		const sample = fixtureBytes('quickbooks/cloudevents_class_created.raw.json');
		const node = trigger();
		expect(await node.deliver({ body: sample, headers: sign(sample) })).toMatchObject({ status: 200, started: false, items: [] });
		expect(node.requests).toEqual([]);
	});

	it.each([
		['a tampered body', () => ({ body: tampered(paymentCreated), headers: sign(paymentCreated) })],
		[
			'a signature made with another token',
			() => ({ body: paymentCreated, headers: sign(paymentCreated, 'another-apps-verifier-token') }),
		],
		['no intuit-signature header', () => ({ body: paymentCreated, headers: {} })],
		[
			'a hex signature instead of base64',
			() => ({ body: paymentCreated, headers: { 'intuit-signature': createHmac('sha256', TOKEN).update(paymentCreated).digest('hex') } }),
		],
	])('answers %s with 401, fetches nothing and starts nothing', async (_case, request) => {
		const node = trigger();
		const result = await node.deliver(request());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.requests).toEqual([]);
		expect(node.warnings).toHaveLength(1);
		expect(node.warnings[0]).not.toContain(TOKEN);
		expect(node.warnings[0]).not.toContain(sign(paymentCreated)['intuit-signature']);
	});

	it('acknowledges a repeat of the same signed delivery (QuickBooks retrying) without running again', async () => {
		const node = trigger();
		const headers = sign(paymentCreated);
		paymentApi();
		expect((await node.deliver({ body: paymentCreated, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: paymentCreated, headers })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no Verifier Token, and says where to paste it', async () => {
		const node = trigger({});
		const result = await node.deliver({ body: paymentCreated, headers: sign(paymentCreated) });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('the credential has no Verifier Token');
		expect(node.warnings[0]).toContain('Paste it into the credential');
	});

	it('answers 200 without a fetch or an execution for events the user did not select', async () => {
		const byName = trigger(undefined, { providerEvents: ['Invoice.Update', 'qbo.payment.created.v1'] });
		expect(await byName.deliver({ body: paymentCreated, headers: sign(paymentCreated) })).toMatchObject({
			status: 200,
			started: false,
			body: '',
		});
		expect(byName.requests).toEqual([]);

		paymentApi();
		const byMeaning = trigger(undefined, { events: ['refunded'] });
		expect(await byMeaning.deliver({ body: paymentCreated, headers: sign(paymentCreated) })).toMatchObject({ status: 200, started: false });

		paymentApi();
		const wanted = await trigger(undefined, { events: ['succeeded'] }).deliver({ body: paymentCreated, headers: sign(paymentCreated) });
		expect(wanted.items.map((item) => item.status)).toEqual(['succeeded']);
	});
});

describe('QuickBooks Online Payment Trigger: registration (manual, in the Intuit developer portal)', () => {
	it('publishes and unpublishes without calling Intuit, which has no API to register webhooks', async () => {
		const node = trigger();
		await node.publish();
		expect(await node.unpublish()).toBe(true);
		expect(node.requests).toEqual([]);
		expect(node.staticData).toEqual({});
	});

	it('refuses to publish while the credential has no Verifier Token', async () => {
		await expect(trigger({}).publish()).rejects.toThrow('the credential has no Verifier Token');
	});

	it('tells the user where to register the URL and how notifications are verified', () => {
		const notice = trigger().node.description.properties.find((property) => property.name === 'notice_quickbooks');
		expect(notice?.displayName).toContain('intuit-signature');
		expect(notice?.displayName).toContain('Intuit developer portal');
	});
});
