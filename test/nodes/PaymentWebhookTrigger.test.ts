import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { ICredentialType, IDataObject } from 'n8n-workflow';

import { PaymentEventsWebhookBasicAuthApi } from '../../credentials/PaymentEventsWebhookBasicAuthApi.credentials';
import { PaymentEventsWebhookHmacApi } from '../../credentials/PaymentEventsWebhookHmacApi.credentials';
import { PaymentEventsWebhookTokenApi } from '../../credentials/PaymentEventsWebhookTokenApi.credentials';
import { parsePaymentEvent } from '../../nodes/core/event';
import { PaymentWebhookTrigger } from '../../nodes/PaymentWebhookTrigger/PaymentWebhookTrigger.node';
import { triggerHarness } from './triggerHarness';

// test/fixtures/webhook: see its SOURCES.md.
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/webhook', name));
const JSON_TYPE = { 'Content-Type': 'application/json' };
const FORM_TYPE = { 'Content-Type': 'application/x-www-form-urlencoded' };
const TOKEN = 'tok_4f9c1e0b7a2d4c8e9f60a1b2c3d4e5f6';
const HMAC_SECRET = 'hmac-secret-7c0e2b9d41f84a6c';

const credentialOf: Record<string, ICredentialType> = {
	hmac: new PaymentEventsWebhookHmacApi(),
	headerToken: new PaymentEventsWebhookTokenApi(),
	basicAuth: new PaymentEventsWebhookBasicAuthApi(),
	none: new PaymentEventsWebhookTokenApi(),
};

function trigger(parameters: IDataObject = {}, credentials: IDataObject = { headerName: 'Authorization', token: TOKEN }) {
	const authentication = String(parameters.authentication ?? 'headerToken');
	return triggerHarness(PaymentWebhookTrigger, { credential: credentialOf[authentication], credentials, parameters: { authentication, ...parameters } });
}

const bearer = { Authorization: `Bearer ${TOKEN}` };

/** A post in the Custom preset's shape, as JSON text. */
function customPost(fields: Record<string, unknown> = {}): string {
	return JSON.stringify({ id: 'pay_1001', amount: '12.34', currency: 'USD', status: 'paid', ...fields });
}

async function refusedWith400(result: { status: number; body: unknown; started: boolean; items: unknown[] }, field: string) {
	expect(result).toMatchObject({ status: 400, started: false, items: [] });
	expect(result.body).toMatchObject({ field, error: expect.any(String) });
}

