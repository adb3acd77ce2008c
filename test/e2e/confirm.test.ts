/**
 * Confirm Payment inside a real n8n: a payment posted twice to a published workflow is confirmed by SMS once, at a
 * local stand-in for Twilio's API; the second execution records the duplicate in the Audit output. When the SMS
 * provider refuses, the confirmation falls back to email. E2E_N8N_LINES=2 limits the run to one line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { standIns } = require('./standins.js');

/** What the SMS and email stand-ins received (standins.js). */
type Sent = { service: string; to: string; text?: string; subject?: string };

jest.setTimeout(600_000);

const lines = (process.env.E2E_N8N_LINES ?? '2,1').split(',').map(Number);
const ACCOUNT = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

describe.each(lines)('Confirm Payment in a real n8n %i.x', (line) => {
	const providers = standIns();
	let userFolder: string;
	let instance: { baseUrl: string; stop: () => Promise<void> };
	let url: string;

	beforeAll(async () => {
		const base = await providers.listen();
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
		await providers.close();
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
		expect(providers.outbox.filter((entry: Sent) => entry.service === 'twilio').map((entry: Sent) => [entry.to, entry.text])).toEqual([
			['+14155552671', `Hi Jenny, we received your payment of $35.00 (ref CLASS-${line}-7). Thank you!`],
		]);
		expect(JSON.stringify([first, second])).not.toContain('5552671');
	});

	it('falls back to email when the SMS provider refuses the number', async () => {
		const booking = { amount: '60.00', reference: `CLASS-${line}-8`, name: 'Ana Ruiz', email: 'ana@example.com', phone: '(415) 555-2670' };
		const result = await post(booking);
		expect(result).toMatchObject({ confirmed: true, outcomes: [{ provider: 'sendgrid', status: 'sent', providerMessageId: expect.stringMatching(/^sg-/) }] });
		expect(providers.outbox.filter((entry: Sent) => entry.service === 'sendgrid')).toEqual([
			expect.objectContaining({ to: 'ana@example.com', subject: 'Payment received: $60.00' }),
		]);
	});
});
