import type { PaymentEventInput } from '../core/event';
import { subtractMoney } from '../core/money';
import type { PaymentStatus } from '../core/status';
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
import type {
	CompletionRequest,
	PolledRecord,
	ProviderAdapter,
	ProviderEvent,
	ProviderInput,
	ProviderPoll,
	ProviderWebhook,
	WebhookTools,
} from './types';

const ID = 'quickbooks';

/**
 * The minor version Intuit asks every request to name; 75 is the base version since minor versions 1-74
 * were retired (https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/minor-versions).
 */
const MINOR_VERSION = '75';

// https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks : every notification is thin (entity name,
// id and operation); the legacy format names operations Create/Update/Delete/Merge/Void/Emailed, the CloudEvents
// format uses types such as qbo.payment.created.v1.
const EVENTS = {
	'Payment.Create': { description: 'A customer payment was recorded' },
	'Payment.Update': { description: 'A customer payment changed' },
	'Payment.Void': { description: 'A customer payment was voided' },
	'Invoice.Create': { description: 'An invoice was created' },
	'Invoice.Update': { description: 'An invoice changed, e.g. a payment was applied to it' },
	'Invoice.Void': { description: 'An invoice was voided' },
	'qbo.payment.created.v1': { description: 'A customer payment was recorded (CloudEvents)' },
	'qbo.payment.updated.v1': { description: 'A customer payment changed (CloudEvents)' },
	'qbo.payment.voided.v1': { description: 'A customer payment was voided (CloudEvents)' },
	'qbo.invoice.created.v1': { description: 'An invoice was created (CloudEvents)' },
	'qbo.invoice.updated.v1': { description: 'An invoice changed (CloudEvents)' },
	'qbo.invoice.voided.v1': { description: 'An invoice was voided (CloudEvents)' },
} as const;

/** What a notification is about, read from either format (or from a Change Data Capture record). */
interface EntityChange {
	/** Always in notifications and polled changes (the company polled); optional only for events built elsewhere. */
	realmId?: string;
	/** Lower-case entity name: payment, invoice, customer, ... */
	entity: string;
	entityId: string;
	/** Lower-case operation: create(d), update(d), delete(d), void(ed), merge(d), emailed. */
	operation: string;
}

function changeOf(event: ProviderEvent): EntityChange {
	const data = event.data;
	return {
		realmId: text(at(data, 'realmId')),
		entity: requireText(ID, at(data, 'entity'), 'entity'),
		entityId: requireText(ID, at(data, 'entityId'), 'entityId'),
		operation: requireText(ID, at(data, 'operation'), 'operation'),
	};
}

/** Legacy `{ eventNotifications: [ { realmId, dataChangeEvent: { entities: [...] } } ] }`. */
function parseLegacy(body: Record<string, unknown>): ProviderEvent[] {
	if (!Array.isArray(body.eventNotifications)) {
		throw new ProviderPayloadError(ID, 'eventNotifications', 'is not an array');
	}
	return body.eventNotifications.flatMap((notification, n) => {
		const realmId = requireText(ID, at(notification, 'realmId'), `eventNotifications.${n}.realmId`);
		const entities = at(notification, 'dataChangeEvent.entities');
		if (!Array.isArray(entities)) {
			throw new ProviderPayloadError(ID, `eventNotifications.${n}.dataChangeEvent.entities`, 'is not an array');
		}
		return entities.map((entity, e): ProviderEvent => {
			const field = `eventNotifications.${n}.dataChangeEvent.entities.${e}`;
			const name = requireText(ID, at(entity, 'name'), `${field}.name`);
			const entityId = requireText(ID, at(entity, 'id'), `${field}.id`);
			const operation = requireText(ID, at(entity, 'operation'), `${field}.operation`);
			const lastUpdated = requireText(ID, at(entity, 'lastUpdated'), `${field}.lastUpdated`);
			const change: EntityChange = { realmId, entity: name.toLowerCase(), entityId, operation: operation.toLowerCase() };
			return {
				// Legacy notifications carry no event id; an entity changes at most once per lastUpdated.
				id: `${realmId}:${name}:${entityId}:${operation}:${lastUpdated}`,
				type: `${name}.${operation}`,
				occurredAt: isoTime(ID, lastUpdated, `${field}.lastUpdated`),
				data: change,
			};
		});
	});
}

