import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import { safeEqual, verifyHmac } from '../core/signature';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromMinor, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification, WebhookRequest } from './types';

const ID = 'adyen';

// Standard webhook event codes: https://docs.adyen.com/development-resources/webhooks/webhook-types
const EVENTS = {
	AUTHORISATION: { description: 'A payment was authorised (success true) or refused (success false)' },
	CAPTURE: { description: 'A capture succeeded or failed' },
	CAPTURE_FAILED: { description: 'A capture failed at the acquirer' },
	CANCELLATION: { description: 'A payment was cancelled' },
	CANCEL_OR_REFUND: { description: 'A payment was cancelled or refunded' },
	TECHNICAL_CANCEL: { description: 'A payment was cancelled for a technical reason' },
	OFFER_CLOSED: { description: 'A payment offer expired' },
	REFUND: { description: 'A refund succeeded or failed' },
	REFUND_WITH_DATA: { description: 'An unreferenced refund succeeded or failed' },
	REFUND_FAILED: { description: 'A refund failed at the acquirer' },
	REFUNDED_REVERSED: { description: 'A refund was returned by the issuer' },
	NOTIFICATION_OF_CHARGEBACK: { description: 'A chargeback was announced' },
	CHARGEBACK: { description: 'A chargeback was booked' },
	SECOND_CHARGEBACK: { description: 'A second chargeback was booked' },
	CHARGEBACK_REVERSED: { description: 'A chargeback was reversed in the merchant’s favour' },
} as const;

interface Outcome {
	kind: EventKind;
	status: PaymentStatus;
}

/** What an event code means when `success` is "true" and when it is "false" (null: nothing changed). */
const OUTCOMES: Record<string, { ok: Outcome | null; failed: Outcome | null }> = {
	AUTHORISATION: { ok: { kind: 'payment', status: 'succeeded' }, failed: { kind: 'payment', status: 'failed' } },
	CAPTURE: { ok: { kind: 'payment', status: 'succeeded' }, failed: { kind: 'payment', status: 'failed' } },
	CAPTURE_FAILED: { ok: { kind: 'payment', status: 'failed' }, failed: null },
	// A cancellation that did not go through leaves the payment as it was.
	CANCELLATION: { ok: { kind: 'payment', status: 'canceled' }, failed: null },
	TECHNICAL_CANCEL: { ok: { kind: 'payment', status: 'canceled' }, failed: null },
	OFFER_CLOSED: { ok: { kind: 'payment', status: 'canceled' }, failed: null },
	REFUND: { ok: { kind: 'refund', status: 'refunded' }, failed: { kind: 'refund', status: 'failed' } },
	REFUND_WITH_DATA: { ok: { kind: 'refund', status: 'refunded' }, failed: { kind: 'refund', status: 'failed' } },
	REFUND_FAILED: { ok: { kind: 'refund', status: 'failed' }, failed: null },
	REFUNDED_REVERSED: { ok: { kind: 'refund', status: 'failed' }, failed: null },
	NOTIFICATION_OF_CHARGEBACK: { ok: { kind: 'dispute', status: 'disputed' }, failed: null },
	CHARGEBACK: { ok: { kind: 'dispute', status: 'disputed' }, failed: null },
	SECOND_CHARGEBACK: { ok: { kind: 'dispute', status: 'disputed' }, failed: null },
	CHARGEBACK_REVERSED: { ok: { kind: 'dispute', status: 'succeeded' }, failed: null },
};

type Item = Record<string, unknown>;

/** A NotificationRequestItem: sent inside `notificationItems`, or on its own when a workflow splits a batch. */
function isNotificationItem(value: unknown): value is Item {
	return (
		isObject(value) &&
		typeof value.eventCode === 'string' &&
		typeof value.pspReference === 'string' &&
		typeof value.merchantAccountCode === 'string'
	);
}

/** Balance Platform webhooks (account holders, transfers, ...) share the endpoint but are not payments here. */
function isPlatformWebhook(body: unknown): body is Record<string, unknown> {
	return (
		isObject(body) &&
		typeof body.type === 'string' &&
		body.type.startsWith('balancePlatform.') &&
		typeof body.environment === 'string' &&
		isObject(body.data)
	);
}

function outcomeOf(item: Item): Outcome | null {
	const code = text(item.eventCode) ?? '';
	// CANCEL_OR_REFUND says which of the two Adyen did in additionalData["modification.action"].
	if (code === 'CANCEL_OR_REFUND') {
		if (item.success !== 'true') return null;
		const action = text(additionalData(item)['modification.action']);
		return action === 'refund' ? { kind: 'refund', status: 'refunded' } : { kind: 'payment', status: 'canceled' };
	}
	if (!Object.hasOwn(OUTCOMES, code)) return null;
	return item.success === 'true' ? OUTCOMES[code].ok : OUTCOMES[code].failed;
}

