import nock from 'nock';

import { PaymentEventsSlackWebhookApi } from '../../../credentials/PaymentEventsSlackWebhookApi.credentials';
import { slackBlocks } from '../../../nodes/channels/slack';
import { slackWebhook } from '../../../nodes/channels/slackWebhook';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureBytes } from '../providers/fixtures';

// Samples: test/fixtures/channels/slackWebhook (Slack's incoming webhook docs, see SOURCES.md there).
const SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';
const PATH = `/services/T00000000/B00000000/${SECRET}`;
const credentials = { webhookUrl: `https://hooks.slack.com${PATH}` };
const answer = (file: string) => fixtureBytes(`channels/slackWebhook/${file}`).toString('utf8');
const hooks = () => nock('https://hooks.slack.com');

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

describe('Slack incoming webhook', () => {
	it('posts { text, blocks } to the webhook URL with no other credential, and takes "ok" as success', async () => {
		const scope = hooks().post(PATH).reply(200, answer('ok.txt'), { 'Content-Type': 'text/html' });
		const { tools, sent } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), credentials);
		const message = delivery({ to: '' });

		const result = await slackWebhook.send(message, tools);

		expect(result).toEqual({ providerStatus: 'ok' });
		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		expect(sent[0].url).toBe(credentials.webhookUrl);
		expect(sent[0].headers.authorization).toBeUndefined();
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!',
			blocks: slackBlocks(message.message),
		});
		expect(JSON.parse(sent[0].body as string).blocks[2].fields[0]).toEqual({ type: 'mrkdwn', text: '*Amount*\n$20.00' });
		scope.done();
	});

	it('posts below the Base URL Override when one is set', async () => {
		const scope = nock('http://localhost:4010').post(PATH).reply(200, answer('ok.txt'));
		const { tools } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), { ...credentials, baseUrl: 'http://localhost:4010' });

		await slackWebhook.send(delivery(), tools);

		scope.done();
	});

	it("turns a documented error string into a final ChannelError with Slack's code, without the URL", async () => {
		hooks().post(PATH).reply(404, answer('channel_not_found.txt'));
		const { tools } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), credentials);

		const error = await failure(slackWebhook.send(delivery(), tools));

		expect(error.message).toBe('Slack webhook: channel_not_found (code channel_not_found)');
		expect(error.details).toEqual({ retryable: false, code: 'channel_not_found', status: 404, retryAfterMs: undefined });
		expect(error.message).not.toContain(SECRET);
	});

	it('retries a 429 after its Retry-After', async () => {
		hooks().post(PATH).reply(429, '', { 'Retry-After': '1' });
		const { tools } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), credentials);

		const error = await failure(slackWebhook.send(delivery(), tools));

		expect(error.details).toEqual({ retryable: true, code: '429', status: 429, retryAfterMs: 1000 });
	});

	it('retries a 5xx (rollup_error)', async () => {
		hooks().post(PATH).reply(500, answer('rollup_error.txt'));
		const { tools } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), credentials);

		const error = await failure(slackWebhook.send(delivery(), tools));

		expect(error.message).toBe('Slack webhook: rollup_error (code rollup_error)');
		expect(error.details).toMatchObject({ retryable: true, status: 500 });
	});

	it('does not repeat an unexpected answer (an HTML page from a proxy) as the error', async () => {
		hooks().post(PATH).reply(502, `<html><body>Bad gateway for ${PATH}</body></html>`);
		const { tools } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), credentials);

		const error = await failure(slackWebhook.send(delivery(), tools));

		expect(error.message).toBe('Slack webhook: HTTP 502');
		expect(error.details.retryable).toBe(true);
	});

	it('refuses a missing or non-https URL before sending, without repeating it', async () => {
		for (const webhookUrl of ['', `http://hooks.slack.com${PATH}`, `hooks.slack.com${PATH}`]) {
			const { tools, sent } = channelTools(slackWebhook, new PaymentEventsSlackWebhookApi(), { webhookUrl });
			const error = await failure(slackWebhook.send(delivery(), tools));
			expect(sent).toHaveLength(0);
			expect(error.details).toMatchObject({ retryable: false, code: 'no_webhook_url' });
			expect(error.message).not.toContain(SECRET);
		}
	});
});
