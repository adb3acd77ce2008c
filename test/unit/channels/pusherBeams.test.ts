import nock from 'nock';

import { PaymentEventsPusherBeamsApi } from '../../../credentials/PaymentEventsPusherBeamsApi.credentials';
import { pusherBeams } from '../../../nodes/channels/pusherBeams';
import { ChannelError, type Delivery } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/pusherBeams (pusher/push-notifications-node SDK tests and the Publish API reference, see SOURCES.md there).
const INSTANCE = '8f9a6e22-2483-49aa-8552-125f1a4c5781';
const SECRET = 'F8AC0B756E50DF235F642D6F0DC2CDE0328CD9184B3874C5E91AB2189BB722FE';
const HOST = `https://${INSTANCE}.pushnotifications.pusher.com`;
const PATH = `/publish_api/v1/instances/${INSTANCE}/publishes/users`;
const TEXT = 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!';
const push = (to = 'user-0042', overrides: Partial<Delivery> = {}) =>
	delivery({ to, idempotencyKey: `stripe:evt_1:pusherBeams:${to}`, ...overrides });

function tools() {
	return channelTools(pusherBeams, new PaymentEventsPusherBeamsApi(), { instanceId: INSTANCE, secretKey: SECRET });
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

function published(users: string[], title = 'Payment received: $20.00', body = TEXT) {
	return {
		users,
		web: { notification: { title, body } },
		fcm: { notification: { title, body } },
		apns: { aps: { alert: { title, body } } },
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Pusher Beams publish to users', () => {
	it('posts to the instance host with the secret key as a bearer token, and reads publishId', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' } })
			.post(PATH, (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('channels/pusherBeams/publish_response.json'));

		await expect(pusherBeams.send(push(), tools().tools)).resolves.toEqual({ providerMessageId: '123456', providerStatus: 'accepted' });
		expect(body).toEqual(published(['user-0042']));
	});

	it('the documented error body → a final ChannelError with description and error', async () => {
		nock(HOST).post(PATH).reply(400, fixtureJson('channels/pusherBeams/error_400.json'));

		const error = await failure(() => pusherBeams.send(push(), tools().tools));
		expect(error.message).toBe('Pusher Beams: A fake error. (code Fake error)');
		expect(error.details).toMatchObject({ retryable: false, code: 'Fake error', status: 400 });
		expect(error.message).not.toContain(SECRET);
	});

	it('a 429 with Retry-After and a 5xx are retryable', async () => {
		nock(HOST).post(PATH).reply(429, fixtureJson('channels/pusherBeams/error_400.json'), { 'Retry-After': '30' });
		nock(HOST).post(PATH).reply(500, 'thisisnotjson{{{{{');

		const limited = await failure(() => pusherBeams.send(push(), tools().tools));
		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 30_000 });
		const down = await failure(() => pusherBeams.send(push(), tools().tools));
		expect(down.message).toBe('Pusher Beams: HTTP 500');
		expect(down.details).toMatchObject({ retryable: true, status: 500 });
	});

	it('batch: one publish to up to 1000 users, the publishId for each', async () => {
		const users = Array.from({ length: 1000 }, (_, index) => `user-${index}`);
		let body: { users?: string[] } = {};
		nock(HOST)
			.post(PATH, (sent) => {
				body = sent as { users?: string[] };
				return true;
			})
			.reply(200, fixtureJson('channels/pusherBeams/publish_response.json'));

		expect(pusherBeams.batch?.max).toBe(1000);
		const results = await pusherBeams.batch!.send(users.map((user) => push(user)), tools().tools);
		expect(body).toEqual(published(users));
		expect(results).toHaveLength(1000);
		expect(results.every((result) => !(result instanceof ChannelError) && result.providerMessageId === '123456')).toBe(true);
	});

	it('batch: a failed publish is the same error for every delivery', async () => {
		nock(HOST).post(PATH).reply(400, fixtureJson('channels/pusherBeams/error_400.json'));

		const results = await pusherBeams.batch!.send([push('a'), push('b')], tools().tools);
		expect(results).toHaveLength(2);
		for (const result of results) {
			expect(result).toBeInstanceOf(ChannelError);
			expect((result as ChannelError).details.retryable).toBe(false);
		}
	});
});
