import nock from 'nock';

import { PaymentEventsMailgunApi } from '../../../credentials/PaymentEventsMailgunApi.credentials';
import { mailgun } from '../../../nodes/channels/mailgun';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureBytes, fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/mailgun (Mailgun's docs and OpenAPI spec, see SOURCES.md there).
const API_KEY = 'key-test-not-a-real-secret';
const DOMAIN = 'mg.example.com';
const HOST = 'https://api.mailgun.net';
const PATH = `/v3/${DOMAIN}/messages`;

const settings = { from: 'billing@mg.example.com', fromName: 'Example Billing', replyTo: 'support@example.com' };
const email = (overrides: Partial<Delivery> = {}) =>
	delivery({ to: 'jenny.rosen@example.com', idempotencyKey: 'stripe:evt_1:mailgun:jenny.rosen@example.com', settings, ...overrides });

function tools(credentials: Record<string, string> = {}) {
	return channelTools(mailgun, new PaymentEventsMailgunApi(), { apiKey: API_KEY, domain: DOMAIN, ...credentials });
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

/** Intercepts the next sends and keeps the multipart form each one carried on the wire. */
function intercept(replies: Array<[number, string | object, Record<string, string>?]>, host = HOST) {
	const forms: Array<Promise<FormData>> = [];
	const headers: Array<Record<string, unknown>> = [];
	let n = 0;
	nock(host)
		.post(PATH)
		.times(replies.length)
		.reply(function (_uri, body) {
			headers.push(this.req.headers);
			const type = String(this.req.headers['content-type']);
			forms.push(new Response(body as string, { headers: { 'content-type': type } }).formData());
			const [status, answer, extra] = replies[n++];
			return [status, answer, { 'Content-Type': typeof answer === 'string' ? 'text/plain' : 'application/json', ...extra }];
		});
	return { forms: () => Promise.all(forms), headers };
}

const fields = (form: FormData) => [...form.entries()].map(([name, value]) => [name, String(value)]);

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Mailgun send', () => {
	it('posts the documented multipart fields to /v3/{domain}/messages with basic auth api:key, and reads the id', async () => {
		const wire = intercept([[200, fixtureJson('channels/mailgun/send_200.json')]]);

		await expect(mailgun.send(email(), tools().tools)).resolves.toEqual({
			providerMessageId: '<20111114174239.25659.5817@samples.mailgun.org>',
			providerStatus: 'queued',
		});
		expect(wire.headers[0].authorization).toBe(`Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}`);
		expect(String(wire.headers[0]['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		const [form] = await wire.forms();
		expect(fields(form)).toEqual([
			['from', 'Example Billing <billing@mg.example.com>'],
			['to', 'Jenny Rosen <jenny.rosen@example.com>'],
			['subject', 'Payment received: $20.00'],
			['text', 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!'],
			['html', '<p>Hi Jenny, we received your payment of <strong>$20.00</strong> (ref INV-0042). Thank you!</p>'],
			['h:Reply-To', 'support@example.com'],
			['v:idempotency_key', 'stripe:evt_1:mailgun:jenny.rosen@example.com'],
		]);
	});

	it('quotes a display name that needs it, and leaves out what the node does not set', async () => {
		const wire = intercept([[200, fixtureJson('channels/mailgun/send_200.json')]]);
		const plain = email({ name: 'Rosen, Jenny "JR"', settings: { from: 'billing@mg.example.com' } });
		plain.message = { subject: 'Payment received', text: 'Thank you!' };

		await mailgun.send(plain, tools().tools);
		const [form] = await wire.forms();
		expect(fields(form)).toEqual([
			['from', 'billing@mg.example.com'],
			['to', '"Rosen, Jenny \\"JR\\"" <jenny.rosen@example.com>'],
			['subject', 'Payment received'],
			['text', 'Thank you!'],
			['v:idempotency_key', plain.idempotencyKey],
		]);
	});

	it('sends to the EU host for an EU domain', async () => {
		intercept([[200, fixtureJson('channels/mailgun/send_200.json')]], 'https://api.eu.mailgun.net');

		await expect(mailgun.send(email(), tools({ environment: 'eu' }).tools)).resolves.toMatchObject({ providerStatus: 'queued' });
	});

	it('the documented 400 → not retryable, with Mailgun’s message', async () => {
		const body = fixtureJson<{ message: string }>('channels/mailgun/send_400.json');
		intercept([[400, body]]);

		const error = await failure(() => mailgun.send(email(), tools().tools));
		expect(error.message).toBe(`Mailgun: ${body.message}`);
		expect(error.details).toEqual({ retryable: false, code: '400', status: 400, retryAfterMs: undefined });
	});

	it('the documented plain-text 401 → not retryable, and the API key is nowhere in the error', async () => {
		intercept([[401, fixtureBytes('channels/mailgun/send_401.body.txt').toString('utf8')]]);

		const error = await failure(() => mailgun.send(email(), tools().tools));
		expect(error.message).toBe('Mailgun: Forbidden');
		expect(error.details.retryable).toBe(false);
		expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(API_KEY);
	});

	it('the documented 429 → retryable, waiting as Retry-After asks', async () => {
		intercept([[429, fixtureJson('channels/mailgun/send_429.json'), { 'Retry-After': '120' }]]);

		const error = await failure(() => mailgun.send(email(), tools().tools));
		expect(error.message).toBe(
			'Mailgun: Domain example.com is not allowed to send: account-requests-per-sec limit exceeded, try again after 120 seconds',
		);
		expect(error.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 120_000 });
	});

	it('the documented 500 → retryable', async () => {
		intercept([[500, fixtureJson('channels/mailgun/send_500.json')]]);

		const error = await failure(() => mailgun.send(email(), tools().tools));
		expect(error.message).toBe('Mailgun: Internal Server Error');
		expect(error.details).toMatchObject({ retryable: true, status: 500 });
	});
});

describe('Mailgun batch (recipient-variables)', () => {
	const recipient = (n: number, overrides: Partial<Delivery> = {}) =>
		email({ to: `client${n}@example.com`, name: `Client ${n}`, idempotencyKey: `stripe:evt_${n}:mailgun`, ...overrides });

	it('sends deliveries of the same content in one request, each recipient on its own through recipient-variables', async () => {
		const wire = intercept([[200, fixtureJson('channels/mailgun/send_200.json')]]);
		const deliveries = [recipient(1), recipient(2), recipient(3)];

		const results = await mailgun.batch!.send(deliveries, tools().tools);
		expect(results).toEqual(
			Array(3).fill({ providerMessageId: '<20111114174239.25659.5817@samples.mailgun.org>', providerStatus: 'queued' }),
		);
		const [form] = await wire.forms();
		expect(form.getAll('to')).toEqual([
			'Client 1 <client1@example.com>',
			'Client 2 <client2@example.com>',
			'Client 3 <client3@example.com>',
		]);
		expect(JSON.parse(String(form.get('recipient-variables')))).toEqual({
			'client1@example.com': { idempotency_key: 'stripe:evt_1:mailgun' },
			'client2@example.com': { idempotency_key: 'stripe:evt_2:mailgun' },
			'client3@example.com': { idempotency_key: 'stripe:evt_3:mailgun' },
		});
		expect(form.get('v:idempotency_key')).toBeNull();
	});

	it('splits by content and repeated addresses, and maps each result back', async () => {
		const wire = intercept([
			[200, fixtureJson('channels/mailgun/send_200.json')],
			[400, fixtureJson('channels/mailgun/send_400.json')],
			[200, fixtureJson('channels/mailgun/send_200.json')],
		]);
		const other = recipient(2);
		other.message = { ...other.message, subject: 'Refund issued: $20.00' };
		const deliveries = [recipient(1), other, recipient(1, { idempotencyKey: 'stripe:evt_9:mailgun' }), recipient(3)];

		const results = await mailgun.batch!.send(deliveries, tools().tools);
		const forms = await wire.forms();
		expect(forms.map((form) => [form.get('subject'), form.getAll('to')])).toEqual([
			['Payment received: $20.00', ['Client 1 <client1@example.com>', 'Client 3 <client3@example.com>']],
			['Payment received: $20.00', ['Client 1 <client1@example.com>']],
			['Refund issued: $20.00', ['Client 2 <client2@example.com>']],
		]);
		expect(results[0]).toMatchObject({ providerStatus: 'queued' });
		expect(results[3]).toMatchObject({ providerStatus: 'queued' });
		expect(results[1]).toMatchObject({ providerStatus: 'queued' });
		expect(results[2]).toBeInstanceOf(ChannelError);
		expect((results[2] as ChannelError).details.retryable).toBe(false);
	});

	it('takes at most 1,000 recipients per request', async () => {
		const wire = intercept([
			[200, fixtureJson('channels/mailgun/send_200.json')],
			[200, fixtureJson('channels/mailgun/send_200.json')],
		]);
		const deliveries = Array.from({ length: 1001 }, (_, i) => recipient(i));

		expect(mailgun.batch!.max).toBe(1000);
		await mailgun.batch!.send(deliveries, tools().tools);
		expect((await wire.forms()).map((form) => form.getAll('to').length)).toEqual([1000, 1]);
	});
});

describe('Mailgun credential', () => {
	it('tests the key by reading the sending domain on the chosen region', () => {
		const credential = new PaymentEventsMailgunApi();
		expect(credential.test.request.url).toBe('=/v4/domains/{{$credentials.domain}}');
		expect(credential.test.request.baseURL).toBe(
			'={{ $credentials.baseUrl || ($credentials.environment === "eu" ? "https://api.eu.mailgun.net" : "https://api.mailgun.net") }}',
		);
	});
});
