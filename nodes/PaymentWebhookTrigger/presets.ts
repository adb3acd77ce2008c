import type { AuthenticationScheme } from './authentication';

/** The fields of the canonical event the trigger reads from a post, each through a path into the posted body. */
export const MAPPED_FIELDS = [
	'eventId',
	'amount',
	'currency',
	'status',
	'kind',
	'occurredAt',
	'customerId',
	'customerEmail',
	'customerName',
	'customerPhone',
	'reference',
	'description',
	'invoiceNumber',
	'invoiceUrl',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export interface Preset {
	name: string;
	/** The canonical `provider` of the events. */
	source: string;
	authentication: AuthenticationScheme;
	paths: Readonly<Record<MappedField, string>>;
	/** What to set up in the sending tool, shown as the node's notice. */
	setup: string;
}

/** Flat snake_case keys: what a user types as Data keys in a Zapier or Pabbly step, nothing to nest. */
const FLAT_KEYS: Readonly<Record<MappedField, string>> = {
	eventId: 'event_id',
	amount: 'amount',
	currency: 'currency',
	status: 'status',
	kind: 'kind',
	occurredAt: 'occurred_at',
	customerId: 'customer_id',
	customerEmail: 'customer_email',
	customerName: 'customer_name',
	customerPhone: 'customer_phone',
	reference: 'reference',
	description: 'description',
	invoiceNumber: 'invoice_number',
	invoiceUrl: 'invoice_url',
};

const KEY_LIST = Object.values(FLAT_KEYS).join(', ');

export const PRESETS = {
	custom: {
		name: 'Custom (Any System)',
		source: 'webhook',
		authentication: 'hmac',
		// The canonical event's own shape, for a system whose post you write yourself (ERP, POS, portal, admin dashboard).
		paths: {
			eventId: 'id',
			amount: 'amount',
			currency: 'currency',
			status: 'status',
			kind: 'kind',
			occurredAt: 'occurredAt',
			customerId: 'customer.id',
			customerEmail: 'customer.email',
			customerName: 'customer.name',
			customerPhone: 'customer.phone',
			reference: 'reference',
			description: 'description',
			invoiceNumber: 'invoice.number',
			invoiceUrl: 'invoice.url',
		},
		setup:
			'Post JSON or a form (application/x-www-form-urlencoded) to the Production URL above. Map each field below with a path into the posted body ' +
			'(amount, data.object.amount, items[0].price). Sign the raw body with an HMAC (best), or send a header token or basic auth.',
	},
	zapier: {
		name: 'Zapier (Webhooks by Zapier)',
		source: 'zapier',
		authentication: 'headerToken',
		paths: FLAT_KEYS,
		setup:
			'In your Zap, add the action "Webhooks by Zapier" → POST. URL: the Production URL above. Payload Type: Json (Form works too). ' +
			`Data: one row per key, mapped from the payment step: ${KEY_LIST} (event_id and amount are required; amount as a decimal such as 49.90). ` +
			'Headers: Authorization = Bearer YOUR_TOKEN, YOUR_TOKEN being the token of this node\'s Header Token credential. Zapier cannot compute an HMAC, so use Header Token. ' +
			'Wrap Request In Array: No. The keys have no double underscore, so Unflatten leaves them as they are. ' +
			'A repeated event_id within 24 hours is acknowledged without running the workflow again.',
	},
	pabbly: {
		name: 'Pabbly Connect (API by Pabbly)',
		source: 'pabbly',
		authentication: 'headerToken',
		paths: FLAT_KEYS,
		setup:
			'In your Pabbly Connect workflow, add an "API by Pabbly" action step (Execute API Request): method POST, the Production URL above as the endpoint, ' +
			`payload type JSON (or form), and these keys as the body parameters, mapped from the payment step: ${KEY_LIST} ` +
			'(event_id and amount are required; amount as a decimal such as 49.90). Add the header Authorization = Bearer YOUR_TOKEN, YOUR_TOKEN being the token of this node\'s Header Token credential: ' +
			'Pabbly cannot compute an HMAC. A repeated event_id within 24 hours is acknowledged without running the workflow again.',
	},
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function presetOf(name: unknown): Preset {
	return typeof name === 'string' && Object.hasOwn(PRESETS, name) ? PRESETS[name as PresetName] : PRESETS.custom;
}
