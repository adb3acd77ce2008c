import { createHmac } from 'node:crypto';

import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsAuthorizeNetApi } from '../../../credentials/PaymentEventsAuthorizeNetApi.credentials';
import { AuthorizeNetPaymentTrigger } from '../../../nodes/AuthorizeNetPaymentTrigger/AuthorizeNetPaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// No official Authorize.Net SDK is a dev dependency and none publishes vectors: deliveries are signed as the Webhooks
// guide states it, `sha512=` + upper-case hex HMAC-SHA512 of the body with the Signature Key
// (https://developer.authorize.net/api/reference/features/webhooks.html).
const KEY = '5B6A7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4';
const API = 'https://api.authorize.net';
// test/fixtures/authorizenet: the Webhooks guide's sample notifications and a getTransactionDetails response (SOURCES.md).
const authCapture = fixtureBytes('authorizenet/net.authorize.payment.authcapture.created.json');
const customerCreated = fixtureBytes('authorizenet/net.authorize.customer.created.json');

function sign(body: Buffer, key = KEY) {
	return { 'X-ANET-Signature': `sha512=${createHmac('sha512', key).update(body).digest('hex').toUpperCase()}` };
}

/** The documented getTransactionDetails response, for the transaction the sample notification names. */
function transactionDetails() {
	const response = fixtureJson<{ transaction: Record<string, unknown> }>('authorizenet/getTransactionDetails.response.json');
	response.transaction.transId = '60020981676';
	return response;
}

const CREDENTIALS = { apiLoginId: 'login_id', transactionKey: 'txn_key', webhookSecret: KEY };

function trigger(credentials: Record<string, string> = CREDENTIALS, parameters: IDataObject = { options: { accountCurrency: 'USD' } }) {
	return triggerHarness(AuthorizeNetPaymentTrigger, { credential: new PaymentEventsAuthorizeNetApi(), credentials, parameters });
}

afterEach(() => nock.cleanAll());

