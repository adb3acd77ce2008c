import nock from 'nock';
import twilioSdk from 'twilio';

import { PaymentEventsTwilioApi } from '../../../credentials/PaymentEventsTwilioApi.credentials';
import { twilio } from '../../../nodes/channels/twilio';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Create-message response: twilio-node's spec fixture; error: twilio-node's RestException fixture (see SOURCES.md).
const created = fixtureJson('channels/twilio/message.create_with_queued_status.json');
const restException = fixtureJson('channels/twilio/rest_exception.json');

const ACCOUNT = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN = 'twilio-auth-token-secret';
const credentials = { accountSid: ACCOUNT, authToken: TOKEN };
const BASIC = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;
const PATH = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;

const tools = () => channelTools(twilio, new PaymentEventsTwilioApi(), credentials);
const api = () => nock('https://api.twilio.com', { reqheaders: { authorization: BASIC } });

interface SdkRequest {
	method: string;
	uri: string;
	username?: string;
	password?: string;
	data?: Record<string, string>;
}

/** The request the official twilio package makes for the same message, answered with `reply`. */
async function sdkOracle(params: { to: string; body: string; from?: string; messagingServiceSid?: string }, reply = { statusCode: 201, body: created }) {
	const requests: SdkRequest[] = [];
	const client = twilioSdk(ACCOUNT, TOKEN, {
		httpClient: {
			request: async (options: SdkRequest) => {
				requests.push(options);
				return { statusCode: reply.statusCode, body: reply.body, headers: {} };
			},
		} as never,
	});
	let error: unknown;
	const message = await client.messages.create(params as never).catch((caught: unknown) => {
		error = caught;
		return undefined;
	});
	return { request: requests[0], message, error };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Twilio SMS channel', () => {
	it('sends the request the official twilio package sends, and reads the sid and status of the created message', async () => {
		const message = delivery({ settings: { from: '+15017122661' } });
		const { tools: channel, sent } = tools();
		const scope = api().post(PATH).reply(201, created);

		const result = await twilio.send(message, channel);

		expect(scope.isDone()).toBe(true);
		const oracle = await sdkOracle({ to: message.to, from: '+15017122661', body: message.message.text });
		expect(sent[0].method).toBe(oracle.request.method.toUpperCase());
		expect(sent[0].url).toBe(oracle.request.uri);
		expect(sent[0].headers.authorization).toBe(`Basic ${Buffer.from(`${oracle.request.username}:${oracle.request.password}`).toString('base64')}`);
		expect(sent[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(String(sent[0].body)))).toEqual(oracle.request.data);
		expect(result).toEqual({ providerMessageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', providerStatus: 'queued' });
		expect(oracle.message).toMatchObject({ sid: result.providerMessageId, status: result.providerStatus });
	});

	it('sends from a Messaging Service as MessagingServiceSid, as the twilio package does', async () => {
		const service = 'MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
		const message = delivery({ settings: { from: service } });
		const { tools: channel, sent } = tools();
		api().post(PATH).reply(201, created);

		await twilio.send(message, channel);

		const oracle = await sdkOracle({ to: message.to, messagingServiceSid: service, body: message.message.text });
		expect(Object.fromEntries(new URLSearchParams(String(sent[0].body)))).toEqual(oracle.request.data);
		expect(oracle.request.data).toEqual({ To: message.to, MessagingServiceSid: service, Body: message.message.text });
	});

	it("turns Twilio's error body into a ChannelError with the same message and code the twilio package reads, not retryable", async () => {
		api().post(PATH).reply(400, restException);

		const error = await twilio.send(delivery({ settings: { from: '+15017122661' } }), tools().tools).catch((caught: unknown) => caught);

		const oracle = await sdkOracle({ to: '+14155552671', from: '+15017122661', body: 'x' }, { statusCode: 400, body: restException });
		const sdkError = oracle.error as { message: string; code: number };
		expect(error).toBeInstanceOf(ChannelError);
		expect((error as ChannelError).message).toBe(`Twilio: ${sdkError.message} (code ${sdkError.code})`);
		expect((error as ChannelError).details).toMatchObject({ retryable: false, code: String(sdkError.code), status: 400 });
		expect((error as ChannelError).message).not.toContain(TOKEN);
	});

	it('retries a 429 after the Retry-After Twilio sends, and a 5xx', async () => {
		api().post(PATH).reply(429, restException, { 'Retry-After': '7' });
		const limited = (await twilio.send(delivery({ settings: { from: '+15017122661' } }), tools().tools).catch((caught: unknown) => caught)) as ChannelError;
		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });

		api().post(PATH).reply(503, '');
		const down = (await twilio.send(delivery({ settings: { from: '+15017122661' } }), tools().tools).catch((caught: unknown) => caught)) as ChannelError;
		expect(down).toBeInstanceOf(ChannelError);
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
		expect(down.message).toBe('Twilio: HTTP 503');
		for (const error of [limited, down]) expect(error.message).not.toContain(TOKEN);
	});
});
