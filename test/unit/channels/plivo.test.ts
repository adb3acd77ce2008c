import nock from 'nock';

import { PaymentEventsPlivoApi } from '../../../credentials/PaymentEventsPlivoApi.credentials';
import { plivo } from '../../../nodes/channels/plivo';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Plivo's documented send response and error body (https://www.plivo.com/docs/messaging/api/response, see SOURCES.md).
const queued = fixtureJson('channels/plivo/message.send.json');
const notFound = fixtureJson('channels/plivo/error.json');
const invalidNumber = fixtureJson('channels/plivo/message.send.invalid_number.json');

const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
const TOKEN = 'plivo-auth-token-secret';
const BASIC = `Basic ${Buffer.from(`${AUTH_ID}:${TOKEN}`).toString('base64')}`;
const PATH = `/v1/Account/${AUTH_ID}/Message/`;

const tools = () => channelTools(plivo, new PaymentEventsPlivoApi(), { authId: AUTH_ID, authToken: TOKEN });
const api = () => nock('https://api.plivo.com', { reqheaders: { authorization: BASIC, 'content-type': 'application/json' } });
const message = () => delivery({ settings: { from: '+14155550100' } });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (caught: unknown) => caught as ChannelError);

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Plivo SMS channel', () => {
	it('posts src, dst and text as JSON with basic auth, and reads the first message_uuid', async () => {
		const text = message().message.text;
		const scope = api().post(PATH, { src: '14155550100', dst: '14155552671', text }).reply(202, queued);

		const result = await plivo.send(message(), tools().tools);

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({ providerMessageId: 'db3ce55a-7f1d-11e1-8ea7-1231380bc196', providerStatus: 'message(s) queued' });
	});

	it('keeps an alphanumeric sender ID as it is', async () => {
		const scope = api().post(PATH, (body: { src?: string }) => body.src === 'ACME').reply(202, queued);
		await plivo.send(delivery({ settings: { from: 'ACME' } }), tools().tools);
		expect(scope.isDone()).toBe(true);
	});

	it("turns Plivo's error body into a ChannelError with its message, not retryable", async () => {
		api().post(PATH).reply(404, notFound);

		const error = await failure(plivo.send(message(), tools().tools));

		expect(error).toBeInstanceOf(ChannelError);
		expect(error?.message).toBe('Plivo: not found');
		expect(error?.details).toMatchObject({ retryable: false, code: '404', status: 404 });
	});

	it('fails, not retryable, when Plivo lists the destination in invalid_number and queues nothing', async () => {
		api().post(PATH).reply(202, invalidNumber);

		const error = await failure(plivo.send(message(), tools().tools));

		expect(error?.details).toMatchObject({ retryable: false, code: 'invalid_number' });
	});

	it('retries a 429 after its Retry-After, and a 500', async () => {
		api().post(PATH).reply(429, notFound, { 'Retry-After': '3' });
		const limited = await failure(plivo.send(message(), tools().tools));
		expect(limited?.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });

		api().post(PATH).reply(500, notFound);
		const down = await failure(plivo.send(message(), tools().tools));
		expect(down?.details).toMatchObject({ retryable: true, status: 500 });
		for (const error of [limited, down]) expect(error?.message).not.toContain(TOKEN);
	});
});
