import nock from 'nock';

import { PaymentEventsMessengerApi } from '../../../credentials/PaymentEventsMessengerApi.credentials';
import { messenger } from '../../../nodes/channels/messenger';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/messenger (Meta's Send API reference and Messenger error codes, see SOURCES.md there).
const TOKEN = 'EAAG-test-page-access-token-not-real';
const HOST = 'https://graph.facebook.com';
const PATH = '/v21.0/me/messages';
const PSID = '1254477777772919';
const chat = (overrides: Partial<Delivery> = {}) => delivery({ to: PSID, idempotencyKey: `stripe:evt_1:messenger:${PSID}`, ...overrides });

function tools() {
	return channelTools(messenger, new PaymentEventsMessengerApi(), { accessToken: TOKEN });
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

const sendError = (code: number, message: string) => {
	const sample = fixtureJson<{ error: Record<string, unknown> }>('channels/messenger/error_invalid_token.json');
	return { error: { ...sample.error, code, message, error_subcode: undefined } };
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Messenger Send API', () => {
	it('posts a POST_PURCHASE_UPDATE tagged text to the PSID with the Page token as bearer, and reads message_id', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } })
			.post(PATH, (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('channels/messenger/send_response.json'));
		const { tools: t, sent } = tools();

		await expect(messenger.send(chat(), t)).resolves.toEqual({
			providerMessageId: 'AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
			providerStatus: 'sent',
		});
		expect(body).toEqual({
			recipient: { id: PSID },
			messaging_type: 'MESSAGE_TAG',
			tag: 'POST_PURCHASE_UPDATE',
			message: { text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!' },
		});
		// The token travels in a header, never in the URL that an error could quote.
		expect(sent[0].url).toBe(`${HOST}${PATH}`);
	});

	it('sends the tag chosen in the node when Meta documents another one', async () => {
		let body: { tag?: string } = {};
		nock(HOST)
			.post(PATH, (sent) => {
				body = sent as typeof body;
				return true;
			})
			.reply(200, fixtureJson('channels/messenger/send_response.json'));

		await messenger.send(chat({ settings: { tag: 'ACCOUNT_UPDATE' } }), tools().tools);
		expect(body.tag).toBe('ACCOUNT_UPDATE');
	});

	it('the documented error → a final ChannelError with its message and code', async () => {
		nock(HOST).post(PATH).reply(400, fixtureJson('channels/messenger/error_invalid_token.json'));

		const error = await failure(() => messenger.send(chat(), tools().tools));
		expect(error.message).toBe('Messenger: Invalid OAuth access token. (code 190)');
		expect(error.details).toMatchObject({ retryable: false, code: '190', status: 400 });
		expect(error.message).not.toContain(TOKEN);
	});

	it('the rate-limit and temporary codes Meta sends with HTTP 400 are retryable', async () => {
		for (const [code, text] of [
			[613, 'Calls to this API have exceeded the rate limit'],
			[1200, 'Temporary send message failure. Please try again later.'],
			[4, 'Rate Limit error: Application request limit reached.'],
		] as const) {
			nock(HOST).post(PATH).reply(400, sendError(code, text));
			const error = await failure(() => messenger.send(chat(), tools().tools));
			expect(error.details).toMatchObject({ retryable: true, code: String(code) });
		}
	});

	it('"outside of allowed window" (10 / 2018278) is final: fall back to the next channel', async () => {
		nock(HOST)
			.post(PATH)
			.reply(400, { error: { ...sendError(10, 'This message is sent outside of allowed window.').error, error_subcode: 2018278 } });

		const error = await failure(() => messenger.send(chat(), tools().tools));
		expect(error.details).toMatchObject({ retryable: false, code: '10' });
	});

	it('a 429 with Retry-After and a 5xx are retryable', async () => {
		nock(HOST).post(PATH).reply(429, sendError(613, 'Calls to this API have exceeded the rate limit'), { 'Retry-After': '10' });
		nock(HOST).post(PATH).reply(503, '');

		const limited = await failure(() => messenger.send(chat(), tools().tools));
		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 10_000 });
		const down = await failure(() => messenger.send(chat(), tools().tools));
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
	});
});
