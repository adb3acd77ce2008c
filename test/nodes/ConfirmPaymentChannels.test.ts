import { createHash } from 'node:crypto';
import net from 'node:net';

import nock from 'nock';
import type { ICredentialType, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PaymentEventsBrevoApi } from '../../credentials/PaymentEventsBrevoApi.credentials';
import { PaymentEventsClickSendApi } from '../../credentials/PaymentEventsClickSendApi.credentials';
import { PaymentEventsGoogleChatWebhookApi } from '../../credentials/PaymentEventsGoogleChatWebhookApi.credentials';
import { PaymentEventsMailgunApi } from '../../credentials/PaymentEventsMailgunApi.credentials';
import { PaymentEventsMessengerApi } from '../../credentials/PaymentEventsMessengerApi.credentials';
import { PaymentEventsMicrosoftTeamsOAuth2Api } from '../../credentials/PaymentEventsMicrosoftTeamsOAuth2Api.credentials';
import { PaymentEventsPlivoApi } from '../../credentials/PaymentEventsPlivoApi.credentials';
import { PaymentEventsPusherBeamsApi } from '../../credentials/PaymentEventsPusherBeamsApi.credentials';
import { PaymentEventsSendGridApi } from '../../credentials/PaymentEventsSendGridApi.credentials';
import { PaymentEventsSlackApi } from '../../credentials/PaymentEventsSlackApi.credentials';
import { PaymentEventsSlackWebhookApi } from '../../credentials/PaymentEventsSlackWebhookApi.credentials';
import { PaymentEventsSmtpApi } from '../../credentials/PaymentEventsSmtpApi.credentials';
import { PaymentEventsTeamsWebhookApi } from '../../credentials/PaymentEventsTeamsWebhookApi.credentials';
import { PaymentEventsTelegramApi } from '../../credentials/PaymentEventsTelegramApi.credentials';
import { PaymentEventsTwilioApi } from '../../credentials/PaymentEventsTwilioApi.credentials';
import { PaymentEventsVonageApi } from '../../credentials/PaymentEventsVonageApi.credentials';
import { PaymentEventsWhatsAppApi } from '../../credentials/PaymentEventsWhatsAppApi.credentials';
import { PaymentEventsZoomChatApi } from '../../credentials/PaymentEventsZoomChatApi.credentials';
import { ConfirmPayment } from '../../nodes/ConfirmPayment/ConfirmPayment.node';
import { idempotencyUuid } from '../../nodes/channels/brevo';
import { CHANNELS, channelById } from '../../nodes/channels/index';
import { slackBlocks } from '../../nodes/channels/slack';
import type { ChannelKind } from '../../nodes/channels/types';
import { normalizeManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureBytes, fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

// Every channel of the node, end to end: node parameters and credential in, the provider's documented success answer
// (test/fixtures/channels/<id>, see SOURCES.md there) back, the Confirmations and Audit outputs checked.

/** A payment marked paid by hand, as Payment Normalize makes it: a booking paid by a client with a phone and an email. */
const event = normalizeManualEntry(
	{
		amount: '49.90',
		amountFormat: 'decimal',
		currency: 'USD',
		status: 'succeeded',
		kind: 'payment',
		reference: 'BOOKING-118',
		customer: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '(415) 555-2671', locale: 'en-US' },
		cardLast4: '4242',
	},
	new Date('2026-11-20T10:00:00Z'),
) as unknown as IDataObject;

const PHONE = '+14155552671';
const EMAIL = 'jenny.rosen@example.com';

// The built-in English confirmations for this event, per kind: [subject, text, html] as the node hashes them.
const SMS = 'Hi Jenny, we received your payment of $49.90 (ref BOOKING-118). Thank you!';
const CHAT = 'Payment received: $49.90 from Jenny Rosen (BOOKING-118)';
const PUSH = 'We received your payment of $49.90 (BOOKING-118). Thank you!';
const EMAIL_SUBJECT = 'Payment received: $49.90';
const EMAIL_TEXT = 'Hi Jenny,\n\nWe received your payment of $49.90 for BOOKING-118 on Nov 20, 2026. Card ending 4242.\n\nThank you!';
const EMAIL_HTML =
	'<p>Hi Jenny,</p><p>We received your payment of <strong>$49.90</strong> for BOOKING-118 on Nov 20, 2026. Card ending 4242.</p><p>Thank you!</p>';
