/*
 * The four templates of workflows/ set up in a running n8n against the local stand-ins (standins.js): credentials
 * pointing at the stand-ins, the Data Tables the templates write to, the templates imported with those credentials and
 * published. Used by the end-to-end suite and by `npm run demo`, which then sends each template a signed sample payment.
 */
'use strict';

const { createHmac } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const Stripe = require('stripe');

const localN8n = require('./local-n8n.js');

const REPO = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(REPO, 'workflows');
const SHARED_FIXTURES = path.resolve(REPO, '..', 'shared', 'fixtures');
const PROJECT_FIXTURES = path.join(REPO, 'test', 'fixtures');
const PACKAGE = 'n8n-nodes-payment-events.';

/** The credentials the templates use, each pointing at its stand-in. */
function credentialData(base) {
	return {
		paymentEventsStripeApi: { secretKey: 'sk_test_demo', baseUrl: `${base}/stripe` },
		paymentEventsPayPalApi: { clientId: 'demo-client', clientSecret: 'demo-secret', environment: 'sandbox', baseUrl: `${base}/paypal` },
		paymentEventsSquareApi: { accessToken: 'EAAAl-demo', environment: 'sandbox', baseUrl: `${base}/square` },
		paymentEventsShopifyApi: { shopSubdomain: 'demo-shop', accessToken: 'shpat_demo', webhookSecret: 'shopify-demo-api-secret', baseUrl: `${base}/shopify/admin/api/2026-01` },
		paymentEventsTwilioApi: { accountSid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', authToken: 'demo-auth-token', baseUrl: `${base}/twilio` },
		paymentEventsSendGridApi: { apiKey: 'SG.demo-key', baseUrl: `${base}/sendgrid` },
		paymentEventsWhatsAppApi: { accessToken: 'EAAG-demo', baseUrl: `${base}/whatsapp` },
		paymentEventsTelegramApi: { accessToken: '123456:demo', baseUrl: `${base}/telegram` },
		paymentEventsSlackWebhookApi: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/demo', baseUrl: `${base}/slack` },
		paymentEventsHubSpotApi: { accessToken: 'pat-demo', baseUrl: `${base}/hubspot` },
		httpHeaderAuth: { name: 'Authorization', value: 'Bearer erp-demo-token' },
	};
}

const TRIGGER_CREDENTIALS = {
	stripePaymentTrigger: 'paymentEventsStripeApi',
	payPalPaymentTrigger: 'paymentEventsPayPalApi',
	squarePaymentTrigger: 'paymentEventsSquareApi',
	shopifyPaymentTrigger: 'paymentEventsShopifyApi',
};
const CHANNEL_CREDENTIALS = {
	twilio: 'paymentEventsTwilioApi',
	sendgrid: 'paymentEventsSendGridApi',
	whatsapp: 'paymentEventsWhatsAppApi',
	telegram: 'paymentEventsTelegramApi',
	slackWebhook: 'paymentEventsSlackWebhookApi',
};

/** The credential types a template node needs, from its type and parameters. */
function credentialTypes(node) {
	const type = node.type.replace(PACKAGE, '');
	if (TRIGGER_CREDENTIALS[type]) return [TRIGGER_CREDENTIALS[type]];
	if (type === 'confirmPayment') return node.parameters.channels.map((channel) => CHANNEL_CREDENTIALS[channel]);
	if (type === 'crmPaymentSync') return ['paymentEventsHubSpotApi'];
	if (node.type === 'n8n-nodes-base.httpRequest') return [node.parameters.genericAuthType];
	return [];
}

/** The Data Tables the templates write to (their sticky notes ask users to create the same). */
const TABLES = {
	payment_confirmations: [
		...['time', 'eventId', 'channel', 'provider', 'recipient', 'status'].map((name) => ({ name, type: 'string' })),
		{ name: 'attempt', type: 'number' },
		...['providerMessageId', 'templateId', 'contentSha256', 'errorCode', 'error'].map((name) => ({ name, type: 'string' })),
	],
	crm_updates: ['time', 'eventId', 'crm', 'object', 'recordId', 'statusBefore', 'statusAfter', 'decision', 'error'].map((name) => ({ name, type: 'string' })),
	recorded_payments: ['eventId', 'reference', 'amount', 'currency', 'customerEmail', 'recordedAt'].map((name) => ({ name, type: 'string' })),
};

function templates() {
	return fs
		.readdirSync(WORKFLOWS)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, ...JSON.parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')) }));
}

/**
 * Creates the credentials and tables, imports every template with the credentials attached (and the internal-system
 * URLs pointing at the stand-in), and publishes it. Returns each template's workflow id and trigger URLs by file.
 */
async function setUpTemplates(instance, base) {
	const api = localN8n.publicApi(instance);
	const credentials = {};
	for (const [type, data] of Object.entries(credentialData(base))) {
		const created = await localN8n.createCredential(instance, type, `${type} (stand-in)`, data);
		credentials[type] = { id: created.id, name: created.name };
	}
	const tables = {};
	for (const [name, columns] of Object.entries(TABLES)) tables[name] = (await api('POST', '/data-tables', { name, columns })).id;

	const workflows = {};
	for (const template of templates()) {
		const nodes = template.nodes.map((node) => {
			const needed = credentialTypes(node);
			const copy = JSON.parse(JSON.stringify(node).replaceAll('https://erp.example.com', `${base}/erp`));
			if (needed.length) copy.credentials = Object.fromEntries(needed.map((type) => [type, credentials[type]]));
			// What the template leaves for the user to fill in beside credentials: the WhatsApp sender's phone number ID.
			if (copy.parameters.whatsapp_phoneNumberId === '') copy.parameters.whatsapp_phoneNumberId = '106540352242922';
			return copy;
		});
		const workflow = await api('POST', '/workflows', { name: template.name, nodes, connections: template.connections, settings: template.settings });
		await localN8n.publishWorkflow(instance, workflow.id);
		const urls = Object.fromEntries(
			nodes.filter((node) => node.webhookId && !node.disabled).map((node) => [node.name, `${instance.baseUrl}/webhook/${node.webhookId}/webhook`]),
		);
		workflows[template.file] = { id: workflow.id, name: template.name, urls };
	}
	return { workflows, tables, api };
}

/** A real Stripe sample event (../shared/fixtures/stripe) with its event id and customer details filled in. */
function stripeEvent(file, { id, email, phone, name, metadata, created }) {
	const event = JSON.parse(fs.readFileSync(path.join(SHARED_FIXTURES, 'stripe', file), 'utf8'));
	const object = event.data.object;
	event.id = id;
	if (created) event.created = created;
	if (email) object.receipt_email = email;
	if (metadata) object.metadata = { ...object.metadata, ...metadata };
	const charge = object.charges?.data?.[0] ?? (object.object === 'charge' ? object : undefined);
	if (charge) charge.billing_details = { ...charge.billing_details, email: email ?? null, name: name ?? null, phone: phone ?? null };
	if (object.object === 'invoice') Object.assign(object, { customer_email: email ?? null, customer_name: name ?? null, customer_phone: phone ?? null });
	return JSON.stringify(event);
}

/**
 * Posts a Stripe event signed the way Stripe signs (the stripe SDK's test helper) with the endpoint's issued secret.
 * Stripe signs each attempt anew, so a retry differs from the first delivery in its timestamp.
 */
async function postStripe(url, payload, secret, timestamp = Math.floor(Date.now() / 1000)) {
	const signature = new Stripe('sk_test_demo').webhooks.generateTestHeaderString({ payload, secret, timestamp });
	return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
}

/** Shopify's REST order sample (test/fixtures/shopify/order.json) as an orders/paid delivery, signed with the API secret. */
function shopifyOrder({ id, email }) {
	const order = JSON.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, 'shopify', 'order.json'), 'utf8'));
	order.id = id;
	order.name = `#${id}`;
	order.financial_status = 'paid';
	if (email) order.email = email;
	return JSON.stringify(order);
}