describe('Authorize.Net Payment Trigger: deliveries', () => {
	it('verifies a notification, fetches its transaction and emits the canonical event', async () => {
		const api = nock(API)
			.post('/xml/v1/request.api', { getTransactionDetailsRequest: { transId: '60020981676' } })
			.reply(200, transactionDetails());
		const result = await trigger().deliver({ body: authCapture, headers: sign(authCapture) });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'authorizenet',
			providerEventType: 'net.authorize.payment.authcapture.created',
			status: 'succeeded',
			amount: { currency: 'USD' },
		});
		expect(result.items[0].raw).toEqual(JSON.parse(authCapture.toString('utf8')));
	});

	it('accepts the signature in lower-case hex too', async () => {
		nock(API).post('/xml/v1/request.api').reply(200, transactionDetails());
		const headers = { 'X-ANET-Signature': sign(authCapture)['X-ANET-Signature'].toLowerCase() };
		expect((await trigger().deliver({ body: authCapture, headers })).started).toBe(true);
	});

	it('answers a verified customer notification 200 without fetching anything or starting', async () => {
		const result = await trigger().deliver({ body: customerCreated, headers: sign(customerCreated) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(authCapture.toString('utf8').replace('45.00', '95.00')), headers: sign(authCapture) })],
		['a wrong Signature Key', () => ({ body: authCapture, headers: sign(authCapture, KEY.replace('5B6A', '0000')) })],
		['no X-ANET-Signature header', () => ({ body: authCapture, headers: {} })],
		['a signature without sha512=', () => ({ body: authCapture, headers: { 'X-ANET-Signature': sign(authCapture)['X-ANET-Signature'].slice('sha512='.length) } })],
	])('answers %s with 401, starts nothing and fetches nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.requests).toHaveLength(0);
		expect(node.warnings.join('\n')).not.toContain(KEY);
	});

	it('acknowledges a repeat of the same signed delivery (Authorize.Net retrying) without running again', async () => {
		nock(API).post('/xml/v1/request.api').reply(200, transactionDetails());
		const node = trigger();
		const headers = sign(authCapture);
		expect((await node.deliver({ body: authCapture, headers })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: authCapture, headers })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses every delivery while the credential has no Signature Key', async () => {
		const node = trigger({ apiLoginId: 'login_id', transactionKey: 'txn_key' });
		expect(await node.deliver({ body: authCapture, headers: sign(authCapture) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Signature Key');
		expect(node.warnings[0]).toContain('Paste it into the credential');
	});
});

describe('Authorize.Net Payment Trigger: webhook registration (Webhooks REST API)', () => {
	const url = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
	const list = fixtureJson<Array<Record<string, unknown>>>('authorizenet/webhooks.list.json');
	const created = fixtureJson<{ webhookId: string }>('authorizenet/webhooks.create.json');

	it('creates an active webhook for the selected events on publish', async () => {
		const node = trigger(CREDENTIALS, { providerEvents: ['net.authorize.payment.authcapture.created', 'net.authorize.payment.refund.created'] });
		const api = nock(API)
			.get('/rest/v1/webhooks')
			.reply(200, list)
			.post('/rest/v1/webhooks', {
				name: 'n8n payment events trigger',
				url,
				eventTypes: ['net.authorize.payment.authcapture.created', 'net.authorize.payment.refund.created'],
				status: 'active',
			})
			.reply(200, { ...created, url });
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: created.webhookId });
	});

	it('subscribes to every payment event it knows when none is selected', async () => {
		const node = trigger();
		const api = nock(API)
			.get('/rest/v1/webhooks')
			.reply(200, [])
			.post('/rest/v1/webhooks', (body: { eventTypes: string[] }) => body.eventTypes.length === 9 && body.eventTypes.every((type) => type.startsWith('net.authorize.payment.')))
			.reply(200, { ...created, url });
		await node.publish();
		expect(api.isDone()).toBe(true);
	});

	it('finds its webhook instead of creating another', async () => {
		const node = trigger();
		const api = nock(API).get('/rest/v1/webhooks').reply(200, [...list, { ...list[2], webhookId: 'mine', url }]);
		await node.publish();
		expect(api.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'mine' });
	});

	it('removes the webhook on unpublish, also when it was already deleted by hand', async () => {
		const node = trigger();
		Object.assign(node.staticData, { subscriptionId: created.webhookId });
		nock(API).delete(`/rest/v1/webhooks/${created.webhookId}`).reply(200);
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});

		Object.assign(node.staticData, { subscriptionId: 'gone' });
		nock(API).delete('/rest/v1/webhooks/gone').reply(404, { status: 404, reason: 'Not Found' });
		expect(await node.unpublish()).toBe(true);
		expect(node.staticData).toEqual({});
	});

	it('refuses to publish without a Signature Key (the API cannot issue one), before registering anything', async () => {
		const node = trigger({ apiLoginId: 'login_id', transactionKey: 'txn_key' });
		await expect(node.publish()).rejects.toThrow('the credential has no Signature Key');
		expect(node.requests).toEqual([]);
		expect(node.staticData).toEqual({});
		expect(await node.deliver({ body: authCapture, headers: sign(authCapture) })).toMatchObject({ status: 401, started: false });
	});
});

describe('Authorize.Net credential', () => {
	const credential = new PaymentEventsAuthorizeNetApi();

	it('authenticates the Webhooks REST API with HTTP basic authentication (API login ID : transaction key)', async () => {
		const options = await credential.authenticate(CREDENTIALS, { url: `${API}/rest/v1/webhooks`, method: 'GET' });
		expect(options.headers).toEqual({ Authorization: `Basic ${Buffer.from('login_id:txn_key').toString('base64')}` });
		expect(options.body).toBeUndefined();
	});

	it('still puts merchantAuthentication first in JSON API requests', async () => {
		const options = await credential.authenticate(CREDENTIALS, {
			url: `${API}/xml/v1/request.api`,
			method: 'POST',
			body: { getTransactionDetailsRequest: { transId: '1' } },
		});
		expect(JSON.stringify(options.body)).toBe(
			JSON.stringify({ getTransactionDetailsRequest: { merchantAuthentication: { name: 'login_id', transactionKey: 'txn_key' }, transId: '1' } }),
		);
		expect(options.headers?.Authorization).toBeUndefined();
	});
});
