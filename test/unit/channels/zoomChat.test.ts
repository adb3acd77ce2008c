import nock from 'nock';
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { PaymentEventsZoomChatApi } from '../../../credentials/PaymentEventsZoomChatApi.credentials';
import { zoomChat } from '../../../nodes/channels/zoomChat';
import { ChannelError } from '../../../nodes/channels/types';
import { channelTools, delivery } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/channels/zoomChat (Zoom's chatbot guides, API reference and error docs, see SOURCES.md there).
const CLIENT_ID = 'zoom-client-id';
const CLIENT_SECRET = 'zoom-client-secret-not-real';
const TOKEN = 'chatbot-token-not-real';
const HOST = 'https://api.zoom.us';
const credentials = {
	clientId: CLIENT_ID,
	clientSecret: CLIENT_SECRET,
	robotJid: 'Wk9PTV9ST0JPVF9KSUQ@xmpp.zoom.us',
	accountId: 'Wk9PTV9BQ0NPVU5UX0lE',
	// What preAuthentication stored: n8n sends it through `authenticate`.
	accessToken: TOKEN,
};
const chat = () => delivery({ to: 'Wk9PTV9VU0VSX0lE@xmpp.zoom.us', idempotencyKey: 'stripe:evt_1:zoomChat:Wk9PTV9VU0VSX0lE@xmpp.zoom.us' });

function tools() {
	return channelTools(zoomChat, new PaymentEventsZoomChatApi(), credentials);
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

/** n8n's httpRequest as preAuthentication uses it: qs, basic auth, a JSON answer. */
const helper: IHttpRequestHelper = {
	helpers: {
		async httpRequest(options: IHttpRequestOptions) {
			const url = new URL(options.url);
			for (const [name, value] of Object.entries(options.qs ?? {})) url.searchParams.append(name, String(value));
			const headers: Record<string, string> = {};
			if (options.auth) headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
			const response = await fetch(url, { method: options.method, headers });
			if (!response.ok) throw new Error(`HTTP ${response.status}`);
			return response.json();
		},
	} as IHttpRequestHelper['helpers'],
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Zoom Team Chat chatbot message', () => {
	it('posts robot_jid, to_jid, account_id and a head/body card with the chatbot bearer token', async () => {
		let body: unknown;
		nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } })
			.post('/v2/im/chat/messages', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('channels/zoomChat/send_response.json'));

		// The reference documents 200 "Message Sent." with an empty object: no message id to read.
		await expect(zoomChat.send(chat(), tools().tools)).resolves.toEqual({ providerMessageId: undefined, providerStatus: 'sent' });
		expect(body).toEqual({
			robot_jid: 'Wk9PTV9ST0JPVF9KSUQ@xmpp.zoom.us',
			to_jid: 'Wk9PTV9VU0VSX0lE@xmpp.zoom.us',
			account_id: 'Wk9PTV9BQ0NPVU5UX0lE',
			content: {
				head: { text: 'Payment received: $20.00' },
				body: [{ type: 'message', text: 'Hi Jenny, we received your payment of $20.00 (ref INV-0042). Thank you!' }],
			},
		});
	});

	it('the documented error body → a final ChannelError with Zoom message and code', async () => {
		nock(HOST).post('/v2/im/chat/messages').reply(400, fixtureJson('channels/zoomChat/error_400.json'));

		const error = await failure(() => zoomChat.send(chat(), tools().tools));
		expect(error.message).toBe('Zoom: Request Body should be a valid JSON object. (code 300)');
		expect(error.details).toMatchObject({ retryable: false, code: '300', status: 400 });
		for (const secret of [TOKEN, CLIENT_SECRET]) expect(error.message).not.toContain(secret);
	});

	it('a 429 with Retry-After and a 5xx are retryable', async () => {
		nock(HOST).post('/v2/im/chat/messages').reply(429, fixtureJson('channels/zoomChat/error_400.json'), { 'Retry-After': '2' });
		nock(HOST).post('/v2/im/chat/messages').reply(503, '');

		const limited = await failure(() => zoomChat.send(chat(), tools().tools));
		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 2000 });
		const down = await failure(() => zoomChat.send(chat(), tools().tools));
		expect(down.message).toBe('Zoom: HTTP 503');
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
	});

	it('preAuthentication gets the chatbot token with client credentials and basic auth', async () => {
		const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
		nock('https://zoom.us', { reqheaders: { authorization: `Basic ${basic}` } })
			.post('/oauth/token')
			.query({ grant_type: 'client_credentials' })
			.reply(200, fixtureJson('channels/zoomChat/token_response.json'));

		const stored = await new PaymentEventsZoomChatApi().preAuthentication.call(helper, credentials);
		expect(stored).toEqual({ accessToken: '<JWT_TOKEN>' });
	});

	it('the token field is expirable, so n8n fetches a new one when Zoom answers 401', () => {
		const field = new PaymentEventsZoomChatApi().properties.find((property) => property.name === 'accessToken');
		expect(field).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	});

	it('the credential test asks the token endpoint again with basic auth, since chatbot tokens can read nothing without ids', () => {
		expect(new PaymentEventsZoomChatApi().test.request).toEqual({
			method: 'POST',
			url: 'https://zoom.us/oauth/token',
			qs: { grant_type: 'client_credentials' },
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
		});
	});
});