async function postShopify(url, payload, secret, webhookId) {
	const hmac = createHmac('sha256', secret).update(payload).digest('base64');
	return await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-shopify-topic': 'orders/paid',
			'x-shopify-hmac-sha256': hmac,
			'x-shopify-shop-domain': 'demo-shop.myshopify.com',
			'x-shopify-api-version': '2026-01',
			'x-shopify-webhook-id': webhookId,
		},
		body: payload,
	});
}

/** The registered Stripe endpoint for a trigger URL (the stand-in keeps the secret it issued). */
function stripeSecret(stand, url) {
	const endpoint = [...stand.stripe.values()].find((candidate) => new URL(candidate.url).pathname === new URL(url).pathname);
	if (!endpoint) throw new Error(`no Stripe endpoint registered for ${url}`);
	return endpoint.secret;
}

/** `npm run demo`: one signed sample payment through each template, printing what reached the local outbox. */
async function runDemo(instance, stand, base) {
	const { workflows } = await setUpTemplates(instance, base);
	const [first, second, third, fourth] = Object.values(workflows);
	const stripeUrl = (workflow) => workflow.urls['Stripe Payment Trigger'];
	const send = async (label, response) => process.stderr.write(`[demo] ${label}: HTTP ${(await response).status}\n`);
	await send(
		'class payment (Stripe payment_intent.succeeded) → SMS confirmation',
		postStripe(stripeUrl(first), stripeEvent('payment_intent.succeeded.json', { id: 'evt_demo_class', name: 'Jenny Rosen', email: 'jenny@example.com', phone: '+14155552671', metadata: { reference: 'Yoga Tuesday 18:00' } }), stripeSecret(stand, stripeUrl(first))),
	);
	await send(
		'invoice paid (Stripe invoice.payment_succeeded) → acknowledgement',
		postStripe(stripeUrl(second), stripeEvent('invoice.payment_succeeded.json', { id: 'evt_demo_invoice', name: 'Ana Ruiz', email: 'ana@example.com' }), stripeSecret(stand, stripeUrl(second))),
	);
	await send(
		'payment failed (Stripe payment_intent.payment_failed) → HubSpot contact Failed + reminder',
		postStripe(stripeUrl(third), stripeEvent('payment_intent.payment_failed.json', { id: 'evt_demo_failed', name: 'Sam Lee', email: 'sam@example.com', phone: '+14155550123' }), stripeSecret(stand, stripeUrl(third))),
	);
	await send(
		'portal order paid (Shopify orders/paid) → accounting entry and service release',
		postShopify(fourth.urls['Shopify Payment Trigger'], shopifyOrder({ id: 450789469, email: 'bob.norman@hostmail.com' }), credentialData(base).paymentEventsShopifyApi.webhookSecret, 'demo-delivery-1'),
	);
	return workflows;
}

module.exports = { setUpTemplates, runDemo, stripeEvent, postStripe, shopifyOrder, postShopify, stripeSecret, credentialData, TABLES };
