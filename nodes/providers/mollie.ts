import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import { cardLast4 } from '../core/redact';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromDecimal,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import { statusOf } from '../shared/providerApi';
import type {
	CompletionRequest,
	NormalizeContext,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderWebhook,
	Subscription,
	Verification,
	WebhookRequest,
	WebhookTools,
} from './types';

const ID = 'mollie';

/**
 * Mollie sends two kinds of webhook:
 * - classic ("legacy") webhooks: a form post `id=tr_…` that carries nothing else, so the payment is fetched
 *   (https://docs.mollie.com/reference/webhooks). The event types below named `payment.<status>`,
 *   `payment.refunded` and `payment.charged_back` are this adapter's names for what the fetched payment shows.
 * - next-gen webhooks: a JSON event (`resource: "event"`) with the entity embedded
 *   (https://docs.mollie.com/reference/webhooks-new).
 */
const EVENTS = {
	'payment.paid': { description: 'A payment was paid' },
	'payment.open': { description: 'A payment was created and awaits the customer' },
	'payment.pending': { description: 'A payment is being processed' },
	'payment.authorized': { description: 'A payment was authorized and awaits capture' },
	'payment.failed': { description: 'A payment failed' },
	'payment.canceled': { description: 'A payment was canceled' },
	'payment.expired': { description: 'A payment expired before it was completed' },
	'payment.refunded': { description: 'A paid payment was refunded, fully or in part' },
	'payment.charged_back': { description: 'A paid payment was charged back' },
	'payment-link.paid': { description: 'A payment link was paid (next-gen webhook)' },
} as const;

type MollieObject = Record<string, unknown>;

// https://docs.mollie.com/reference/get-payment (status)
const PAYMENT_STATUS: Record<string, { status: PaymentStatus; at: string }> = {
	open: { status: 'pending', at: 'createdAt' },
	pending: { status: 'pending', at: 'createdAt' },
	authorized: { status: 'pending', at: 'authorizedAt' },
	paid: { status: 'succeeded', at: 'paidAt' },
	failed: { status: 'failed', at: 'failedAt' },
	canceled: { status: 'canceled', at: 'canceledAt' },
	expired: { status: 'canceled', at: 'expiredAt' },
};

/** Ids of the resources a classic webhook is sent for, by prefix. */
const RESOURCE_OF_PREFIX: Record<string, string> = {
	tr: 'payment',
	ord: 'order',
	pl: 'payment-link',
	re: 'refund',
	chb: 'chargeback',
};
const MOLLIE_ID = /^(tr|ord|pl|re|chb)_[A-Za-z0-9]+$/;

/** The `id` of a classic webhook, as form text (`id=tr_…`) or as the form fields n8n parsed. */
function legacyId(body: unknown): string | undefined {
	let id: unknown;
	if (typeof body === 'string') {
		const fields = new URLSearchParams(body.trim());
		if ([...fields.keys()].join() === 'id') id = fields.get('id');
	} else if (isObject(body) && Object.keys(body).join() === 'id') {
		id = body.id;
	}
	return typeof id === 'string' && MOLLIE_ID.test(id) ? id : undefined;
}

function isNextGenEvent(body: unknown): body is MollieObject {
	return isObject(body) && body.resource === 'event' && typeof body.type === 'string' && typeof body.entityId === 'string';
}

/** The most recent `createdAt` of the refunds or chargebacks embedded in the payment, if fetched with them. */
function latestEmbedded(payment: MollieObject, key: string): string | undefined {
	const items = at(payment, `_embedded.${key}`);
	if (!Array.isArray(items)) return undefined;
	const times = items.map((item) => text(at(item, 'createdAt'))).filter((time): time is string => time !== undefined);
	return times.sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
}

function positive(payment: MollieObject, key: string) {
	const money = isObject(payment[key]) ? payment[key] : undefined;
	if (!money) return undefined;
	const amount = moneyFromDecimal(ID, money.value, money.currency, `${key}.value`);
	return amount.minor > 0 ? amount : undefined;
}