function additionalData(item: Item): Record<string, unknown> {
	return isObject(item.additionalData) ? item.additionalData : {};
}

function metadataOf(data: Record<string, unknown>): Record<string, unknown> | undefined {
	const entries = Object.entries(data)
		.filter(([key]) => key.startsWith('metadata.'))
		.map(([key, value]) => [key.slice('metadata.'.length), value]);
	return entries.length ? Object.fromEntries(entries) : undefined;
}

function normalizeItem(event: ProviderEvent): PaymentEventInput[] {
	const item = event.data;
	if (!isNotificationItem(item)) return [];
	const outcome = outcomeOf(item);
	if (!outcome) return [];
	const data = additionalData(item);
	const last4 = text(data.cardSummary);
	const paymentMethod = text(item.paymentMethod);
	const amount = moneyFromMinor(ID, at(item, 'amount.value'), at(item, 'amount.currency'), 'amount.value');
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt!,
			kind: outcome.kind,
			status: outcome.status,
			amount,
			customer: compact({
				id: text(data.shopperReference) ?? text(data['recurring.shopperReference']),
				name: text(data.cardHolderName),
				email: text(data.shopperEmail),
			}),
			payment: compact({
				// For modifications (capture, refund, chargeback) pspReference is the modification's own.
				id: text(item.originalReference) ?? text(item.pspReference),
				method: paymentMethod,
				brand: last4 ? paymentMethod : undefined,
				last4,
			}),
			reference: text(item.merchantReference),
			// `reason` explains a failure or a dispute; on a successful authorisation it is authCode:last4:expiry.
			description: outcome.status === 'failed' || outcome.kind === 'dispute' ? text(item.reason) : undefined,
			metadata: metadataOf(data),
		},
	];
}

function toEvent(item: unknown, field: string, livemode: boolean): ProviderEvent {
	if (!isNotificationItem(item)) throw new ProviderPayloadError(ID, field, 'is not a NotificationRequestItem');
	const pspReference = requireText(ID, item.pspReference, `${field}.pspReference`);
	const eventCode = requireText(ID, item.eventCode, `${field}.eventCode`);
	const success = requireText(ID, item.success, `${field}.success`);
	return {
		// A resent event repeats pspReference and eventCode; `success` is part of the id so that an event
		// with the other outcome for the same reference is not taken for a resend.
		id: `${pspReference}:${eventCode}:${success}`,
		type: eventCode,
		occurredAt: isoTime(ID, item.eventDate, `${field}.eventDate`),
		livemode,
		data: item,
	};
}

/**
 * The signed string of a standard notification item: pspReference, originalReference, merchantAccountCode,
 * merchantReference, amount.value, amount.currency, eventCode and success joined by ':', missing ones empty, nothing escaped.
 * https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures#verify-using-your-own-solution
 */
function signedData(item: Item): string {
	const amount = isObject(item.amount) ? item.amount : {};
	const fields = [
		item.pspReference,
		item.originalReference,
		item.merchantAccountCode,
		item.merchantReference,
		amount.value,
		amount.currency,
		item.eventCode,
		item.success,
	];
	return fields.map((field) => (typeof field === 'string' || typeof field === 'number' ? String(field) : '')).join(':');
}

const HEX_KEY = /^(?:[0-9a-f]{2})+$/i;

function verifyBasicAuth(request: WebhookRequest, secrets: Readonly<Record<string, string>>): Verification {
	const user = secrets.basicAuthUser;
	const password = secrets.basicAuthPassword;
	if (user === undefined && password === undefined) return { ok: true };
	const received = request.headers.authorization;
	if (!received) return { ok: false, reason: 'no Authorization header, and the credential sets basic authentication' };
	const expected = `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64')}`;
	return safeEqual(received, expected) ? { ok: true } : { ok: false, reason: 'the basic authentication user or password does not match' };
}

function verifyDelivery(request: WebhookRequest, secrets: Readonly<Record<string, string>>): Verification {
	const hexKey = secrets.webhookSecret;
	if (!HEX_KEY.test(hexKey)) return { ok: false, reason: 'the HMAC key in the credential is not hexadecimal, as Adyen issues it' };
	const key = Buffer.from(hexKey, 'hex');
	const auth = verifyBasicAuth(request, secrets);
	if (!auth.ok) return auth;
	let body: unknown;
	try {
		body = JSON.parse(request.rawBody.toString('utf8'));
	} catch {
		return { ok: false, reason: 'the body is not JSON' };
	}
	// Balance Platform webhooks sign the raw body instead, in the HmacSignature header.
	if (isPlatformWebhook(body)) {
		const signature = request.headers.hmacsignature;
		if (!signature) return { ok: false, reason: 'no HmacSignature header' };
		const valid = verifyHmac({ algorithm: 'sha256', key, payload: request.rawBody, signature, encoding: 'base64' });
		return valid ? { ok: true } : { ok: false, reason: 'the HmacSignature does not match the HMAC key' };
	}
	const entries = isObject(body) && Array.isArray(body.notificationItems) ? body.notificationItems : undefined;
	if (!entries?.length) return { ok: false, reason: 'the body has no notificationItems' };
	for (const [index, entry] of entries.entries()) {
		const item = at(entry, 'NotificationRequestItem');
		if (!isObject(item)) return { ok: false, reason: `notificationItems.${index} is not a NotificationRequestItem` };
		const signature = text(at(item, 'additionalData.hmacSignature'));
		if (!signature) return { ok: false, reason: `notificationItems.${index} has no additionalData.hmacSignature` };
		if (!verifyHmac({ algorithm: 'sha256', key, payload: signedData(item), signature, encoding: 'base64' })) {
			return { ok: false, reason: `the hmacSignature of notificationItems.${index} does not match the HMAC key` };
		}
	}
	return { ok: true };
}

