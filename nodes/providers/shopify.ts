import type { PaymentEventInput } from '../core/event';
import { addMoney, subtractMoney, type Money } from '../core/money';
import type { PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
import {
	ProviderPayloadError,
	at,
	compact,
	header,
	isObject,
	isoTime,
	moneyFromDecimal,
	normalizePhone,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import { statusOf } from '../shared/providerApi';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, WebhookTools } from './types';

const ID = 'shopify';

// https://shopify.dev/docs/api/webhooks : order topics carry the order, refunds/create the refund.
const EVENTS = {
	'orders/paid': { description: 'An order was paid' },
	'orders/create': { description: 'An order was created (paid or not)' },
	'orders/updated': { description: 'An order changed; its financial status says how far it is paid' },
	'orders/cancelled': { description: 'An order was cancelled' },
	'refunds/create': { description: 'A refund was issued on an order' },
} as const;

// A stable REST Admin API version; Shopify answers a retired one with the oldest supported version.
export const ADMIN_API_VERSION = '2026-01';

const ORDER_TOPICS: ReadonlySet<string> = new Set(['orders/paid', 'orders/create', 'orders/updated', 'orders/cancelled']);

// https://shopify.dev/docs/api/admin-rest/latest/resources/order : financial_status
const FINANCIAL_STATUS: Record<string, PaymentStatus> = {
	paid: 'succeeded',
	partially_paid: 'partially_paid',
	pending: 'pending',
	authorized: 'pending',
	refunded: 'refunded',
	partially_refunded: 'partially_refunded',
	voided: 'canceled',
	expired: 'canceled',
};

type ShopifyObject = Record<string, unknown>;

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * JSON.parse, except that integers beyond 2^53 become strings of their exact digits. Shopify ids can be
 * that large (820982911946154508), and JSON.parse would round them to the nearest double.
 */
function parseKeepingBigIntegers(raw: string): unknown {
	let out = '';
	let i = 0;
	while (i < raw.length) {
		const char = raw[i];
		if (char === '"') {
			let end = i + 1;
			while (end < raw.length && raw[end] !== '"') end += raw[end] === '\\' ? 2 : 1;
			out += raw.slice(i, end + 1);
			i = end + 1;
			continue;
		}
		NUMBER.lastIndex = i;
		const number = char === '-' || (char >= '0' && char <= '9') ? NUMBER.exec(raw) : null;
		if (number) {
			const token = number[0];
			out += /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
			i += token.length;
			continue;
		}
		out += char;
		i++;
	}
	return JSON.parse(out);
}

/** The body with exact ids: from the raw bytes when we have them, else as parsed. */
function bodyOf(input: ProviderInput): unknown {
	if (input.rawBody) {
		try {
			return parseKeepingBigIntegers(input.rawBody.toString('utf8'));
		} catch {
			// Not JSON after all: fall back to the parsed body, which detect/parse then judge.
		}
	}
	return input.body;
}

/** An id as exact digits; a number JSON.parse already rounded is refused rather than passed on wrong. */
function exactId(value: unknown, field: string): string | undefined {
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw new ProviderPayloadError(
			ID,
			field,
			`${value} is beyond 2^53 and was rounded when the body was parsed; pass the raw body (rawBody) to read it exactly`,
		);
	}
	return text(value);
}

/** An object's id, preferring the exact digits of admin_graphql_api_id ("gid://shopify/Order/820982911946154508"). */
function idOf(object: unknown, field: string): string | undefined {
	const gid = /\/(\d+)$/.exec(text(at(object, 'admin_graphql_api_id')) ?? '');
	return gid ? gid[1] : exactId(at(object, 'id'), field);
}

const isRefund = (body: ShopifyObject) =>
	'order_id' in body && Array.isArray(body.refund_line_items) && Array.isArray(body.transactions);
const isOrder = (body: ShopifyObject) =>
	typeof body.financial_status === 'string' && 'total_price' in body && ('line_items' in body || 'order_number' in body);

function customerOf(order: ShopifyObject): PaymentEventInput['customer'] {
	const customer = isObject(order.customer) ? order.customer : undefined;
	const billing = order.billing_address;
	const fullName = [text(customer?.first_name), text(customer?.last_name)].filter(Boolean).join(' ');
	return compact({
		id: customer ? idOf(customer, 'customer.id') : undefined,
		name: fullName || text(at(billing, 'name')),
		email: text(order.email) ?? text(order.contact_email) ?? text(customer?.email),
		phone: normalizePhone(
			text(order.phone) ?? text(customer?.phone) ?? text(at(billing, 'phone')),
			text(at(billing, 'country_code')),
		),
		locale: text(order.customer_locale),
	});
}