/** CloudEvents `[ { specversion, id, type: "qbo.<entity>.<operation>.v1", time, intuitaccountid, intuitentityid } ]`. */
function parseCloudEvents(body: unknown[]): ProviderEvent[] {
	return body.map((event, index) => {
		if (!isObject(event)) throw new ProviderPayloadError(ID, `${index}`, 'is not a CloudEvent object');
		const type = requireText(ID, event.type, `${index}.type`);
		const match = /^qbo\.([a-z0-9]+)\.([a-z]+)\.v\d+$/i.exec(type);
		if (!match) throw new ProviderPayloadError(ID, `${index}.type`, `"${type}" is not a qbo.<entity>.<operation>.v<n> type`);
		const change: EntityChange = {
			realmId: requireText(ID, event.intuitaccountid, `${index}.intuitaccountid`),
			entity: match[1].toLowerCase(),
			entityId: requireText(ID, event.intuitentityid, `${index}.intuitentityid`),
			operation: match[2].toLowerCase(),
		};
		return {
			id: requireText(ID, event.id, `${index}.id`),
			type,
			occurredAt: isoTime(ID, event.time, `${index}.time`),
			data: change,
		};
	});
}

const isVoid = (operation: string) => operation === 'void' || operation === 'voided';
const isDelete = (operation: string) => operation === 'delete' || operation === 'deleted';
const isMoneyEntity = (entity: string) => entity === 'payment' || entity === 'invoice';
/** Whether the change is about money and its entity can be read: a deleted one cannot; merges and e-mails do not move money. */
const readable = (change: EntityChange) =>
	isMoneyEntity(change.entity) && !isDelete(change.operation) && !/^(merge|merged|emailed)$/.test(change.operation);

function base(event: ProviderEvent, entity: Record<string, unknown>, field: string) {
	const updated = text(at(entity, 'MetaData.LastUpdatedTime'));
	return {
		provider: ID,
		providerEventId: event.id,
		providerEventType: event.type,
		livemode: event.livemode ?? true,
		// The fetched state is as of LastUpdatedTime, which may be later than the notification.
		occurredAt: updated ? isoTime(ID, updated, `${field}.MetaData.LastUpdatedTime`) : event.occurredAt!,
		customer: compact({ id: text(at(entity, 'CustomerRef.value')), name: text(at(entity, 'CustomerRef.name')) }),
	};
}

/** CurrencyRef is in every response at minor version 75; the company's home currency is not, so it is required. */
function currencyOf(entity: Record<string, unknown>, field: string): string {
	return requireText(ID, at(entity, 'CurrencyRef.value'), `${field}.CurrencyRef.value`);
}

function normalizePayment(event: ProviderEvent, change: EntityChange, completion: unknown): PaymentEventInput[] {
	const payment = at(completion, 'Payment');
	if (!isObject(payment)) throw new ProviderPayloadError(ID, 'Payment', 'is missing from the fetched payment');
	const amount = moneyFromDecimal(ID, payment.TotalAmt, currencyOf(payment, 'Payment'), 'Payment.TotalAmt');
	const lines = Array.isArray(payment.Line) ? payment.Line : [];
	const invoiceIds = lines.flatMap((line) => {
		const linked = at(line, 'LinkedTxn');
		return Array.isArray(linked) ? linked.filter((txn) => at(txn, 'TxnType') === 'Invoice') : [];
	});
	return [
		{
			...base(event, payment, 'Payment'),
			kind: 'payment',
			status: isVoid(change.operation) ? 'canceled' : 'succeeded',
			amount,
			payment: compact({ id: text(payment.Id) }),
			invoice: compact({ id: text(at(invoiceIds[0], 'TxnId')) }),
			reference: text(payment.PaymentRefNum),
			description: text(payment.PrivateNote),
		},
	];
}

function normalizeInvoice(event: ProviderEvent, change: EntityChange, completion: unknown): PaymentEventInput[] {
	const invoice = at(completion, 'Invoice');
	if (!isObject(invoice)) throw new ProviderPayloadError(ID, 'Invoice', 'is missing from the fetched invoice');
	const currency = currencyOf(invoice, 'Invoice');
	const total = moneyFromDecimal(ID, invoice.TotalAmt, currency, 'Invoice.TotalAmt');
	const amountDue = moneyFromDecimal(ID, invoice.Balance, currency, 'Invoice.Balance');
	if (amountDue.minor > total.minor) throw new ProviderPayloadError(ID, 'Invoice.Balance', 'is more than TotalAmt');
	const amountPaid = subtractMoney(total, amountDue);

	let status: PaymentStatus;
	if (isVoid(change.operation)) status = 'canceled';
	else if (amountDue.minor === 0) status = 'succeeded';
	else if (amountPaid.minor > 0) status = 'partially_paid';
	else status = 'pending';
	const amount = status === 'pending' ? amountDue : status === 'canceled' ? total : amountPaid;

	const entity = base(event, invoice, 'Invoice');
	return [
		{
			...entity,
			kind: 'invoice',
			status,
			amount,
			total,
			amountPaid,
			amountDue,
			customer: compact({ ...entity.customer, email: text(at(invoice, 'BillEmail.Address')) }),
			invoice: compact({ id: text(invoice.Id), number: text(invoice.DocNumber), url: text(invoice.InvoiceLink) }),
			description: text(at(invoice, 'CustomerMemo.value')),
		},
	];
}

