import nock from 'nock';

import { PaymentEventsBrevoApi } from '../../../credentials/PaymentEventsBrevoApi.credentials';
import { brevo, idempotencyUuid, uuidV5 } from '../../../nodes/channels/brevo';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/brevo (Brevo's official SDK and its OpenAPI error model, see SOURCES.md there).
const API_KEY = 'xkeysib-test-not-a-real-secret';
const HOST = 'https://api.brevo.com';

const settings = { from: 'billing@example.com', fromName: 'Example Billing', replyTo: 'support@example.com' };
const email = (overrides: Partial<Delivery> = {}) =>
	delivery({ to: 'jenny.rosen@example.com', idempotencyKey: 'stripe:evt_1:brevo:jenny.rosen@example.com', settings, ...overrides });

function tools() {
	return channelTools(brevo, new PaymentEventsBrevoApi(), { apiKey: API_KEY });
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
	return nock(HOST).post('/v3/smtp/email').reply(status, body, { 'Content-Type': 'application/json', ...headers });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Brevo transactional email', () => {
	it('posts the documented body with the api-key header and an idempotency key, and reads the messageId', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { 'api-key': API_KEY, 'content-type': 'application/json' } })
			.post('/v3/smtp/email', (sent) => {
				body = sent;
				return true;
			})
			.reply(201, fixtureJson('channels/brevo/send_transac_email_201.json'));

		await expect(brevo.send(email(), tools().tools)).resolves.toEqual({
			providerMessageId: '<201798300811.5787683@relay.domain.com>',
			providerStatus: 'sent',
		});
		expect(body).toEqual({
			sender: { email: 'billing@example.com', name: 'Example Billing' },
			to: [{ email: 'jenny.rosen@example.com', name: 'Jenny Rosen' }],
			replyTo: { email: 'support@example.com' },
			subject: 'Payment received: $20.00',
			htmlContent: '<p>Hi Jenny, we received your payment of <strong>$20.00</strong> (ref INV-0042). Thank you!</p>',
			textContent: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!',
			headers: { idempotencyKey: idempotencyUuid('stripe:evt_1:brevo:jenny.rosen@example.com') },
		});
	});

	it('the idempotency key is a UUID (version 5) of the delivery key: the same on a retry, another for another delivery', () => {
		const key = 'stripe:evt_1:brevo:jenny.rosen@example.com';
		// RFC 9562 Appendix A.4: www.example.com in the DNS namespace.
		expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
		expect(idempotencyUuid(key)).toBe(uuidV5(`payment-events:${key}`, '6ba7b811-9dad-11d1-80b4-00c04fd430c8'));
		expect(idempotencyUuid(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(idempotencyUuid(key)).toBe(idempotencyUuid(key));
		expect(idempotencyUuid('stripe:evt_2:brevo:jenny.rosen@example.com')).not.toBe(idempotencyUuid(key));
	});

	it('without an HTML part it sends the text as escaped HTML, as Brevo requires htmlContent; no name, no reply-to', async () => {
		let body: Record<string, unknown> = {};
		nock(HOST)
			.post('/v3/smtp/email', (sent) => {
				body = sent as Record<string, unknown>;
				return true;
			})
			.reply(201, fixtureJson('channels/brevo/send_transac_email_201.json'));
		const plain = email({ name: undefined, settings: { from: 'billing@example.com' } });
		plain.message = { subject: 'Payment received', text: 'Thank you <Jenny> & co.\nRef "INV-0042"' };

		await brevo.send(plain, tools().tools);
		expect(body).toEqual({
			sender: { email: 'billing@example.com' },
			to: [{ email: 'jenny.rosen@example.com' }],
			subject: 'Payment received',
			htmlContent: '<p>Thank you &#60;Jenny&#62; &#38; co.<br>Ref &#34;INV-0042&#34;</p>',
			textContent: 'Thank you <Jenny> & co.\nRef "INV-0042"',
			headers: { idempotencyKey: idempotencyUuid(plain.idempotencyKey) },
		});
	});

	it('a documented error → not retryable, with Brevo’s message and code; the API key is nowhere in it', async () => {
		reply(400, fixtureJson('channels/brevo/error_model.json'));

		const error = await failure(() => brevo.send(email(), tools().tools));
		expect(error.message).toBe('Brevo: POST Method is not allowed on this path (code method_not_allowed)');
		expect(error.details).toEqual({ retryable: false, code: 'method_not_allowed', status: 400, retryAfterMs: undefined });
		expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(API_KEY);
	});

	it('a 429 → retryable, waiting the documented x-sib-ratelimit-reset seconds', async () => {
		reply(429, '', { 'x-sib-ratelimit-limit': '1000', 'x-sib-ratelimit-remaining': '0', 'x-sib-ratelimit-reset': '3' });

		const error = await failure(() => brevo.send(email(), tools().tools));
		expect(error.details).toEqual({ retryable: true, code: '429', status: 429, retryAfterMs: 3000 });
	});

	it('a 429 with Retry-After → retryable, waiting as asked', async () => {
		reply(429, '', { 'Retry-After': '9', 'x-sib-ratelimit-reset': '3' });

		const error = await failure(() => brevo.send(email(), tools().tools));
		expect(error.details).toMatchObject({ retryable: true, retryAfterMs: 9000 });
	});

	it('a 5xx → retryable', async () => {
		reply(503, '');

		const error = await failure(() => brevo.send(email(), tools().tools));
		expect(error.message).toBe('Brevo: HTTP 503');
		expect(error.details).toMatchObject({ retryable: true, status: 503 });
	});
});

describe('Brevo credential', () => {
	it('tests the key with GET /v3/account', () => {
		const credential = new PaymentEventsBrevoApi();
		expect(credential.test.request).toEqual({ baseURL: '={{ $credentials.baseUrl || "https://api.brevo.com" }}', url: '/v3/account' });
	});
});