function paymentOf(order: ShopifyObject): PaymentEventInput['payment'] {
	const last4 = cardLast4(at(order, 'payment_details.credit_card_number'));
	return compact({
		method: last4 ? 'card' : undefined,
		brand: text(at(order, 'payment_details.credit_card_company')),
		last4,
	});
}

function normalizeOrder(event: ProviderEvent, order: ShopifyObject): PaymentEventInput[] {
	const financialStatus = requireText(ID, order.financial_status, 'financial_status');
	const status = FINANCIAL_STATUS[financialStatus];
	if (!status) return [];
	const total = moneyFromDecimal(ID, order.total_price, order.currency, 'total_price');
	const outstanding =
		order.total_outstanding === undefined || order.total_outstanding === null
			? undefined
			: moneyFromDecimal(ID, order.total_outstanding, order.currency, 'total_outstanding');

	let amounts: Pick<PaymentEventInput, 'amount' | 'total' | 'amountPaid' | 'amountDue'> = { amount: total };
	if (status === 'partially_paid' && outstanding) {
		const paid = subtractMoney(total, outstanding);
		if (paid.minor < 0) throw new ProviderPayloadError(ID, 'total_outstanding', 'is more than total_price');
		amounts = { amount: paid, total, amountPaid: paid, amountDue: outstanding };
	}
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? true,
			occurredAt: event.occurredAt!,
			kind: 'payment',
			status,
			...amounts,
			customer: customerOf(order),
			payment: paymentOf(order),
			reference: idOf(order, 'id'),
			description: text(order.name),
		},
	];
}

const REFUND_STATUS: Record<string, PaymentStatus> = { success: 'refunded', pending: 'pending', failure: 'failed', error: 'failed' };

function normalizeRefund(event: ProviderEvent, refund: ShopifyObject): PaymentEventInput[] {
	const transactions = (refund.transactions as unknown[]).filter((transaction) => at(transaction, 'kind') === 'refund');
	// A refund that only restocks items moves no money.
	if (transactions.length === 0) return [];
	const byStatus = (status: PaymentStatus) =>
		transactions.filter((transaction) => REFUND_STATUS[text(at(transaction, 'status')) ?? ''] === status);
	const status: PaymentStatus = byStatus('refunded').length ? 'refunded' : byStatus('pending').length ? 'pending' : 'failed';
	const counted = byStatus(status);
	if (counted.length === 0) {
		throw new ProviderPayloadError(ID, 'transactions.0.status', `"${text(at(transactions[0], 'status'))}" is not a refund status`);
	}
	const amount = counted
		.map((transaction, n): Money =>
			moneyFromDecimal(ID, at(transaction, 'amount'), at(transaction, 'currency'), `transactions.${n}.amount`),
		)
		.reduce((sum, money) => addMoney(sum, money));
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? true,
			occurredAt: event.occurredAt!,
			kind: 'refund',
			status,
			amount,
			payment: compact({ id: exactId(at(counted[0], 'parent_id'), 'transactions.0.parent_id') }),
			reference: exactId(refund.order_id, 'order_id'),
			description: text(refund.note),
		},
	];
}

// https://shopify.dev/docs/apps/build/webhooks/verify-deliveries : base64(HMAC-SHA256(the app's client secret,
// raw body)) in X-Shopify-Hmac-Sha256. No timestamp is signed; a retry keeps its X-Shopify-Webhook-Id.
function verify(rawBody: Buffer, signature: string | undefined, secret: string) {
	if (!signature) return { ok: false as const, reason: 'no X-Shopify-Hmac-Sha256 header' };
	const valid = verifyHmac({ algorithm: 'sha256', key: secret, payload: rawBody, signature, encoding: 'base64' });
	return valid ? { ok: true as const } : { ok: false as const, reason: 'X-Shopify-Hmac-Sha256 does not match the API secret' };
}

interface ShopifyWebhook {
	id: number | string;
	address: string;
	topic: string;
}

const PAGE = 250;