// https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification
const webhook: ProviderWebhook = {
	authentication: 'HMAC-SHA256 of the raw body with the Verifier Token (intuit-signature header); Intuit signs no timestamp',
	secretFields: { webhookSecret: 'Verifier Token' },
	signatureHeaders: ['intuit-signature'],
	verify(request, secrets) {
		const signature = request.headers['intuit-signature'];
		if (!signature) return { ok: false, reason: 'no intuit-signature header' };
		const key = secrets.webhookSecret ?? '';
		const valid = verifyHmac({ algorithm: 'sha256', key, payload: request.rawBody, signature, encoding: 'base64' });
		return valid ? { ok: true } : { ok: false, reason: 'intuit-signature does not match the Verifier Token' };
	},
	setup:
		'in the Intuit developer portal (your app → Webhooks, Development or Production settings) as the Endpoint URL with the Payment and Invoice events, and copy the Verifier Token shown there into the credential',
};

/** Change Data Capture looks back 30 days at most and answers at most 1,000 objects, without paging. */
const CDC_LOOK_BACK_MS = 30 * 24 * 60 * 60 * 1000;
const CDC_MAX_OBJECTS = 1000;
/** The entities polled, one CDC request each, so that the 1,000-object cap applies to one entity at a time. */
const POLLED_ENTITIES = ['Payment', 'Invoice'] as const;

/**
 * `changedSince` for a poll from `since`: whole seconds (LastUpdatedTime has no fractions), one second early so the
 * cursor's own second is included whatever CDC's comparison, and never further back than CDC allows (a minute inside
 * its 30 days, for clock skew).
 */
