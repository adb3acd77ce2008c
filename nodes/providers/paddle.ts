import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromMinor, requireText, text } from './common';
import { isWithinTolerance, verifyHmac } from '../core/signature';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification, WebhookTools } from './types';

const ID = 'paddle';

// https://developer.paddle.com/webhooks/overview (Paddle Billing; Paddle Classic alerts are a different format)
const EVENTS = {
	'transaction.completed': { description: 'A transaction was paid and fully processed' },
	'transaction.paid': { description: 'A transaction was paid' },
	'transaction.payment_failed': { description: 'A payment attempt on a transaction failed' },
	'adjustment.created': { description: 'A refund was requested' },
	'adjustment.updated': { description: 'A refund was approved or rejected' },
} as const;

type PaddleObject = Record<string, unknown>;

const TRANSACTION_STATUS: Record<string, PaymentStatus> = {
	'transaction.completed': 'succeeded',
	'transaction.paid': 'succeeded',
	'transaction.payment_failed': 'failed',
};

// https://developer.paddle.com/api-reference/adjustments/overview
const REFUND_STATUS: Record<string, PaymentStatus> = {
	pending_approval: 'pending',
	approved: 'refunded',
	rejected: 'failed',
	reversed: 'canceled',
};

function base(event: ProviderEvent, object: PaddleObject) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		// Notifications do not say whether they come from the sandbox.
		livemode: event.livemode ?? false,
		occurredAt: event.occurredAt!,
		customer: compact({ id: text(object.customer_id) }),
		metadata: isObject(object.custom_data) && Object.keys(object.custom_data).length ? object.custom_data : undefined,
	};
}

function transactionEvent(event: ProviderEvent, transaction: PaddleObject, status: PaymentStatus): PaymentEventInput[] {
	const totals = at(transaction, 'details.totals');
	const amount = moneyFromMinor(ID, at(totals, 'grand_total'), at(totals, 'currency_code'), 'data.details.totals.grand_total');
	// Payment attempts, most recent first; a paid transaction's card is the one that was captured.
	const attempts = Array.isArray(transaction.payments) ? transaction.payments.filter(isObject) : [];
	const attempt = (status === 'succeeded' && attempts.find((payment) => payment.status === 'captured')) || attempts[0];
	const method = text(at(attempt, 'method_details.type'));
	const card = method === 'card' ? at(attempt, 'method_details.card') : undefined;
	const invoiceNumber = text(transaction.invoice_number);
	return [
		{
			...base(event, transaction),
			kind: 'payment',
			status,
			amount,
			invoice: compact({ id: text(transaction.invoice_id), number: invoiceNumber }),
			payment: compact({ id: text(transaction.id), method, brand: text(at(card, 'type')), last4: text(at(card, 'last4')) }),
			reference: invoiceNumber,
		},
	];
}

function adjustmentEvent(event: ProviderEvent, adjustment: PaddleObject): PaymentEventInput[] {
	// Credits, chargebacks and their reversals are other actions: only refunds are mapped.
	if (adjustment.action !== 'refund') return [];
	const adjustmentStatus = requireText(ID, adjustment.status, 'data.status');
	let status = Object.hasOwn(REFUND_STATUS, adjustmentStatus) ? REFUND_STATUS[adjustmentStatus] : undefined;
	if (!status) throw new ProviderPayloadError(ID, 'data.status', `unknown adjustment status "${adjustmentStatus}"`);
	if (status === 'refunded' && adjustment.type === 'partial') status = 'partially_refunded';
	const totals = adjustment.totals;
	const amount = moneyFromMinor(ID, at(totals, 'total'), at(totals, 'currency_code'), 'data.totals.total');
	return [
		{
			...base(event, adjustment),
			kind: 'refund',
			status,
			amount,
			payment: compact({ id: text(adjustment.transaction_id) }),
		},
	];
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const object = event.data;
	if (!isObject(object)) throw new ProviderPayloadError(ID, 'data', 'is missing');
	if (Object.hasOwn(TRANSACTION_STATUS, event.type)) return transactionEvent(event, object, TRANSACTION_STATUS[event.type]);
	if (event.type === 'adjustment.created' || event.type === 'adjustment.updated') return adjustmentEvent(event, object);
	return [];
}

