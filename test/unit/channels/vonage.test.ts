import nock from 'nock';

import { PaymentEventsVonageApi } from '../../../credentials/PaymentEventsVonageApi.credentials';
import { vonage } from '../../../nodes/channels/vonage';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Responses from Vonage's SDK test fixtures (see SOURCES.md): the SMS API answers HTTP 200 and reports each message's status.
const sent = fixtureJson('channels/vonage/sms.success.json');
const throttled = fixtureJson('channels/vonage/sms.throttled.json');
const unroutable = fixtureJson('channels/vonage/sms.unroutable.json');

const KEY = 'abcd1234';
const SECRET = 'vonage-api-secret';
const tools = () => channelTools(vonage, new PaymentEventsVonageApi(), { apiKey: KEY, apiSecret: SECRET });
const api = () => nock('https://rest.nexmo.com', { reqheaders: { 'content-type': 'application/x-www-form-urlencoded' } });
const message = () => delivery({ settings: { from: '+12126875309' } });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (caught: unknown) => caught as ChannelError);

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Vonage SMS channel', () => {
	it('posts the documented form with the key and secret, and reads the message-id', async () => {
		const { tools: channel, sent: requests } = tools();
		const scope = api().post('/sms/json').reply(200, sent);

		const result = await vonage.send(message(), channel);

		expect(scope.isDone()).toBe(true);
		expect(requests[0].url).toBe('https://rest.nexmo.com/sms/json');
		expect(requests[0].headers.authorization).toBeUndefined();
		expect(Object.fromEntries(new URLSearchParams(String(requests[0].body)))).toEqual({
			api_key: KEY,
			api_secret: SECRET,
			from: '12126875309',
			to: '14155552671',
			text: message().message.text,
			'client-ref': message().idempotencyKey,
		});
		expect(result).toEqual({ providerMessageId: '986ebc8e-46de-4f80-88e4-21d4c5d0c0a6', providerStatus: '0' });
	});

	it('fails, not retryable, on a refused message even though the HTTP status is 200', async () => {
		api().post('/sms/json').reply(200, unroutable);

		const error = await failure(vonage.send(message(), tools().tools));

		expect(error).toBeInstanceOf(ChannelError);
		expect(error?.message).toBe('Vonage: Unroutable message - rejected (status 6)');
		expect(error?.details).toMatchObject({ retryable: false, code: '6', status: 200 });
		expect(error?.message).not.toContain(SECRET);
	});

	it('retries a throttled message (status 1)', async () => {
		api().post('/sms/json').reply(200, throttled);

		const error = await failure(vonage.send(message(), tools().tools));

		expect(error?.message).toBe('Vonage: Too many requests (status 1)');
		expect(error?.details).toMatchObject({ retryable: true, code: '1' });
	});

	it('retries an HTTP 429 after its Retry-After, and a 5xx', async () => {
		api().post('/sms/json').reply(429, '', { 'Retry-After': '2' });
		const limited = await failure(vonage.send(message(), tools().tools));
		expect(limited?.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });

		api().post('/sms/json').reply(500, '');
		const down = await failure(vonage.send(message(), tools().tools));
		expect(down?.details).toMatchObject({ retryable: true, status: 500 });
		for (const error of [limited, down]) expect(error?.message).not.toContain(SECRET);
	});
});
