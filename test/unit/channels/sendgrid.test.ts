import nock from 'nock';

import { PaymentEventsSendGridApi } from '../../../credentials/PaymentEventsSendGridApi.credentials';
import { sendgrid } from '../../../nodes/channels/sendgrid';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureBytes, fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/sendgrid (SendGrid's OpenAPI spec and rate-limit docs, see SOURCES.md there).
const API_KEY = 'SG.test-api-key.not-a-real-secret';
const HOST = 'https://api.sendgrid.com';

const settings = { from: 'billing@example.com', fromName: 'Example Billing', replyTo: 'support@example.com' };
const email = (overrides: Partial<Delivery> = {}) =>
	delivery({ to: 'jenny.rosen@example.com', idempotencyKey: 'stripe:evt_1:sendgrid:jenny.rosen@example.com', settings, ...overrides });

function tools(credentials: Record<string, string> = {}) {
	return channelTools(sendgrid, new PaymentEventsSendGridApi(), { apiKey: API_KEY, ...credentials });
}

async function failure(run: () => Promise<unknown>): Promise<ChannelError> {
	try {
		await run();
	} catch (error) {
		if (error instanceof ChannelError) return error;
		throw error;
	}
	throw new Error('expected a ChannelError');
}

function reply(status: number, body: string | object, headers: Record<string, string> = {}) {
	return nock(HOST).post('/v3/mail/send').reply(status, body, { 'Content-Type': 'application/json', ...headers });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('SendGrid Mail Send', () => {
	it('posts the documented v3 body with the API key as a bearer token, and reads X-Message-Id', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } })
			.post('/v3/mail/send', (sent) => {
				body = sent;
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'test-message-id' });
		const { tools: t } = tools();

		await expect(sendgrid.send(email(), t)).resolves.toEqual({ providerMessageId: 'test-message-id', providerStatus: 'accepted' });
		expect(body).toEqual({
			personalizations: [
				{
					to: [{ email: 'jenny.rosen@example.com', name: 'Jenny Rosen' }],
					custom_args: { idempotency_key: 'stripe:evt_1:sendgrid:jenny.rosen@example.com' },
				},
			],
			from: { email: 'billing@example.com', name: 'Example Billing' },
			reply_to: { email: 'support@example.com' },
			subject: 'Payment received: $20.00',
			content: [
				{ type: 'text/plain', value: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!' },
				{ type: 'text/html', value: '<p>Hi Jenny, we received your payment of <strong>$20.00</strong> (ref INV-0042). Thank you!</p>' },
			],
		});
	});

	it('leaves out what the node does not set: no name, no reply-to, no HTML part', async () => {
		let body: Record<string, unknown> = {};
		nock(HOST)
			.post('/v3/mail/send', (sent) => {
				body = sent as Record<string, unknown>;
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'test-message-id' });
		const plain = email({ name: undefined, settings: { from: 'billing@example.com' } });
		plain.message = { subject: 'Payment received', text: 'Thank you!' };

		await sendgrid.send(plain, tools().tools);
		expect(body).toEqual({
			personalizations: [{ to: [{ email: 'jenny.rosen@example.com' }], custom_args: { idempotency_key: plain.idempotencyKey } }],
			from: { email: 'billing@example.com' },
			subject: 'Payment received',
			content: [{ type: 'text/plain', value: 'Thank you!' }],
		});
	});

	it('sends to the EU host for an EU regional subuser', async () => {
		nock('https://api.eu.sendgrid.com').post('/v3/mail/send').reply(202, '', { 'X-Message-Id': 'eu-message-id' });

		await expect(sendgrid.send(email(), tools({ environment: 'eu' }).tools)).resolves.toMatchObject({ providerMessageId: 'eu-message-id' });
	});

	it('a documented 400 → not retryable, with SendGrid’s message', async () => {
		reply(400, fixtureJson('channels/sendgrid/mail_send_400.json'));

		const error = await failure(() => sendgrid.send(email(), tools().tools));
		expect(error.message).toBe('SendGrid: invalid request');
		expect(error.details).toEqual({ retryable: false, code: '400', status: 400, retryAfterMs: undefined });
	});

	it('a documented 401 → not retryable, and the API key is nowhere in the error', async () => {
		reply(401, fixtureJson('channels/sendgrid/mail_send_401.json'));

		const error = await failure(() => sendgrid.send(email(), tools().tools));
		expect(error.message).toBe('SendGrid: authorization required');
		expect(error.details.retryable).toBe(false);
		expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(API_KEY);
	});

	it('the documented 429 → retryable, waiting until X-RateLimit-Reset', async () => {
		const resetAt = Math.floor(Date.now() / 1000) + 30;
		// The documented body is not strict JSON (a trailing comma), so the status speaks for it.
		reply(429, fixtureBytes('channels/sendgrid/too_many_requests_429.body.txt').toString('utf8'), {
			'X-RateLimit-Limit': '150',
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': String(resetAt),
		});

		const error = await failure(() => sendgrid.send(email(), tools().tools));
		expect(error.message).toBe('SendGrid: HTTP 429');
		expect(error.details).toMatchObject({ retryable: true, status: 429 });
		expect(error.details.retryAfterMs).toBeGreaterThan(25_000);
		expect(error.details.retryAfterMs).toBeLessThanOrEqual(30_000);
	});

	it('a 429 with Retry-After → retryable, waiting as asked', async () => {
		reply(429, '', { 'Retry-After': '7' });

		const error = await failure(() => sendgrid.send(email(), tools().tools));
		expect(error.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
	});

	it('the documented 500 → retryable', async () => {
		reply(500, fixtureJson('channels/sendgrid/mail_send_500.json'));

		const error = await failure(() => sendgrid.send(email(), tools().tools));
		expect(error.message).toBe('SendGrid: internal server error');
		expect(error.details).toMatchObject({ retryable: true, status: 500 });
	});
});