const CONTENT: Record<ChannelKind, Array<string | undefined>> = {
	sms: [undefined, SMS, undefined],
	email: [EMAIL_SUBJECT, EMAIL_TEXT, EMAIL_HTML],
	chat: ['Payment received', CHAT, undefined],
	push: ['Payment received', PUSH, undefined],
};

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** The idempotency key the node gives a delivery of this event on a channel to an address. */
const idempotencyKey = (channel: string, to: string) => sha256(`${String(event.id)}|${channel}|${to}`).slice(0, 32);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Runs the node with only this channel, its credential and its parameters (settings as `<channelId>_<setting>`, recipient). */
async function confirm(id: string, credential: ICredentialType, values: IDataObject, parameters: IDataObject = {}) {
	return await executeNode(ConfirmPayment, {
		items: [event],
		parameters: { channels: [id], mode: 'first', options: { defaultCountry: 'US', maxAttempts: 1 }, ...parameters },
		credentials: { [channelById(id)!.credentialType]: { credential, values } },
	});
}

/**
 * One confirmation, sent at the first attempt with the built-in template, one 'sent' audit record, and neither output
 * holding a secret of the credential, the client's full phone or email, or the full chat address.
 */
function expectConfirmed(
	[confirmations, audit]: INodeExecutionData[][],
	id: string,
	expected: { recipient: string; providerMessageId?: string; hidden: string[] },
) {
	const { kind } = channelById(id)!;
	const outcome = { channel: kind, provider: id, recipient: expected.recipient, status: 'sent', providerMessageId: expected.providerMessageId, attempts: 1 };
	expect(confirmations.map((item) => item.json)).toEqual([{ eventId: event.id, confirmed: true, outcomes: [outcome] }]);
	expect(audit.map((item) => item.json)).toStrictEqual([
		{
			time: expect.any(String),
			eventId: event.id,
			channel: kind,
			provider: id,
			recipient: expected.recipient,
			status: 'sent',
			attempt: 1,
			providerMessageId: expected.providerMessageId,
			templateId: `${kind}.en`,
			contentSha256: sha256(JSON.stringify(CONTENT[kind])),
			errorCode: undefined,
			error: undefined,
		},
	]);
	const output = JSON.stringify([confirmations, audit]);
	for (const hidden of [...expected.hidden, '5552671', 'jenny.rosen']) expect(output).not.toContain(hidden);
}