function changedSince(since: string, now: Date): string {
	const from = Math.floor(Date.parse(since) / 1000) * 1000 - 1000;
	const oldest = Math.ceil((now.getTime() - CDC_LOOK_BACK_MS + 60_000) / 1000) * 1000;
	return new Date(Math.max(from, oldest)).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** What the change of a CDC record is, as a notification would name it. */
function cdcOperation(record: Record<string, unknown>): string {
	if (text(record.status) === 'Deleted') return 'Delete';
	// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#void-an-invoice : a void
	// zeroes every amount and prepends "Voided" to PrivateNote; the record stays active.
	if (Number(record.TotalAmt) === 0 && /^Voided/.test(text(record.PrivateNote) ?? '')) return 'Void';
	const created = text(at(record, 'MetaData.CreateTime'));
	return created !== undefined && created === text(at(record, 'MetaData.LastUpdatedTime')) ? 'Create' : 'Update';
}

/**
 * The company polled: the credential's Company ID, or else the `realmId` QuickBooks returned with the sign-in (which
 * the poller passes among the credential's fields).
 */
function realmOf(tools: WebhookTools): string {
	const realmId = tools.credentials.realmId;
	if (!realmId) {
		throw new Error(
			'QuickBooks Online: the credential has no Company ID (Realm ID), and its sign-in returned none; the polling trigger needs it to know which company to read',
		);
	}
	return realmId;
}

/** One CDC record of the company as the notification a webhook would send for it, with the record as the fetched entity. */
function polledRecord(realmId: string, entity: (typeof POLLED_ENTITIES)[number], record: unknown, field: string): PolledRecord {
	if (!isObject(record)) throw new ProviderPayloadError(ID, field, 'is not an object');
	const entityId = requireText(ID, record.Id, `${field}.Id`);
	const lastUpdated = requireText(ID, at(record, 'MetaData.LastUpdatedTime'), `${field}.MetaData.LastUpdatedTime`);
	const modifiedAt = isoTime(ID, lastUpdated, `${field}.MetaData.LastUpdatedTime`);
	const operation = cdcOperation(record);
	const change: EntityChange = { realmId, entity: entity.toLowerCase(), entityId, operation: operation.toLowerCase() };
	return {
		key: `${entity}:${entityId}`,
		modifiedAt,
		event: {
			// As the legacy notification's id: the same change polled or announced is the same event.
			id: `${realmId}:${entity}:${entityId}:${operation}:${lastUpdated}`,
			type: `${entity}.${operation}`,
			occurredAt: modifiedAt,
			data: change,
		},
		// The shape of a read response ({ "Payment": {...} }), which normalize reads.
		completion: { [entity]: record },
	};
}

// https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
const poll: ProviderPoll = {
	description:
		'QuickBooks Online Payments and Invoices through Change Data Capture (which reaches back 30 days at most: an older Start From, or a longer pause, starts 30 days back)',
	streams: POLLED_ENTITIES,
	// 500 requests a minute per company: https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
	minIntervalMs: 120,
	request(stream, since, page, tools) {
		const realmId = realmOf(tools);
		const from = changedSince(page ?? since, tools.now);
		return {
			method: 'GET',
			path: `/v3/company/${encodeURIComponent(realmId)}/cdc`,
			qs: { entities: stream, changedSince: from, minorversion: MINOR_VERSION },
			headers: { Accept: 'application/json' },
			description: `the QuickBooks ${stream} changes since ${from} of company ${realmId}`,
		};
	},
	read(_stream, response, { tools }) {
		const realmId = realmOf(tools);
		const groups = at(response, 'CDCResponse.0.QueryResponse');
		if (!Array.isArray(groups)) throw new ProviderPayloadError(ID, 'CDCResponse.0.QueryResponse', 'is not an array');
		const records: PolledRecord[] = [];
		const active: PolledRecord[] = [];
		groups.forEach((group, g) => {
			for (const entity of POLLED_ENTITIES) {
				const list = at(group, entity);
				if (!Array.isArray(list)) continue;
				list.forEach((record, r) => {
					const polled = polledRecord(realmId, entity, record, `CDCResponse.0.QueryResponse.${g}.${entity}.${r}`);
					records.push(polled);
					if (polled.event.type !== `${entity}.Delete`) active.push(polled);
				});
			}
		});
		if (records.length < CDC_MAX_OBJECTS) return { records };
		// A full answer may have been cut: ask again from the latest change it holds. Active objects come first, in order
		// of LastUpdatedTime, and deleted ones after them, so the latest active one is where the cut can be.
		const latest = (active.length ? active : records).reduce((a, b) =>
			Date.parse(b.modifiedAt) > Date.parse(a.modifiedAt) ? b : a,
		);
		return { records, next: latest.modifiedAt };
	},
};

export const quickbooks: ProviderAdapter = {
	id: ID,
	displayName: 'QuickBooks Online',
	api: { credentialType: 'paymentEventsQuickBooksOAuth2Api', hosts: { production: 'https://quickbooks.api.intuit.com', sandbox: 'https://sandbox-quickbooks.api.intuit.com' } },
	webhook,
	poll,
	events: EVENTS,

	detect({ body }) {
		if (isObject(body)) return Array.isArray(body.eventNotifications);
		return (
			Array.isArray(body) &&
			body.length > 0 &&
			body.every(
				(event) =>
					isObject(event) &&
					typeof event.specversion === 'string' &&
					typeof event.type === 'string' &&
					event.type.startsWith('qbo.') &&
					'intuitaccountid' in event,
			)
		);
	},

	parse({ body }: ProviderInput): ProviderEvent[] {
		if (Array.isArray(body)) return parseCloudEvents(body);
		if (isObject(body)) return parseLegacy(body);
		throw new ProviderPayloadError(ID, 'body', 'is neither a QuickBooks eventNotifications object nor a CloudEvents array');
	},

	complete(event: ProviderEvent): CompletionRequest | undefined {
		const change = changeOf(event);
		if (!readable(change)) return undefined;
		const realmId = requireText(ID, change.realmId, 'realmId');
		return {
			method: 'GET',
			// https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment#read-a-payment
			path: `/v3/company/${encodeURIComponent(realmId)}/${change.entity}/${encodeURIComponent(change.entityId)}`,
			qs: { minorversion: MINOR_VERSION },
			headers: { Accept: 'application/json' },
			description: `the QuickBooks ${change.entity} ${change.entityId} of company ${realmId}`,
		};
	},

	normalize(event, context) {
		const change = changeOf(event);
		if (!readable(change)) return [];
		if (context.completion === undefined) {
			throw new ProviderPayloadError(ID, 'completion', `is missing: fetch the ${change.entity} named by complete() first`);
		}
		return change.entity === 'payment'
			? normalizePayment(event, change, context.completion)
			: normalizeInvoice(event, change, context.completion);
	},
};
