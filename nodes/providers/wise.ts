import type { PaymentEventInput } from '../core/event';
import type { PaymentStatus } from '../core/status';
import {
	ProviderPayloadError,
	at,
	compact,
	header,
	isObject,
	isoTime,
	moneyFromDecimal,
	requireText,
	text,
} from './common';
import type { CompletionRequest, ProviderAdapter, ProviderEvent, ProviderInput } from './types';

const ID = 'wise';

// https://docs.wise.com/api-reference/webhook-event
const EVENTS = {
	'balances#credit': { description: 'Money arrived in a Wise balance (deprecated by Wise for balances#update)' },
	'balances#update': { description: 'A Wise balance was credited (debits are reported by the transfer events)' },
	'transfers#state-change': { description: 'A transfer (payout) changed state (fetched to read its amount)' },
	'transfers#refund': { description: 'A transfer was refunded to the sender' },
} as const;

// https://docs.wise.com/guides/product/send-money/tracking-transfers
const TRANSFER_STATUS: Record<string, PaymentStatus> = {
	incoming_payment_waiting: 'pending',
	incoming_payment_initiated: 'pending',
	processing: 'pending',
	funds_converted: 'pending',
	waiting_recipient_input_to_proceed: 'pending',
	outgoing_payment_sent: 'succeeded',
	cancelled: 'canceled',
	funds_refunded: 'refunded',
	bounced_back: 'failed',
	charged_back: 'disputed',
};

function base(event: ProviderEvent) {
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		occurredAt: event.occurredAt!,
	};
}

function normalizeCredit(event: ProviderEvent, data: Record<string, unknown>): PaymentEventInput[] {
	// balances#update also reports debits (card spending, transfers out); only money received is a payment here.
	if (data.transaction_type !== 'credit') return [];
	const amount = moneyFromDecimal(ID, data.amount, data.currency, 'data.amount');
	return [
		{
			...base(event),
			kind: 'payment',
			status: 'succeeded',
			amount,
			reference: text(data.transfer_reference),
			metadata: compact({
				balanceAccountId: text(at(data, 'resource.id')),
				balanceId: text(data.balance_id),
				channel: text(data.channel_name),
			}),
		},
	];
}

function normalizeTransfer(event: ProviderEvent, data: Record<string, unknown>, completion: unknown): PaymentEventInput[] {
	const state = requireText(ID, data.current_state, 'data.current_state');
	const status = TRANSFER_STATUS[state];
	// "unknown": Wise itself lacks the information to settle the transfer; nothing to report yet.
	if (!status) return [];
	if (!isObject(completion)) {
		throw new ProviderPayloadError(ID, 'completion', 'is missing: fetch the transfer named by complete() first');
	}
	// The amount the recipient is paid, in the recipient's currency.
	const amount = moneyFromDecimal(ID, completion.targetValue, completion.targetCurrency, 'targetValue');
	return [
		{
			...base(event),
			kind: 'payout',
			status,
			amount,
			payment: compact({ id: text(at(data, 'resource.id')) }),
			reference: text(at(completion, 'details.reference')) ?? text(completion.reference),
		},
	];
}

function normalizeRefund(event: ProviderEvent, data: Record<string, unknown>): PaymentEventInput[] {
	const resource = data.resource;
	const refunded = at(resource, 'refund_amount');
	const amount = moneyFromDecimal(ID, refunded, at(resource, 'refund_currency'), 'data.resource.refund_amount');
	return [{ ...base(event), kind: 'refund', status: 'refunded', amount, payment: compact({ id: text(at(resource, 'id')) }) }];
}

/**
 * Wise events carry no id, and X-Delivery-Id changes with every delivery attempt, so the id is built from
 * what identifies the change: the resource, what happened to it and when.
 */
function eventId(type: string, data: Record<string, unknown>, occurredAt: string): string {
	const resourceId = requireText(ID, at(data, 'resource.id'), 'data.resource.id');
	const parts = (...values: unknown[]) => [type, resourceId, ...values.map((value) => text(value) ?? '')].join(':');
	if (type === 'transfers#state-change') {
		return parts(requireText(ID, data.current_state, 'data.current_state'), occurredAt);
	}
	if (type === 'balances#update') return parts(data.balance_id, data.step_id, data.transaction_type, occurredAt);
	// Two credits to one balance in the same second differ in the balance they leave behind.
	if (type === 'balances#credit') return parts(data.currency, occurredAt, data.post_transaction_balance_amount);
	return parts(occurredAt);
}

export const wise: ProviderAdapter = {
	id: ID,
	displayName: 'Wise',
	api: { credentialType: 'paymentEventsWiseApi', hosts: { live: 'https://api.transferwise.com', sandbox: 'https://api.sandbox.transferwise.tech' } },
	events: EVENTS,

	// A Wise event as delivered, and as n8n's Wise Trigger emits it (the body as is).
	detect: ({ body }) =>
		isObject(body) &&
		typeof body.event_type === 'string' &&
		body.event_type.includes('#') &&
		typeof body.schema_version === 'string' &&
		typeof body.subscription_id === 'string' &&
		isObject(body.data),

	parse(input: ProviderInput): ProviderEvent[] {
		const { body } = input;
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not a Wise event object');
		const type = requireText(ID, body.event_type, 'event_type');
		if (!isObject(body.data)) throw new ProviderPayloadError(ID, 'data', 'is missing');
		const occurredAt = isoTime(ID, body.data.occurred_at ?? body.sent_at, 'data.occurred_at');
		return [
			{
				id: eventId(type, body.data, occurredAt),
				type,
				occurredAt,
				// Wise marks the deliveries it sends to test a subscription's URL.
				livemode: header(input, 'x-test-notification') !== 'true',
				data: body.data,
			},
		];
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		if (event.type !== 'transfers#state-change') return undefined;
		if (!TRANSFER_STATUS[text(at(event.data, 'current_state')) ?? '']) return undefined;
		const transferId = requireText(ID, at(event.data, 'resource.id'), 'data.resource.id');
		return {
			method: 'GET',
			// https://docs.wise.com/api-reference/transfer#get-by-id
			path: `/v1/transfers/${encodeURIComponent(transferId)}`,
			description: `the Wise transfer ${transferId}`,
		};
	},

	normalize(event, context) {
		const data = event.data;
		if (!isObject(data)) throw new ProviderPayloadError(ID, 'data', 'is missing');
		switch (event.type) {
			case 'balances#credit':
			case 'balances#update':
				return normalizeCredit(event, data);
			case 'transfers#state-change':
				return normalizeTransfer(event, data, context.completion);
			case 'transfers#refund':
				return normalizeRefund(event, data);
			default:
				return [];
		}
	},
};
