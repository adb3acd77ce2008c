import { createHmac } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsRecurlyApi } from '../../../credentials/PaymentEventsRecurlyApi.credentials';
import { RecurlyPaymentTrigger } from '../../../nodes/RecurlyPaymentTrigger/RecurlyPaymentTrigger.node';
import { recurly } from '../../../nodes/providers/recurly';
import { fixtureBytes } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// No Recurly SDK is installed. Deliveries are signed per the documented scheme, hex(HMAC-SHA256(secret key,
// `<unix ms>.<raw body>`)) (https://docs.recurly.com/recurly-subscriptions/docs/signature-verification, as
// recurly-client-ruby's Recurly::Webhooks.verify_signature computes it), and verify is checked against that
// client's own spec vector below.
const SECRET = 'recurly-webhook-secret-key-for-tests';
const API_KEY = 'recurly-private-api-key';
// test/fixtures/recurly/SOURCES.md: the body of recurly-client-ruby's signature spec (an account.created webhook).
const accountCreated = fixtureBytes('recurly/account.created.signature_spec.json');
// shared/fixtures/recurly: the docs' JSON payment webhook (thin: the transaction is fetched) and an XML notification.
const paymentSucceeded = fixtureBytes('recurly/successful_payment.json');
const xmlNotification = fixtureBytes('recurly/successful_payment_notification.xml');

function sign(payload: Buffer, secret = SECRET, timestampMs = Date.now()): Record<string, string> {
	return { 'recurly-signature': `${timestampMs},${createHmac('sha256', secret).update(`${timestampMs}.`).update(payload).digest('hex')}` };
}

function trigger(credentials: Record<string, string> = { apiKey: API_KEY, webhookSecret: SECRET }, parameters = {}) {
	return triggerHarness(RecurlyPaymentTrigger, { credential: new PaymentEventsRecurlyApi(), credentials, parameters });
}

afterEach(() => nock.cleanAll());

describe('Recurly Payment Trigger: signature', () => {
	// recurly-client-ruby spec/recurly/webhooks_spec.rb: "with notification older than five minutes"
	const specSecret = '354fab5bd35f5a0d50845ee7e30165244468b13c2c343f104e4e730a59326d9d';
	const specHeader = '1663103925004,ad24699f3beaa24c9af2cc7ada3ce4c835da0090194241b9d3add83d27f14bc3';
	const at = (ms: number) => ({ now: new Date(ms), credentials: {}, switches: {}, callApi: async () => undefined, fetchText: async () => '' });
	const verify = (header: string, ms: number, body = accountCreated) =>
		recurly.webhook!.verify(
			{ rawBody: body, headers: { 'recurly-signature': header }, query: {}, url: '' },
			{ webhookSecret: specSecret },
			at(ms),
		);

	it('accepts the client spec’s header at its time and up to 5 minutes later, not after', () => {
		expect(verify(specHeader, 1663103925004)).toEqual({ ok: true });
		expect(verify(specHeader, 1663103925004 + 300_000)).toEqual({ ok: true });
		expect(verify(specHeader, 1663103925004 + 301_000)).toMatchObject({ ok: false });
	});

	it('accepts any of several signatures (key rotation) and refuses other bytes', () => {
		const [timestamp, signature] = specHeader.split(',');
		expect(verify(`${timestamp},de1ec7ab1e,${signature}`, 1663103925004)).toEqual({ ok: true });
		expect(verify(specHeader, 1663103925004, Buffer.from('{}'))).toMatchObject({ ok: false });
		expect(verify(`${Number(timestamp) + 1000},${signature}`, 1663103925004)).toMatchObject({ ok: false });
	});
});

describe('Recurly Payment Trigger: deliveries', () => {
	it('accepts a signed webhook about another object without starting the workflow', async () => {
		const result = await trigger().deliver({ body: accountCreated, headers: sign(accountCreated) });
		expect(result).toMatchObject({ status: 200, started: false, body: '' });
	});

	it('completes a signed payment webhook by fetching the transaction with the API key', async () => {
		const api = nock('https://v3.recurly.com', {
			reqheaders: {
				authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
				accept: 'application/vnd.recurly.v2021-02-25+json',
			},
		})
			.get('/transactions/uuid-63b068f7d409d4b4478dea4e6aba58ae')
			.reply(404);
		// No real v3 Transaction response exists to answer with (test/fixtures/recurly/SOURCES.md): the call is the proof.
		await expect(trigger().deliver({ body: paymentSucceeded, headers: sign(paymentSucceeded) })).rejects.toThrow(
			'Recurly: could not fetch the Recurly transaction 63b068f7d409d4b4478dea4e6aba58ae',
		);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		[
			'a tampered body',
			() => ({ body: Buffer.from(accountCreated.toString('utf8').replace('adfas23zzz14123', 'adfas23zzz14124')), headers: sign(accountCreated) }),
		],
		['a wrong secret', () => ({ body: accountCreated, headers: sign(accountCreated, 'someone-elses-key') })],
		['a stale timestamp (301 s)', () => ({ body: accountCreated, headers: sign(accountCreated, SECRET, Date.now() - 301_000) })],
		['a timestamp in seconds', () => ({ body: accountCreated, headers: sign(accountCreated, SECRET, Math.floor(Date.now() / 1000)) })],
		['no signature header', () => ({ body: accountCreated, headers: {} })],
		['an unsigned XML notification', () => ({ body: xmlNotification, headers: { 'content-type': 'application/xml' } })],
		['a header without a signature', () => ({ body: accountCreated, headers: { 'recurly-signature': `${Date.now()},` } })],
		[
			'a malformed timestamp',
			() => ({ body: accountCreated, headers: { 'recurly-signature': `abc,${sign(accountCreated)['recurly-signature'].split(',')[1]}` } }),
		],
	])('answers %s with 401 and starts nothing', async (_case, delivery) => {
		const node = trigger();
		const result = await node.deliver(delivery());
		expect(result).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(SECRET);
	});

	it('refuses the same signed delivery twice (replay), but not the same webhook signed again', async () => {
		const node = trigger();
		const headers = sign(accountCreated);
		expect((await node.deliver({ body: accountCreated, headers })).status).toBe(200);
		expect(await node.deliver({ body: accountCreated, headers })).toMatchObject({ status: 401, body: undefined, started: false });
		expect((await node.deliver({ body: accountCreated, headers: sign(accountCreated, SECRET, Date.now() - 1000) })).status).toBe(200);
	});

	it('refuses every delivery while the credential has no secret key', async () => {
		const node = trigger({ apiKey: API_KEY });
		expect(await node.deliver({ body: accountCreated, headers: sign(accountCreated) })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Webhook Secret Key');
		expect(node.warnings[0]).toContain('Paste it into the credential');
	});
});

describe('Recurly Payment Trigger: registration', () => {
	it('registers nothing (Recurly’s API cannot) and says where to add the URL', async () => {
		const node = trigger();
		await node.publish();
		expect(node.requests).toEqual([]);
		expect(await node.unpublish()).toBe(true);
		const notice = node.node.description.properties.find((property) => property.name === 'notice_recurly');
		expect(notice?.displayName).toContain('Integrations → Webhooks');
	});
});