// https://developer.paddle.com/webhooks/about/signature-verification : Paddle-Signature `ts=<unix s>;h1=<hex>`,
// HMAC-SHA256 of `ts:raw body` with the destination's secret key (several h1 while a key is rotated). The docs
// give the SDKs' five-second tolerance and ask manual checks to apply the same.
const TOLERANCE_SECONDS = 5;

function verify(rawBody: Buffer, header: string | undefined, secret: string, now: Date): Verification {
	if (!header) return { ok: false, reason: 'no Paddle-Signature header' };
	const parts = header.split(';').map((part) => part.trim().split('='));
	const timestamp = parts.find(([name]) => name === 'ts')?.[1];
	const signatures = parts.filter(([name]) => name === 'h1').map(([, value]) => value);
	if (!timestamp || !/^\d+$/.test(timestamp) || signatures.length === 0) return { ok: false, reason: 'Paddle-Signature has no ts or h1' };
	if (!isWithinTolerance(timestamp, TOLERANCE_SECONDS, now)) {
		return { ok: false, reason: `the signature's timestamp is more than ${TOLERANCE_SECONDS} s away` };
	}
	const payload = Buffer.concat([Buffer.from(`${timestamp}:`), rawBody]);
	const valid = signatures.some((signature) => verifyHmac({ algorithm: 'sha256', key: secret, payload, signature, encoding: 'hex' }));
	return valid ? { ok: true } : { ok: false, reason: 'no h1 signature matches the secret key' };
}

interface NotificationSetting {
	id: string;
	destination: string;
	endpoint_secret_key?: string;
}

interface NotificationSettingsPage {
	data: NotificationSetting[];
	meta?: { pagination?: { has_more?: boolean } };
}

// https://developer.paddle.com/api-reference/notification-settings/list-notification-settings (paginated by `after`)
async function findDestination(tools: WebhookTools, url: string): Promise<NotificationSetting | undefined> {
	let after: string | undefined;
	for (;;) {
		const page = (await tools.callApi({
			method: 'GET',
			path: '/notification-settings',
			qs: { per_page: 200, ...(after ? { after } : {}) },
			description: 'the notification destinations',
		})) as NotificationSettingsPage;
		const found = page.data.find((setting) => setting.destination === url);
		if (found) return found;
		if (!page.meta?.pagination?.has_more || page.data.length === 0) return undefined;
		after = page.data[page.data.length - 1].id;
	}
}

const webhook: ProviderWebhook = {
	authentication: `HMAC-SHA256 of the timestamp and raw body (Paddle-Signature header), at most ${TOLERANCE_SECONDS} s old`,
	secretFields: { webhookSecret: 'Webhook Secret Key' },
	signatureHeaders: ['paddle-signature'],
	signsEachAttempt: true,
	verify: (request, secrets, tools) => verify(request.rawBody, request.headers['paddle-signature'], secrets.webhookSecret, tools.now),
	// https://developer.paddle.com/api-reference/notification-settings : the secret key comes with every read.
	subscription: {
		secretField: 'webhookSecret',
		async find(tools, url) {
			const found = await findDestination(tools, url);
			return found && { id: found.id, secret: found.endpoint_secret_key };
		},
		async create(tools, url, eventTypes) {
			const created = (await tools.callApi({
				method: 'POST',
				path: '/notification-settings',
				body: { description: 'n8n payment events trigger', type: 'url', destination: url, subscribed_events: eventTypes },
				description: `the notification destination for ${url}`,
			})) as { data: NotificationSetting };
			return { id: created.data.id, secret: created.data.endpoint_secret_key };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/notification-settings/${id}`, description: `the notification destination ${id}` });
		},
	},
};

export const paddle: ProviderAdapter = {
	id: ID,
	displayName: 'Paddle',
	events: EVENTS,
	api: { credentialType: 'paymentEventsPaddleApi', hosts: { live: 'https://api.paddle.com', sandbox: 'https://sandbox-api.paddle.com' } },
	webhook,

	detect: ({ body }) =>
		isObject(body) &&
		typeof body.event_id === 'string' &&
		typeof body.event_type === 'string' &&
		typeof body.notification_id === 'string' &&
		isObject(body.data),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Paddle notification object');
		return [
			{
				id: requireText(ID, body.event_id, 'event_id'),
				type: requireText(ID, body.event_type, 'event_type'),
				occurredAt: isoTime(ID, body.occurred_at, 'occurred_at'),
				data: body.data,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