/** The app's webhook subscriptions for this address, all pages (since_id pagination of the REST Admin API). */
async function webhooksFor(tools: WebhookTools, address: string): Promise<ShopifyWebhook[]> {
	const found: ShopifyWebhook[] = [];
	let sinceId: string | undefined;
	for (;;) {
		const page = (await tools.callApi({
			method: 'GET',
			path: '/webhooks.json',
			qs: { address, limit: PAGE, ...(sinceId ? { since_id: sinceId } : {}) },
			description: `the webhooks for ${address}`,
		})) as { webhooks?: ShopifyWebhook[] };
		const webhooks = page.webhooks ?? [];
		found.push(...webhooks.filter((webhook) => webhook.address === address));
		if (webhooks.length < PAGE) return found;
		sinceId = String(webhooks[webhooks.length - 1].id);
	}
}

// https://shopify.dev/docs/api/admin-rest/latest/resources/webhook : one subscription per topic, so the node's
// subscription id lists them all, comma-separated.
const webhook: ProviderWebhook = {
	authentication: "HMAC-SHA256 of the raw body with the app's API secret (X-Shopify-Hmac-Sha256 header)",
	secretFields: { webhookSecret: 'API Secret' },
	signatureHeaders: ['x-shopify-hmac-sha256'],
	verify: (request, secrets) => verify(request.rawBody, request.headers['x-shopify-hmac-sha256'], secrets.webhookSecret),
	subscription: {
		async find(tools, url) {
			const webhooks = await webhooksFor(tools, url);
			return webhooks.length ? { id: webhooks.map((found) => String(found.id)).join(',') } : undefined;
		},
		async create(tools, url, eventTypes) {
			const ids: string[] = [];
			for (const topic of eventTypes) {
				const created = (await tools.callApi({
					method: 'POST',
					path: '/webhooks.json',
					body: { webhook: { topic, address: url, format: 'json' } },
					description: `the ${topic} webhook for ${url}`,
				})) as { webhook: ShopifyWebhook };
				ids.push(String(created.webhook.id));
			}
			return { id: ids.join(',') };
		},
		async delete(tools, id) {
			for (const one of id.split(',').filter(Boolean)) {
				try {
					await tools.callApi({ method: 'DELETE', path: `/webhooks/${one}.json`, description: `the webhook ${one}` });
				} catch (error) {
					// Removed by hand already: go on with the others.
					if (statusOf(error) !== 404) throw error;
				}
			}
		},
	},
};

export const shopify: ProviderAdapter = {
	id: ID,
	displayName: 'Shopify',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsShopifyApi',
		hosts: { live: `https://{shopSubdomain}.myshopify.com/admin/api/${ADMIN_API_VERSION}` },
	},
	webhook,

	// A Webhook node item has the X-Shopify-Topic header; n8n's Shopify Trigger emits only the body.
	detect: (input) => {
		if (!isObject(input.body) && !input.rawBody) return false;
		if (header(input, 'x-shopify-topic')) return true;
		return isObject(input.body) && (isOrder(input.body) || isRefund(input.body));
	},

	parse(input: ProviderInput): ProviderEvent[] {
		const body = bodyOf(input);
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Shopify webhook object');
		const topic =
			header(input, 'x-shopify-topic') ?? (isRefund(body) ? 'refunds/create' : isOrder(body) ? 'orders/paid' : undefined);
		if (!topic) throw new ProviderPayloadError(ID, 'X-Shopify-Topic', 'is missing and the body is neither an order nor a refund');
		const resourceId = requireText(ID, idOf(body, 'id'), 'id');
		const refundTransactions = Array.isArray(body.transactions) ? body.transactions : [];
		const test = body.test === true || refundTransactions.some((transaction) => at(transaction, 'test') === true);
		const time = body.updated_at ?? body.processed_at ?? body.created_at;
		return [
			{
				id: header(input, 'x-shopify-webhook-id') ?? header(input, 'x-shopify-event-id') ?? `${topic}:${resourceId}`,
				type: topic,
				occurredAt: isoTime(ID, time, body.updated_at ? 'updated_at' : body.processed_at ? 'processed_at' : 'created_at'),
				livemode: !test,
				data: body,
			},
		];
	},

	normalize(event) {
		const body = event.data;
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not an object');
		if (ORDER_TOPICS.has(event.type)) return normalizeOrder(event, body);
		if (event.type === 'refunds/create') {
			if (!Array.isArray(body.transactions)) throw new ProviderPayloadError(ID, 'transactions', 'is not an array');
			return normalizeRefund(event, body);
		}
		return [];
	},
};