function paymentEvent(payment: MollieObject): PaymentEventInput[] {
	const id = requireText(ID, payment.id, 'id');
	const paymentStatus = requireText(ID, payment.status, 'status');
	const known = Object.hasOwn(PAYMENT_STATUS, paymentStatus) ? PAYMENT_STATUS[paymentStatus] : undefined;
	if (!known) throw new ProviderPayloadError(ID, 'status', `unknown payment status "${paymentStatus}"`);
	const amount = moneyFromDecimal(ID, at(payment, 'amount.value'), at(payment, 'amount.currency'), 'amount.value');
	const details = isObject(payment.details) ? payment.details : {};
	const method = text(payment.method);
	const common = {
		provider: ID,
		livemode: payment.mode === 'live',
		customer: compact({
			name: text(details.consumerName) ?? text(details.cardHolder),
			locale: text(payment.locale),
		}),
		payment: compact({
			id,
			method,
			// For cards Mollie gives only the last four digits in cardNumber; never keep more than four.
			brand: text(details.cardLabel),
			last4: method === 'creditcard' ? cardLast4(details.cardNumber) : undefined,
		}),
		reference: text(at(payment, 'metadata.order_id')),
		description: text(payment.description),
		metadata: isObject(payment.metadata) && Object.keys(payment.metadata).length ? payment.metadata : undefined,
	};
	const timeOf = (field: string, value: unknown) => isoTime(ID, value, field);

	// A classic webhook is also sent when a paid payment is refunded or charged back; the payment then
	// carries the amounts. Each state gets its own event id so that each is recorded once.
	const chargedBack = paymentStatus === 'paid' ? positive(payment, 'amountChargedBack') : undefined;
	if (chargedBack) {
		return [
			{
				...common,
				providerEventId: `${id}:charged_back:${chargedBack.value}`,
				providerEventType: 'payment.charged_back',
				occurredAt: timeOf('chargebacks.createdAt', latestEmbedded(payment, 'chargebacks') ?? payment.paidAt),
				kind: 'dispute',
				status: 'disputed',
				amount: chargedBack,
				total: amount,
			},
		];
	}
	const refunded = paymentStatus === 'paid' ? positive(payment, 'amountRefunded') : undefined;
	if (refunded) {
		return [
			{
				...common,
				providerEventId: `${id}:refunded:${refunded.value}`,
				providerEventType: 'payment.refunded',
				occurredAt: timeOf('refunds.createdAt', latestEmbedded(payment, 'refunds') ?? payment.paidAt),
				kind: 'refund',
				status: refunded.minor >= amount.minor ? 'refunded' : 'partially_refunded',
				amount: refunded,
				total: amount,
			},
		];
	}
	return [
		{
			...common,
			providerEventId: `${id}:${paymentStatus}`,
			providerEventType: `payment.${paymentStatus}`,
			occurredAt: timeOf(known.at, payment[known.at] ?? payment.createdAt),
			kind: 'payment',
			status: known.status,
			amount,
		},
	];
}

function nextGenEvent(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	if (event.type !== 'payment-link.paid') return [];
	const entity = context.completion ?? at(event.data, '_embedded.entity');
	if (!isObject(entity)) throw new ProviderPayloadError(ID, '_embedded.entity', 'is missing (call complete() and pass its response)');
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: entity.mode === 'live',
			occurredAt: event.occurredAt!,
			kind: 'payment',
			status: 'succeeded',
			amount: moneyFromDecimal(ID, at(entity, 'amount.value'), at(entity, 'amount.currency'), '_embedded.entity.amount.value'),
			payment: compact({ id: text(entity.id) }),
			description: text(entity.description),
		},
	];
}

function normalizeEvent(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	if (isNextGenEvent(event.data)) return nextGenEvent(event, context);
	// Only payments are fetched and mapped; orders and the others are left to other workflows.
	if (event.type !== 'payment') return [];
	if (!isObject(context.completion)) {
		throw new ProviderPayloadError(ID, 'completion', `is missing the fetched payment ${event.id} (call complete() and pass its response)`);
	}
	return paymentEvent(context.completion);
}

/** The next-gen event types the adapter turns into payment events: the ones the node subscribes to. */
const NEXT_GEN_EVENT_TYPES = ['payment-link.paid'];

/** Classic webhooks are unsigned: the payment they name is fetched back with the credential, so an id unknown to the account is refused. */
async function verifyLegacy(id: string, tools: WebhookTools): Promise<Verification> {
	// Only payments become events: a classic webhook for an order or a payment link starts nothing.
	if (RESOURCE_OF_PREFIX[id.split('_')[0]] !== 'payment') return { ok: true };
	let payment: unknown;
	try {
		// https://docs.mollie.com/reference/get-payment
		payment = await tools.callApi({ method: 'GET', path: `/v2/payments/${encodeURIComponent(id)}`, description: `the Mollie payment ${id}` });
	} catch (error) {
		if (statusOf(error) === 404) return { ok: false, reason: `the Mollie API does not know the payment ${id} named by an unsigned webhook` };
		throw error;
	}
	// Every status change is posted as the same `id=tr_…`: the fetched state tells the next change from a repeat.
	const state = [at(payment, 'status'), at(payment, 'amountRefunded.value'), at(payment, 'amountChargedBack.value')];
	return { ok: true, replayKey: state.map((value) => text(value) ?? '').join(':') };
}

// https://docs.mollie.com/reference/webhooks-best-practices : `X-Mollie-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
// sent twice (comma-joined here) while a secret is being rotated. No timestamp is signed.
function verifyNextGen(request: WebhookRequest, secret: string | undefined): Verification {
	const header = request.headers['x-mollie-signature'];
	if (!header) return { ok: false, reason: 'a JSON delivery without an X-Mollie-Signature header' };
	if (!secret) {
		return {
			ok: false,
			reason: 'a next-gen webhook arrived, but the credential has no Webhook Signing Secret and the node registered no webhook',
		};
	}
	const signatures = header.split(',').map((value) => value.trim().replace(/^sha256=/, ''));
	const valid = signatures.some((signature) =>
		verifyHmac({ algorithm: 'sha256', key: secret, payload: request.rawBody, signature, encoding: 'hex' }),
	);
	return valid ? { ok: true } : { ok: false, reason: 'no X-Mollie-Signature matches the webhook signing secret' };
}

