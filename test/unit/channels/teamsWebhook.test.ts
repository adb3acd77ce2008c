import nock from 'nock';

import { PaymentEventsTeamsWebhookApi } from '../../../credentials/PaymentEventsTeamsWebhookApi.credentials';
import { teamsWebhook } from '../../../nodes/channels/teamsWebhook';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureBytes } from '../providers/fixtures';

// Samples: test/fixtures/channels/teamsWebhook (Microsoft Teams connector docs, see SOURCES.md there).
const SIG = 'kUaNtSv6O6eXKvTzxUZ0nE1yWHDZ7-BNq0hMZH3EYiE';
const HOST = 'https://prod-00.westus.logic.azure.com';
const PATH = '/workflows/8a1b2c3d4e5f/triggers/manual/paths/invoke';
const QUERY = `api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const credentials = { webhookUrl: `${HOST}:443${PATH}?${QUERY}` };
const answer = (file: string) => fixtureBytes(`channels/teamsWebhook/${file}`).toString('utf8');
const workflow = () => nock(HOST).post(PATH).query(true);

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

describe('Microsoft Teams webhook (Workflows or connector)', () => {
	it('posts the documented message with one Adaptive Card: subject, text and the facts as a FactSet', async () => {
		const scope = workflow().reply(202);
		const { tools, sent } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		const result = await teamsWebhook.send(delivery({ to: '' }), tools);

		expect(result).toEqual({ providerStatus: 'accepted' });
		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		expect(sent[0].url).toBe(`${HOST}${PATH}?${QUERY}`);
		expect(sent[0].headers.authorization).toBeUndefined();
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			type: 'message',
			attachments: [
				{
					contentType: 'application/vnd.microsoft.card.adaptive',
					contentUrl: null,
					content: {
						$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
						type: 'AdaptiveCard',
						version: '1.2',
						body: [
							{ type: 'TextBlock', text: 'Payment received: $20.00', weight: 'Bolder', size: 'Medium', wrap: true },
							{ type: 'TextBlock', text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!', wrap: true },
							{
								type: 'FactSet',
								facts: [
									{ title: 'Amount', value: '$20.00' },
									{ title: 'Reference', value: 'INV-0042' },
								],
							},
						],
					},
				},
			],
		});
		scope.done();
	});

	it('leaves out the title and the FactSet when the message has neither', async () => {
		workflow().reply(202);
		const { tools, sent } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		await teamsWebhook.send(delivery({ message: { text: 'Paid.' } }), tools);

		expect(JSON.parse(sent[0].body as string).attachments[0].content.body).toEqual([{ type: 'TextBlock', text: 'Paid.', wrap: true }]);
	});

	it('takes a connector webhook\'s "1" as success', async () => {
		nock('https://contoso.webhook.office.com').post('/webhookb2/a/IncomingWebhook/b/c').reply(200, answer('connector_ok.txt'));
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), {
			webhookUrl: 'https://contoso.webhook.office.com/webhookb2/a/IncomingWebhook/b/c',
		});

		expect(await teamsWebhook.send(delivery(), tools)).toEqual({ providerStatus: 'sent' });
	});

	it('retries the throttling a connector reports with HTTP 200 in its body', async () => {
		workflow().reply(200, answer('connector_throttled.txt'));
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		const error = await failure(teamsWebhook.send(delivery(), tools));

		expect(error.message).toBe('Microsoft Teams webhook: Microsoft Teams endpoint returned HTTP error 429');
		expect(error.details).toEqual({ retryable: true, code: '429', status: 200 });
	});

	it('fails for good on a 4xx', async () => {
		workflow().reply(400, '');
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		const error = await failure(teamsWebhook.send(delivery(), tools));

		expect(error.message).toBe('Microsoft Teams webhook: HTTP 400');
		expect(error.details).toEqual({ retryable: false, code: '400', status: 400, retryAfterMs: undefined });
	});

	it('retries a 429 after its Retry-After', async () => {
		workflow().reply(429, '', { 'Retry-After': '5' });
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		const error = await failure(teamsWebhook.send(delivery(), tools));

		expect(error.details).toEqual({ retryable: true, code: '429', status: 429, retryAfterMs: 5000 });
	});

	it('retries a 5xx', async () => {
		workflow().reply(502, '');
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);

		const error = await failure(teamsWebhook.send(delivery(), tools));

		expect(error.details).toMatchObject({ retryable: true, status: 502 });
	});

	it('never puts the URL or its signature in an error message', async () => {
		workflow().reply(200, answer('connector_throttled.txt'));
		workflow().reply(400, '');
		workflow().reply(503, '');
		workflow().reply(502, `Bad gateway: POST ${HOST}${PATH}?${QUERY}`);
		workflow().reply(400, { error: { code: 'InvalidSignature', message: `sig=${SIG}` } });
		const { tools } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), credentials);
		const messages: string[] = [];
		for (let attempt = 0; attempt < 5; attempt++) messages.push((await failure(teamsWebhook.send(delivery(), tools))).message);
		const { tools: broken } = channelTools(teamsWebhook, new PaymentEventsTeamsWebhookApi(), { webhookUrl: `http://example.com/?sig=${SIG}` });
		const refused = await failure(teamsWebhook.send(delivery(), broken));
		expect(refused.details).toMatchObject({ retryable: false, code: 'no_webhook_url' });
		messages.push(refused.message);

		expect(messages[3]).toBe('Microsoft Teams webhook: Bad gateway: POST …');
		for (const message of messages) {
			expect(message).not.toContain(SIG);
			expect(message).not.toContain(PATH);
		}
	});
});
