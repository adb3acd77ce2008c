import nock from 'nock';

import { PaymentEventsSlackApi } from '../../../credentials/PaymentEventsSlackApi.credentials';
import { slack } from '../../../nodes/channels/slack';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/slack (Slack's chat.postMessage reference, see SOURCES.md there).
const TOKEN = 'xoxb-test-token-not-real';
const credentials = { botToken: TOKEN };
const slackApi = () => nock('https://slack.com');

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ChannelError) return error;
		throw error;
	}
	throw new Error('expected a ChannelError');
}

const blocks = [
	{ type: 'header', text: { type: 'plain_text', text: 'Payment received: $20.00' } },
	{
		type: 'section',
		text: { type: 'mrkdwn', text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!' },
	},
	{
		type: 'section',
		fields: [
			{ type: 'mrkdwn', text: '*Amount*\n$20.00' },
			{ type: 'mrkdwn', text: '*Reference*\nINV-0042' },
		],
	},
];

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Slack chat.postMessage', () => {
	it('posts the text and Block Kit card to the recipient channel with the bot token, and reads ts as the message id', async () => {
		const scope = slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_ok.json'));
		const { tools, sent } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const result = await slack.send(delivery({ to: 'C123ABC456' }), tools);

		expect(result).toEqual({ providerMessageId: '1503435956.000247', providerStatus: 'ok' });
		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		expect(sent[0].url).toBe('https://slack.com/api/chat.postMessage');
		expect(sent[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(sent[0].headers['content-type']).toBe('application/json; charset=utf-8');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			channel: 'C123ABC456',
			text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!',
			blocks,
		});
		scope.done();
	});

	it('posts to the Default Channel setting when the recipient has no Slack ID', async () => {
		slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_ok.json'));
		const { tools, sent } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		await slack.send(delivery({ to: '', settings: { channel: 'C0PAYMENTS' } }), tools);

		expect(JSON.parse(sent[0].body as string).channel).toBe('C0PAYMENTS');
	});

	it('sends nothing without a channel, and fails for good', async () => {
		const { tools, sent } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const error = await failure(slack.send(delivery({ to: '' }), tools));

		expect(sent).toHaveLength(0);
		expect(error.details).toMatchObject({ retryable: false, code: 'no_channel' });
	});

	it('escapes &, < and > so a name cannot mention @channel or forge a link; facts go 10 to a section', async () => {
		slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_ok.json'));
		const { tools, sent } = channelTools(slack, new PaymentEventsSlackApi(), credentials);
		const facts = Array.from({ length: 12 }, (_, index) => ({ name: `Line ${index + 1}`, value: `<!channel> & ${index}` }));

		await slack.send(delivery({ to: 'C123ABC456', message: { text: 'Hi <!channel> & <https://evil.example|you>', facts } }), tools);

		const body = JSON.parse(sent[0].body as string);
		expect(body.text).toBe('Hi &lt;!channel&gt; &amp; &lt;https://evil.example|you&gt;');
		expect(body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: body.text } });
		expect(body.blocks[1].fields).toHaveLength(10);
		expect(body.blocks[2].fields).toEqual([
			{ type: 'mrkdwn', text: '*Line 11*\n&lt;!channel&gt; &amp; 10' },
			{ type: 'mrkdwn', text: '*Line 12*\n&lt;!channel&gt; &amp; 11' },
		]);
	});

	it("turns Slack's documented error (HTTP 200, ok: false) into a final ChannelError with its code", async () => {
		slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_error.json'));
		const { tools } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const error = await failure(slack.send(delivery({ to: 'C123ABC456' }), tools));

		expect(error.message).toBe('Slack: too_many_attachments (code too_many_attachments)');
		expect(error.details).toEqual({ retryable: false, code: 'too_many_attachments', status: 200, retryAfterMs: undefined });
	});

	it('retries a 429 after its Retry-After', async () => {
		slackApi()
			.post('/api/chat.postMessage')
			.reply(429, fixtureJson('channels/slack/chat_postMessage_ratelimited.json'), { 'Retry-After': '30' });
		const { tools } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const error = await failure(slack.send(delivery({ to: 'C123ABC456' }), tools));

		expect(error.details).toEqual({ retryable: true, code: 'ratelimited', status: 429, retryAfterMs: 30_000 });
	});

	it('retries the rate-limit codes Slack answers with HTTP 200 too', async () => {
		slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_ratelimited.json'));
		const { tools } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const error = await failure(slack.send(delivery({ to: 'C123ABC456' }), tools));

		expect(error.details).toMatchObject({ retryable: true, code: 'ratelimited', status: 200 });
	});

	it('retries a 5xx', async () => {
		slackApi().post('/api/chat.postMessage').reply(503, '');
		const { tools } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		const error = await failure(slack.send(delivery({ to: 'C123ABC456' }), tools));

		expect(error.message).toBe('Slack: HTTP 503');
		expect(error.details).toMatchObject({ retryable: true, status: 503 });
	});

	it('never puts the token in an error message', async () => {
		slackApi().post('/api/chat.postMessage').reply(200, fixtureJson('channels/slack/chat_postMessage_error.json'));
		slackApi().post('/api/chat.postMessage').reply(429, fixtureJson('channels/slack/chat_postMessage_ratelimited.json'));
		slackApi().post('/api/chat.postMessage').reply(500, '');
		const { tools } = channelTools(slack, new PaymentEventsSlackApi(), credentials);

		for (let attempt = 0; attempt < 3; attempt++) {
			const error = await failure(slack.send(delivery({ to: 'C123ABC456' }), tools));
			expect(error.message).not.toContain(TOKEN);
			expect(error.message).not.toContain('xoxb');
		}
	});
});

describe('the Slack credential', () => {
	it('sends the bot token as a Bearer header and tests it with auth.test, failing on ok: false', () => {
		const credential = new PaymentEventsSlackApi();
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.botToken}}' } },
		});
		expect(credential.test.request).toMatchObject({ url: '/api/auth.test', method: 'POST' });
		expect(credential.test.rules).toEqual([
			{ type: 'responseSuccessBody', properties: { key: 'ok', value: false, message: 'Slack rejected the token' } },
		]);
	});
});
