import nock from 'nock';

import { PaymentEventsTelegramApi } from '../../../credentials/PaymentEventsTelegramApi.credentials';
import { telegram } from '../../../nodes/channels/telegram';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/telegram (Bot API docs and the official Bot API server's answers, see SOURCES.md there).
const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const HOST = 'https://api.telegram.org';
const PATH = `/bot${TOKEN}/sendMessage`;
const chat = () => delivery({ to: '987654321', idempotencyKey: 'stripe:evt_1:telegram:987654321' });

function tools() {
	return channelTools(telegram, new PaymentEventsTelegramApi(), { accessToken: TOKEN });
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

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Telegram sendMessage', () => {
	it('posts chat_id and text as JSON to /bot<token>/sendMessage and reads result.message_id', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { 'content-type': 'application/json' } })
			.post(PATH, (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('channels/telegram/send_message_ok.json'));
		const { tools: t, sent } = tools();

		await expect(telegram.send(chat(), t)).resolves.toEqual({ providerMessageId: '42', providerStatus: 'sent' });
		expect(body).toEqual({ chat_id: '987654321', text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!' });
		expect(sent[0].headers.authorization).toBeUndefined();
	});

	it('turns the documented 400 into a final ChannelError with the description and error_code', async () => {
		nock(HOST).post(PATH).reply(400, fixtureJson('channels/telegram/error_400_chat_not_found.json'));

		const error = await failure(() => telegram.send(chat(), tools().tools));
		expect(error.message).toBe('Telegram: Bad Request: chat not found (code 400)');
		expect(error.details).toMatchObject({ retryable: false, code: '400', status: 400 });
	});

	it('a 429 is retryable and waits parameters.retry_after when there is no Retry-After header', async () => {
		nock(HOST).post(PATH).reply(429, fixtureJson('channels/telegram/error_429_retry_after.json'));

		const error = await failure(() => telegram.send(chat(), tools().tools));
		expect(error.message).toBe('Telegram: Too Many Requests: retry after 5 (code 429)');
		expect(error.details).toMatchObject({ retryable: true, code: '429', status: 429, retryAfterMs: 5000 });
	});

	it('a Retry-After header wins over the body', async () => {
		nock(HOST).post(PATH).reply(429, fixtureJson('channels/telegram/error_429_retry_after.json'), { 'Retry-After': '7' });

		const error = await failure(() => telegram.send(chat(), tools().tools));
		expect(error.details).toMatchObject({ retryable: true, retryAfterMs: 7000 });
	});

	it('a 5xx is retryable', async () => {
		nock(HOST).post(PATH).reply(502, '<html><body>502 Bad Gateway</body></html>', { 'Content-Type': 'text/html' });

		const error = await failure(() => telegram.send(chat(), tools().tools));
		expect(error.message).toBe('Telegram: HTTP 502');
		expect(error.details).toMatchObject({ retryable: true, status: 502 });
	});

	it('never lets the token in the URL reach an error message, even from a network failure', async () => {
		nock(HOST).post(PATH).replyWithError(`connect ECONNRESET ${HOST}${PATH}`);

		const error = await failure(() => telegram.send(chat(), tools().tools));
		expect(error.details.retryable).toBe(true);
		expect(error.message).toContain('Telegram: request failed');
		expect(error.message).not.toContain(TOKEN);
		expect(error.message).not.toContain('ABC-DEF1234');
	});

	it('masks the token when the request helper names the URL in its error (as HTTP clients do)', async () => {
		const { tools: t } = tools();
		const error = await failure(() =>
			telegram.send(chat(), { ...t, request: () => Promise.reject(new Error(`timeout of 30000ms exceeded: POST ${HOST}${PATH}`)) }),
		);
		expect(error.message).toBe(`Telegram: request failed: timeout of 30000ms exceeded: POST ${HOST}/bot***/sendMessage`);
		expect(error.details.retryable).toBe(true);
	});

	it('keeps the token out of every provider error message', async () => {
		nock(HOST).post(PATH).reply(404, { ok: false, error_code: 404, description: `Not Found: bot${TOKEN}` });
		nock(HOST).post(PATH).reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });

		for (const expected of [`Not Found: bot*** (code 404)`, 'Unauthorized (code 401)']) {
			const error = await failure(() => telegram.send(chat(), tools().tools));
			expect(error.message).toBe(`Telegram: ${expected}`);
			expect(error.message).not.toContain(TOKEN);
			expect(error.details.retryable).toBe(false);
		}
	});

	it('the credential test calls getMe with the token in the path, through the Base URL Override when set', () => {
		const credential = new PaymentEventsTelegramApi();
		expect(credential.test.request.url).toBe('=/bot{{$credentials.accessToken}}/getMe');
		expect(credential.test.request.baseURL).toBe('={{ $credentials.baseUrl || "https://api.telegram.org" }}');
	});
});