interface ManagementWebhook {
	id: string;
	url: string;
}

/**
 * Merchant-level webhooks of the Management API (the credential's host ends in /merchants/{merchantAccount}):
 * https://docs.adyen.com/api-explorer/Management/3/post/merchants/(merchantId)/webhooks
 */
const webhook: ProviderWebhook = {
	authentication:
		'HMAC-SHA256 (HMAC key) of every notification item, in additionalData.hmacSignature; basic authentication too when the credential sets it',
	secretFields: { webhookSecret: 'HMAC Key' },
	signatureHeaders: ['hmacsignature'],
	// Adyen's classic integrations expect this body; the current docs accept any 2xx.
	acknowledgement: '[accepted]',
	verify: (request, secrets) => verifyDelivery(request, secrets),
	subscription: {
		secretField: 'webhookSecret',
		secretOnlyAtCreation: true,
		async find(tools, url) {
			for (let pageNumber = 1; ; pageNumber++) {
				const page = (await tools.callApi({
					method: 'GET',
					path: '/webhooks',
					qs: { pageNumber, pageSize: 100 },
					description: 'the webhooks of the merchant account',
				})) as { data?: ManagementWebhook[]; pagesTotal?: number };
				const found = page.data?.find((configured) => configured.url === url);
				if (found) return { id: found.id };
				if (!page.data?.length || pageNumber >= (page.pagesTotal ?? 1)) return undefined;
			}
		},
		async create(tools, url) {
			// A standard webhook sends every default event code; the node's event filters pick what it needs.
			const created = (await tools.callApi({
				method: 'POST',
				path: '/webhooks',
				body: { type: 'standard', url, active: true, communicationFormat: 'json', description: 'n8n payment events trigger' },
				description: `the webhook for ${url}`,
			})) as ManagementWebhook;
			try {
				const generated = (await tools.callApi({
					method: 'POST',
					path: `/webhooks/${encodeURIComponent(created.id)}/generateHmac`,
					description: `an HMAC key for the webhook ${created.id}`,
				})) as { hmacKey: string };
				return { id: created.id, secret: generated.hmacKey };
			} catch (error) {
				// A webhook without a key the node knows could never be verified.
				await tools.callApi({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(created.id)}`, description: `the webhook ${created.id}` });
				throw error;
			}
		},
		async delete(tools, id) {
			await tools.callApi({ method: 'DELETE', path: `/webhooks/${encodeURIComponent(id)}`, description: `the webhook ${id}` });
		},
	},
};

export const adyen: ProviderAdapter = {
	id: ID,
	displayName: 'Adyen',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsAdyenApi',
		hosts: {
			test: 'https://management-test.adyen.com/v3/merchants/{merchantAccount}',
			live: 'https://management-live.adyen.com/v3/merchants/{merchantAccount}',
		},
	},
	webhook,

	detect: ({ body }) =>
		(isObject(body) &&
			Array.isArray(body.notificationItems) &&
			body.notificationItems.length > 0 &&
			body.notificationItems.every((entry) => isNotificationItem(at(entry, 'NotificationRequestItem')))) ||
		isNotificationItem(body) ||
		isPlatformWebhook(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (isNotificationItem(body)) return [toEvent(body, 'NotificationRequestItem', false)];
		if (isPlatformWebhook(body)) {
			const type = requireText(ID, body.type, 'type');
			return [
				{
					id: `${type}:${requireText(ID, body.timestamp, 'timestamp')}`,
					type,
					occurredAt: isoTime(ID, body.timestamp, 'timestamp'),
					livemode: body.environment === 'live',
					data: body,
				},
			];
		}
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not an Adyen webhook object');
		if (!Array.isArray(body.notificationItems)) throw new ProviderPayloadError(ID, 'notificationItems', 'is not an array');
		const livemode = body.live === 'true';
		return body.notificationItems.map((entry, index) =>
			toEvent(at(entry, 'NotificationRequestItem'), `notificationItems.${index}.NotificationRequestItem`, livemode),
		);
	},

	normalize: (event) => normalizeItem(event),
};
