import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsBusinessCentralOAuth2Api } from '../../../credentials/PaymentEventsBusinessCentralOAuth2Api.credentials';
import { BusinessCentralPaymentTrigger } from '../../../nodes/BusinessCentralPaymentTrigger/BusinessCentralPaymentTrigger.node';
import { renewSubscription, renewalScheduled } from '../../../nodes/providers/businesscentral';
import type { ApiRequest, WebhookTools } from '../../../nodes/providers/types';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// test/fixtures/businesscentral (SOURCES.md): Microsoft Learn's webhook notification sample, salesInvoice, company and
// subscription examples, and an @odata.etag of the API v2.0 reference.
type Json = Record<string, unknown>;
const HOST = 'https://api.businesscentral.dynamics.com';
const BASE = '/v2.0/contoso.onmicrosoft.com/production';
const URL_ = 'https://n8n.example.com/webhook/2c0f6b0e-payment/webhook';
const ETAG = 'W/"JzQ0OzZXc0ZDVjlUYjBOTDNOYmMvbjdTSTNpRWlhVjVXbmRBUzltakJOYmFlTU09MTswMDsn"';
const SAMPLE_STATE = 'someClientState';
const notification = fixtureBytes('businesscentral/webhook_notification.json');
const company = () => fixtureJson('businesscentral/company_get_response.json');
const oauth = { oauthTokenData: { access_token: 'bc_access_token' }, tenantId: 'contoso.onmicrosoft.com', bcEnvironment: 'production' };
const inThreeDays = () => new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();

/** The documented subscription, as Business Central returns it for this node's URL. */
function subscription(fields: Json = {}): Json {
	return { ...fixtureJson('businesscentral/subscription_response.json'), notificationUrl: URL_, expirationDateTime: inThreeDays(), ...fields };
}

/** The documented notification with every clientState set to the one the node holds. */
function notificationWith(clientState: string): Buffer {
	return Buffer.from(notification.toString('utf8').split(`"${SAMPLE_STATE}"`).join(JSON.stringify(clientState)));
}

function trigger(credentials: IDataObject = { ...oauth, webhookSecret: SAMPLE_STATE }, parameters: IDataObject = {}) {
	return triggerHarness(BusinessCentralPaymentTrigger, {
		credential: new PaymentEventsBusinessCentralOAuth2Api(),
		credentials,
		parameters,
		webhookUrl: URL_,
	});
}

const fetchCollection = () =>
	nock(HOST, { reqheaders: { authorization: 'Bearer bc_access_token' } })
		.get(`${BASE}/api/v2.0/companies(7dbba574-5f69-4167-a43e-fb975045de15)/salesInvoices`)
		.query({ $filter: 'lastDateTimeModified gt 2018-10-15T11:00:00Z' })
		.reply(200, { value: [fixtureJson('businesscentral/salesInvoice_get_response.json')] });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Business Central Payment Trigger: notifications', () => {
	it('accepts the documented notification batch with the clientState and emits the fetched paid invoice', async () => {
		const api = fetchCollection();
		const result = await trigger().deliver({ body: notification, headers: { 'Content-Type': 'application/json' } });
		expect(api.isDone()).toBe(true);
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			provider: 'businesscentral',
			providerEventType: 'salesInvoices.collection',
			kind: 'invoice',
			status: 'succeeded',
		});
	});

	it.each([
		['a wrong clientState', () => notificationWith('anotherSubscriptionsState')],
		['one notification of the batch with another clientState', () => Buffer.from(notification.toString('utf8').replace(`"${SAMPLE_STATE}"`, '"someClientStatf"'))],
		['a notification without clientState', () => Buffer.from(notification.toString('utf8').replace(`"clientState": "${SAMPLE_STATE}",`, ''))],
		['an empty batch', () => Buffer.from('{"value":[]}')],
		['a body that is not JSON', () => Buffer.from('clientState=someClientState')],
	])('answers %s with 401 and starts nothing', async (_case, body) => {
		const node = trigger();
		expect(await node.deliver({ body: body() })).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SAMPLE_STATE);
	});

	it('acknowledges a repeat of the same notification (Business Central retrying) without running again', async () => {
		fetchCollection();
		const node = trigger();
		expect((await node.deliver({ body: notification })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: notification })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses notifications while no clientState is known', async () => {
		const node = trigger({ ...oauth });
		expect(await node.deliver({ body: notification })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Client State');
	});
});

