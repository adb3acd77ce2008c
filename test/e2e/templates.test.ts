/**
 * The four templates of workflows/ in a real n8n 2.x: imported as shipped, with credentials pointing at local stand-ins
 * (standins.js), published, then sent signed real-world deliveries. The tests assert on what reached the stand-ins and
 * on the rows in the templates' Data Tables. The templates write to Data Tables by name, which n8n 1.x's Data Table node
 * cannot do, so this suite runs on the 2.x line only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const localN8n = require('./local-n8n.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { standIns } = require('./standins.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scenarios = require('./scenarios.js');

jest.setTimeout(600_000);

/* eslint-disable @typescript-eslint/no-explicit-any -- n8n's public API and the stand-ins answer untyped JSON */
type Row = Record<string, any>;

const crmContacts = [
	{ id: '101', properties: { email: 'paid.first@example.com', payment_status: 'Pending' } },
	{ id: '102', properties: { email: 'card.declined@example.com', payment_status: 'Pending' } },
	{ id: '103', properties: { email: 'refunded@example.com', payment_status: 'Paid' } },
];

describe('the four templates in a real n8n 2.x', () => {
	const stand = standIns({ crmRecords: { contacts: crmContacts } });
	let userFolder: string;
	let instance: { baseUrl: string; stop: () => Promise<void> };
	let setup: { workflows: Record<string, { id: string; urls: Record<string, string> }>; tables: Record<string, string>; api: (method: string, url: string, body?: unknown) => Promise<any> };

	const workflow = (prefix: string) => Object.entries(setup.workflows).find(([file]) => file.startsWith(prefix))![1];
	const stripeUrl = (prefix: string) => workflow(prefix).urls['Stripe Payment Trigger'];
	const sendStripe = async (prefix: string, file: string, details: Record<string, unknown>, attempt = 0) => {
		const url = stripeUrl(prefix);
		const signedAt = Math.floor(Date.now() / 1000) + attempt;
		return await scenarios.postStripe(url, scenarios.stripeEvent(file, details), scenarios.stripeSecret(stand, url), signedAt);
	};
	const outboxFor = (service: string, match: (entry: Row) => boolean = () => true) => stand.outbox.filter((entry: Row) => entry.service === service && match(entry));
	const executions = async (prefix: string) => (await localN8n.executions(instance, workflow(prefix).id)) as Row[];
	const rows = async (table: string) => (await setup.api('GET', `/data-tables/${setup.tables[table]}/rows?limit=250`)).data as Row[];

	/** Waits until the template has run `count` times and every run has finished. */
	async function settled(prefix: string, count: number): Promise<Row[]> {
		const found = (await localN8n.executions(instance, workflow(prefix).id, { atLeast: count })) as Row[];
		const finished = found.filter((execution) => execution.finished || execution.status === 'error');
		if (finished.length < count) throw new Error(`${prefix}: ${finished.length} of ${count} executions finished`);
		return found;
	}

	beforeAll(async () => {
		const base = await stand.listen();
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-events-templates-'));
		localN8n.installPackage(userFolder);
		instance = await localN8n.startN8n({ userFolder, line: 2, port: 5750, quiet: true });
		setup = await scenarios.setUpTemplates(instance, base);
	});

	afterAll(async () => {
		await instance?.stop();
		await stand.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	});

	it('publishes every template, each trigger registering its own webhook', () => {
		expect(Object.keys(setup.workflows)).toHaveLength(4);
		// Stripe in templates 1-3; the Shopify trigger of template 4 registers one subscription per topic.
		expect(stand.stripe.size).toBe(3);
		expect([...stand.shopify.values()].map((webhook: Row) => webhook.topic)).toContain('orders/paid');
	});

	describe('1. class payment → confirmation in the preferred channel', () => {
		const client = { name: 'Jenny Rosen', email: 'jenny@example.com', phone: '+14155552671', metadata: { reference: 'Yoga Tue 18:00' } };

		it('texts the client, tells the admin in Slack, and stores the attempts; three deliveries of one payment text once', async () => {
			// Stripe retries a delivery re-signed with a new timestamp: the trigger takes each, Confirm Payment sends once.
			for (let attempt = 0; attempt < 3; attempt++) {
				const response = await sendStripe('1-', 'payment_intent.succeeded.json', { id: 'evt_1_class', ...client }, attempt);
				expect(response.status).toBe(200);
			}
			await settled('1-', 3);
			expect(outboxFor('twilio').map((entry: Row) => [entry.to, entry.text])).toEqual([
				['+14155552671', 'Hi Jenny, we received your payment of $20.00 (ref Yoga Tue 18:00). Thank you!'],
			]);
			expect(outboxFor('slack').map((entry: Row) => entry.text)).toEqual(['New booking payment: $20.00 from Jenny Rosen (Yoga Tue 18:00)']);
			const audit = (await rows('payment_confirmations')).filter((row) => row.eventId === 'stripe:evt_1_class');
			expect(audit.map((row) => [row.provider, row.status]).sort()).toEqual(
				[
					['slackWebhook', 'sent'],
					['slackWebhook', 'skipped-duplicate'],
					['slackWebhook', 'skipped-duplicate'],
					['twilio', 'sent'],
					['twilio', 'skipped-duplicate'],
					['twilio', 'skipped-duplicate'],
				].sort(),
			);
			const sent = audit.find((row) => row.provider === 'twilio' && row.status === 'sent')!;
			expect(sent).toMatchObject({ channel: 'sms', recipient: '+*******2671', providerMessageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
			expect(JSON.stringify(audit)).not.toContain('5552671');
		});

		it('falls back to email when the SMS provider refuses the number', async () => {
			const response = await sendStripe('1-', 'payment_intent.succeeded.json', {
				id: 'evt_1_fallback',
				name: 'Ana Ruiz',
				email: 'ana@example.com',
				phone: '+14155552670',
				metadata: { reference: 'Pilates block', preferred_channel: 'sms, email' },
			});
			expect(response.status).toBe(200);
			await settled('1-', 4);
			expect(outboxFor('twilio', (entry) => entry.to === '+14155552670')).toEqual([expect.objectContaining({ accepted: false })]);
			expect(outboxFor('sendgrid', (entry) => entry.to === 'ana@example.com')).toEqual([
				expect.objectContaining({ subject: 'Payment received: $20.00', text: expect.stringContaining('We received your payment of $20.00 for Pilates block') }),
			]);
			const audit = (await rows('payment_confirmations')).filter((row) => row.eventId === 'stripe:evt_1_fallback' && row.channel !== 'chat');
			expect(audit.map((row) => [row.provider, row.status, row.errorCode])).toEqual([
				['twilio', 'failed', '81022'],
				['sendgrid', 'sent', ''],
			]);
		});

		it('starts no execution for a forged delivery', async () => {
			const before = (await executions('1-')).length;
			const payload = scenarios.stripeEvent('payment_intent.succeeded.json', { id: 'evt_1_forged', ...client });
			expect((await scenarios.postStripe(stripeUrl('1-'), payload, 'whsec_forged')).status).toBe(401);
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect((await executions('1-')).length).toBe(before);
		});
	});

	describe('2. invoice paid → acknowledgement', () => {
		it('acknowledges the invoice payment with the amount paid and the balance, and stores the attempt', async () => {
			const response = await sendStripe('2-', 'invoice.payment_succeeded.json', { id: 'evt_2_invoice', name: 'Sam Lee', email: 'sam@example.com' });
			expect(response.status).toBe(200);
			await settled('2-', 1);
			expect(outboxFor('sendgrid', (entry) => entry.to === 'sam@example.com')).toEqual([
				expect.objectContaining({
					subject: 'Invoice EE1DF78D-0001: payment of $20.00 received',
					text: expect.stringContaining('Hi Sam, we received $20.00 for invoice EE1DF78D-0001. Paid in full. Thank you!'),
				}),
			]);
			const audit = (await rows('payment_confirmations')).filter((row) => row.eventId === 'stripe:evt_2_invoice');
			// The invoice names no phone: SMS, first in the channels, is skipped for want of an address.
			expect(audit.map((row) => [row.provider, row.status, row.templateId])).toEqual([
				['twilio', 'skipped-no-address', ''],
				['sendgrid', 'sent', 'email.en.custom'],
			]);
		});
	});

	describe('3. payment status → CRM', () => {
		it('keeps a contact Paid when an earlier failure arrives late, and sends no reminder for it', async () => {
			const paid = { name: 'Lee Park', email: 'paid.first@example.com', phone: '+14155550111' };
			expect((await sendStripe('3-', 'payment_intent.succeeded.json', { id: 'evt_3_paid', ...paid })).status).toBe(200);
			await settled('3-', 1);
			expect((await sendStripe('3-', 'payment_intent.payment_failed.json', { id: 'evt_3_late_failure', ...paid })).status).toBe(200);
			await settled('3-', 2);
			expect(stand.crm.contacts[0].properties).toMatchObject({ payment_status: 'Paid', payment_status_updated_at: '2022-03-26T18:40:33.000Z' });
			expect(outboxFor('twilio', (entry) => entry.to === '+14155550111')).toEqual([]);
			const audit = (await rows('crm_updates')).filter((row) => row.recordId === '101');
			expect(audit.map((row) => [row.eventId, row.statusBefore, row.statusAfter, row.decision])).toEqual([
				['stripe:evt_3_paid', 'Pending', 'Paid', 'applied'],
				['stripe:evt_3_late_failure', 'Paid', 'Paid', 'stale-skipped'],
			]);
		});

		it('marks a failed payment Failed and reminds the customer', async () => {
			const declined = { name: 'Kim Cho', email: 'card.declined@example.com', phone: '+14155550122' };
			expect((await sendStripe('3-', 'payment_intent.payment_failed.json', { id: 'evt_3_failed', ...declined })).status).toBe(200);
			await settled('3-', 3);
			expect(stand.crm.contacts[1].properties.payment_status).toBe('Failed');
			expect(outboxFor('twilio', (entry) => entry.to === '+14155550122').map((entry: Row) => entry.text)).toEqual([
				'Hi Kim, your payment of $20.00 did not go through. Please reply or call us to settle it.',
			]);
		});

		it('marks a refund Refunded and tells finance', async () => {
			const refunded = { name: 'Ola Berg', email: 'refunded@example.com' };
			expect((await sendStripe('3-', 'charge.refunded.json', { id: 'evt_3_refund', ...refunded })).status).toBe(200);
			await settled('3-', 4);
			expect(stand.crm.contacts[2].properties.payment_status).toBe('Refunded');
			expect(outboxFor('slack', (entry) => entry.text.startsWith('Refund'))).toEqual([
				expect.objectContaining({ text: 'Refund of $1.00 to refunded@example.com, stripe ch_000000000000000000000000' }),
			]);
		});
	});

	describe('4. portal payment → internal management system', () => {
		it('records a paid order once in the internal system, however often it is delivered, and refuses a forged one', async () => {
			const url = workflow('4-').urls['Shopify Payment Trigger'];
			const secret = scenarios.credentialData('').paymentEventsShopifyApi.webhookSecret;
			const order = scenarios.shopifyOrder({ id: 450789469, email: 'bob.norman@hostmail.com' });
			expect((await scenarios.postShopify(url, order, 'not-the-api-secret', 'forged-1')).status).toBe(401);
			for (let attempt = 0; attempt < 3; attempt++) expect((await scenarios.postShopify(url, order, secret, 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043')).status).toBe(200);
			await settled('4-', 1);
			await new Promise((resolve) => setTimeout(resolve, 1000));
			expect(await executions('4-')).toHaveLength(1);
			const entries = outboxFor('erp');
			expect(entries.map((entry: Row) => entry.path)).toEqual(['/api/payments', '/api/services/release']);
			expect(entries[0]).toMatchObject({
				idempotencyKey: 'shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
				authorization: 'Bearer erp-demo-token',
				body: { source: 'shopify', reference: '450789469', amount: '409.94', currency: 'USD', customer: { name: 'Bob Norman', email: 'bob.norman@hostmail.com' } },
			});
			expect(await rows('recorded_payments')).toEqual([
				expect.objectContaining({ eventId: 'shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', amount: '409.94', currency: 'USD' }),
			]);
		});
	});
});