interface MollieWebhook {
	id: string;
	url: string;
	webhookSecret?: string;
}

const webhook: ProviderWebhook = {
	authentication:
		'classic `id=tr_…` webhooks are unsigned, so the payment is fetched back from the Mollie API with the credential ' +
		'(set this URL as the webhookUrl of the payments you create); next-gen events: HMAC-SHA256 of the raw body (X-Mollie-Signature header)',
	// Classic webhooks need no secret; a next-gen delivery without one is refused by verify.
	secretFields: {},
	signatureHeaders: ['x-mollie-signature'],
	async verify(request, secrets, tools) {
		const id = legacyId(request.rawBody.toString('utf8'));
		return id ? await verifyLegacy(id, tools) : verifyNextGen(request, secrets.webhookSecret);
	},
	// https://docs.mollie.com/reference/webhooks-api : the secret is returned only when the webhook is created.
	subscription: {
		secretField: 'webhookSecret',
		secretOnlyAtCreation: true,
		async find(tools, url) {
			let from: string | undefined;
			for (;;) {
				const page = (await tools.callApi({
					method: 'GET',
					path: '/v2/webhooks',
					qs: { limit: 250, ...(from ? { from } : {}) },
					description: 'the webhooks',
				})) as { _embedded?: { webhooks?: MollieWebhook[] }; _links?: { next?: { href?: string } | null } };
				const found = page._embedded?.webhooks?.find((hook) => hook.url === url);
				if (found) return { id: found.id };
				const next = page._links?.next?.href;
				from = next ? (new URL(next).searchParams.get('from') ?? undefined) : undefined;
				if (!from) return undefined;
			}
		},
		async create(tools, url, eventTypes): Promise<Subscription> {
			const types = eventTypes.filter((type) => NEXT_GEN_EVENT_TYPES.includes(type));
			// Classic webhooks are set per payment (its webhookUrl): with no next-gen event selected there is nothing to register.
			if (types.length === 0) return { id: '' };
			const created = (await tools.callApi({
				method: 'POST',
				path: '/v2/webhooks',
				body: { name: 'n8n payment events trigger', url, eventTypes: types.join(',') },
				description: `the webhook for ${url}`,
			})) as MollieWebhook;
			return { id: created.id, secret: created.webhookSecret };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/v2/webhooks/${encodeURIComponent(id)}`, description: `the webhook ${id}` });
		},
	},
};

export const mollie: ProviderAdapter = {
	id: ID,
	displayName: 'Mollie',
	api: { credentialType: 'paymentEventsMollieApi', hosts: { live: 'https://api.mollie.com' } },
	events: EVENTS,
	webhook,

	// A classic webhook is only `id=<Mollie id>`; the id's prefix keeps other form posts out.
	detect: ({ body }) => legacyId(body) !== undefined || isNextGenEvent(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		const id = legacyId(body);
		// A classic webhook names only the resource; what happened to it is known once it is fetched.
		if (id) return [{ id, type: RESOURCE_OF_PREFIX[id.split('_')[0]], data: { id } }];
		if (!isNextGenEvent(body)) {
			throw new ProviderPayloadError(ID, 'body', 'is neither `id=<Mollie id>` nor a webhook event object');
		}
		return [
			{
				id: requireText(ID, body.id, 'id'),
				type: requireText(ID, body.type, 'type'),
				occurredAt: isoTime(ID, body.createdAt, 'createdAt'),
				data: body,
			},
		];
	},

	complete(event): CompletionRequest | undefined {
		if (!isNextGenEvent(event.data)) {
			if (event.type !== 'payment') return undefined;
			// https://docs.mollie.com/reference/get-payment : embedding refunds and chargebacks gives their times.
			return {
				method: 'GET',
				path: `/v2/payments/${encodeURIComponent(event.id)}`,
				qs: { embed: 'refunds,chargebacks' },
				description: `the Mollie payment ${event.id}`,
			};
		}
		// A next-gen webhook sent without the entity ("simple" payload): fetch the payment link.
		const entityId = text(at(event.data, 'entityId'));
		if (event.type === 'payment-link.paid' && entityId && !isObject(at(event.data, '_embedded.entity'))) {
			// https://docs.mollie.com/reference/get-payment-link
			return { method: 'GET', path: `/v2/payment-links/${encodeURIComponent(entityId)}`, description: `the Mollie payment link ${entityId}` };
		}
		return undefined;
	},

	normalize: (event, context) => normalizeEvent(event, context),
};