describe('Business Central Payment Trigger: validation handshake', () => {
	it('echoes the validationToken as plain text with 200, without an execution', async () => {
		const result = await trigger({ ...oauth }).deliver({ body: '', query: { validationToken: 'ba3dc5e7-9b3f-4d4c-8c1b-3cbbd0a5f1f2' } });
		expect(result).toEqual({ status: 200, body: 'ba3dc5e7-9b3f-4d4c-8c1b-3cbbd0a5f1f2', started: false, items: [] });
	});

	it('echoes opaque tokens with spaces, but never markup', async () => {
		const spaced = 'Validation: Testing client application reachability for subscription';
		expect((await trigger().deliver({ body: '', query: { validationToken: spaced } })).body).toBe(spaced);
		const result = await trigger().deliver({ body: '', query: { validationToken: '<script>alert(1)</script>' } });
		expect(result).toMatchObject({ status: 400, started: false });
	});
});

describe('Business Central Payment Trigger: subscriptions', () => {
	const api = () => nock(HOST, { reqheaders: { authorization: 'Bearer bc_access_token' } });

	it('subscribes each company to salesInvoices with a fresh clientState, answering the handshake, and verifies with it', async () => {
		const node = trigger({ ...oauth });
		let posted: Json = {};
		let echoed: unknown;
		const scope = api()
			.get(`${BASE}/api/v2.0/subscriptions`)
			.reply(200, { value: [] })
			.get(`${BASE}/api/v2.0/companies`)
			.reply(200, { value: [company()] })
			.post(`${BASE}/api/v2.0/subscriptions`, (body: Json) => {
				posted = body;
				return true;
			})
			.reply(async () => {
				// Business Central validates the URL before it answers the POST.
				echoed = (await node.deliver({ body: '', query: { validationToken: 'token-1' } })).body;
				return [201, subscription({ resource: posted.resource, clientState: posted.clientState })];
			});
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(echoed).toBe('token-1');
		expect(posted).toMatchObject({ notificationUrl: URL_, resource: '/api/v2.0/companies(824820a2-508c-ed11-aada-000d3a298ab3)/salesInvoices' });
		expect(String(posted.clientState)).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(node.staticData).toEqual({ subscriptionId: 'c670ea73cacb459bb51dc1740da2f1db', secret: posted.clientState });
		expect(renewalScheduled('c670ea73cacb459bb51dc1740da2f1db')).toBe(true);

		fetchCollection();
		expect((await node.deliver({ body: notificationWith(String(posted.clientState)) })).started).toBe(true);
		expect((await node.deliver({ body: notificationWith(SAMPLE_STATE) })).status).toBe(401);

		api().get(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`).reply(200, subscription()).delete(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`).reply(204);
		await node.unpublish();
		expect(renewalScheduled('c670ea73cacb459bb51dc1740da2f1db')).toBe(false);
	});

	it('finds its live subscription on a later page and keeps its clientState', async () => {
		const node = trigger({ ...oauth });
		const scope = api()
			.get(`${BASE}/api/v2.0/subscriptions`)
			.reply(200, {
				value: [subscription({ subscriptionId: 'other', notificationUrl: 'https://elsewhere.example.com/hook' })],
				'@odata.nextLink': `${HOST}${BASE}/api/v2.0/subscriptions?$skiptoken=page2`,
			})
			.get(`${BASE}/api/v2.0/subscriptions`)
			.query({ $skiptoken: 'page2' })
			.reply(200, { value: [subscription({ resource: '/api/v2.0/companies(824820a2-508c-ed11-aada-000d3a298ab3)/salesInvoices' })] });
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({ subscriptionId: 'c670ea73cacb459bb51dc1740da2f1db', secret: 'optionalvalueof2048' });
		await node.unpublish().catch(() => undefined);
	});

	it('ignores an expired subscription and one without clientState is replaced', async () => {
		const node = trigger({ ...oauth });
		const resource = '/api/v2.0/companies(824820a2-508c-ed11-aada-000d3a298ab3)/salesInvoices';
		const scope = api()
			.get(`${BASE}/api/v2.0/subscriptions`)
			.reply(200, {
				value: [
					subscription({ subscriptionId: 'expired', resource, expirationDateTime: '2021-10-15T12:32:35Z' }),
					subscription({ subscriptionId: 'stateless', resource, clientState: '' }),
				],
			})
			.get(`${BASE}/api/v2.0/subscriptions('stateless')`)
			.reply(200, { ...subscription({ subscriptionId: 'stateless', resource }), '@odata.etag': ETAG })
			.delete(`${BASE}/api/v2.0/subscriptions('stateless')`)
			.matchHeader('if-match', ETAG)
			.reply(204)
			.get(`${BASE}/api/v2.0/companies`)
			.reply(200, { value: [company()] })
			.post(`${BASE}/api/v2.0/subscriptions`)
			.reply(201, (_uri, body) => subscription({ subscriptionId: 'fresh', resource, clientState: (body as Json).clientState }));
		await node.publish();
		expect(scope.isDone()).toBe(true);
		expect(node.staticData.subscriptionId).toBe('fresh');
		expect(renewalScheduled('stateless')).toBe(false);
		api().get(`${BASE}/api/v2.0/subscriptions('fresh')`).reply(404, {});
		await node.unpublish();
	});

	it('removes its subscriptions on unpublish with their etag, also when one was removed by hand', async () => {
		const node = trigger({ ...oauth });
		Object.assign(node.staticData, { subscriptionId: 'c670ea73cacb459bb51dc1740da2f1db,gone', secret: 'optionalvalueof2048' });
		const scope = api()
			.get(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`)
			.reply(200, { ...subscription(), '@odata.etag': ETAG })
			.delete(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`)
			.matchHeader('if-match', ETAG)
			.reply(204)
			.get(`${BASE}/api/v2.0/subscriptions('gone')`)
			.reply(404, { error: { code: 'BadRequest_ResourceNotFound', message: 'Resource not found' } });
		expect(await node.unpublish()).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(node.staticData).toEqual({});
	});
});

