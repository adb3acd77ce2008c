import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	isObject,
	isoTime,
	moneyFromMinor,
	requireText,
	text,
} from './common';
import { verifyHmac } from '../core/signature';
import type {
	CompletionRequest,
	NormalizeContext,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderWebhook,
} from './types';

const ID = 'gocardless';

/**
 * Which actions of a resource are about money, and what they mean.
 * https://developer.gocardless.com/api-reference#event-types-payment and #event-types-refund
 */
const ACTIONS: Record<string, Record<string, { kind: EventKind; status: PaymentStatus; description: string }>> = {
	payments: {
		created: { kind: 'payment', status: 'pending', description: 'A payment was created' },
		submitted: { kind: 'payment', status: 'pending', description: 'A payment was submitted to the banks' },
		resubmission_requested: { kind: 'payment', status: 'pending', description: 'A payment will be retried' },
		confirmed: { kind: 'payment', status: 'succeeded', description: 'A payment was collected' },
		paid_out: { kind: 'payment', status: 'succeeded', description: 'A payment was paid out to the creditor' },
		chargeback_cancelled: { kind: 'payment', status: 'succeeded', description: 'A chargeback was reversed' },
		failed: { kind: 'payment', status: 'failed', description: 'A payment could not be collected' },
		late_failure_settled: { kind: 'payment', status: 'failed', description: 'A late failure was debited from a payout' },
		customer_approval_denied: { kind: 'payment', status: 'failed', description: 'The customer denied a payment' },
		cancelled: { kind: 'payment', status: 'canceled', description: 'A payment was cancelled' },
		charged_back: { kind: 'dispute', status: 'disputed', description: 'The customer charged a payment back' },
		chargeback_settled: { kind: 'dispute', status: 'disputed', description: 'A chargeback was debited from a payout' },
	},
	refunds: {
		created: { kind: 'refund', status: 'pending', description: 'A refund was created' },
		paid: { kind: 'refund', status: 'refunded', description: 'A refund was paid to the customer' },
		refund_settled: { kind: 'refund', status: 'refunded', description: 'A refund was deducted from a payout' },
		failed: { kind: 'refund', status: 'failed', description: 'A refund did not reach the customer' },
		funds_returned: { kind: 'refund', status: 'failed', description: 'The funds of a failed refund were returned' },
	},
};

/** The API resource a thin event points at: GET /payments/{id} or GET /refunds/{id}. */
const RESOURCES: Record<string, { link: string; path: string; noun: string }> = {
	payments: { link: 'payment', path: '/payments', noun: 'payment' },
	refunds: { link: 'refund', path: '/refunds', noun: 'refund' },
};

const EVENTS = Object.fromEntries(
	Object.entries(ACTIONS).flatMap(([resource, actions]) =>
		Object.entries(actions).map(([action, { description }]) => [`${resource}.${action}`, { description }]),
	),
);

function mappedAction(event: ProviderEvent) {
	const resource = text(at(event.data, 'resource_type')) ?? '';
	const action = text(at(event.data, 'action')) ?? '';
	const mapped = Object.hasOwn(ACTIONS, resource) && Object.hasOwn(ACTIONS[resource], action) ? ACTIONS[resource][action] : undefined;
	return mapped && { resource, ...mapped };
}

function parseEvent(value: unknown, index: number): ProviderEvent {
	const field = `events[${index}]`;
	if (!isObject(value)) throw new ProviderPayloadError(ID, field, 'is not an event object');
	const resource = requireText(ID, value.resource_type, `${field}.resource_type`);
	const action = requireText(ID, value.action, `${field}.action`);
	return {
		id: requireText(ID, value.id, `${field}.id`),
		type: `${resource}.${action}`,
		occurredAt: isoTime(ID, value.created_at, `${field}.created_at`),
		data: value,
	};
}

function normalizeEvent(event: ProviderEvent, context: NormalizeContext): PaymentEventInput[] {
	const mapped = mappedAction(event);
	if (!mapped) return [];
	const { noun } = RESOURCES[mapped.resource];
	const resource = at(context.completion, mapped.resource);
	if (!isObject(resource)) {
		throw new ProviderPayloadError(ID, 'completion', `is missing the fetched ${noun} (call complete() and pass its response)`);
	}
	const amount = moneyFromMinor(ID, resource.amount, resource.currency, `${mapped.resource}.amount`);
	const isRefund = mapped.resource === 'refunds';
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			// Events do not say which environment sent them; the node knows it from the credential.
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: mapped.kind,
			status: mapped.status,
			amount,
			payment: compact({
				id: isRefund ? text(at(resource, 'links.payment')) : text(resource.id),
				// The Direct Debit scheme (bacs, sepa_core, ach, ...) when the event names it.
				method: text(at(event.data, 'details.scheme')),
			}),
			reference: text(resource.reference),
			description: text(resource.description),
			metadata: isObject(resource.metadata) && Object.keys(resource.metadata).length ? resource.metadata : undefined,
		},
	];
}

// https://developer.gocardless.com/api-reference#webhooks-overview : no timestamp is signed, so there is no replay window.
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the webhook endpoint secret (Webhook-Signature header)',
	secretFields: { webhookSecret: 'Webhook Endpoint Secret' },
	signatureHeaders: ['webhook-signature'],
	setup: "in the GoCardless Dashboard (Developers → Create → Webhook endpoint), and paste the endpoint's secret into the credential",
	verify(request, secrets) {
		const signature = request.headers['webhook-signature'];
		if (!signature) return { ok: false, reason: 'no Webhook-Signature header' };
		const key = secrets.webhookSecret;
		if (!verifyHmac({ algorithm: 'sha256', key, payload: request.rawBody, signature, encoding: 'hex' })) {
			return { ok: false, reason: 'the Webhook-Signature does not match the webhook endpoint secret' };
		}
		return { ok: true };
	},
};

export const gocardless: ProviderAdapter = {
	id: ID,
	displayName: 'GoCardless',
	api: { credentialType: 'paymentEventsGoCardlessApi', hosts: { live: 'https://api.gocardless.com', sandbox: 'https://api-sandbox.gocardless.com' } },
	events: EVENTS,
	webhook,

	// A webhook body: `events` is an array of event objects (the published docs sample shows one object,
	// which parse rejects with a clear error rather than another adapter claiming it).
	detect: ({ body }) => {
		if (!isObject(body)) return false;
		const events = Array.isArray(body.events) ? body.events : [body.events];
		return (
			events.length > 0 &&
			events.every((event) => isObject(event) && typeof event.resource_type === 'string' && typeof event.action === 'string')
		);
	},

	parse(input: ProviderInput): ProviderEvent[] {
		const { body } = input;
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a GoCardless webhook object');
		if (!Array.isArray(body.events)) throw new ProviderPayloadError(ID, 'events', 'is not an array');
		return body.events.map((event, index) => parseEvent(event, index));
	},

	// https://developer.gocardless.com/api-reference#payments-get-a-single-payment and #refunds-get-a-single-refund
	complete(event): CompletionRequest | undefined {
		const mapped = mappedAction(event);
		if (!mapped) return undefined;
		const { link, path, noun } = RESOURCES[mapped.resource];
		const id = requireText(ID, at(event.data, `links.${link}`), `links.${link}`);
		return {
			method: 'GET',
			path: `${path}/${encodeURIComponent(id)}`,
			// https://developer.gocardless.com/api-reference#making-requests-versions
			headers: { 'GoCardless-Version': '2015-07-06' },
			description: `the GoCardless ${noun} ${id}`,
		};
	},

	normalize: (event, context) => normalizeEvent(event, context),
};
