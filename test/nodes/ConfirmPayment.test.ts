import { createHash } from 'node:crypto';

import nock from 'nock';
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { PaymentEventsSendGridApi } from '../../credentials/PaymentEventsSendGridApi.credentials';
import { PaymentEventsSlackApi } from '../../credentials/PaymentEventsSlackApi.credentials';
import { PaymentEventsTwilioApi } from '../../credentials/PaymentEventsTwilioApi.credentials';
import { ConfirmPayment } from '../../nodes/ConfirmPayment/ConfirmPayment.node';
import { normalizeManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

const TWILIO = 'https://api.twilio.com';
const SENDGRID = 'https://api.sendgrid.com';
const ACCOUNT = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const AUTH_TOKEN = 'twilio-auth-token-secret';
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
// twilio-node's spec fixture for a created message, and its RestException body (test/fixtures/channels/twilio).
const created = fixtureJson('channels/twilio/message.create_with_queued_status.json');
const exception = fixtureJson('channels/twilio/rest_exception.json');

/** A payment marked paid by hand, as Payment Normalize makes it: a booking paid by a client reachable by SMS and email. */
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

const credentials = {
	paymentEventsTwilioApi: { credential: new PaymentEventsTwilioApi(), values: { accountSid: ACCOUNT, authToken: AUTH_TOKEN } },
	paymentEventsSendGridApi: { credential: new PaymentEventsSendGridApi(), values: { apiKey: 'SG.sendgrid-secret' } },
};

function run(parameters: IDataObject, options: { items?: IDataObject[]; processed?: Set<string>; continueOnFail?: boolean } = {}) {
	return executeNode(ConfirmPayment, {
		items: options.items ?? [event],
		parameters: {
			channels: ['twilio'],
			mode: 'first',
			twilio_from: '+15017122661',
			sendgrid_from: 'billing@example.com',
			options: { defaultCountry: 'US', maxAttempts: 3 },
			...parameters,
		},
		credentials,
		processed: options.processed,
		continueOnFail: options.continueOnFail,
	});
}

afterEach(() => nock.cleanAll());

describe('Confirm Payment', () => {
	it('texts the client the default confirmation through Twilio and records the attempt', async () => {
		let form: URLSearchParams | undefined;
		const api = nock(TWILIO, { reqheaders: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}` } })
			.post(MESSAGES, (body: string) => {
				form = new URLSearchParams(body);
				return true;
			})
			.reply(201, created);
		const [confirmations, audit] = await run({});
		expect(api.isDone()).toBe(true);
		expect(Object.fromEntries(form!)).toEqual({
			To: '+14155552671',
			From: '+15017122661',
			Body: 'Hi Jenny, we received your payment of $49.90 (ref BOOKING-118). Thank you!',
		});
		expect(confirmations.map((item) => item.json)).toEqual([
			{
				eventId: event.id,
				confirmed: true,
				outcomes: [{ channel: 'sms', provider: 'twilio', recipient: expect.not.stringContaining('5552671'), status: 'sent', providerMessageId: created.sid, attempts: 1 }],
			},
		]);
		const content = createHash('sha256').update(JSON.stringify([undefined, form!.get('Body'), undefined])).digest('hex');
		expect(audit.map((item) => item.json)).toEqual([
			expect.objectContaining({
				eventId: event.id,
				channel: 'sms',
				provider: 'twilio',
				status: 'sent',
				attempt: 1,
				providerMessageId: created.sid,
				templateId: 'sms.en',
				contentSha256: content,
			}),
		]);
		expect(JSON.stringify([confirmations, audit])).not.toMatch(/5552671|twilio-auth-token/);
	});

	it('sends nothing twice for the same event, channel and recipient across runs, and says so', async () => {
		const processed = new Set<string>();
		nock(TWILIO).post(MESSAGES).once().reply(201, created);
		await run({}, { processed });
		const [confirmations, audit] = await run({}, { processed });
		expect(confirmations[0].json).toMatchObject({ confirmed: true, outcomes: [{ status: 'duplicate', provider: 'twilio' }] });
		expect(audit.map((item) => item.json.status)).toEqual(['skipped-duplicate']);
	});

	it('retries a rate-limited send as Retry-After asks, recording both attempts', async () => {
		nock(TWILIO).post(MESSAGES).reply(429, exception, { 'Retry-After': '0' }).post(MESSAGES).reply(201, created);
		const [confirmations, audit] = await run({});
		expect(confirmations[0].json.confirmed).toBe(true);
		expect(audit.map((item) => [item.json.status, item.json.attempt, item.json.errorCode])).toEqual([
			['failed', 1, '81022'],
			['sent', 2, undefined],
		]);
	});

	it('falls back to email when the SMS provider refuses the message', async () => {
		nock(TWILIO).post(MESSAGES).reply(400, exception);
		let mail: IDataObject | undefined;
		nock(SENDGRID)
			.post('/v3/mail/send', (body: IDataObject) => {
				mail = body;
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'sendgrid-message-1' });
		const [confirmations, audit] = await run({ channels: ['twilio', 'sendgrid'] });
		expect(audit.map((item) => [item.json.provider, item.json.status])).toEqual([
			['twilio', 'failed'],
			['sendgrid', 'sent'],
		]);
		expect(confirmations[0].json).toMatchObject({ confirmed: true, outcomes: [{ provider: 'sendgrid', providerMessageId: 'sendgrid-message-1' }] });
		expect(JSON.stringify(mail)).toContain('jenny.rosen@example.com');
		expect(JSON.stringify(mail)).toContain('Payment received: $49.90');
		expect(JSON.stringify(mail)).toContain('Card ending 4242');
	});

	it("follows the client's preferred order, by channel kind", async () => {
		nock(SENDGRID).post('/v3/mail/send').reply(202, '', { 'X-Message-Id': 'sendgrid-message-2' });
		const [, audit] = await run({ channels: ['twilio', 'sendgrid'], preferredChannels: 'email, sms' });
		expect(audit.map((item) => item.json.provider)).toEqual(['sendgrid']);
	});

	it('sends on every channel in mode All', async () => {
		nock(TWILIO).post(MESSAGES).reply(201, created);
		nock(SENDGRID).post('/v3/mail/send').reply(202, '', { 'X-Message-Id': 'sendgrid-message-3' });
		const [confirmations] = await run({ channels: ['twilio', 'sendgrid'], mode: 'all' });
		expect((confirmations[0].json.outcomes as IDataObject[]).map((outcome) => outcome.provider)).toEqual(['twilio', 'sendgrid']);
	});

	it('skips a channel without an address and records an impossible number as a failure, then falls back', async () => {
		nock(SENDGRID).post('/v3/mail/send').twice().reply(202, '', { 'X-Message-Id': 'sendgrid-message-4' });
		const withoutPhone = { ...event, customer: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com' } };
		const [, skipped] = await run({ channels: ['twilio', 'sendgrid'] }, { items: [withoutPhone] });
		expect(skipped.map((item) => [item.json.provider, item.json.status])).toEqual([
			['twilio', 'skipped-no-address'],
			['sendgrid', 'sent'],
		]);
		const impossible = { ...event, customer: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com', phone: '12' } };
		const [, failed] = await run({ channels: ['twilio', 'sendgrid'] }, { items: [impossible] });
		expect(failed.map((item) => [item.json.provider, item.json.status, item.json.errorCode])).toEqual([
			['twilio', 'failed', 'invalid-address'],
			['sendgrid', 'sent', undefined],
		]);
	});

	it("holds SMS back in the recipient's quiet hours", async () => {
		nock(SENDGRID).post('/v3/mail/send').reply(202, '', { 'X-Message-Id': 'sendgrid-message-5' });
		const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
		const pad = (value: number) => `${String((value + 24) % 24).padStart(2, '0')}:00`;
		const [, audit] = await run({
			channels: ['twilio', 'sendgrid'],
			recipient: { timeZone: 'America/New_York' },
			options: { defaultCountry: 'US', quietHoursStart: pad(hour - 1), quietHoursEnd: pad(hour + 1) },
		});
		expect(audit.map((item) => [item.json.provider, item.json.status])).toEqual([
			['twilio', 'skipped-quiet-hours'],
			['sendgrid', 'sent'],
		]);
	});

	it("fails with the provider's error when no channel can confirm, and lets a later run try again", async () => {
		const processed = new Set<string>();
		nock(TWILIO).post(MESSAGES).reply(400, exception);
		const failure = run({}, { processed });
		await expect(failure).rejects.toThrow(NodeApiError);
		await expect(failure).rejects.toThrow('Twilio: test (code 81022)');
		expect(processed.size).toBe(0);

		nock(TWILIO).post(MESSAGES).reply(400, exception);
		const [confirmations, audit] = await run({}, { processed, continueOnFail: true });
		expect(confirmations[0].json).toEqual({ error: 'Twilio: test (code 81022)', errorType: 'NodeApiError' });
		expect(audit[0].json).toMatchObject({ status: 'failed', errorCode: '81022' });
	});

	it('names the template, the field and the item when a template needs a field the event lacks', async () => {
		const templates = { template: [{ channel: 'sms', locale: '', text: 'Invoice {{invoice.number}} paid: {{money amount}}' }] };
		await expect(run({ templates })).rejects.toThrow('Item 0: Template "sms.en.custom" (text): the field "invoice.number" is missing from the event');
	});

	it('refuses an item that is not a canonical payment event', async () => {
		await expect(run({}, { items: [{ amount: 10 }] })).rejects.toThrow('Item 0 is not a canonical payment event');
	});
});

describe('Confirm Payment, mass sends', () => {
	it('confirms a whole class booking in one SendGrid request when the message is the same for everyone', async () => {
		const students = Array.from({ length: 30 }, (_, index) => ({
			...event,
			id: `manual:CLASS-9:${index}`,
			providerEventId: `CLASS-9:${index}`,
			customer: { name: `Student ${index}`, email: `student${index}@example.com` },
		}));
		const requests: IDataObject[] = [];
		nock(SENDGRID)
			.post('/v3/mail/send', (body: IDataObject) => {
				requests.push(body);
				return true;
			})
			.reply(202, '', { 'X-Message-Id': 'sendgrid-batch-1' });
		const templates = { template: [{ channel: 'email', locale: '', subject: 'Yoga, Saturday 9:00', text: 'Your place is booked and paid: {{money amount}}.', html: '' }] };
		const [confirmations, audit] = await run({ channels: ['sendgrid'], templates }, { items: students });
		expect(requests).toHaveLength(1);
		expect((requests[0].personalizations as unknown[]).length).toBe(30);
		expect(confirmations.every((item) => item.json.confirmed === true)).toBe(true);
		expect(audit).toHaveLength(30);
		expect(new Set(audit.map((item) => item.json.providerMessageId))).toEqual(new Set(['sendgrid-batch-1']));
	});

	it('spaces requests to the rate limit set for a provider', async () => {
		nock(TWILIO).post(MESSAGES).times(4).reply(201, created);
		const clients = Array.from({ length: 4 }, (_, index) => ({ ...event, id: `manual:RATE:${index}`, providerEventId: `RATE:${index}` }));
		const started = Date.now();
		await run({ options: { defaultCountry: 'US', rateLimit: 10, concurrency: 4 } }, { items: clients });
		// Four requests at ten a second: the last one leaves 300 ms after the first at the earliest.
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});

describe('Confirm Payment, chat rooms', () => {
	it("posts to Slack's default channel when the client has no Slack ID", async () => {
		// Slack's documented chat.postMessage success (test/fixtures/channels/slack/SOURCES.md).
		const posted = fixtureJson('channels/slack/chat_postMessage_ok.json');
		let body: IDataObject | undefined;
		nock('https://slack.com')
			.post('/api/chat.postMessage', (sent: IDataObject) => {
				body = sent;
				return true;
			})
			.reply(200, posted);
		const [confirmations] = await executeNode(ConfirmPayment, {
			items: [event],
			parameters: { channels: ['slack'], mode: 'first', slack_channel: 'C0PAYMENTS', options: {} },
			credentials: { paymentEventsSlackApi: { credential: new PaymentEventsSlackApi(), values: { botToken: 'xoxb-test-token' } } },
		});
		expect(body?.channel).toBe('C0PAYMENTS');
		expect(confirmations[0].json).toMatchObject({ confirmed: true, outcomes: [{ provider: 'slack', status: 'sent' }] });
	});
});
