import { createHmac } from 'node:crypto';

import Razorpay from 'razorpay';

import { PaymentEventsRazorpayApi } from '../../../credentials/PaymentEventsRazorpayApi.credentials';
import { RazorpayPaymentTrigger } from '../../../nodes/RazorpayPaymentTrigger/RazorpayPaymentTrigger.node';
import { razorpay } from '../../../nodes/providers/razorpay';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The documented scheme, hex(HMAC-SHA256(webhook secret, raw body)) (https://razorpay.com/docs/webhooks/validate-test/);
// each signature is checked with the official SDK's validateWebhookSignature before it is delivered.
const SECRET = 'razorpay-webhook-secret-for-tests';
// test/fixtures/razorpay: the sample payloads of Razorpay's webhook documentation (SOURCES.md).
const captured = fixtureBytes('razorpay/payment.captured.card.json');
const refunded = fixtureBytes('razorpay/refund.processed.json');

function sign(payload: Buffer, secret = SECRET, eventId?: string): Record<string, string> {
	const signature = createHmac('sha256', secret).update(payload).digest('hex');
	expect(Razorpay.validateWebhookSignature(payload.toString('utf8'), signature, secret)).toBe(true);
	return { 'X-Razorpay-Signature': signature, ...(eventId ? { 'X-Razorpay-Event-Id': eventId } : {}) };
}

/** The delivery with the amount changed from 100 to 900 paise: same length, still valid JSON. */
function tampered(payload: Buffer): Buffer {
	const changed = Buffer.from(payload.toString('utf8').replace('"amount": 100,', '"amount": 900,'));
	expect(changed.equals(payload)).toBe(false);
	return changed;
}

const KEYS = { accessKeyId: 'rzp_test_key', keySecret: 'key-secret' };

function trigger(credentials: Record<string, string> = { ...KEYS, webhookSecret: SECRET }, parameters = {}) {
	return triggerHarness(RazorpayPaymentTrigger, { credential: new PaymentEventsRazorpayApi(), credentials, parameters });
}

const tools = { now: new Date(), credentials: {}, switches: {}, callApi: async () => undefined, fetchText: async () => '' };

describe('Razorpay Payment Trigger: signature', () => {
	// shared/fixtures/test-vectors/razorpay_signature_vectors.json ← razorpay-node test/utils/razorpay-utils.spec.js
	const vectors = fixtureJson<{ vectors: Array<{ secret: string; raw_body: string; expected_signature: string }> }>(
		'test-vectors/razorpay_signature_vectors.json',
	).vectors;

	it.each(vectors)('accepts the SDK test vector and refuses it for other bytes', (vector) => {
		const delivery = (body: string, signature = vector.expected_signature) => ({
			rawBody: Buffer.from(body),
			headers: { 'x-razorpay-signature': signature },
			query: {},
			url: 'https://n8n.example.com/webhook',
		});
		const verify = (request: ReturnType<typeof delivery>, secret = vector.secret) =>
			razorpay.webhook!.verify(request, { webhookSecret: secret }, tools);
		expect(verify(delivery(vector.raw_body))).toEqual({ ok: true });
		expect(verify(delivery(vector.raw_body, vector.expected_signature.toUpperCase()))).toEqual({ ok: true });
		expect(verify(delivery(`${vector.raw_body} `))).toMatchObject({ ok: false });
		expect(verify(delivery(vector.raw_body), `${vector.secret}7`)).toMatchObject({ ok: false });
	});
});

describe('Razorpay Payment Trigger: deliveries', () => {
	it('turns a signed payment.captured into one Paid event with the raw payload', async () => {
		const result = await trigger().deliver({ body: captured, headers: sign(captured) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'razorpay',
			providerEventType: 'payment.captured',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 100, value: '1.00', currency: 'INR', exponent: 2 },
			payment: { id: 'pay_DESp9bgForNoUd', method: 'card', last4: '0153' },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(captured.toString('utf8')));
	});

	it('takes the event id from X-Razorpay-Event-Id when Razorpay sends it', async () => {
		const result = await trigger().deliver({ body: refunded, headers: sign(refunded, SECRET, 'rzp-event-1') });
		expect(result.items.map((event) => [event.id, event.kind, event.status])).toEqual([
			['razorpay:rzp-event-1', 'refund', 'partially_refunded'],
		]);
	});

	it.each([
		['a tampered body', () => ({ body: tampered(captured), headers: sign(captured) })],
		['a wrong secret', () => ({ body: captured, headers: sign(captured, 'someone-elses-secret') })],
		['no signature header', () => ({ body: captured, headers: {} })],
		['an empty signature', () => ({ body: captured, headers: { 'X-Razorpay-Signature': '' } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('acknowledges a repeat of the same signed delivery (Razorpay retrying) without running again, whatever X-Razorpay-Event-Id says', async () => {
		const node = trigger();
		const headers = sign(captured, SECRET, 'rzp-event-2');
		expect((await node.deliver({ body: captured, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: captured, headers })).toMatchObject({ status: 200, started: false, body: '' });
		const otherId = sign(captured, SECRET, 'rzp-event-3');
		expect(await node.deliver({ body: captured, headers: otherId })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no webhook secret, and says where it comes from', async () => {
		const node = trigger(KEYS);
		expect(await node.deliver({ body: captured, headers: sign(captured) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Secret');
		expect(node.warnings[0]).toContain('Paste it into the credential');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const result = await trigger(undefined, { events: ['refunded'] }).deliver({ body: captured, headers: sign(captured) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});
});

describe('Razorpay Payment Trigger: registration', () => {
	it('registers nothing (the URL is added in the Dashboard) and says where', async () => {
		const node = trigger();
		await node.publish();
		expect(node.requests).toEqual([]);
		expect(await node.unpublish()).toBe(true);
		const notice = node.node.description.properties.find((property) => property.name === 'notice_razorpay');
		expect(notice?.displayName).toContain('Accounts & Settings → Webhooks');
	});

	it('refuses to publish without the webhook secret', async () => {
		await expect(trigger(KEYS).publish()).rejects.toThrow('no Webhook Secret');
	});
});