describe('Business Central subscription renewal', () => {
	it('PATCHes the subscription with its etag and current fields, and returns the new expiry', async () => {
		const renewed = inThreeDays();
		let patched: unknown;
		const scope = nock(HOST)
			.get(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`)
			.reply(200, { ...subscription(), '@odata.etag': ETAG })
			.patch(`${BASE}/api/v2.0/subscriptions('c670ea73cacb459bb51dc1740da2f1db')`, (body) => {
				patched = body;
				return true;
			})
			.matchHeader('if-match', ETAG)
			.reply(200, subscription({ expirationDateTime: renewed }));
		const tools: WebhookTools = {
			now: new Date(),
			credentials: {},
			switches: {},
			fetchText: async () => '',
			callApi: async (request: ApiRequest) => {
				const url = new URL(`${HOST}${BASE}${request.path}`);
				const response = await fetch(url, {
					method: request.method,
					headers: { 'content-type': 'application/json', ...request.headers },
					body: request.body === undefined ? undefined : JSON.stringify(request.body),
				});
				return await response.json();
			},
		};
		expect(await renewSubscription(tools, 'c670ea73cacb459bb51dc1740da2f1db')).toBe(renewed);
		expect(scope.isDone()).toBe(true);
		expect(patched).toEqual({ notificationUrl: URL_, resource: '/api/v1.0/companies(f64eba74-dacd-4854-a584-1834f68cfc3a)/customers', clientState: 'optionalvalueof2048' });
	});
});
