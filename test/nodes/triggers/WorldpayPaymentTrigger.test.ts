import { createHmac } from 'node:crypto';

import { PaymentEventsWorldpayApi } from '../../../credentials/PaymentEventsWorldpayApi.credentials';
import { WorldpayPaymentTrigger } from '../../../nodes/WorldpayPaymentTrigger/WorldpayPaymentTrigger.node';
import { fixtureBytes } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Worldpay publishes no SDK or vectors for the Event-Signature header: deliveries are signed as its docs state it,
// `{keyId}/SHA256/{hex HMAC-SHA256 of the body with the shared secret}` (https://docs.worldpay.com/access/products/events/signature).
const SECRET = 'worldpay-shared-secret';
// test/fixtures/worldpay: the examples of Worldpay's events webhook reference (see SOURCES.md there).
const settled = fixtureBytes('worldpay/settled.json');
const refunded = fixtureBytes('worldpay/refunded.json');

function hmacOf(body: Buffer, secret = SECRET): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

function sign(body: Buffer, secret = SECRET, keyId = 1) {
	return { 'Event-Signature': `${keyId}/SHA256/${hmacOf(body, secret)}` };
}

function trigger(credentials: Record<string, string> = { webhookSecret: SECRET }, parameters = {}) {
	return triggerHarness(WorldpayPaymentTrigger, { credential: new PaymentEventsWorldpayApi(), credentials, parameters });
}

describe('Worldpay Payment Trigger: deliveries', () => {
	it('turns a signed event into a canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: settled, headers: sign(settled) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'worldpay',
			providerEventType: 'settled',
			status: 'succeeded',
			amount: { minor: 100, value: '1.00', currency: 'EUR' },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(settled.toString('utf8')));
	});

	it('accepts a header with several signatures while Worldpay rotates its key, in any order', async () => {
		const headers = { 'Event-Signature': `2/SHA256/${hmacOf(refunded, 'the-next-secret')},1/SHA256/${hmacOf(refunded)}` };
		expect((await trigger().deliver({ body: refunded, headers })).started).toBe(true);
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(settled.toString('utf8').replace('"value": 100', '"value": 900')), headers: sign(settled) })],
		['a wrong secret', () => ({ body: settled, headers: sign(settled, 'someone-elses-secret') })],
		['no Event-Signature header', () => ({ body: settled, headers: {} })],
		['an unsupported hash function', () => ({ body: settled, headers: { 'Event-Signature': `1/SHA1/${createHmac('sha1', SECRET).update(settled).digest('hex')}` } })],
		['a bare signature without keyId', () => ({ body: settled, headers: { 'Event-Signature': hmacOf(settled) } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('acknowledges a repeat of the same signed delivery (Worldpay retrying) without running again', async () => {
		const node = trigger();
		const headers = sign(settled);
		expect((await node.deliver({ body: settled, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: settled, headers })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no shared secret, and says where it comes from', async () => {
		const node = trigger({ username: 'user' });
		expect(await node.deliver({ body: settled, headers: sign(settled) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Event Signature Shared Secret');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const result = await trigger(undefined, { events: ['refunded'] }).deliver({ body: settled, headers: sign(settled) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});
});

describe('Worldpay Payment Trigger: registration', () => {
	it('registers nothing itself and tells the user who adds the URL', async () => {
		const node = trigger();
		await node.publish();
		expect(node.staticData).toEqual({});
		const notice = node.node.description.properties.find((property) => property.name === 'notice_worldpay');
		expect(notice?.displayName).toContain('Implementation Manager');
		expect(notice?.displayName).toContain('Event-Signature');
	});

	it('refuses to publish without the shared secret', async () => {
		await expect(trigger({ username: 'user' }).publish()).rejects.toThrow('no Event Signature Shared Secret');
	});
});
