import nock from 'nock';

import { PaymentEventsMollieApi } from '../../../credentials/PaymentEventsMollieApi.credentials';
import { MolliePaymentTrigger } from '../../../nodes/MolliePaymentTrigger/MolliePaymentTrigger.node';
import { hmac } from '../../../nodes/core/signature';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

const API = 'https://api.mollie.com';
const API_KEY = 'test_mollie_api_key';
const SECRET = 'mollie_next_gen_signing_secret';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
type Json = Record<string, unknown>;

// shared/fixtures/mollie (official SDKs, see PROVENANCE.md): the classic `id=tr_7r4n54c710n` body, the next-gen
// payment-link.paid event, and the payment template GET /v2/payments returns (its id a placeholder).
const legacy = fixtureBytes('mollie/legacy_payment_webhook.form.txt');
const PAYMENT_ID = 'tr_7r4n54c710n';
const nextGen = fixtureBytes('mollie/next-gen_payment-link.paid_full.json');
const openPayment = () =>
	JSON.parse(fixtureBytes('mollie/payment_resource_fetched_after_webhook.json').toString('utf8').replace('{{ RESOURCE_ID }}', PAYMENT_ID)) as Json;
/** test/fixtures/mollie/payment_paid.get.json (mollie-api-php's GET payment response), as the payment the webhook names. */
const paidPayment = () => ({ ...fixtureJson('mollie/payment_paid.get.json'), id: PAYMENT_ID });

/** X-Mollie-Signature as documented: `sha256=` and the hex HMAC-SHA256 of the raw body with the webhook's secret. */
function sign(body: Buffer, secret = SECRET) {
	return { 'X-Mollie-Signature': `sha256=${hmac('sha256', secret, body, 'hex')}` };
}

function trigger(credentials: Record<string, string> = { apiKey: API_KEY, webhookSecret: SECRET }, parameters = {}, webhookUrl?: string) {
	return triggerHarness(MolliePaymentTrigger, { credential: new PaymentEventsMollieApi(), credentials, parameters, webhookUrl });
}

/** The payment fetched back by verification, then fetched again with its refunds and chargebacks to build the event. */
function paymentIs(payment: Json) {
	return nock(API, { reqheaders: { authorization: `Bearer ${API_KEY}` } })
		.get(`/v2/payments/${PAYMENT_ID}`)
		.reply(200, payment)
		.get(`/v2/payments/${PAYMENT_ID}`)
		.query({ embed: 'refunds,chargebacks' })
		.reply(200, payment);
}

afterEach(() => nock.cleanAll());

describe('Mollie Payment Trigger: classic webhooks (unsigned, fetched back)', () => {
	it('fetches the payment back and turns it into a canonical event, with no signing secret configured', async () => {
		const api = paymentIs(openPayment());
		const result = await trigger({ apiKey: API_KEY }).deliver({ body: legacy, headers: FORM });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'mollie',
			providerEventId: `${PAYMENT_ID}:open`,
			providerEventType: 'payment.open',
			status: 'pending',
			amount: { minor: 2000, value: '20.00', currency: 'EUR', exponent: 2 },
			reference: '1234',
		});
	});

	it('refuses an id the Mollie account does not know (401, nothing started, nothing fetched further)', async () => {
		const api = nock(API).get('/v2/payments/tr_unknown1').reply(404);
		const node = trigger({ apiKey: API_KEY });
		const result = await node.deliver({ body: 'id=tr_unknown1', headers: FORM });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings[0]).toContain('does not know the payment tr_unknown1');
		expect(node.warnings.join('\n')).not.toContain(API_KEY);
	});

	it('runs again when the same id reports a new status, and acknowledges a repeat of a status already accepted without running', async () => {
		const node = trigger({ apiKey: API_KEY });
		paymentIs(openPayment());
		expect((await node.deliver({ body: legacy, headers: FORM })).items[0]).toMatchObject({ status: 'pending' });

		const repeat = nock(API).get(`/v2/payments/${PAYMENT_ID}`).reply(200, openPayment());
		const fetched = node.requests.length;
		expect(await node.deliver({ body: legacy, headers: FORM })).toMatchObject({ status: 200, started: false, body: '' });
		expect(repeat.isDone()).toBe(true);
		// Only the fetch that tells the payment's state: no second fetch to build an event.
		expect(node.requests).toHaveLength(fetched + 1);

		paymentIs(paidPayment());
		const paid = await node.deliver({ body: legacy, headers: FORM });
		expect(paid.items[0]).toMatchObject({ providerEventId: `${PAYMENT_ID}:paid`, status: 'succeeded', crmStatus: 'Paid' });
	});

	it('ignores a forged state header: a repeat of a status already accepted is still acknowledged without running', async () => {
		const node = trigger({ apiKey: API_KEY });
		paymentIs(openPayment());
		expect((await node.deliver({ body: legacy, headers: FORM })).started).toBe(true);
		nock(API).get(`/v2/payments/${PAYMENT_ID}`).reply(200, openPayment());
		const fetched = node.requests.length;
		const forged = await node.deliver({ body: legacy, headers: { ...FORM, 'X-Payment-Events-Mollie-State': 'anything' } });
		expect(forged).toMatchObject({ status: 200, started: false, body: '', items: [] });
		expect(node.requests).toHaveLength(fetched + 1);
	});
});

