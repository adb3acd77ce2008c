import nock from 'nock';

import { PaymentEventsWhatsAppApi } from '../../../credentials/PaymentEventsWhatsAppApi.credentials';
import { whatsapp } from '../../../nodes/channels/whatsapp';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/whatsapp (Meta's Cloud API and Graph API docs, see SOURCES.md there).
const TOKEN = 'EAAJB-test-system-user-token-not-real';
const HOST = 'https://graph.facebook.com';
const PATH = '/v21.0/106540352242922/messages';
const settings = { phoneNumberId: '106540352242922', templateName: 'payment_confirmation', languageCode: 'en_US' };
const message = (overrides: Partial<Delivery> = {}) =>
	delivery({ idempotencyKey: 'stripe:evt_1:whatsapp:+14155552671', settings, ...overrides });

function tools() {
	return channelTools(whatsapp, new PaymentEventsWhatsAppApi(), { accessToken: TOKEN });
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

const graphError = (code: number, message: string) => {
	const sample = fixtureJson<{ error: Record<string, unknown> }>('channels/whatsapp/graph_error.json');
	return { error: { ...sample.error, code, message } };
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('WhatsApp Cloud API template message', () => {
	it('posts the approved template with its body parameters in order, bearer token, and reads the wamid', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } })
			.post(PATH, (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('channels/whatsapp/send_template_response.json'));

		await expect(whatsapp.send(message(), tools().tools)).resolves.toEqual({
			providerMessageId: 'wamid.HBgNNTUxMTk4Nzg2NjI5NRUCABEYEjUxOTBGNEU0RDA2MjdCMUVBOQA=',
			providerStatus: 'accepted',
		});
		expect(body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '+14155552671',
			type: 'template',
			template: {
				name: 'payment_confirmation',
				language: { code: 'en_US' },
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Jenny' },
							{ type: 'text', text: '$20.00' },
							{ type: 'text', text: 'INV-0042' },
						],
					},
				],
			},
		});
	});

	it('a template without parameters is sent without components', async () => {
		let body: { template?: Record<string, unknown> } = {};
		nock(HOST)
			.post(PATH, (sent) => {
				body = sent as typeof body;
				return true;
			})
			.reply(200, fixtureJson('channels/whatsapp/send_template_response.json'));
		const plain = message();
		plain.message = { text: 'Thank you!', templateParameters: [] };

		await whatsapp.send(plain, tools().tools);
		expect(body.template).toEqual({ name: 'payment_confirmation', language: { code: 'en_US' } });
	});

	it('the documented Graph error → a final ChannelError with its message and code', async () => {
		nock(HOST).post(PATH).reply(400, fixtureJson('channels/whatsapp/graph_error.json'));

		const error = await failure(() => whatsapp.send(message(), tools().tools));
		expect(error.message).toBe('WhatsApp: Message describing the error (code 190)');
		expect(error.details).toMatchObject({ retryable: false, code: '190', status: 400 });
		expect(error.message).not.toContain(TOKEN);
	});

	it('throttling codes that Graph sends with HTTP 400 are retryable (130429 throughput, 131056 pair rate, 4, 80007)', async () => {
		for (const [code, text] of [
			[130429, 'Rate limit hit'],
			[131056, '(Business Account, Consumer Account) pair rate limit hit'],
			[4, 'Application request limit reached'],
			[80007, 'Rate limit issues'],
		] as const) {
			nock(HOST).post(PATH).reply(400, graphError(code, text));
			const error = await failure(() => whatsapp.send(message(), tools().tools));
			expect(error.details).toMatchObject({ retryable: true, code: String(code), status: 400 });
		}
	});

	it('a 429 with Retry-After and a 5xx are retryable', async () => {
		nock(HOST).post(PATH).reply(429, graphError(130429, 'Rate limit hit'), { 'Retry-After': '60' });
		nock(HOST).post(PATH).reply(500, graphError(131000, 'Something went wrong'));

		const limited = await failure(() => whatsapp.send(message(), tools().tools));
		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 60_000 });
		const down = await failure(() => whatsapp.send(message(), tools().tools));
		expect(down.message).toBe('WhatsApp: Something went wrong (code 131000)');
		expect(down.details).toMatchObject({ retryable: true, status: 500 });
	});

	it('the credential test reads /me with the bearer token', () => {
		const credential = new PaymentEventsWhatsAppApi();
		expect(credential.test.request.url).toBe('/v21.0/me');
		expect(credential.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.accessToken}}' });
	});
});
