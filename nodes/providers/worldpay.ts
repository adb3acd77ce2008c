import type { PaymentEventInput } from '../core/event';
import type { EventKind, PaymentStatus } from '../core/status';
import { verifyHmac } from '../core/signature';
import { ProviderPayloadError, at, compact, isObject, isoTime, moneyFromMinor, requireText, text } from './common';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification } from './types';

const ID = 'worldpay';

/**
 * Access Worldpay events webhook, payment and chargeback classifications:
 * https://developer.worldpay.com/products/access/events/openapi/payment and .../openapi/chargeback
 */
const TYPES: Record<string, { kind: EventKind; status: PaymentStatus; description: string }> = {
	sentForAuthorization: { kind: 'payment', status: 'pending', description: 'Authorization was requested from the issuer' },
	authorized: { kind: 'payment', status: 'pending', description: 'The funds are reserved, not yet settled' },
	sentForSettlement: { kind: 'payment', status: 'succeeded', description: 'The payment was sent for settlement' },
	settled: { kind: 'payment', status: 'succeeded', description: 'Worldpay received the funds' },
	settlementFailed: { kind: 'payment', status: 'failed', description: 'The settlement could not be processed' },
	refused: { kind: 'payment', status: 'failed', description: 'The payment was declined' },
	error: { kind: 'payment', status: 'failed', description: 'The payment was not completed' },
	expired: { kind: 'payment', status: 'canceled', description: 'The authorization expired before settlement' },
	cancelled: { kind: 'payment', status: 'canceled', description: 'The payment was cancelled before settlement' },
	sentForRefund: { kind: 'refund', status: 'pending', description: 'A refund was requested' },
	refunded: { kind: 'refund', status: 'refunded', description: 'The issuer received the refund' },
	refundFailed: { kind: 'refund', status: 'failed', description: 'The refund failed and the funds were returned' },
	informationRequested: { kind: 'dispute', status: 'disputed', description: 'The customer disputed the payment' },
};

const EVENTS = Object.fromEntries(Object.entries(TYPES).map(([type, { description }]) => [type, { description }]));

/** eventTimestamp comes without a zone ("2018-06-13T14:18:13.407"); it is read as UTC. */
function timestamp(value: unknown): string {
	const raw = requireText(ID, value, 'eventTimestamp');
	const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(raw) ? `${raw}Z` : raw;
	return isoTime(ID, zoned, 'eventTimestamp');
}

function isEvent(body: unknown): body is Record<string, unknown> {
	return (
		isObject(body) &&
		typeof body.eventId === 'string' &&
		typeof body.eventTimestamp === 'string' &&
		isObject(body.eventDetails) &&
		typeof body.eventDetails.type === 'string'
	);
}

function normalizeEvent(event: ProviderEvent): PaymentEventInput[] {
	const details = event.data as Record<string, unknown>;
	const mapped = Object.hasOwn(TYPES, event.type) ? TYPES[event.type] : undefined;
	// Tokens, top-ups and payouts are not payments of a customer.
	if (!mapped) return [];
	// refused and error events may carry no amount; without one there is no canonical event to make.
	if (details.amount === undefined) return [];
	const amount = moneyFromMinor(ID, at(details, 'amount.value'), at(details, 'amount.currencyCode'), 'eventDetails.amount.value');
	const instrument = isObject(details.paymentInstrument) ? details.paymentInstrument : {};
	const last4 = text(instrument.lastFour);
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
				id: text(details.paymentId) ?? text(details.transactionReference),
				method: text(instrument.method) ?? (last4 || instrument.cardBrand ? 'card' : undefined),
				brand: text(instrument.cardBrand),
				last4: last4 && /^\d{4}$/.test(last4) ? last4 : undefined,
			}),
			reference: text(details.transactionReference),
			metadata: compact({ orderReference: text(details.orderReference), downstreamReference: text(details.downstreamReference) }),
		},
	];
}

/**
 * Event-Signature: `{keyId}/{hashFunction}/{signature}`, comma separated while Worldpay rotates its key; the signature is
 * the hex HMAC of the raw body with the shared secret (hash function SHA256, the only one documented):
 * https://docs.worldpay.com/access/products/events/signature. Any listed signature matching the secret is accepted,
 * since which keyId is the merchant's current one is not known here.
 */
function verifyEventSignature(header: string | undefined, rawBody: Buffer, secret: string): Verification {
	if (!header) return { ok: false, reason: 'no Event-Signature header' };
	const signatures = header
		.split(',')
		.map((entry) => entry.trim().split('/'))
		.filter((parts) => parts.length === 3 && parts[1].toUpperCase() === 'SHA256')
		.map(([, , signature]) => signature);
	if (signatures.length === 0) return { ok: false, reason: 'the Event-Signature has no SHA256 signature' };
	const valid = signatures.some((signature) => verifyHmac({ algorithm: 'sha256', key: secret, payload: rawBody, signature, encoding: 'hex' }));
	return valid ? { ok: true } : { ok: false, reason: 'no Event-Signature matches the shared secret' };
}

// Worldpay registers events webhook URLs itself; it has no API to do it.
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the shared secret (Event-Signature header)',
	secretFields: { webhookSecret: 'Event Signature Shared Secret' },
	signatureHeaders: ['event-signature'],
	verify: (request, secrets) => verifyEventSignature(request.headers['event-signature'], request.rawBody, secrets.webhookSecret),
	setup:
		'with your Worldpay Implementation Manager, who adds webhook URLs, chooses the events and enables the Event-Signature header with its shared secret',
};

export const worldpay: ProviderAdapter = {
	id: ID,
	displayName: 'Worldpay (Access)',
	events: EVENTS,
	api: {
		credentialType: 'paymentEventsWorldpayApi',
		hosts: { try: 'https://try.access.worldpay.com', live: 'https://access.worldpay.com' },
	},
	webhook,

	detect: ({ body }) => isEvent(body),

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (!isObject(body)) throw new ProviderPayloadError(ID, 'body', 'is not an Access Worldpay event object');
		const details = body.eventDetails;
		if (!isObject(details)) throw new ProviderPayloadError(ID, 'eventDetails', 'is missing');
		return [
			{
				id: requireText(ID, body.eventId, 'eventId'),
				type: requireText(ID, details.type, 'eventDetails.type'),
				occurredAt: timestamp(body.eventTimestamp),
				data: details,
			},
		];
	},

	normalize: (event) => normalizeEvent(event),
};
