import nock from 'nock';

import { PaymentEventsGoogleChatWebhookApi } from '../../../credentials/PaymentEventsGoogleChatWebhookApi.credentials';
import { googleChat } from '../../../nodes/channels/googleChat';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/googleChat (Google Chat and Google API docs, see SOURCES.md there).
const KEY = 'AIzaSy-test-key';
const TOKEN = 'test-webhook-token-secret';
const PATH = '/v1/spaces/AAAAAAAAAAA/messages';
const credentials = { webhookUrl: `https://chat.googleapis.com${PATH}?key=${KEY}&token=${TOKEN}` };
const idempotencyKey = 'stripe:evt_1:googleChat:';
const chat = () => nock('https://chat.googleapis.com').post(PATH).query({ key: KEY, token: TOKEN, requestId: idempotencyKey });

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ChannelError) return error;
		throw error;
	}
	throw new Error('expected a ChannelError');
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Google Chat webhook', () => {
	it('posts the text and a card (subject as header, facts as decoratedText) with the idempotency key as requestId', async () => {
		const scope = chat().reply(200, fixtureJson('channels/googleChat/message.json'));
		const { tools, sent } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);

		const result = await googleChat.send(delivery({ to: '', idempotencyKey }), tools);

		expect(result).toEqual({ providerMessageId: 'spaces/AAAAAAAAAAA/messages/CCCCCCCCCCC' });
		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		expect(sent[0].url).toBe(`https://chat.googleapis.com${PATH}?key=${KEY}&token=${TOKEN}&requestId=stripe%3Aevt_1%3AgoogleChat%3A`);
		expect(sent[0].headers.authorization).toBeUndefined();
		expect(sent[0].headers['content-type']).toBe('application/json; charset=UTF-8');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!',
			cardsV2: [
				{
					cardId: 'paymentConfirmation',
					card: {
						header: { title: 'Payment received: $20.00' },
						sections: [
							{
								widgets: [
									{ decoratedText: { topLabel: 'Amount', text: '$20.00' } },
									{ decoratedText: { topLabel: 'Reference', text: 'INV-0042' } },
								],
							},
						],
					},
				},
			],
		});
		scope.done();
	});

	it('sends only the text when there is no subject and no fact, and escapes HTML in card values', async () => {
		chat().reply(200, fixtureJson('channels/googleChat/message.json'));
		chat().reply(200, fixtureJson('channels/googleChat/message.json'));
		const { tools, sent } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);

		await googleChat.send(delivery({ idempotencyKey, message: { text: 'Paid.' } }), tools);
		await googleChat.send(delivery({ idempotencyKey, message: { text: 'Paid.', facts: [{ name: 'Ref', value: '<b>A&B</b>' }] } }), tools);

		expect(JSON.parse(sent[0].body as string)).toEqual({ text: 'Paid.' });
		expect(JSON.parse(sent[1].body as string).cardsV2[0].card).toEqual({
			sections: [{ widgets: [{ decoratedText: { topLabel: 'Ref', text: '&lt;b&gt;A&amp;B&lt;/b&gt;' } }] }],
		});
	});

	it("turns Google's documented error body into a final ChannelError with its message and status", async () => {
		chat().reply(400, fixtureJson('channels/googleChat/error_400.json'));
		const { tools } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);

		const error = await failure(googleChat.send(delivery({ idempotencyKey }), tools));

		expect(error.message).toBe('Google Chat: API key not valid. Please pass a valid API key. (code INVALID_ARGUMENT)');
		expect(error.details).toEqual({ retryable: false, code: 'INVALID_ARGUMENT', status: 400, retryAfterMs: undefined });
	});

	it('retries a 429 after its Retry-After', async () => {
		chat().reply(429, '', { 'Retry-After': '7' });
		const { tools } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);

		const error = await failure(googleChat.send(delivery({ idempotencyKey }), tools));

		expect(error.details).toEqual({ retryable: true, code: '429', status: 429, retryAfterMs: 7000 });
	});

	it('retries a 5xx', async () => {
		chat().reply(503, '');
		const { tools } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);

		const error = await failure(googleChat.send(delivery({ idempotencyKey }), tools));

		expect(error.details).toMatchObject({ retryable: true, status: 503 });
	});

	it('posts below the Base URL Override when one is set, keeping key and token', async () => {
		const scope = nock('http://localhost:4010').post(PATH).query({ key: KEY, token: TOKEN, requestId: idempotencyKey }).reply(200, {});
		const { tools } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), { ...credentials, baseUrl: 'http://localhost:4010' });

		await googleChat.send(delivery({ idempotencyKey }), tools);

		scope.done();
	});

	it('never puts the key or the token in an error message', async () => {
		chat().reply(400, fixtureJson('channels/googleChat/error_400.json'));
		chat().reply(429, '');
		chat().reply(500, '');
		const { tools } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), credentials);
		const messages: string[] = [];
		for (let attempt = 0; attempt < 3; attempt++) messages.push((await failure(googleChat.send(delivery({ idempotencyKey }), tools))).message);
		const { tools: broken } = channelTools(googleChat, new PaymentEventsGoogleChatWebhookApi(), {
			webhookUrl: `http://chat.googleapis.com${PATH}?key=${KEY}&token=${TOKEN}`,
		});
		const refused = await failure(googleChat.send(delivery(), broken));
		expect(refused.details).toMatchObject({ retryable: false, code: 'no_webhook_url' });
		messages.push(refused.message);

		for (const message of messages) {
			expect(message).not.toContain(TOKEN);
			expect(message).not.toContain(KEY);
		}
	});
});