describe('Payment Webhook Trigger: authentication', () => {
	const body = Buffer.from(customPost());
	const hmacCredentials = (extra: IDataObject = {}) => ({ secret: HMAC_SECRET, headerName: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '', ...extra });
	const signed = (payload: Buffer, algorithm: string, encoding: 'hex' | 'base64', secret = HMAC_SECRET) =>
		createHmac(algorithm, secret).update(payload).digest(encoding);

	it("accepts GitHub's documented HMAC test vector (sha256= prefix, hex), then judges the body on its own", async () => {
		const node = trigger(
			{ authentication: 'hmac' },
			hmacCredentials({ secret: "It's a Secret to Everybody", headerName: 'X-Hub-Signature-256', prefix: 'sha256=' }),
		);
		const result = await node.deliver({
			body: 'Hello, World!',
			headers: { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
		});
		// Authenticated (not 401); "Hello, World!" is not a payment, so it is refused naming the body.
		await refusedWith400(result, 'body');
	});

	it('accepts an HMAC-SHA256 hex signature of the raw body and emits one valid canonical event', async () => {
		const node = trigger({ authentication: 'hmac' }, hmacCredentials());
		const result = await node.deliver({ body, headers: { ...JSON_TYPE, 'X-Signature': signed(body, 'sha256', 'hex').toUpperCase() } });
		expect(result).toMatchObject({ status: 200, body: { received: true }, started: true });
		expect(result.items).toHaveLength(1);
		expect(() => parsePaymentEvent(result.items[0])).not.toThrow();
		expect(result.items[0]).toMatchObject({
			id: 'webhook:pay_1001',
			provider: 'webhook',
			providerEventId: 'pay_1001',
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 1234, value: '12.34', currency: 'USD', exponent: 2 },
			livemode: true,
			raw: JSON.parse(body.toString()),
		});
	});

	it('accepts HMAC-SHA512 and HMAC-SHA1 base64 signatures in a custom header', async () => {
		for (const algorithm of ['sha512', 'sha1']) {
			const node = trigger({ authentication: 'hmac' }, hmacCredentials({ algorithm, encoding: 'base64', headerName: 'X-Payment-Signature' }));
			const result = await node.deliver({ body, headers: { ...JSON_TYPE, 'x-payment-signature': signed(body, algorithm, 'base64') } });
			expect(result).toMatchObject({ status: 200, started: true });
		}
	});

	it.each([
		['a tampered body', () => ({ body: Buffer.from(customPost({ amount: '99.99' })), headers: { 'X-Signature': signed(body, 'sha256', 'hex') } })],
		['a wrong secret', () => ({ body, headers: { 'X-Signature': signed(body, 'sha256', 'hex', 'someone-elses-secret') } })],
		['no signature header', () => ({ body, headers: {} })],
		['a base64 signature where hex is expected', () => ({ body, headers: { 'X-Signature': signed(body, 'sha256', 'base64') } })],
	])('answers HMAC with %s by 401, an empty body, and no execution', async (_case, delivery) => {
		const node = trigger({ authentication: 'hmac' }, hmacCredentials());
		const result = await node.deliver(delivery());
		expect(result).toEqual({ status: 401, body: undefined, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(HMAC_SECRET);
	});

	it('refuses every post while the HMAC credential has no secret, and requires the configured prefix', async () => {
		expect((await trigger({ authentication: 'hmac' }, hmacCredentials({ secret: '' })).deliver({ body, headers: { 'X-Signature': signed(body, 'sha256', 'hex', '') } })).status).toBe(401);
		const prefixed = trigger({ authentication: 'hmac' }, hmacCredentials({ prefix: 'sha256=' }));
		expect((await prefixed.deliver({ body, headers: { 'X-Signature': signed(body, 'sha256', 'hex') } })).status).toBe(401);
		expect((await prefixed.deliver({ body, headers: { 'X-Signature': `sha256=${signed(body, 'sha256', 'hex')}` } })).status).toBe(200);
	});

	it('accepts the header token with and without "Bearer", in a custom header too', async () => {
		expect((await trigger().deliver({ body, headers: bearer })).started).toBe(true);
		expect((await trigger().deliver({ body, headers: { authorization: TOKEN } })).started).toBe(true);
		const custom = trigger({}, { headerName: 'X-Api-Key', token: TOKEN });
		expect((await custom.deliver({ body, headers: { 'X-Api-Key': TOKEN } })).started).toBe(true);
		expect((await custom.deliver({ body: Buffer.from(customPost({ id: 'pay_1002' })), headers: bearer })).status).toBe(401);
	});

	it.each([
		['a wrong token', { Authorization: 'Bearer tok_wrong' }],
		['the token with a character missing', { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
		['no header', {}],
		['Basic instead of the token', { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
	])('answers a header token with %s by 401 and no execution', async (_case, headers) => {
		const node = trigger();
		expect(await node.deliver({ body, headers })).toEqual({ status: 401, body: undefined, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(TOKEN);
	});

	it('refuses every post while the token credential is empty, even an empty header', async () => {
		expect((await trigger({}, { headerName: 'Authorization', token: '' }).deliver({ body, headers: { Authorization: 'Bearer ' } })).status).toBe(401);
	});

	it('accepts basic auth with the right user and password, and refuses anything else with a Basic challenge', async () => {
		const credentials = { user: 'erp', password: 'pa:ss-w0rd' };
		const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
		expect((await trigger({ authentication: 'basicAuth' }, credentials).deliver({ body, headers: basic('erp', 'pa:ss-w0rd') })).started).toBe(true);
		for (const headers of [basic('erp', 'wrong'), basic('someone', 'pa:ss-w0rd'), {}, bearer]) {
			const node = trigger({ authentication: 'basicAuth' }, credentials);
			const result = await node.deliver({ body, headers });
			expect(result).toEqual({ status: 401, body: undefined, started: false, items: [] });
		}
	});

	it('with None accepts any post, and the node shows a warning notice for it', async () => {
		const result = await trigger({ authentication: 'none' }, {}).deliver({ body, headers: JSON_TYPE });
		expect(result).toMatchObject({ status: 200, started: true });
		const notice = new PaymentWebhookTrigger().description.properties.find(
			(property) => property.type === 'notice' && property.displayOptions?.show?.authentication?.includes('none'),
		);
		expect(notice?.displayName).toMatch(/Anyone who knows this URL can start the workflow/);
	});

	it('asks for the credential of the chosen scheme only', () => {
		const credentials = new PaymentWebhookTrigger().description.credentials ?? [];
		expect(credentials.map((c) => [c.name, c.displayOptions?.show?.authentication])).toEqual([
			['paymentEventsWebhookHmacApi', ['hmac']],
			['paymentEventsWebhookTokenApi', ['headerToken']],
			['paymentEventsWebhookBasicAuthApi', ['basicAuth']],
		]);
	});
});

describe('Payment Webhook Trigger: reading posts', () => {
	async function deliverOne(post: string | Buffer, parameters: IDataObject = {}, headers: Record<string, string> = JSON_TYPE) {
		return await trigger(parameters).deliver({ body: post, headers: { ...bearer, ...headers } });
	}

	it('reads a form-encoded post', async () => {
		const result = await deliverOne('id=pay_2001&amount=7.50&currency=eur&status=Completed&customer.email=ana%40example.com', {}, FORM_TYPE);
		expect(result.items[0]).toMatchObject({
			id: 'webhook:pay_2001',
			amount: { minor: 750, value: '7.50', currency: 'EUR' },
			status: 'succeeded',
			customer: { email: 'ana@example.com' },
			raw: { id: 'pay_2001', amount: '7.50', currency: 'eur', status: 'Completed', 'customer.email': 'ana@example.com' },
		});
	});

	it('follows nested paths and list indexes', async () => {
		const post = JSON.stringify({
			data: { object: { id: 'evt_9', amount: 2500, currency: 'GBP' } },
			items: [{ price: '19.99' }],
			customer: { email: 'sam@example.com', name: 'Sam Lee', phone: '+44 20 7946 0958', id: 'C-7' },
			state: 'Succeeded',
		});
		const result = await deliverOne(post, {
			eventIdPath: 'data.object.id',
			amountPath: 'items[0].price',
			currencyPath: 'data.object.currency',
			statusPath: 'state',
		});
		expect(result.items[0]).toMatchObject({
			providerEventId: 'evt_9',
			amount: { minor: 1999, value: '19.99', currency: 'GBP' },
			customer: { email: 'sam@example.com', name: 'Sam Lee', phone: '+442079460958', id: 'C-7' },
		});
	});

	it('reads JSON numbers from the raw text: 1.10 stays 1.10 and a 20-digit ID keeps its digits', async () => {
		const result = await deliverOne('{"id": 12345678901234567890, "amount": 1.10, "currency": "USD", "status": "paid"}');
		expect(result.items[0]).toMatchObject({ providerEventId: '12345678901234567890', amount: { minor: 110, value: '1.10' } });
		expect((await deliverOne('{"id": "p-0.29", "amount": 0.29, "currency": "USD", "status": "paid"}')).items[0]).toMatchObject({
			amount: { minor: 29, value: '0.29' },
		});
	});

	it.each([
		['decimal', 'USD', '"49.90"', { minor: 4990, value: '49.90', exponent: 2 }],
		['decimal', 'JPY', '"5000"', { minor: 5000, value: '5000', exponent: 0 }],
		['decimal', 'JPY', '5000', { minor: 5000, value: '5000', exponent: 0 }],
		['decimal', 'KWD', '"12.345"', { minor: 12345, value: '12.345', exponent: 3 }],
		['decimal', 'USD', '"49.9"', { minor: 4990, value: '49.90', exponent: 2 }],
		['decimalComma', 'EUR', '"49,90"', { minor: 4990, value: '49.90', exponent: 2 }],
		['decimalComma', 'EUR', '49.9', { minor: 4990, value: '49.90', exponent: 2 }],
		['minor', 'USD', '4990', { minor: 4990, value: '49.90', exponent: 2 }],
		['minor', 'JPY', '"5000"', { minor: 5000, value: '5000', exponent: 0 }],
		['minor', 'KWD', '12345', { minor: 12345, value: '12.345', exponent: 3 }],
	])('reads the %s amount of %s %s exactly', async (amountFormat, currency, amount, expected) => {
		const post = `{"id": "a-${amountFormat}-${currency}-${amount.replace(/"/g, "")}", "amount": ${amount}, "currency": "${currency}", "status": "paid"}`;
		const result = await deliverOne(post, { amountFormat });
		expect(result.items[0]).toMatchObject({ amount: { currency, ...expected } });
	});

	it.each([
		['Completed', 'succeeded', 'Paid'],
		['SUCCESS', 'succeeded', 'Paid'],
		['captured', 'succeeded', 'Paid'],
		['processing', 'pending', 'Pending'],
		['Declined', 'failed', 'Failed'],
		['error', 'failed', 'Failed'],
		['refunded', 'refunded', 'Refunded'],
		['Partially Paid', 'partially_paid', 'Partially paid'],
		['partial', 'partially_paid', 'Partially paid'],
		['cancelled', 'canceled', 'Failed'],
		['voided', 'canceled', 'Failed'],
		['partially-refunded', 'partially_refunded', 'Refunded'],
	])('maps the status word %s to %s', async (word, status, crmStatus) => {
		const result = await deliverOne(customPost({ id: `s-${word}`, status: word }));
		expect(result.items[0]).toMatchObject({ status, crmStatus, providerEventType: `webhook.payment.${status}` });
	});

	it("maps the user's own status words, ahead of the built-in ones", async () => {
		const statusWords = { words: [{ word: 'Bezahlt', status: 'succeeded' }, { word: 'error', status: 'pending' }] };
		expect((await deliverOne(customPost({ id: 's-1', status: 'bezahlt' }), { statusWords })).items[0]).toMatchObject({ status: 'succeeded' });
		expect((await deliverOne(customPost({ id: 's-2', status: 'Error' }), { statusWords })).items[0]).toMatchObject({ status: 'pending' });
	});

	it('uses the Default Currency and Default Status for posts without them, and now for a missing time', async () => {
		const before = Date.now();
		const result = await deliverOne('{"id": "d-1", "amount": "10"}', { defaultCurrency: 'CHF', options: { defaultStatus: 'pending' } });
		expect(result.items[0]).toMatchObject({ amount: { currency: 'CHF', minor: 1000 }, status: 'pending' });
		expect(Date.parse(String(result.items[0].occurredAt))).toBeGreaterThanOrEqual(before - 1000);
	});

	it('maps kind, time, reference, description and invoice, and posts a refund given as a negative amount as its magnitude', async () => {
		const post = customPost({
			id: 'r-1',
			amount: '-5.00',
			kind: 'Refund',
			status: 'refunded',
			occurredAt: '2024-05-01T12:00:00+02:00',
			reference: 'ORDER-77',
			description: 'Returned mat',
			invoice: { number: 'INV-77', url: 'https://example.com/i/77' },
		});
		expect((await deliverOne(post)).items[0]).toMatchObject({
			kind: 'refund',
			status: 'refunded',
			amount: { minor: 500, value: '5.00' },
			occurredAt: '2024-05-01T10:00:00.000Z',
			reference: 'ORDER-77',
			description: 'Returned mat',
			invoice: { number: 'INV-77', url: 'https://example.com/i/77' },
		});
		expect((await deliverOne(customPost({ id: 't-1', occurredAt: 1714557600 }))).items[0]).toMatchObject({ occurredAt: '2024-05-01T10:00:00.000Z' });
	});

	it('accepts the one object of a post wrapped in a list (Zapier "Wrap Request In Array")', async () => {
		const result = await deliverOne(`[{"id": "w-1", "amount": 3.30, "currency": "USD", "status": "paid"}]`);
		expect(result.items[0]).toMatchObject({ providerEventId: 'w-1', amount: { minor: 330, value: '3.30' } });
	});

	it('leaves raw out when Include Raw Payload is off, and never outputs a secret', async () => {
		const result = await deliverOne(customPost({ id: 'n-1' }), { options: { includeRaw: false } });
		expect(result.items[0].raw).toBeUndefined();
		expect(JSON.stringify(result.items)).not.toContain(TOKEN);
	});

	it.each([
		['a missing amount', customPost({ amount: undefined }), {}, 'amount', /Amount \(amount\) is missing/],
		['a non-numeric amount', customPost({ amount: 'abc' }), {}, 'amount', /not a plain decimal/],
		['an amount with thousands separators', customPost({ amount: '1,234.50' }), {}, 'amount', /not a plain decimal/],
		['an amount with too many decimals for USD', customPost({ amount: '12.345' }), {}, 'amount', /more decimals than USD allows \(2\)/],
		['decimals on a zero-decimal currency (JPY)', customPost({ amount: '5000.5', currency: 'JPY' }), {}, 'amount', /more decimals than JPY allows \(0\)/],
		['four decimals on KWD', customPost({ amount: '1.2345', currency: 'KWD' }), {}, 'amount', /more decimals than KWD allows \(3\)/],
		// JSON.parse would make these 0.3 and 9007199254740992: read from the text, they are refused instead.
		['a JSON number with more digits than a float holds', '{"id":"f","amount":0.30000000000000001,"currency":"USD","status":"paid"}', {}, 'amount', /more decimals than USD allows/],
		['minor units beyond a safe integer', '{"id":"g","amount":9007199254740993,"currency":"USD","status":"paid"}', { amountFormat: 'minor' }, 'amount', /too large: 9007199254740993/],
		['a JSON number in exponent notation', '{"id":"e","amount":1.5e2,"currency":"USD","status":"paid"}', {}, 'amount', /exponent notation/],
		['a decimal in minor units', customPost({ amount: '12.34' }), { amountFormat: 'minor' }, 'amount', /whole number of minor units/],
		['a point where a comma is expected', customPost({ amount: '12.34' }), { amountFormat: 'decimalComma' }, 'amount', /49,90/],
		['a negative payment', customPost({ amount: '-1.00' }), {}, 'amount', /negative/],
		['an unknown currency', customPost({ currency: 'XYZ' }), {}, 'currency', /"XYZ" is not an ISO 4217/],
		['a missing currency', customPost({ currency: undefined }), {}, 'currency', /missing/],
		['an unknown status word', customPost({ status: 'weird' }), {}, 'status', /"weird" is not a known status word/],
		['a missing status', customPost({ status: undefined }), {}, 'status', /missing/],
		['an unknown kind', customPost({ kind: 'donation' }), {}, 'kind', /not one of payment, refund, invoice/],
		['a time without a zone', customPost({ occurredAt: '2024-05-01 10:00' }), {}, 'occurredAt', /not a time with a zone/],
		['a missing event id', customPost({ id: undefined }), {}, 'id', /Event ID \(id\) is missing/],
		['an event id that is an object', customPost({ id: { value: 1 } }), {}, 'id', /is an object/],
		['malformed JSON', '{"id": "x", "amount": ', {}, 'body', /not valid JSON/],
		['a JSON list of values', '[1, 2]', {}, 'body', /must be a JSON object/],
		['an empty body', '', {}, 'body', /empty/],
	])('refuses %s with 400 naming the field', async (_case, post, parameters, field, message) => {
		const result = await deliverOne(post, parameters);
		await refusedWith400(result, field);
		expect((result.body as { error: string }).error).toMatch(message);
	});

	it('names the posted key of a custom path in the 400', async () => {
		const result = await deliverOne('{"data": {"amount": "x"}, "ref": "r1", "currency": "USD", "status": "paid"}', {
			eventIdPath: 'ref',
			amountPath: 'data.amount',
		});
		await refusedWith400(result, 'data.amount');
	});
});

describe('Payment Webhook Trigger: duplicates', () => {
	it('acknowledges the same event ID again with 200 and runs nothing, even with a different body', async () => {
		const node = trigger();
		const first = await node.deliver({ body: customPost({ id: 'dup-1' }), headers: bearer });
		expect(first.started).toBe(true);
		expect(await node.deliver({ body: customPost({ id: 'dup-1' }), headers: bearer })).toEqual({ status: 200, body: { received: true }, started: false, items: [] });
		expect((await node.deliver({ body: customPost({ id: 'dup-1', status: 'Paid ' }), headers: bearer })).started).toBe(false);
		expect((await node.deliver({ body: customPost({ id: 'dup-2' }), headers: bearer })).started).toBe(true);
	});

	it('runs only one of two posts of the same event arriving at once', async () => {
		const node = trigger();
		const results = await Promise.all([1, 2].map(() => node.deliver({ body: customPost({ id: 'dup-3' }), headers: bearer })));
		expect(results.map((result) => result.started).sort()).toEqual([false, true]);
		expect(results.map((result) => result.status)).toEqual([200, 200]);
	});

	it('does not remember a refused post: a corrected retry with the same event ID runs', async () => {
		const node = trigger();
		await refusedWith400(await node.deliver({ body: customPost({ id: 'dup-4', amount: '1.234' }), headers: bearer }), 'amount');
		expect((await node.deliver({ body: customPost({ id: 'dup-4' }), headers: bearer })).started).toBe(true);
	});
});

describe('Payment Webhook Trigger: Zapier and Pabbly presets', () => {
	it('Zapier, Payload Type Json: maps the preset keys to a zapier event, authenticated by the header token', async () => {
		const post = fixture('zapier-payment.json');
		const result = await trigger({ preset: 'zapier' }).deliver({ body: post, headers: { ...JSON_TYPE, ...bearer } });
		expect(result).toMatchObject({ status: 200, body: { received: true }, started: true });
		expect(() => parsePaymentEvent(result.items[0])).not.toThrow();
		expect(result.items[0]).toMatchObject({
			id: 'zapier:zap-run-4822',
			provider: 'zapier',
			providerEventType: 'zapier.payment.succeeded',
			status: 'succeeded',
			amount: { minor: 4990, value: '49.90', currency: 'USD' },
			occurredAt: '2024-05-01T10:00:00.000Z',
			customer: { email: 'jane.doe@example.com', name: 'Jane Doe', phone: '+14155552671' },
			reference: 'BOOKING-1043',
			description: 'Yoga class, 10 sessions',
			raw: JSON.parse(post.toString()),
		});
	});

	it('Zapier, Payload Type Form: the same keys form-encoded', async () => {
		const result = await trigger({ preset: 'zapier' }).deliver({ body: fixture('zapier-payment-form.txt'), headers: { ...FORM_TYPE, ...bearer } });
		expect(result.items[0]).toMatchObject({ id: 'zapier:zap-run-4821', amount: { minor: 4990 }, reference: 'BOOKING-1042', customer: { email: 'jane.doe@example.com' } });
	});

	it("refuses Zapier's documented example post (no payment keys) with 400 naming event_id", async () => {
		for (const [file, headers] of [['zapier-docs.json', JSON_TYPE], ['zapier-docs-form.txt', FORM_TYPE]] as const) {
			const result = await trigger({ preset: 'zapier' }).deliver({ body: fixture(file), headers: { ...headers, ...bearer } });
			await refusedWith400(result, 'event_id');
		}
	});

	it('Zapier retrying the step (same event_id) runs the workflow once', async () => {
		const node = trigger({ preset: 'zapier' });
		const post = { body: fixture('zapier-payment.json'), headers: { ...JSON_TYPE, ...bearer } };
		expect((await node.deliver(post)).started).toBe(true);
		expect(await node.deliver(post)).toMatchObject({ status: 200, started: false });
	});

	it('Pabbly: maps the preset keys, an invoice kind and the invoice fields to a pabbly event', async () => {
		const result = await trigger({ preset: 'pabbly' }).deliver({ body: fixture('pabbly-payment.json'), headers: { ...JSON_TYPE, ...bearer } });
		expect(result.items[0]).toMatchObject({
			id: 'pabbly:pabbly-7f3c2a',
			provider: 'pabbly',
			kind: 'invoice',
			status: 'succeeded',
			amount: { minor: 12000, value: '120.00', currency: 'EUR' },
			invoice: { number: 'INV-2024-0042', url: 'https://billing.example.com/invoices/INV-2024-0042' },
		});
	});

	it('presets suggest header token (Zapier and Pabbly cannot compute an HMAC) and HMAC for Custom', async () => {
		const authentication = new PaymentWebhookTrigger().description.properties.filter((property) => property.name === 'authentication');
		expect(authentication.map((property) => [property.default, property.displayOptions?.show?.preset])).toEqual([
			['hmac', ['custom']],
			['headerToken', ['zapier', 'pabbly']],
		]);
		// Without an authentication parameter the Zapier preset's own suggestion applies: a token, not a signature.
		const node = triggerHarness(PaymentWebhookTrigger, {
			credential: credentialOf.headerToken,
			credentials: { headerName: 'Authorization', token: TOKEN },
			parameters: { preset: 'zapier' },
		});
		expect((await node.deliver({ body: fixture('zapier-payment.json'), headers: { ...JSON_TYPE, ...bearer } })).started).toBe(true);
	});

	it('a custom Source Name becomes the provider; an unusable one fails publishing', async () => {
		const result = await trigger({ sourceName: 'my-erp' }).deliver({ body: customPost({ id: 'src-1' }), headers: bearer });
		expect(result.items[0]).toMatchObject({ id: 'my-erp:src-1', provider: 'my-erp' });
		await expect(trigger({ sourceName: 'My ERP' }).publish()).rejects.toThrow(/Source Name "My ERP" is not usable/);
		await expect(trigger({ sourceName: 'my-erp' }).publish()).resolves.toBeUndefined();
	});
});
