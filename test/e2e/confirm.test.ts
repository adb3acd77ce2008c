/**
 * Confirm Payment inside a real n8n: a payment posted twice to a published workflow is confirmed by SMS once, at a
 * local stand-in for Twilio's API; the second execution records the duplicate in the Audit output. When the SMS
 * provider refuses, the confirmation falls back to email. E2E_N8N_LINES=2 limits the run to one line.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');

jest.setTimeout(600_000);

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const ACCOUNT = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
// twilio-node's spec fixture for a created message, and its RestException body (test/fixtures/channels/twilio/SOURCES.md).
const created = fs.readFileSync(path.resolve(__dirname, '../fixtures/channels/twilio/message.create_with_queued_status.json'));
const refused = fs.readFileSync(path.resolve(__dirname, '../fixtures/channels/twilio/rest_exception.json'));

/** Twilio's Messages API and SendGrid's Mail Send, recording what reaches them; Twilio refuses numbers ending in 0. */
function providerStandIns() {
	const texts: URLSearchParams[] = [];
	const mails: Array<Record<string, unknown>> = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			if (request.method === 'POST' && request.url === `/twilio/2010-04-01/Accounts/${ACCOUNT}/Messages.json`) {
				const form = new URLSearchParams(body);
				texts.push(form);
				const ok = !form.get('To')?.endsWith('0');
				response.writeHead(ok ? 201 : 400, { 'content-type': 'application/json' });
				return response.end(ok ? created : refused);
			}
			if (request.method === 'POST' && request.url === '/sendgrid/v3/mail/send') {
				mails.push(JSON.parse(body));
				response.writeHead(202, { 'x-message-id': `sg-${mails.length}` });
				return response.end();
			}
			response.writeHead(404);
			return response.end();
		});
	});
	return { server, texts, mails };
}

describe.each(lines)('Confirm Payment in a real n8n %i.x', (line) => {
	const standIns = providerStandIns();
	let userFolder: string;
	let instance: { baseUrl: string; stop: () => Promise<void> };
	let url: string;

	beforeAll(async () => {
		await new Promise<void>((resolve) => standIns.server.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(standIns.server.address() as AddressInfo).port}`;
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-confirm-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line, port: 5720 + 2 * line, quiet: true });
		const api = localN8n.publicApi(instance);
		const credential = async (type: string, data: Record<string, string>) =>
			await api('POST', '/credentials', { name: type, type, data: { ...data, allowedHttpRequestDomains: 'all' } });
		const twilio = await credential('paymentEventsTwilioApi', { accountSid: ACCOUNT, authToken: 'e2e-auth-token', baseUrl: `${base}/twilio` });
		const sendgrid = await credential('paymentEventsSendGridApi', { apiKey: 'SG.e2e-key', baseUrl: `${base}/sendgrid` });
		const path_ = `confirm-${line}`;
		const workflow = await api('POST', '/workflows', {
			name: `Confirm Payment e2e ${line}`,
			nodes: [
				{
					parameters: { httpMethod: 'POST', path: path_, responseMode: 'lastNode', options: {} },
					name: 'Booking Paid',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: `7e1d2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e${line}f`,
				},
				{
					parameters: {
						source: 'manual',
						amount: '={{ $json.body.amount }}',
						currency: 'USD',
						status: 'succeeded',
						kind: 'payment',
						reference: '={{ $json.body.reference }}',
						customer: { name: '={{ $json.body.name }}', email: '={{ $json.body.email }}', phone: '={{ $json.body.phone }}' },
					},
					name: 'Payment Normalize',
					type: 'n8n-nodes-payment-events.paymentNormalize',
					typeVersion: 1,
					position: [240, 0],
				},
				{
					parameters: {
						channels: ['twilio', 'sendgrid'],
						mode: 'first',
						twilio_from: '+15017122661',
						sendgrid_from: 'studio@example.com',
						options: { defaultCountry: 'US' },
					},
					name: 'Confirm Payment',
					type: 'n8n-nodes-payment-events.confirmPayment',
					typeVersion: 1,
					position: [480, 0],
					credentials: {
						paymentEventsTwilioApi: { id: twilio.id, name: twilio.name },
						paymentEventsSendGridApi: { id: sendgrid.id, name: sendgrid.name },
					},
				},
			],
			connections: {
				'Booking Paid': { main: [[{ node: 'Payment Normalize', type: 'main', index: 0 }]] },
				'Payment Normalize': { main: [[{ node: 'Confirm Payment', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		await localN8n.publishWorkflow(instance, workflow.id);
		url = `${instance.baseUrl}/webhook/${path_}`;
	});

	afterAll(async () => {
		await instance?.stop();
		standIns.server.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	const post = async (body: Record<string, string>) => {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect(response.status).toBe(200);
		return (await response.json()) as Record<string, unknown>;
	};

	it('texts the client once, however often the same payment arrives', async () => {
		const booking = { amount: '35.00', reference: `CLASS-${line}-7`, name: 'Jenny Rosen', email: 'jenny@example.com', phone: '(415) 555-2671' };
		const first = await post(booking);
		expect(first).toMatchObject({ confirmed: true, outcomes: [{ provider: 'twilio', status: 'sent', providerMessageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }] });
		const second = await post(booking);
		expect(second).toMatchObject({ confirmed: true, outcomes: [{ provider: 'twilio', status: 'duplicate' }] });
		expect(standIns.texts.map((form) => [form.get('To'), form.get('Body')])).toEqual([
			['+14155552671', `Hi Jenny, we received your payment of $35.00 (ref CLASS-${line}-7). Thank you!`],
		]);
		expect(JSON.stringify([first, second])).not.toContain('5552671');
	});

	it('falls back to email when the SMS provider refuses the number', async () => {
		const booking = { amount: '60.00', reference: `CLASS-${line}-8`, name: 'Ana Ruiz', email: 'ana@example.com', phone: '(415) 555-2670' };
		const result = await post(booking);
		expect(result).toMatchObject({ confirmed: true, outcomes: [{ provider: 'sendgrid', status: 'sent', providerMessageId: 'sg-1' }] });
		expect(JSON.stringify(standIns.mails[0])).toContain('ana@example.com');
		expect(JSON.stringify(standIns.mails[0])).toContain('Payment received: $60.00');
	});
});
