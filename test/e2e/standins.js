/*
 * Local stand-ins for the provider APIs the nodes and templates reach, on one loopback server, each under its own
 * path prefix (a credential's Base URL Override points there). They keep what they are sent, so the end-to-end tests
 * and `npm run demo` can show what a provider would have received. Response shapes follow each API's reference;
 * only the fields the nodes read are kept.
 */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const PROJECT_FIXTURES = path.resolve(__dirname, '..', 'fixtures');
// twilio-node's spec fixtures for a created message and a refused one (test/fixtures/channels/twilio/SOURCES.md).
const TWILIO_CREATED = path.join(PROJECT_FIXTURES, 'channels/twilio/message.create_with_queued_status.json');
const TWILIO_REFUSED = path.join(PROJECT_FIXTURES, 'channels/twilio/rest_exception.json');

function token() {
	return randomBytes(12).toString('hex');
}

/**
 * One server for every stand-in. `crmRecords` are HubSpot CRM records by object type; Twilio refuses numbers ending in 0
 * (to force a fallback). `outbox` lists every message, CRM write and internal-system call in arrival order.
 */
function standIns({ crmRecords = {}, onOutbox } = {}) {
	const requests = [];
	const outbox = [];
	const stripe = new Map();
	const square = new Map();
	const paypal = new Map();
	const shopify = new Map();
	const crm = { contacts: [], deals: [], ...crmRecords };
	const post = (entry) => {
		outbox.push(entry);
		onOutbox?.(entry);
	};

	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '', 'http://stand-in');
			const route = `${request.method} ${url.pathname}`;
			requests.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers });
			const reply = (status, json, headers = {}) => {
				response.writeHead(status, { 'content-type': 'application/json', ...headers });
				response.end(json === undefined ? undefined : typeof json === 'string' || Buffer.isBuffer(json) ? json : JSON.stringify(json));
			};
			const id = url.pathname.split('/').pop() ?? '';
			const input = () => (body ? JSON.parse(body) : {});

			// https://docs.stripe.com/api/webhook_endpoints: list, create (form-encoded; the secret only here), delete.
			if (route === 'GET /stripe/v1/webhook_endpoints') {
				const data = [...stripe.values()].map((e) => ({ id: e.id, object: 'webhook_endpoint', url: e.url, enabled_events: e.events }));
				return reply(200, { object: 'list', url: '/v1/webhook_endpoints', has_more: false, data });
			}
			if (route === 'POST /stripe/v1/webhook_endpoints') {
				const form = new URLSearchParams(body);
				const endpoint = { id: `we_${token()}`, url: form.get('url') ?? '', events: form.getAll('enabled_events[]'), secret: `whsec_${token()}` };
				stripe.set(endpoint.id, endpoint);
				return reply(200, { id: endpoint.id, object: 'webhook_endpoint', url: endpoint.url, enabled_events: endpoint.events, secret: endpoint.secret, status: 'enabled' });
			}
			if (route.startsWith('DELETE /stripe/v1/webhook_endpoints/') && stripe.delete(id)) return reply(200, { id, object: 'webhook_endpoint', deleted: true });

			// https://developer.squareup.com/reference/square/webhook-subscriptions-api: the signature key only on create.
			if (route === 'GET /square/v2/webhooks/subscriptions') {
				return reply(200, { subscriptions: [...square.values()].map((s) => ({ id: s.id, notification_url: s.url, event_types: s.events, enabled: true })) });
			}
			if (route === 'POST /square/v2/webhooks/subscriptions') {
				const { subscription } = input();
				const created = { id: `wbhk_${token()}`, url: subscription.notification_url, events: subscription.event_types, secret: token() };
				square.set(created.id, created);
				return reply(200, { subscription: { id: created.id, name: subscription.name, enabled: true, event_types: created.events, notification_url: created.url, signature_key: created.secret } });
			}
			if (route.startsWith('DELETE /square/v2/webhooks/subscriptions/') && square.delete(id)) return reply(200, {});

			// https://developer.paypal.com/api/rest/authentication/ and https://developer.paypal.com/docs/api/webhooks/v1/.
			if (route === 'POST /paypal/v1/oauth2/token') {
				return reply(200, { scope: 'https://uri.paypal.com/services/applications/webhooks', access_token: `A21AA${token()}`, token_type: 'Bearer', app_id: 'APP-80W284485P519543T', expires_in: 31668, nonce: token() });
			}
			if (route === 'GET /paypal/v1/notifications/webhooks') {
				return reply(200, { webhooks: [...paypal.values()].map((w) => ({ id: w.id, url: w.url, event_types: w.events.map((name) => ({ name })) })) });
			}
			if (route === 'POST /paypal/v1/notifications/webhooks') {
				const created = input();
				const hook = { id: token().toUpperCase().slice(0, 17), url: created.url, events: created.event_types.map((e) => e.name), secret: '' };
				paypal.set(hook.id, hook);
				return reply(201, { id: hook.id, url: hook.url, event_types: created.event_types });
			}
			if (route.startsWith('DELETE /paypal/v1/notifications/webhooks/') && paypal.delete(id)) return reply(204);
			// The signing certificate PayPal-Cert-Url names (a throw-away one: test/fixtures/paypal/SOURCES.md).
			if (route.startsWith('GET /paypal/v1/notifications/certs/')) {
				return reply(200, fs.readFileSync(path.join(PROJECT_FIXTURES, 'paypal/test-signing-cert.pem')), { 'content-type': 'text/plain' });
			}

			// https://shopify.dev/docs/api/admin-rest/latest/resources/webhook: list by address, create per topic, delete.
			if (/^GET \/shopify\/admin\/api\/[^/]+\/webhooks\.json$/.test(route)) {
				const address = url.searchParams.get('address');
				return reply(200, { webhooks: [...shopify.values()].filter((w) => !address || w.address === address) });
			}
			if (/^POST \/shopify\/admin\/api\/[^/]+\/webhooks\.json$/.test(route)) {
				const { webhook } = input();
				const created = { id: 1000 + shopify.size, address: webhook.address, topic: webhook.topic, format: 'json', created_at: new Date().toISOString() };
				shopify.set(String(created.id), created);
				return reply(201, { webhook: created });
			}
			if (/^DELETE \/shopify\/admin\/api\/[^/]+\/webhooks\/\d+\.json$/.test(route) && shopify.delete(id.replace('.json', ''))) return reply(200, {});

			// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
			if (/^POST \/twilio\/2010-04-01\/Accounts\/\w+\/Messages\.json$/.test(route)) {
				const form = new URLSearchParams(body);
				const ok = !form.get('To')?.endsWith('0');
				post({ service: 'twilio', channel: 'sms', to: form.get('To'), from: form.get('From'), text: form.get('Body'), accepted: ok });
				return reply(ok ? 201 : 400, fs.readFileSync(ok ? TWILIO_CREATED : TWILIO_REFUSED));
			}
			// https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send: 202 with X-Message-Id.
			if (route === 'POST /sendgrid/v3/mail/send') {
				const mail = input();
				for (const personalization of mail.personalizations ?? []) {
					const text = mail.content?.find((part) => part.type === 'text/plain')?.value;
					post({ service: 'sendgrid', channel: 'email', to: personalization.to?.[0]?.email, subject: personalization.subject ?? mail.subject, text, accepted: true });
				}
				return reply(202, undefined, { 'x-message-id': `sg-${token()}` });
			}
			// https://api.slack.com/messaging/webhooks: "ok".
			if (route.startsWith('POST /slack/services/')) {
				post({ service: 'slack', channel: 'chat', to: url.pathname.replace('/slack', ''), text: input().text, accepted: true });
				return reply(200, 'ok', { 'content-type': 'text/plain' });
			}

			// https://developers.hubspot.com/docs/api/crm/contacts: batch read by a unique property, batch update.
			const objects = /^POST \/hubspot\/crm\/v3\/objects\/(\w+)\/batch\/(read|update)$/.exec(route);
			if (objects && crm[objects[1]]) {
				const [, object, action] = objects;
				const records = crm[object];
				const now = new Date().toISOString();
				const { inputs, idProperty, properties } = input();
				if (action === 'read') {
					const wanted = inputs.map((entry) => String(entry.id).toLowerCase());
					const results = records
						.filter((record) => wanted.includes(String(idProperty ? record.properties[idProperty] : record.id).toLowerCase()))
						.map((record) => ({ id: record.id, properties: Object.fromEntries(properties.map((name) => [name, record.properties[name] ?? null])), archived: false }));
					return reply(200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
				}
				const results = inputs.map((entry) => {
					const record = records.find((candidate) => candidate.id === entry.id);
					Object.assign(record.properties, entry.properties);
					post({ service: 'hubspot', object, recordId: record.id, properties: entry.properties });
					return { id: record.id, properties: record.properties, archived: false };
				});
				return reply(200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
			}

			// A business's own system (the portal template's HTTP Request nodes).
			if (request.method === 'POST' && url.pathname.startsWith('/erp/')) {
				post({ service: 'erp', path: url.pathname.replace('/erp', ''), idempotencyKey: request.headers['idempotency-key'], authorization: request.headers.authorization, body: input() });
				return reply(201, { id: `entry-${outbox.length}`, status: 'recorded' });
			}
			return reply(404, { error: { message: `no stand-in for ${route}` } });
		});
	});

	return {
		server,
		requests,
		outbox,
		stripe,
		square,
		paypal,
		shopify,
		crm,
		async listen(port = 0) {
			await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
			return `http://127.0.0.1:${server.address().port}`;
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

module.exports = { standIns };