describe('Mollie Payment Trigger: next-gen webhooks (signed)', () => {
	it('turns a signed payment-link.paid event into a canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: nextGen, headers: sign(nextGen) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items[0]).toMatchObject({
			provider: 'mollie',
			providerEventId: 'whe_gQMMaGqAVA',
			providerEventType: 'payment-link.paid',
			status: 'succeeded',
			amount: { minor: 1000, value: '10.00', currency: 'EUR', exponent: 2 },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(nextGen.toString('utf8')));
	});

	it('accepts either signature while Mollie rotates the secret (two headers, joined)', async () => {
		const both = `${sign(nextGen, 'the old secret')['X-Mollie-Signature']}, ${sign(nextGen)['X-Mollie-Signature']}`;
		expect((await trigger().deliver({ body: nextGen, headers: { 'X-Mollie-Signature': both } })).started).toBe(true);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(nextGen.toString('utf8').replace('"10.00"', '"99.00"')), headers: sign(nextGen) })],
		['a wrong secret', () => ({ body: nextGen, headers: sign(nextGen, 'someone else') })],
		['no signature header', () => ({ body: nextGen, headers: {} })],
		['a bare hex signature of another body', () => ({ body: nextGen, headers: { 'X-Mollie-Signature': hmac('sha256', SECRET, legacy, 'hex') } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('refuses a next-gen event while no signing secret is known', async () => {
		const node = trigger({ apiKey: API_KEY });
		const result = await node.deliver({ body: nextGen, headers: sign(nextGen) });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Signing Secret');
	});

	it('acknowledges a repeat of the same signed delivery (Mollie retrying) without running again', async () => {
		const node = trigger();
		expect((await node.deliver({ body: nextGen, headers: sign(nextGen) })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: nextGen, headers: sign(nextGen) })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});
});

describe('Mollie Payment Trigger: next-gen webhook registration', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const firstPage = () => fixtureJson('mollie/webhooks.list.json');
	const lastPage = () => ({ ...firstPage(), _links: { ...(firstPage()._links as Json), next: null } });

	it('looks through every page, creates the webhook, keeps the issued secret and verifies with it', async () => {
		const node = trigger({ apiKey: API_KEY });
		const api = nock(API, { reqheaders: { authorization: `Bearer ${API_KEY}` } })
			.get('/v2/webhooks')
			.query({ limit: 250 })
			.reply(200, firstPage())
			.get('/v2/webhooks')
			.query({ limit: 250, from: 'wh_8KhHNOSdpL' })
			.reply(200, lastPage())
			.post('/v2/webhooks', { name: 'n8n payment events trigger', url, eventTypes: 'payment-link.paid' })
			.reply(201, fixtureJson('mollie/webhook.create.json'));
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'hook_tNP6fpF9fLJpFWziRcgiH', secret: 'secret' });
		expect((await node.deliver({ body: nextGen, headers: sign(nextGen, 'secret') })).started).toBe(true);
	});

	it('finds the webhook registered for its URL instead of creating another', async () => {
		const node = trigger(undefined, {}, 'https://example.com/webhook2');
		const api = nock(API).get('/v2/webhooks').query({ limit: 250 }).reply(200, firstPage());
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'wh_8KhHNOSdpL' });
	});

	it('replaces a webhook for its URL whose secret it never saw', async () => {
		const node = trigger({ apiKey: API_KEY }, {}, 'https://example.com/webhook2');
		const api = nock(API)
			.get('/v2/webhooks')
			.query({ limit: 250 })
			.reply(200, firstPage())
			.delete('/v2/webhooks/wh_8KhHNOSdpL')
			.reply(204)
			.post('/v2/webhooks')
			.reply(201, fixtureJson('mollie/webhook.create.json'));
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'hook_tNP6fpF9fLJpFWziRcgiH', secret: 'secret' });
	});

	it('registers nothing when only classic payment events are selected (those are set per payment)', async () => {
		const node = trigger({ apiKey: API_KEY }, { providerEvents: ['payment.paid'] });
		const api = nock(API).get('/v2/webhooks').query({ limit: 250 }).reply(200, lastPage());
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(await node.unpublish()).toBe(true);
		expect(node.requests.map((request) => request.method)).toEqual(['GET']);
	});

	it('removes the webhook on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger({ apiKey: API_KEY });
		Object.assign(node.staticData, { subscriptionId: 'hook_tNP6fpF9fLJpFWziRcgiH', secret: 'secret' });
		nock(API).delete('/v2/webhooks/hook_tNP6fpF9fLJpFWziRcgiH').reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'wh_gone', secret: 'secret' });
		nock(API).delete('/v2/webhooks/wh_gone').reply(404);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});
});