describe('SendGrid batch (personalizations)', () => {
	const recipient = (n: number, overrides: Partial<Delivery> = {}) =>
		email({ to: `client${n}@example.com`, name: `Client ${n}`, idempotencyKey: `stripe:evt_${n}:sendgrid`, ...overrides });

	it('sends deliveries of the same content in one request, one personalization each, in order', async () => {
		const bodies: Array<{ personalizations: Array<{ to: Array<{ email: string }>; custom_args: object }> }> = [];
		nock(HOST)
			.post('/v3/mail/send', (sent) => {
				bodies.push(sent as (typeof bodies)[number]);
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'batch-1' });
		const deliveries = [recipient(1), recipient(2), recipient(3)];

		await expect(sendgrid.batch!.send(deliveries, tools().tools)).resolves.toEqual([
			{ providerMessageId: 'batch-1', providerStatus: 'accepted' },
			{ providerMessageId: 'batch-1', providerStatus: 'accepted' },
			{ providerMessageId: 'batch-1', providerStatus: 'accepted' },
		]);
		expect(bodies).toHaveLength(1);
		expect(bodies[0].personalizations).toEqual([
			{ to: [{ email: 'client1@example.com', name: 'Client 1' }], custom_args: { idempotency_key: 'stripe:evt_1:sendgrid' } },
			{ to: [{ email: 'client2@example.com', name: 'Client 2' }], custom_args: { idempotency_key: 'stripe:evt_2:sendgrid' } },
			{ to: [{ email: 'client3@example.com', name: 'Client 3' }], custom_args: { idempotency_key: 'stripe:evt_3:sendgrid' } },
		]);
	});

	it('splits by content, never repeats an address in one request, and maps each result back', async () => {
		const bodies: Array<{ subject: string; personalizations: Array<{ to: Array<{ email: string }> }> }> = [];
		let n = 0;
		nock(HOST)
			.post('/v3/mail/send', (sent) => {
				bodies.push(sent as (typeof bodies)[number]);
				return true;
			})
			.times(3)
			.reply(() => {
				n += 1;
				return n === 2 ? [400, fixtureJson('channels/sendgrid/mail_send_400.json')] : [202, '', { 'X-Message-Id': `batch-${n}` }];
			});
		const other = recipient(2);
		other.message = { ...other.message, subject: 'Refund issued: $20.00' };
		const deliveries = [recipient(1), other, recipient(1, { idempotencyKey: 'stripe:evt_9:sendgrid' }), recipient(3)];

		const results = await sendgrid.batch!.send(deliveries, tools().tools);
		expect(bodies.map((b) => [b.subject, b.personalizations.map((p) => p.to[0].email)])).toEqual([
			['Payment received: $20.00', ['client1@example.com', 'client3@example.com']],
			['Payment received: $20.00', ['client1@example.com']],
			['Refund issued: $20.00', ['client2@example.com']],
		]);
		expect(results[0]).toEqual({ providerMessageId: 'batch-1', providerStatus: 'accepted' });
		expect(results[3]).toEqual({ providerMessageId: 'batch-1', providerStatus: 'accepted' });
		expect(results[2]).toBeInstanceOf(ChannelError);
		expect((results[2] as ChannelError).details.retryable).toBe(false);
		expect(results[1]).toEqual({ providerMessageId: 'batch-3', providerStatus: 'accepted' });
	});

	it('takes at most 1,000 personalizations per request', async () => {
		const sizes: number[] = [];
		nock(HOST)
			.post('/v3/mail/send', (sent) => {
				sizes.push((sent as { personalizations: unknown[] }).personalizations.length);
				return true;
			})
			.times(2)
			.reply(202, '', { 'X-Message-Id': 'batch' });
		const deliveries = Array.from({ length: 1001 }, (_, i) => recipient(i));

		expect(sendgrid.batch!.max).toBe(1000);
		await sendgrid.batch!.send(deliveries, tools().tools);
		expect(sizes).toEqual([1000, 1]);
	});
});

describe('SendGrid credential', () => {
	it('tests the key with a cheap authenticated GET on the chosen region', () => {
		const credential = new PaymentEventsSendGridApi();
		expect(credential.test.request.url).toBe('/v3/scopes');
		expect(credential.test.request.baseURL).toBe(
			'={{ $credentials.baseUrl || ($credentials.environment === "eu" ? "https://api.eu.sendgrid.com" : "https://api.sendgrid.com") }}',
		);
	});
});
