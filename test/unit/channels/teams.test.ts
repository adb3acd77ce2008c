import nock from 'nock';

import { PaymentEventsMicrosoftTeamsOAuth2Api } from '../../../credentials/PaymentEventsMicrosoftTeamsOAuth2Api.credentials';
import { teams } from '../../../nodes/channels/teams';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/teams (Microsoft Graph reference, see SOURCES.md there).
const ACCESS_TOKEN = 'graph_access_token';
const credentials = { tenantId: 'contoso.onmicrosoft.com', oauthTokenData: { access_token: ACCESS_TOKEN } };
// The team and channel of the documented example request.
const settings = { teamId: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b', channelId: '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2' };
const PATH = '/v1.0/teams/fbe2bf47-16c8-47cf-b4a5-4b9b187c508b/channels/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/messages';
const graph = () => nock('https://graph.microsoft.com', { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } }).post(PATH);

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

describe('Microsoft Teams channel message (Graph API)', () => {
	it('posts the subject and an HTML body with the facts to the channel, and reads the created message id', async () => {
		const scope = graph().reply(201, fixtureJson('channels/teams/channel_post_messages_201.json'));
		const { tools, sent } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		const result = await teams.send(delivery({ to: '', settings }), tools);

		expect(result).toEqual({ providerMessageId: '1616990032035' });
		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('POST');
		expect(sent[0].url).toBe(`https://graph.microsoft.com${PATH}`);
		expect(sent[0].headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			subject: 'Payment received: $20.00',
			body: {
				contentType: 'html',
				content:
					'<p>Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!</p><p><b>Amount</b>: $20.00<br><b>Reference</b>: INV-0042</p>',
			},
		});
		scope.done();
	});

	it('escapes the text and the facts into the HTML, and keeps line breaks', async () => {
		graph().reply(201, fixtureJson('channels/teams/channel_post_messages_201.json'));
		const { tools, sent } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		await teams.send(
			delivery({ settings, message: { text: 'Hi <b>"Jo" & co</b>\nThanks', facts: [{ name: 'A<B', value: '<script>' }] } }),
			tools,
		);

		expect(JSON.parse(sent[0].body as string)).toEqual({
			body: {
				contentType: 'html',
				content: '<p>Hi &lt;b&gt;&quot;Jo&quot; &amp; co&lt;/b&gt;<br>Thanks</p><p><b>A&lt;B</b>: &lt;script&gt;</p>',
			},
		});
	});

	it('sends nothing without a team and a channel, and fails for good', async () => {
		const { tools, sent } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		const error = await failure(teams.send(delivery({ settings: { teamId: settings.teamId } }), tools));

		expect(sent).toHaveLength(0);
		expect(error.details).toMatchObject({ retryable: false, code: 'no_channel' });
	});

	it("turns Graph's documented error body into a final ChannelError with its message and code", async () => {
		graph().reply(400, fixtureJson('channels/teams/error.json'));
		const { tools } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		const error = await failure(teams.send(delivery({ settings }), tools));

		expect(error.message).toBe('Microsoft Teams: Uploaded fragment overlaps with existing data. (code invalidRange)');
		expect(error.details).toEqual({ retryable: false, code: 'invalidRange', status: 400, retryAfterMs: undefined });
	});

	it("retries Graph's documented throttling answer after its Retry-After", async () => {
		graph().reply(429, fixtureJson('channels/teams/throttled_429.json'), { 'Retry-After': '10' });
		const { tools } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		const error = await failure(teams.send(delivery({ settings }), tools));

		expect(error.message).toBe('Microsoft Teams: Please retry again later. (code TooManyRequests)');
		expect(error.details).toEqual({ retryable: true, code: 'TooManyRequests', status: 429, retryAfterMs: 10_000 });
	});

	it('retries a 5xx', async () => {
		graph().reply(503, '');
		const { tools } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		const error = await failure(teams.send(delivery({ settings }), tools));

		expect(error.details).toMatchObject({ retryable: true, status: 503 });
	});

	it('never puts the access token in an error message', async () => {
		graph().reply(400, fixtureJson('channels/teams/error.json'));
		graph().reply(429, fixtureJson('channels/teams/throttled_429.json'));
		graph().reply(500, '');
		const { tools } = channelTools(teams, new PaymentEventsMicrosoftTeamsOAuth2Api(), credentials);

		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await failure(teams.send(delivery({ settings }), tools))).message).not.toContain(ACCESS_TOKEN);
		}
	});
});

describe('the Microsoft Teams credential', () => {
	it('signs a user in with the Microsoft identity platform for ChannelMessage.Send, and tests with GET /me', () => {
		const credential = new PaymentEventsMicrosoftTeamsOAuth2Api();
		const defaults = Object.fromEntries(credential.properties.map((property) => [property.name, property.default]));
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(defaults).toMatchObject({
			grantType: 'authorizationCode',
			authUrl: '=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/authorize',
			accessTokenUrl: '=https://login.microsoftonline.com/{{$self["tenantId"]}}/oauth2/v2.0/token',
			scope: 'ChannelMessage.Send User.Read offline_access',
		});
		expect(credential.test.request.url).toBe('/v1.0/me');
	});
});
