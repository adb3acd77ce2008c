import nock from 'nock';

import { PaymentEventsClickSendApi } from '../../../credentials/PaymentEventsClickSendApi.credentials';
import { clicksend } from '../../../nodes/channels/clicksend';
import { ChannelError, type SendResult } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// The Send SMS example response of ClickSend's v3 API reference: two messages, in the order posted (see SOURCES.md).
type Sample = { data: { messages: Array<Record<string, unknown>> } };
const queued = fixtureJson<Sample>('channels/clicksend/sms.send.json');

/** The sample with its second message refused with a documented application status code. */
function withSecondRefused(status: string): Sample {
	const [first, second] = queued.data.messages;
	return { ...queued, data: { ...queued.data, messages: [first, { ...second, status }] } };
}

const USERNAME = 'payments@example.com';
const KEY = 'clicksend-api-key-secret';
const BASIC = `Basic ${Buffer.from(`${USERNAME}:${KEY}`).toString('base64')}`;
const tools = () => channelTools(clicksend, new PaymentEventsClickSendApi(), { username: USERNAME, apiKey: KEY });
const api = () => nock('https://rest.clicksend.com', { reqheaders: { authorization: BASIC, 'content-type': 'application/json' } });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (caught: unknown) => caught as ChannelError);

const jenny = delivery();
const homer = delivery({ to: '+61411111111', name: 'Homer', idempotencyKey: 'stripe:evt_2:clicksend:+61411111111' });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('ClickSend SMS channel', () => {
	it('posts one message with source, body, to and custom_string, and reads its message_id', async () => {
		const scope = api()
			.post('/v3/sms/send', {
				messages: [{ source: 'n8n', body: jenny.message.text, to: jenny.to, custom_string: jenny.idempotencyKey }],
			})
			.reply(200, { ...queued, data: { ...queued.data, messages: [queued.data.messages[0]] } });

		const result = await clicksend.send(jenny, tools().tools);

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({ providerMessageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AE', providerStatus: 'SUCCESS' });
	});

	it('sends from the configured sender when there is one', async () => {
		const scope = api()
			.post('/v3/sms/send', (body: { messages: Array<{ from?: string }> }) => body.messages[0].from === 'ACME')
			.reply(200, queued);
		await clicksend.send(delivery({ settings: { from: 'ACME' } }), tools().tools);
		expect(scope.isDone()).toBe(true);
	});

	it('batches up to the 1000 messages ClickSend takes per request, one result per delivery in order', async () => {
		const scope = api()
			.post('/v3/sms/send', {
				messages: [jenny, homer].map((each) => ({ source: 'n8n', body: each.message.text, to: each.to, custom_string: each.idempotencyKey })),
			})
			.reply(200, queued);

		const results = await clicksend.batch!.send([jenny, homer], tools().tools);

		expect(clicksend.batch!.max).toBe(1000);
		expect(scope.isDone()).toBe(true);
		expect(results).toEqual<SendResult[]>([
			{ providerMessageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AE', providerStatus: 'SUCCESS' },
			{ providerMessageId: 'D0C273EE-816D-4DF2-8E9D-9D9C65F168F3', providerStatus: 'SUCCESS' },
		]);
	});

	it('reports a refused message of a batch as its own ChannelError, not retryable, and keeps the others', async () => {
		api().post('/v3/sms/send').reply(200, withSecondRefused('INVALID_RECIPIENT'));

		const [first, second] = await clicksend.batch!.send([jenny, homer], tools().tools);

		expect(first).toEqual({ providerMessageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AE', providerStatus: 'SUCCESS' });
		expect(second).toBeInstanceOf(ChannelError);
		expect((second as ChannelError).message).toBe('ClickSend: message not sent (INVALID_RECIPIENT)');
		expect((second as ChannelError).details).toMatchObject({ retryable: false, code: 'INVALID_RECIPIENT' });
	});

	it('throws the refusal of a single message', async () => {
		const refused = withSecondRefused('INVALID_RECIPIENT');
		api().post('/v3/sms/send').reply(200, { ...refused, data: { ...refused.data, messages: [refused.data.messages[1]] } });

		const error = await failure(clicksend.send(jenny, tools().tools));

		expect(error?.details).toMatchObject({ retryable: false, code: 'INVALID_RECIPIENT' });
	});

	it('fails a rejected request, not retryable, and retries a 429 after its Retry-After and a 5xx', async () => {
		api().post('/v3/sms/send').reply(401, '');
		const refused = await failure(clicksend.send(jenny, tools().tools));
		expect(refused?.details).toMatchObject({ retryable: false, status: 401 });

		api().post('/v3/sms/send').reply(429, '', { 'Retry-After': '5' });
		const limited = await failure(clicksend.batch!.send([jenny, homer], tools().tools));
		expect(limited?.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 5000 });

		api().post('/v3/sms/send').reply(502, '');
		const down = await failure(clicksend.send(jenny, tools().tools));
		expect(down?.details).toMatchObject({ retryable: true, status: 502 });
		for (const error of [refused, limited, down]) expect(error?.message).not.toContain(KEY);
	});
});
