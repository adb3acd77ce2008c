import type { IDataObject } from 'n8n-workflow';

import { PaymentEventsZohoBooksOAuth2Api } from '../../../credentials/PaymentEventsZohoBooksOAuth2Api.credentials';
import { ZohoBooksPaymentTrigger } from '../../../nodes/ZohoBooksPaymentTrigger/ZohoBooksPaymentTrigger.node';
import { fixtureBytes } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// test/fixtures/zohobooks (SOURCES.md): the customer-payment and invoice objects of the Zoho Books API docs, as a
// workflow webhook with the ${JSONString} body posts them.
const SECRET = 'zb_header_secret_7Qm2xV9pL4tR8wK1';
const payment = fixtureBytes('zohobooks/payment.webhook.json');
const invoice = fixtureBytes('zohobooks/invoice.webhook.json');
const oauth = { oauthTokenData: { access_token: 'zoho_access_token' } };
const headers = (secret = SECRET) => ({ 'X-Payment-Events-Secret': secret });

function trigger(credentials: IDataObject = { ...oauth, environment: 'eu', webhookSecret: SECRET }, parameters: IDataObject = {}) {
	return triggerHarness(ZohoBooksPaymentTrigger, { credential: new PaymentEventsZohoBooksOAuth2Api(), credentials, parameters });
}

describe('Zoho Books Payment Trigger', () => {
	it('turns a delivery with the shared header secret into the canonical event, with the raw payload', async () => {
		const result = await trigger().deliver({ body: payment, headers: headers() });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({ provider: 'zohobooks', providerEventType: 'payment', kind: 'refund', status: 'partially_refunded' });
		expect(result.items[0].raw).toEqual(JSON.parse(payment.toString('utf8')));
	});

	it('emits invoice deliveries too', async () => {
		const result = await trigger().deliver({ body: invoice, headers: headers() });
		expect(result.items.map((event) => [event.kind, event.status])).toEqual([['invoice', 'pending']]);
	});

	it.each([
		['a wrong secret', () => ({ body: payment, headers: headers('zb_header_secret_7Qm2xV9pL4tR8wK2') })],
		['a secret differing in length', () => ({ body: payment, headers: headers(`${SECRET}x`) })],
		['no secret header', () => ({ body: payment, headers: {} })],
		['the secret in another header', () => ({ body: payment, headers: { Authorization: SECRET } })],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		expect(await node.deliver(delivery())).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('acknowledges a repeat of the same signed delivery (Zoho Books retrying) without running again', async () => {
		const node = trigger();
		expect((await node.deliver({ body: invoice, headers: headers() })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body: invoice, headers: headers() })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses everything while the credential has no secret, or one too short to be safe', async () => {
		const none = trigger({ ...oauth });
		expect(await none.deliver({ body: payment, headers: headers() })).toMatchObject({ status: 401, started: false });
		expect(none.warnings[0]).toContain('no Webhook Header Secret');
		const short = trigger({ ...oauth, webhookSecret: 'abc123' });
		expect(await short.deliver({ body: payment, headers: headers('abc123') })).toMatchObject({ status: 401, started: false });
		expect(short.warnings[0]).toContain('shorter than 16 characters');
	});

	it('answers 200 without an execution for events the user did not select', async () => {
		const result = await trigger(undefined, { providerEvents: ['invoice'] }).deliver({ body: payment, headers: headers() });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});

	it('tells the user where to register the webhook, since the node cannot', () => {
		const notice = new ZohoBooksPaymentTrigger().description.properties.find((property) => property.name === 'notice_zohobooks');
		expect(notice?.displayName).toContain('Settings → Workflow Actions → Webhooks');
		expect(notice?.displayName).toContain('X-Payment-Events-Secret');
	});

	it('points the credential at the chosen data centre', () => {
		const credential = new PaymentEventsZohoBooksOAuth2Api();
		const field = (name: string) => credential.properties.find((property) => property.name === name);
		expect(field('environment')?.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual([
			'us', 'eu', 'in', 'uk', 'au', 'jp', 'ca', 'cn', 'sa',
		]);
		expect(String(field('authUrl')?.default)).toContain('"eu":"https://accounts.zoho.eu"');
		expect(credential.test.request.baseURL).toContain('https://www.zohoapis.eu/books/v3');
	});
});