/** What test/unit/channels/smtp.test.ts's server does: a tiny SMTP server on 127.0.0.1 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA). */
async function smtpServer() {
	const commands: string[] = [];
	const messages: string[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		let buffer = '';
		let data: string[] | undefined;
		const say = (reply: string) => socket.write(`${reply}\r\n`);
		say('220 localhost ESMTP test');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let end: number;
			while ((end = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (data) {
					if (line === '.') {
						messages.push(data.join('\r\n'));
						data = undefined;
						say('250 2.0.0 Ok: queued as 4F2A1C0B9E');
					} else data.push(line.startsWith('..') ? line.slice(1) : line);
					continue;
				}
				commands.push(line);
				const verb = line.split(/[ :]/)[0].toUpperCase();
				if (verb === 'EHLO') say('250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME');
				else if (verb === 'AUTH') say('235 2.7.0 Authentication successful');
				else if (verb === 'DATA') {
					data = [];
					say('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					say('221 2.0.0 Bye');
					socket.end();
				} else say('250 2.0.0 Ok');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		port,
		commands,
		messages,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

const tested: string[] = [];
/** One test per channel; the last test checks that every channel of the node has one. */
function channel(id: string, title: string, run: () => Promise<void>) {
	tested.push(id);
	it(`${channelById(id)?.displayName ?? id}: ${title}`, run);
}

beforeAll(() => {
	nock.disableNetConnect();
	// The SMTP test's local server.
	nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Confirm Payment through each channel', () => {
	channel('twilio', "texts the client's phone from the From setting", async () => {
		const ACCOUNT = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
		const TOKEN = 'twilio-auth-token-secret';
		const created = fixtureJson('channels/twilio/message.create_with_queued_status.json');
		let form: URLSearchParams | undefined;
		const scope = nock('https://api.twilio.com', { reqheaders: { authorization: basic(ACCOUNT, TOKEN) } })
			.post(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, (body: Record<string, string>) => {
				form = new URLSearchParams(body);
				return true;
			})
			.reply(201, created);

		const outputs = await confirm('twilio', new PaymentEventsTwilioApi(), { accountSid: ACCOUNT, authToken: TOKEN }, { twilio_from: '+15017122661' });

		scope.done();
		expect(Object.fromEntries(form!)).toEqual({ To: PHONE, From: '+15017122661', Body: SMS });
		expectConfirmed(outputs, 'twilio', { recipient: '+*******2671', providerMessageId: String(created.sid), hidden: [TOKEN] });
	});

	channel('plivo', "texts the client's phone from the Source setting", async () => {
		const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
		const TOKEN = 'plivo-auth-token-secret';
		const queued = fixtureJson<{ message_uuid: string[] }>('channels/plivo/message.send.json');
		const scope = nock('https://api.plivo.com', { reqheaders: { authorization: basic(AUTH_ID, TOKEN) } })
			.post(`/v1/Account/${AUTH_ID}/Message/`, { src: '14155550100', dst: '14155552671', text: SMS })
			.reply(202, queued);

		const outputs = await confirm('plivo', new PaymentEventsPlivoApi(), { authId: AUTH_ID, authToken: TOKEN }, { plivo_from: '+14155550100' });

		scope.done();
		expectConfirmed(outputs, 'plivo', { recipient: '+*******2671', providerMessageId: queued.message_uuid[0], hidden: [TOKEN] });
	});

	channel('clicksend', "texts the client's phone with the delivery's idempotency key as custom_string", async () => {
		const USERNAME = 'payments@example.com';
		const KEY = 'clicksend-api-key-secret';
		type Sample = { data: { messages: Array<{ message_id: string }> } };
		const sample = fixtureJson<Sample>('channels/clicksend/sms.send.json');
		// One message posted, so the sample's first message answers it.
		const queued = { ...sample, data: { ...sample.data, messages: [sample.data.messages[0]] } };
		const scope = nock('https://rest.clicksend.com', { reqheaders: { authorization: basic(USERNAME, KEY) } })
			.post('/v3/sms/send', {
				messages: [{ source: 'n8n', body: SMS, to: PHONE, from: 'ACME', custom_string: idempotencyKey('clicksend', PHONE) }],
			})
			.reply(200, queued);

		const outputs = await confirm('clicksend', new PaymentEventsClickSendApi(), { username: USERNAME, apiKey: KEY }, { clicksend_from: 'ACME' });

		scope.done();
		expectConfirmed(outputs, 'clicksend', { recipient: '+*******2671', providerMessageId: queued.data.messages[0].message_id, hidden: [KEY] });
	});

	channel('vonage', "texts the client's phone with the key and secret in the form", async () => {
		const KEY = 'abcd1234';
		const SECRET = 'vonage-api-secret';
		const sent = fixtureJson<{ messages: Array<Record<string, string>> }>('channels/vonage/sms.success.json');
		let form: URLSearchParams | undefined;
		const scope = nock('https://rest.nexmo.com')
			.post('/sms/json', (body: Record<string, string>) => {
				form = new URLSearchParams(body);
				return true;
			})
			.reply(200, sent);

		const outputs = await confirm('vonage', new PaymentEventsVonageApi(), { apiKey: KEY, apiSecret: SECRET }, { vonage_from: '12126875309' });

		scope.done();
		expect(Object.fromEntries(form!)).toEqual({
			api_key: KEY,
			api_secret: SECRET,
			from: '12126875309',
			to: '14155552671',
			text: SMS,
			'client-ref': idempotencyKey('vonage', PHONE),
		});
		expectConfirmed(outputs, 'vonage', { recipient: '+*******2671', providerMessageId: sent.messages[0]['message-id'], hidden: [KEY, SECRET] });
	});

	channel('sendgrid', "emails the client from the From Email setting and reads X-Message-Id", async () => {
		const KEY = 'SG.test-api-key.not-a-real-secret';
		let mail: IDataObject | undefined;
		// Mail Send answers 202 with an empty body and the id in X-Message-Id (see its SOURCES.md).
		const scope = nock('https://api.sendgrid.com', { reqheaders: { authorization: `Bearer ${KEY}` } })
			.post('/v3/mail/send', (body: IDataObject) => {
				mail = body;
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'test-message-id' });

		const outputs = await confirm('sendgrid', new PaymentEventsSendGridApi(), { apiKey: KEY }, { sendgrid_from: 'billing@example.com' });

		scope.done();
		expect(mail).toEqual({
			personalizations: [{ to: [{ email: EMAIL, name: 'Jenny Rosen' }], custom_args: { idempotency_key: idempotencyKey('sendgrid', EMAIL) } }],
			from: { email: 'billing@example.com' },
			subject: EMAIL_SUBJECT,
			content: [
				{ type: 'text/plain', value: EMAIL_TEXT },
				{ type: 'text/html', value: EMAIL_HTML },
			],
		});
		expectConfirmed(outputs, 'sendgrid', { recipient: 'j*********n@example.com', providerMessageId: 'test-message-id', hidden: [KEY] });
	});

	channel('mailgun', 'emails the client as multipart from the From Email setting, on the credential domain', async () => {
		const KEY = 'key-test-not-a-real-secret';
		const DOMAIN = 'mg.example.com';
		const queued = fixtureJson<{ id: string }>('channels/mailgun/send_200.json');
		let form: Promise<FormData> | undefined;
		const scope = nock('https://api.mailgun.net', { reqheaders: { authorization: basic('api', KEY) } })
			.post(`/v3/${DOMAIN}/messages`)
			.reply(function (_uri, body) {
				form = new Response(body as string, { headers: { 'content-type': String(this.req.headers['content-type']) } }).formData();
				return [200, queued, { 'Content-Type': 'application/json' }];
			});

		const outputs = await confirm('mailgun', new PaymentEventsMailgunApi(), { apiKey: KEY, domain: DOMAIN }, { mailgun_from: 'billing@mg.example.com' });

		scope.done();
		expect([...(await form!).entries()].map(([name, value]) => [name, String(value)])).toEqual([
			['from', 'billing@mg.example.com'],
			['to', `Jenny Rosen <${EMAIL}>`],
			['subject', EMAIL_SUBJECT],
			// multipart/form-data sends line breaks as CRLF (WHATWG FormData serialization).
			['text', EMAIL_TEXT.replace(/\n/g, '\r\n')],
			['html', EMAIL_HTML],
			['v:idempotency_key', idempotencyKey('mailgun', EMAIL)],
		]);
		expectConfirmed(outputs, 'mailgun', { recipient: 'j*********n@example.com', providerMessageId: queued.id, hidden: [KEY] });
	});

	channel('brevo', 'emails the client from the From Email setting with an idempotency UUID', async () => {
		const KEY = 'xkeysib-test-not-a-real-secret';
		const sent = fixtureJson<{ messageId: string }>('channels/brevo/send_transac_email_201.json');
		const scope = nock('https://api.brevo.com', { reqheaders: { 'api-key': KEY } })
			.post('/v3/smtp/email', {
				sender: { email: 'billing@example.com' },
				to: [{ email: EMAIL, name: 'Jenny Rosen' }],
				subject: EMAIL_SUBJECT,
				htmlContent: EMAIL_HTML,
				textContent: EMAIL_TEXT,
				headers: { idempotencyKey: idempotencyUuid(idempotencyKey('brevo', EMAIL)) },
			})
			.reply(201, sent);

		const outputs = await confirm('brevo', new PaymentEventsBrevoApi(), { apiKey: KEY }, { brevo_from: 'billing@example.com' });

		scope.done();
		expectConfirmed(outputs, 'brevo', { recipient: 'j*********n@example.com', providerMessageId: sent.messageId, hidden: [KEY] });
	});

	channel('smtp', "delivers the email to the credential's SMTP server after logging in", async () => {
		const PASSWORD = 'smtp-test-password-not-a-real-secret';
		const server = await smtpServer();
		try {
			const outputs = await confirm(
				'smtp',
				new PaymentEventsSmtpApi(),
				{ host: '127.0.0.1', port: server.port, security: 'none', user: 'billing@example.com', password: PASSWORD },
				{ smtp_from: 'billing@example.com' },
			);

			const auth = server.commands.find((command) => command.startsWith('AUTH PLAIN'));
			expect(Buffer.from(auth!.split(' ')[2], 'base64').toString('utf8')).toBe(`\u0000billing@example.com\u0000${PASSWORD}`);
			expect(server.commands.filter((command) => /^(MAIL|RCPT|DATA)/.test(command))).toEqual([
				'MAIL FROM:<billing@example.com>',
				`RCPT TO:<${EMAIL}>`,
				'DATA',
			]);
			expect(server.messages).toHaveLength(1);
			expect(server.messages[0]).toContain(`Subject: ${EMAIL_SUBJECT}`);
			// SMTP names no message: the adapter's Message-ID, fixed by the node's idempotency key, is the id.
			const messageId = `<${sha256(idempotencyKey('smtp', EMAIL)).slice(0, 32)}@example.com>`;
			expect(server.messages[0]).toContain(`Message-ID: ${messageId}`);
			expectConfirmed(outputs, 'smtp', { recipient: 'j*********n@example.com', providerMessageId: messageId, hidden: [PASSWORD] });
		} finally {
			await server.close();
		}
	});

	channel('slack', "posts to the recipient's Slack ID with the bot token and reads ts", async () => {
		const TOKEN = 'xoxb-test-token-not-real';
		const ok = fixtureJson<{ ts: string }>('channels/slack/chat_postMessage_ok.json');
		let posted: IDataObject | undefined;
		const scope = nock('https://slack.com', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/api/chat.postMessage', (body: IDataObject) => {
				posted = body;
				return true;
			})
			.reply(200, ok);

		const outputs = await confirm('slack', new PaymentEventsSlackApi(), { botToken: TOKEN }, { recipient: { chatId: 'C123ABC456' } });

		scope.done();
		expect(posted).toMatchObject({ channel: 'C123ABC456', text: CHAT });
		expect((posted!.blocks as unknown[]).slice(0, 2)).toEqual(slackBlocks({ subject: 'Payment received', text: CHAT }));
		expectConfirmed(outputs, 'slack', { recipient: 'C12…56', providerMessageId: ok.ts, hidden: [TOKEN, 'C123ABC456'] });
	});

	channel('slackWebhook', "posts to the credential's webhook URL and takes its \"ok\"", async () => {
		const SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';
		const PATH = `/services/T00000000/B00000000/${SECRET}`;
		let posted: IDataObject | undefined;
		const scope = nock('https://hooks.slack.com')
			.post(PATH, (body: IDataObject) => {
				posted = body;
				return true;
			})
			.reply(200, fixtureBytes('channels/slackWebhook/ok.txt').toString('utf8'), { 'Content-Type': 'text/html' });

		const outputs = await confirm('slackWebhook', new PaymentEventsSlackWebhookApi(), { webhookUrl: `https://hooks.slack.com${PATH}` });

		scope.done();
		expect(posted).toMatchObject({ text: CHAT });
		// The webhook answers "ok" and names no message.
		expectConfirmed(outputs, 'slackWebhook', { recipient: '', hidden: [SECRET] });
	});

	channel('teams', 'posts to the Team ID and Channel ID settings with the OAuth2 token and reads the message id', async () => {
		const TOKEN = 'graph_access_token';
		const created = fixtureJson<{ id: string }>('channels/teams/channel_post_messages_201.json');
		let posted: IDataObject | undefined;
		const scope = nock('https://graph.microsoft.com', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/v1.0/teams/fbe2bf47-16c8-47cf-b4a5-4b9b187c508b/channels/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/messages', (body: IDataObject) => {
				posted = body;
				return true;
			})
			.reply(201, created);

		const outputs = await confirm(
			'teams',
			new PaymentEventsMicrosoftTeamsOAuth2Api(),
			{ tenantId: 'contoso.onmicrosoft.com', oauthTokenData: { access_token: TOKEN } },
			{ teams_teamId: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b', teams_channelId: '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2' },
		);

		scope.done();
		expect(posted).toMatchObject({ subject: 'Payment received', body: { contentType: 'html', content: expect.stringContaining(`<p>${CHAT}</p>`) } });
		expectConfirmed(outputs, 'teams', { recipient: '', providerMessageId: created.id, hidden: [TOKEN] });
	});

	channel('teamsWebhook', "posts an Adaptive Card to the credential's Workflows URL, answered 202", async () => {
		const SIG = 'kUaNtSv6O6eXKvTzxUZ0nE1yWHDZ7-BNq0hMZH3EYiE';
		const HOST = 'https://prod-00.westus.logic.azure.com';
		const PATH = '/workflows/8a1b2c3d4e5f/triggers/manual/paths/invoke';
		let posted: IDataObject | undefined;
		// A Workflows webhook without a Response action answers 202 with no body (see its SOURCES.md).
		const scope = nock(HOST)
			.post(PATH, (body: IDataObject) => {
				posted = body;
				return true;
			})
			.query({ 'api-version': '2016-06-01', sp: '/triggers/manual/run', sv: '1.0', sig: SIG })
			.reply(202);

		const outputs = await confirm('teamsWebhook', new PaymentEventsTeamsWebhookApi(), {
			webhookUrl: `${HOST}${PATH}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`,
		});

		scope.done();
		expect(JSON.stringify(posted)).toContain(JSON.stringify({ type: 'TextBlock', text: CHAT, wrap: true }));
		expectConfirmed(outputs, 'teamsWebhook', { recipient: '', hidden: [SIG] });
	});

	channel('googleChat', "posts to the credential's webhook URL with the node's idempotency key as requestId", async () => {
		const KEY = 'AIzaSy-test-key';
		const TOKEN = 'test-webhook-token-secret';
		const PATH = '/v1/spaces/AAAAAAAAAAA/messages';
		const message = fixtureJson<{ name: string }>('channels/googleChat/message.json');
		let posted: IDataObject | undefined;
		const scope = nock('https://chat.googleapis.com')
			.post(PATH, (body: IDataObject) => {
				posted = body;
				return true;
			})
			.query({ key: KEY, token: TOKEN, requestId: idempotencyKey('googleChat', '') })
			.reply(200, message);

		const outputs = await confirm('googleChat', new PaymentEventsGoogleChatWebhookApi(), {
			webhookUrl: `https://chat.googleapis.com${PATH}?key=${KEY}&token=${TOKEN}`,
		});

		scope.done();
		expect(posted).toMatchObject({ text: CHAT, cardsV2: [{ card: { header: { title: 'Payment received' } } }] });
		expectConfirmed(outputs, 'googleChat', { recipient: '', providerMessageId: message.name, hidden: [KEY, TOKEN] });
	});

	channel('telegram', "messages the recipient's chat id with the bot token in the path", async () => {
		const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
		const scope = nock('https://api.telegram.org')
			.post(`/bot${TOKEN}/sendMessage`, { chat_id: '987654321', text: CHAT })
			.reply(200, fixtureJson('channels/telegram/send_message_ok.json'));

		const outputs = await confirm('telegram', new PaymentEventsTelegramApi(), { accessToken: TOKEN }, { recipient: { chatId: '987654321' } });

		scope.done();
		expectConfirmed(outputs, 'telegram', { recipient: '987…21', providerMessageId: '42', hidden: [TOKEN, '987654321'] });
	});

	channel('whatsapp', "sends the approved template to the client's phone from the Phone Number ID setting", async () => {
		const TOKEN = 'EAAJB-test-system-user-token-not-real';
		const accepted = fixtureJson<{ messages: Array<{ id: string }> }>('channels/whatsapp/send_template_response.json');
		const scope = nock('https://graph.facebook.com', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/v21.0/106540352242922/messages', {
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: PHONE,
				type: 'template',
				template: {
					name: 'payment_confirmation',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'Jenny' },
								{ type: 'text', text: '$49.90' },
								{ type: 'text', text: 'BOOKING-118' },
							],
						},
					],
				},
			})
			.reply(200, accepted);

		const outputs = await confirm(
			'whatsapp',
			new PaymentEventsWhatsAppApi(),
			{ accessToken: TOKEN },
			{ whatsapp_phoneNumberId: '106540352242922', whatsapp_templateName: 'payment_confirmation', whatsapp_languageCode: 'en_US' },
		);

		scope.done();
		expectConfirmed(outputs, 'whatsapp', { recipient: '+*******2671', providerMessageId: accepted.messages[0].id, hidden: [TOKEN] });
	});

	channel('messenger', "messages the recipient's PSID with the Page token and the POST_PURCHASE_UPDATE tag", async () => {
		const TOKEN = 'EAAG-test-page-access-token-not-real';
		const PSID = '1254477777772919';
		const sent = fixtureJson<{ message_id: string }>('channels/messenger/send_response.json');
		const scope = nock('https://graph.facebook.com', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/v21.0/me/messages', { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE', message: { text: CHAT } })
			.reply(200, sent);

		const outputs = await confirm(
			'messenger',
			new PaymentEventsMessengerApi(),
			{ accessToken: TOKEN },
			{ messenger_tag: 'POST_PURCHASE_UPDATE', recipient: { chatId: PSID } },
		);

		scope.done();
		expectConfirmed(outputs, 'messenger', { recipient: '125…19', providerMessageId: sent.message_id, hidden: [TOKEN, PSID] });
	});

	channel('zoomChat', "sends a chatbot message to the recipient's JID with the chatbot token", async () => {
		const CLIENT_SECRET = 'zoom-client-secret-not-real';
		// What preAuthentication would have stored: the harness does not run it.
		const TOKEN = 'chatbot-token-not-real';
		const JID = 'Wk9PTV9VU0VSX0lE@xmpp.zoom.us';
		const scope = nock('https://api.zoom.us', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/v2/im/chat/messages', {
				robot_jid: 'Wk9PTV9ST0JPVF9KSUQ@xmpp.zoom.us',
				to_jid: JID,
				account_id: 'Wk9PTV9BQ0NPVU5UX0lE',
				content: { head: { text: 'Payment received' }, body: [{ type: 'message', text: CHAT }] },
			})
			.reply(200, fixtureJson('channels/zoomChat/send_response.json'));

		const outputs = await confirm(
			'zoomChat',
			new PaymentEventsZoomChatApi(),
			{
				clientId: 'zoom-client-id',
				clientSecret: CLIENT_SECRET,
				robotJid: 'Wk9PTV9ST0JPVF9KSUQ@xmpp.zoom.us',
				accountId: 'Wk9PTV9BQ0NPVU5UX0lE',
				accessToken: TOKEN,
			},
			{ recipient: { chatId: JID } },
		);

		scope.done();
		// Zoom answers a sent chatbot message with {}: no message id.
		expectConfirmed(outputs, 'zoomChat', { recipient: 'Wk9…us', hidden: [CLIENT_SECRET, TOKEN, JID] });
	});

	channel('pusherBeams', "publishes to the recipient's push user id on the credential's instance host", async () => {
		const INSTANCE = '8f9a6e22-2483-49aa-8552-125f1a4c5781';
		const SECRET = 'F8AC0B756E50DF235F642D6F0DC2CDE0328CD9184B3874C5E91AB2189BB722FE';
		const notification = { title: 'Payment received', body: PUSH };
		const scope = nock(`https://${INSTANCE}.pushnotifications.pusher.com`, { reqheaders: { authorization: `Bearer ${SECRET}` } })
			.post(`/publish_api/v1/instances/${INSTANCE}/publishes/users`, {
				users: ['user-0042'],
				web: { notification },
				fcm: { notification },
				apns: { aps: { alert: notification } },
			})
			.reply(200, fixtureJson('channels/pusherBeams/publish_response.json'));

		const outputs = await confirm('pusherBeams', new PaymentEventsPusherBeamsApi(), { instanceId: INSTANCE, secretKey: SECRET }, { recipient: { pushUserId: 'user-0042' } });

		scope.done();
		expectConfirmed(outputs, 'pusherBeams', { recipient: 'use…42', providerMessageId: '123456', hidden: [SECRET, 'user-0042'] });
	});

	it('has a test above for every channel the node offers', () => {
		expect([...tested].sort()).toEqual(CHANNELS.map((adapter) => adapter.id).sort());
	});
});
