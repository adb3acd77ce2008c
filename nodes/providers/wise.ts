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
import { verifyRsaSha256 } from '../core/signature';
import { statusOf } from '../shared/providerApi';
import type {
	CompletionRequest,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderWebhook,
	Verification,
	WebhookRequest,
	WebhookTools,
} from './types';

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

// https://docs.wise.com/guides/developer/webhooks/event-handling : X-Signature-SHA256 is the base64 RSA-SHA256 signature
// of the raw body, made with Wise's key for the environment; these are Wise's published public keys. No timestamp is signed.
const PUBLIC_KEYS: Record<string, string> = {
	live: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvO8vXV+JksBzZAY6GhSO
XdoTCfhXaaiZ+qAbtaDBiu2AGkGVpmEygFmWP4Li9m5+Ni85BhVvZOodM9epgW3F
bA5Q1SexvAF1PPjX4JpMstak/QhAgl1qMSqEevL8cmUeTgcMuVWCJmlge9h7B1CS
D4rtlimGZozG39rUBDg6Qt2K+P4wBfLblL0k4C4YUdLnpGYEDIth+i8XsRpFlogx
CAFyH9+knYsDbR43UJ9shtc42Ybd40Afihj8KnYKXzchyQ42aC8aZ/h5hyZ28yVy
Oj3Vos0VdBIs/gAyJ/4yyQFCXYte64I7ssrlbGRaco4nKF3HmaNhxwyKyJafz19e
HwIDAQAB
-----END PUBLIC KEY-----`,
	sandbox: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwpb91cEYuyJNQepZAVfP
ZIlPZfNUefH+n6w9SW3fykqKu938cR7WadQv87oF2VuT+fDt7kqeRziTmPSUhqPU
ys/V2Q1rlfJuXbE+Gga37t7zwd0egQ+KyOEHQOpcTwKmtZ81ieGHynAQzsn1We3j
wt760MsCPJ7GMT141ByQM+yW1Bx+4SG3IGjXWyqOWrcXsxAvIXkpUD/jK/L958Cg
nZEgz0BSEh0QxYLITnW1lLokSx/dTianWPFEhMC9BgijempgNXHNfcVirg1lPSyg
z7KqoKUN0oHqWLr2U1A+7kqrl6O2nx3CKs1bj1hToT1+p4kcMoHXA7kA+VBLUpEs
VwIDAQAB
-----END PUBLIC KEY-----`,
};

function verifySignature(request: WebhookRequest, environment: string | undefined): Verification {
	const signature = request.headers['x-signature-sha256'];
	if (!signature) return { ok: false, reason: 'no X-Signature-SHA256 header' };
	const environmentKey = environment && Object.hasOwn(PUBLIC_KEYS, environment) ? environment : 'live';
	const valid = verifyRsaSha256({ publicKey: PUBLIC_KEYS[environmentKey], payload: request.rawBody, signature });
	return valid ? { ok: true } : { ok: false, reason: `X-Signature-SHA256 does not verify with Wise's ${environmentKey} public key` };
}

/**
 * The schema version subscribed to per event type: the versions this adapter reads.
 * https://docs.wise.com/guides/developer/webhooks/event-types
 */
const SCHEMA_VERSIONS: Record<string, string> = {
	'balances#credit': '2.0.0',
	'balances#update': '3.0.0',
	'transfers#state-change': '2.0.0',
	'transfers#refund': '1.0.0',
};

interface WiseSubscription {
	id: string;
	delivery?: { url?: string };
}

/**
 * The profiles the node subscribes on: the token's business profiles, or its personal one when it has none.
 * https://docs.wise.com/api-reference/profile#list-profiles
 */
async function profilesOf(tools: WebhookTools): Promise<string[]> {
	const profiles = (await tools.callApi({ method: 'GET', path: '/v2/profiles', description: 'the profiles' })) as Array<{
		id: number;
		type?: string;
	}>;
	const business = profiles.filter((profile) => text(profile.type)?.toUpperCase() === 'BUSINESS');
	return (business.length ? business : profiles).map((profile) => String(profile.id));
}

const subscriptionsPath = (profileId: string) => `/v3/profiles/${encodeURIComponent(profileId)}/subscriptions`;

/** Wise subscribes one event type per subscription: the node keeps them all as one id, `profile/subscription,…`. */
async function deleteSubscriptions(tools: WebhookTools, ids: readonly string[]): Promise<void> {
	for (const pair of ids) {
		const [profileId, subscriptionId] = pair.split('/');
		try {
			await tools.callApi({
				method: 'DELETE',
				path: `${subscriptionsPath(profileId)}/${encodeURIComponent(subscriptionId)}`,
				description: `the webhook subscription ${subscriptionId}`,
			});
		} catch (error) {
			if (statusOf(error) !== 404) throw error;
		}
	}
}

const webhook: ProviderWebhook = {
	authentication: "RSA-SHA256 signature of the raw body with Wise's published public key for the credential's environment (X-Signature-SHA256 header)",
	secretFields: {},
	signatureHeaders: ['x-signature-sha256'],
	verify: (request, secrets) => verifySignature(request, secrets.environment),
	// Test notifications carry dummy data (entity ids of zero): acknowledged once their signature verifies, never run.
	handshake(request, secrets) {
		if (request.headers['x-test-notification'] !== 'true' || !verifySignature(request, secrets.environment).ok) return undefined;
		return { status: 200 };
	},
	// https://docs.wise.com/api-reference/webhook (profile subscriptions: list, create, delete; the list is not paginated)
	subscription: {
		async find(tools, url) {
			const found: string[] = [];
			for (const profileId of await profilesOf(tools)) {
				const subscriptions = (await tools.callApi({
					method: 'GET',
					path: subscriptionsPath(profileId),
					description: `the webhook subscriptions of profile ${profileId}`,
				})) as WiseSubscription[];
				for (const subscription of subscriptions) {
					if (subscription.delivery?.url === url) found.push(`${profileId}/${subscription.id}`);
				}
			}
			return found.length ? { id: found.join(',') } : undefined;
		},
		async create(tools, url, eventTypes) {
			const created: string[] = [];
			try {
				for (const profileId of await profilesOf(tools)) {
					for (const type of eventTypes.filter((eventType) => Object.hasOwn(SCHEMA_VERSIONS, eventType))) {
						const subscription = (await tools.callApi({
							method: 'POST',
							path: subscriptionsPath(profileId),
							body: { name: 'n8n payment events trigger', trigger_on: type, delivery: { version: SCHEMA_VERSIONS[type], url } },
							description: `the ${type} webhook subscription of profile ${profileId}`,
						})) as WiseSubscription;
						created.push(`${profileId}/${subscription.id}`);
					}
				}
			} catch (error) {
				// Leave no half-registered trigger behind.
				await deleteSubscriptions(tools, created).catch(() => undefined);
				throw error;
			}
			return { id: created.join(',') };
		},
		delete: async (tools, id) => await deleteSubscriptions(tools, id.split(',').filter(Boolean)),
	},
};

export const wise: ProviderAdapter = {
	id: ID,
	displayName: 'Wise',
	api: { credentialType: 'paymentEventsWiseApi', hosts: { live: 'https://api.transferwise.com', sandbox: 'https://api.sandbox.transferwise.tech' } },
	events: EVENTS,
	webhook,

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
				// Wise marks the deliveries it sends to test a subscription's URL; otherwise the credential's environment tells.
				livemode: header(input, 'x-test-notification') === 'true' ? false : undefined,
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
