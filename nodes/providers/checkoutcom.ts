import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import { randomBytes } from 'node:crypto';

import { verifyHmac } from '../core/signature';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromMinor, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook } from './types';

const ID = 'checkoutcom';

/**
 * https://www.checkout.com/docs/developer-resources/event-notifications/event-types (current platform) and
 * https://www.checkout.com/docs/reporting-and-insights/webhooks/webhook-examples (previous platform); both send the
 * same event types. payment_refund_declined and the dispute events are left out until a complete published example
 * shows them; they normalize to no event.
 */
const TYPES: Record<string, { kind: EventKind; status: PaymentStatus; description: string }> = {
	payment_approved: { kind: 'payment', status: 'pending', description: 'A payment was authorized; the capture follows' },
	payment_pending: { kind: 'payment', status: 'pending', description: 'An asynchronous payment was initiated' },
	payment_captured: { kind: 'payment', status: 'succeeded', description: 'A payment was captured' },
	payment_declined: { kind: 'payment', status: 'failed', description: 'A payment was declined' },
	payment_capture_declined: { kind: 'payment', status: 'failed', description: 'A capture was declined' },
	payment_voided: { kind: 'payment', status: 'canceled', description: 'An authorization was voided' },
	payment_refunded: { kind: 'refund', status: 'refunded', description: 'A payment was refunded, fully or in part' },
};

const EVENTS = Object.fromEntries(Object.entries(TYPES).map(([type, { description }]) => [type, { description }]));

type CheckoutObject = Record<string, unknown>;

function isCheckoutEvent(body: unknown): body is CheckoutObject {
	return (
		isObject(body) &&
		// Stripe events also have `evt_` ids, but carry `object: "event"` and a numeric `created`.
		body.object === undefined &&
		typeof body.id === 'string' &&
		body.id.startsWith('evt_') &&
		typeof body.type === 'string' &&
		(typeof body.created_on === 'string' || typeof body.timestamp === 'string') &&
		isObject(body.data)
	);
}

/** Sandbox or live, from the host of the event's own link (events carry no flag). */
function livemodeOf(body: CheckoutObject): boolean | undefined {
	const host = /^https:\/\/([^/]+)/.exec(text(at(body, '_links.self.href')) ?? '')?.[1];
	if (host === undefined) return undefined;
	if (host.endsWith('sandbox.checkout.com')) return false;
	return host.endsWith('checkout.com') ? true : undefined;
}

function amountOf(data: CheckoutObject) {
	return moneyFromMinor(ID, data.amount, data.currency, 'data.amount');
}

/** A refund is partial while some of the captured amount is still refundable (current platform `balances`). */
function refundStatus(data: CheckoutObject): PaymentStatus {
	const refundable = at(data, 'balances.available_to_refund');
	return typeof refundable === 'number' && refundable > 0 ? 'partially_refunded' : 'refunded';
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	if (!Object.hasOwn(TYPES, event.type)) return [];
	const data = at(event.data, 'data');
	if (!isObject(data)) throw new ProviderPayloadError(ID, 'data', 'is missing');
	const { kind, status } = TYPES[event.type];
	const source = isObject(data.source) ? data.source : undefined;
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind,
			status: kind === 'refund' ? refundStatus(data) : status,
			amount: amountOf(data),
			customer: compact({
				id: text(at(data, 'customer.id')),
				name: text(at(data, 'customer.name')) ?? text(source?.name),
				email: text(at(data, 'customer.email')),
			}),
			payment: compact({
				id: requireText(ID, data.id, 'data.id'),
				method: text(source?.type),
				brand: text(source?.scheme),
				last4: text(source?.last_4),
			}),
			reference: text(data.reference),
			metadata: isObject(data.metadata) && Object.keys(data.metadata).length ? data.metadata : undefined,
		},
	];
}

interface Workflow {
	id: string;
	actions?: Array<{ type?: string; url?: string }>;
}

/**
 * Cko-Signature: hex HMAC-SHA256 of the raw body with the signature key of the workflow's webhook action
 * (https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver).
 * Registration through the Workflows API (https://api-reference.checkout.com/#tag/Workflows): the node chooses the
 * signature key itself when it creates the workflow.
 */
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the webhook signature key (Cko-Signature header)',
	secretFields: { webhookSecret: 'Webhook Signature Key' },
	signatureHeaders: ['cko-signature'],
	verify(request, secrets) {
		const signature = request.headers['cko-signature'];
		if (!signature) return { ok: false, reason: 'no Cko-Signature header' };
		const valid = verifyHmac({ algorithm: 'sha256', key: secrets.webhookSecret, payload: request.rawBody, signature, encoding: 'hex' });
		return valid ? { ok: true } : { ok: false, reason: 'the Cko-Signature does not match the signature key' };
	},
	subscription: {
		secretField: 'webhookSecret',
		secretOnlyAtCreation: true,
		// The list names workflows only; each one's webhook URL is in its own details.
		async find(tools, url) {
			const list = (await tools.callApi({ method: 'GET', path: '/workflows', description: 'the workflows' })) as { data?: Workflow[] };
			for (const { id } of list.data ?? []) {
				const workflow = (await tools.callApi({
					method: 'GET',
					path: `/workflows/${encodeURIComponent(id)}`,
					description: `the workflow ${id}`,
				})) as Workflow;
				if (workflow.actions?.some((action) => action.type === 'webhook' && action.url === url)) return { id };
			}
			return undefined;
		},
		async create(tools, url, eventTypes) {
			const key = randomBytes(32).toString('hex');
			const created = (await tools.callApi({
				method: 'POST',
				path: '/workflows',
				body: {
					name: 'n8n payment events trigger',
					active: true,
					conditions: [{ type: 'event', events: { gateway: eventTypes } }],
					actions: [{ type: 'webhook', url, signature: { method: 'HMACSHA256', key } }],
				},
				description: `the workflow for ${url}`,
			})) as Workflow;
			return { id: created.id, secret: key };
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/workflows/${encodeURIComponent(id)}`, description: `the workflow ${id}` });
		},
	},
};

export const checkoutcom: ProviderAdapter = {
	id: ID,
	displayName: 'Checkout.com',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsCheckoutComApi',
		hosts: { production: 'https://api.checkout.com', sandbox: 'https://api.sandbox.checkout.com' },
	},
	webhook,

	// A Checkout.com webhook as delivered (n8n has no built-in Checkout.com trigger).
	detect: ({ body }) => isCheckoutEvent(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Checkout.com webhook event');
		// Previous-platform and most current events stamp `created_on`; some current ones `timestamp` instead.
		const field = body.created_on !== undefined ? 'created_on' : 'timestamp';
		return [
			{
				id: requireText(ID, body.id, 'id'),
				type: requireText(ID, body.type, 'type'),
				occurredAt: isoTime(ID, body[field], field),
				livemode: livemodeOf(body),
				data: body,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
