import { hmacValidator as HmacValidator } from '@adyen/api-library';
import nock from 'nock';

import { PaymentEventsAdyenApi } from '../../../credentials/PaymentEventsAdyenApi.credentials';
import { AdyenPaymentTrigger } from '../../../nodes/AdyenPaymentTrigger/AdyenPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// The official SDK's HmacValidator signs the deliveries (it is Adyen's reference implementation of the scheme).
const validator = new HmacValidator();
const KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OTHER_KEY = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';
const API = 'https://management-test.adyen.com';
const BASE = '/v3/merchants/TestMerchant';

type Notification = { live: string; notificationItems: Array<{ NotificationRequestItem: Record<string, unknown> }> };

/** A sample of Adyen's (shared/fixtures/adyen, see PROVENANCE.md) with every item re-signed by the SDK. */
function signed(file: string, key = KEY): Notification {
	const body = fixtureJson<Notification>(file);
	for (const { NotificationRequestItem: item } of body.notificationItems) {
		const additionalData = (item.additionalData ?? {}) as Record<string, string>;
		additionalData.hmacSignature = validator.calculateHmac(item as never, key);
		item.additionalData = additionalData;
	}
	return body;
}

function bytes(body: unknown): Buffer {
	return Buffer.from(JSON.stringify(body));
}

function trigger(credentials: Record<string, string> = { apiKey: 'AQE_test_key', merchantAccount: 'TestMerchant', environment: 'test', webhookSecret: KEY }, parameters = {}) {
	return triggerHarness(AdyenPaymentTrigger, { credential: new PaymentEventsAdyenApi(), credentials, parameters });
}

afterEach(() => nock.cleanAll());

describe('Adyen Payment Trigger: deliveries', () => {
	it('turns a signed notification into a canonical event with the raw delivery', async () => {
		const body = signed('adyen/authorisationTrue.json');
		const result = await trigger().deliver({ body: bytes(body) });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'adyen',
			providerEventType: 'AUTHORISATION',
			status: 'succeeded',
			amount: { minor: 10100, value: '101.00', currency: 'EUR' },
			payment: { last4: '7777' },
		});
		expect(result.items[0].raw).toEqual(body);
	});

	it("accepts Adyen's own signed samples, with ':' and '\\' in the signed fields (published vectors)", async () => {
		for (const file of ['hmac_colon_webhook.json', 'hmac_backslash_webhook.json', 'hmac_forwardslash_webhook.json', 'hmac_mixed_webhook.json']) {
			// The ruby library's samples are single items, signed with its test key; Adyen posts them in this envelope.
			const item = fixtureJson(`adyen/${file}`);
			const body = bytes({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });
			const node = trigger({ apiKey: 'k', merchantAccount: 'AntoniStroinski', webhookSecret: '74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174' });
			expect(await node.deliver({ body })).toMatchObject({ status: 200, started: true });
		}
	});

	it('verifies every item of a batch, and refuses the batch when one item does not match', async () => {
		const first = signed('adyen/authorisationTrue.json');
		const second = signed('adyen/refundTrue.json');
		const batch = { live: 'false', notificationItems: [...first.notificationItems, ...second.notificationItems] };
		const accepted = await trigger().deliver({ body: bytes(batch) });
		expect(accepted.started).toBe(true);
		expect(accepted.items.map((event) => event.providerEventType)).toEqual(['AUTHORISATION', 'REFUND']);

		const forged = { live: 'false', notificationItems: [...first.notificationItems, ...signed('adyen/refundTrue.json', OTHER_KEY).notificationItems] };
		expect(await trigger().deliver({ body: bytes(forged) })).toMatchObject({ status: 401, started: false, items: [] });
	});

	it.each([
		['a tampered amount', () => {
			const body = signed('adyen/authorisationTrue.json');
			(body.notificationItems[0].NotificationRequestItem.amount as { value: number }).value = 1;
			return body;
		}],
		['a wrong key', () => signed('adyen/authorisationTrue.json', OTHER_KEY)],
		['no hmacSignature', () => {
			const body = signed('adyen/authorisationTrue.json');
			delete (body.notificationItems[0].NotificationRequestItem.additionalData as Record<string, string>).hmacSignature;
			return body;
		}],
		['an empty batch', () => ({ live: 'false', notificationItems: [] })],
	])('answers %s with 401 and starts nothing', async (_case, body) => {
		const node = trigger();
		expect(await node.deliver({ body: bytes(body()) })).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(KEY);
	});

	it('acknowledges a repeat of the same signed notification (Adyen retrying) without running again', async () => {
		const node = trigger();
		const body = bytes(signed('adyen/captureTrue.json'));
		expect((await node.deliver({ body })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body })).toMatchObject({ status: 200, started: false, body: '[accepted]' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('checks basic authentication as well when the credential sets it', async () => {
		const credentials = { apiKey: 'k', merchantAccount: 'TestMerchant', webhookSecret: KEY, basicAuthUser: 'adyen', basicAuthPassword: 'pa55' };
		const body = bytes(signed('adyen/authorisationTrue.json'));
		const good = `Basic ${Buffer.from('adyen:pa55').toString('base64')}`;
		expect((await trigger(credentials).deliver({ body, headers: { Authorization: good } })).started).toBe(true);
		const bad = `Basic ${Buffer.from('adyen:wrong').toString('base64')}`;
		expect(await trigger(credentials).deliver({ body, headers: { Authorization: bad } })).toMatchObject({ status: 401, started: false });
		expect(await trigger(credentials).deliver({ body })).toMatchObject({ status: 401, started: false });
	});

	it('verifies Balance Platform webhooks on the raw body (HmacSignature header, published vector) and answers them 200 without an execution', async () => {
		const body = fixtureBytes('adyen/accountHolderCreated.json');
		const credentials = { apiKey: 'k', merchantAccount: 'TestMerchant', webhookSecret: '11223344D785FBAE710E7F943F307971BB61B21281C98C9129B3D4018A57B2EB' };
		const accepted = await trigger(credentials).deliver({ body, headers: { HmacSignature: 'UVBzHbDayhfT1XgaRGAkuKvxwoxrLoVCBdfi3WZU8lI=' } });
		expect(accepted).toMatchObject({ status: 200, started: false, body: '[accepted]' });
		const forged = await trigger(credentials).deliver({ body, headers: { HmacSignature: 'ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc=' } });
		expect(forged).toMatchObject({ status: 401, started: false });
	});

	it('refuses deliveries while no HMAC key is known, and a key that is not hexadecimal', async () => {
		const body = bytes(signed('adyen/authorisationTrue.json'));
		const none = trigger({ apiKey: 'k', merchantAccount: 'TestMerchant' });
		expect(await none.deliver({ body })).toMatchObject({ status: 401, started: false });
		expect(none.warnings[0]).toContain('no HMAC Key');
		const notHex = trigger({ apiKey: 'k', merchantAccount: 'TestMerchant', webhookSecret: 'not-a-hex-key' });
		expect(await notHex.deliver({ body })).toMatchObject({ status: 401, started: false });
		expect(notHex.warnings[0]).toContain('not hexadecimal');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const result = await trigger(undefined, { events: ['refunded'] }).deliver({ body: bytes(signed('adyen/authorisationTrue.json')) });
		expect(result).toMatchObject({ status: 200, started: false, body: '[accepted]' });
	});
});

describe('Adyen Payment Trigger: webhook registration (Management API, merchant level)', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const list = fixtureJson<{ data: Array<{ id: string; url: string }> }>('adyen/management.list-webhooks.json');
	const created = fixtureJson('adyen/management.create-webhook.json');
	const generated = fixtureJson<{ hmacKey: string }>('adyen/management.generate-hmac.json');

	it('creates a standard JSON webhook on publish, generates its HMAC key, keeps it, and verifies with it', async () => {
		const node = trigger({ apiKey: 'AQE_test_key', merchantAccount: 'TestMerchant', environment: 'test' });
		const api = nock(API, { reqheaders: { 'x-api-key': 'AQE_test_key' } })
			.get(`${BASE}/webhooks`)
			.query({ pageNumber: 1, pageSize: 100 })
			.reply(200, list)
			.post(`${BASE}/webhooks`, { type: 'standard', url, active: true, communicationFormat: 'json', description: 'n8n payment events trigger' })
			.reply(200, { ...created, url })
			.post(`${BASE}/webhooks/S2-31433949437F/generateHmac`)
			.reply(200, generated);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'S2-31433949437F', secret: generated.hmacKey });
		const body = bytes(signed('adyen/authorisationTrue.json', generated.hmacKey));
		expect((await node.deliver({ body })).started).toBe(true);
	});

	it('finds its webhook on a later page instead of creating another', async () => {
		const node = trigger();
		const api = nock(API)
			.get(`${BASE}/webhooks`)
			.query({ pageNumber: 1, pageSize: 100 })
			.reply(200, { ...list, pagesTotal: 2 })
			.get(`${BASE}/webhooks`)
			.query({ pageNumber: 2, pageSize: 100 })
			.reply(200, { ...list, pagesTotal: 2, data: [{ ...list.data[0], url }] });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'S2-3E5E42476641' });
	});

	it('removes a half-made webhook when Adyen does not generate its key', async () => {
		const node = trigger({ apiKey: 'AQE_test_key', merchantAccount: 'TestMerchant' });
		const api = nock(API)
			.get(`${BASE}/webhooks`)
			.query(true)
			.reply(200, list)
			.post(`${BASE}/webhooks`)
			.reply(200, { ...created, url })
			.post(`${BASE}/webhooks/S2-31433949437F/generateHmac`)
			.reply(403, { status: 403, title: 'Forbidden' })
			.delete(`${BASE}/webhooks/S2-31433949437F`)
			.reply(204);
		await expect(node.publish()).rejects.toThrow('Adyen: could not create an HMAC key for the webhook S2-31433949437F');
		expect(api.isDone()).toBe(true);
	});

	it('removes the webhook on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: 'S2-31433949437F', secret: generated.hmacKey });
		nock(API).delete(`${BASE}/webhooks/S2-31433949437F`).reply(204);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'S2-GONE' });
		nock(API).delete(`${BASE}/webhooks/S2-GONE`).reply(404, { status: 404, title: 'Not found' });
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('names the merchant account in the credential test request', () => {
		const credential = new PaymentEventsAdyenApi();
		expect(credential.test.request.baseURL).toContain('encodeURIComponent($credentials.merchantAccount)');
		expect(credential.test.request.baseURL).toContain('https://management-live.adyen.com/v3/merchants/');
	});
});
