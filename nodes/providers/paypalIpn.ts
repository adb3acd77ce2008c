import type { PaymentEventInput } from '../core/event';
import type { Money } from '../core/money';
import type { EventKind, PaymentStatus } from '../core/status';
import { ProviderPayloadError, compact, isObject, moneyFromDecimal, normalizePhone, requireText, text } from './common';
import { PAYPAL_API } from './paypal';
import type { ProviderAdapter, ProviderEvent, ProviderInput, ProviderWebhook, Verification, WebhookTools } from './types';

const ID = 'paypal_ipn';

type Fields = Record<string, unknown>;
type Decoder = { decode(bytes: Uint8Array): string };

// https://developer.paypal.com/api/nvp-soap/ipn/IPNandPDTVariables/ (transaction types). Refunds and
// reversals carry no txn_type: their type here is their payment_status.
const EVENTS = {
	web_accept: { description: 'A payment from a Buy Now, Donate or Smart Logo button' },
	cart: { description: 'A payment from the PayPal shopping cart' },
	express_checkout: { description: 'An Express Checkout payment' },
	send_money: { description: 'A payment sent with Send Money' },
	virtual_terminal: { description: 'A payment taken in Virtual Terminal' },
	pro_hosted: { description: 'A Website Payments Pro hosted checkout payment' },
	merch_pmt: { description: 'A Website Payments Standard monthly payment' },
	invoice_payment: { description: 'An invoice was paid' },
	subscr_payment: { description: 'A subscription payment' },
	recurring_payment: { description: 'A recurring payment' },
	Refunded: { description: 'A payment was refunded (negative mc_gross)' },
	Reversed: { description: 'A payment was reversed, e.g. a chargeback (negative mc_gross)' },
	Canceled_Reversal: { description: 'A reversal was canceled: the funds are back' },
} as const;

// payment_status values: https://developer.paypal.com/api/nvp-soap/ipn/IPNandPDTVariables/
const STATUS: Record<string, { kind: EventKind; status: PaymentStatus }> = {
	Completed: { kind: 'payment', status: 'succeeded' },
	Canceled_Reversal: { kind: 'payment', status: 'succeeded' },
	Created: { kind: 'payment', status: 'pending' },
	Pending: { kind: 'payment', status: 'pending' },
	Processed: { kind: 'payment', status: 'pending' },
	Failed: { kind: 'payment', status: 'failed' },
	Denied: { kind: 'payment', status: 'failed' },
	Expired: { kind: 'payment', status: 'canceled' },
	Voided: { kind: 'payment', status: 'canceled' },
	Refunded: { kind: 'refund', status: 'refunded' },
	Reversed: { kind: 'refund', status: 'refunded' },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PACIFIC_OFFSET_HOURS: Record<string, number> = { PST: 8, PDT: 7 };

function decoderFor(charset: string): Decoder {
	try {
		return new TextDecoder(charset);
	} catch {
		return new TextDecoder('utf-8');
	}
}

function percentDecode(value: string, decoder: Decoder): string {
	const bytes: number[] = [];
	const plain = value.replace(/\+/g, ' ');
	for (let i = 0; i < plain.length; i++) {
		const hex = plain.slice(i + 1, i + 3);
		if (plain[i] === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(plain[i], 'utf8'));
		}
	}
	return decoder.decode(Uint8Array.from(bytes));
}

/**
 * An IPN body (`a=b&c=d`). PayPal percent-encodes the bytes of the `charset` the message names
 * (windows-1252 unless the account says otherwise), so the escapes are decoded in that charset.
 */
export function parseIpnForm(body: string): Fields {
	const pairs = body
		.split('&')
		.filter((pair) => pair !== '')
		.map((pair) => {
			const at = pair.indexOf('=');
			return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
		});
	const decoder = decoderFor(pairs.find(([name]) => name === 'charset')?.[1] ?? 'utf-8');
	return Object.fromEntries(pairs.map(([name, value]) => [percentDecode(name, decoder), percentDecode(value, decoder)]));
}

/** The IPN's fields: form text as posted, or the object n8n's Webhook node parses a form into. */
function fieldsOf(input: ProviderInput): Fields | undefined {
	const { body } = input;
	if (isObject(body)) return body;
	const raw = typeof body === 'string' ? body : input.rawBody?.toString('latin1');
	if (raw === undefined || !/^[^{<\s][^=&]*=/.test(raw.trim())) return undefined;
	return parseIpnForm(raw.trim());
}

function isIpn(fields: Fields | undefined): fields is Fields {
	return (
		fields !== undefined &&
		typeof fields.verify_sign === 'string' &&
		(typeof fields.txn_type === 'string' || typeof fields.payment_status === 'string')
	);
}

/** payment_date, "HH:MM:SS Mmm DD, YYYY PST" (or PDT): PayPal stamps IPNs in Pacific time. */
function paymentDate(value: unknown): string {
	const match = /^(\d{2}):(\d{2}):(\d{2}) ([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (PST|PDT)$/.exec(text(value) ?? '');
	const month = match ? MONTHS.indexOf(match[4]) : -1;
	if (!match || month < 0) {
		throw new ProviderPayloadError(ID, 'payment_date', `${JSON.stringify(value)} is not "HH:MM:SS Mmm DD, YYYY PST"`);
	}
	const [, hours, minutes, seconds, , day, year, zone] = match;
	const utc = Date.UTC(+year, month, +day, +hours + PACIFIC_OFFSET_HOURS[zone], +minutes, +seconds);
	return new Date(utc).toISOString();
}

/** mc_gross in mc_currency, read with PayPal's currency exponents (HUF, JPY and TWD have no decimals). */
function grossOf(fields: Fields): Money {
	try {
		return moneyFromDecimal('paypal', fields.mc_gross, fields.mc_currency, 'mc_gross');
	} catch (error) {
		if (!(error instanceof ProviderPayloadError)) throw error;
		const problem = error.message.slice(`${error.provider}: ${error.field}: `.length);
		throw new ProviderPayloadError(ID, error.field, problem, { cause: error });
	}
}

function normalizeIpn(event: ProviderEvent): PaymentEventInput[] {
	const fields = event.data as Fields;
	const paymentStatus = text(fields.payment_status);
	// Sign-ups, cancellations, profile changes and mass payouts (mc_gross_1, ...) move no money of one payment.
	if (paymentStatus === undefined || fields.txn_type === 'masspay') return [];
	const mapped = STATUS[paymentStatus];
	if (!mapped) throw new ProviderPayloadError(ID, 'payment_status', `unknown status "${paymentStatus}"`);
	const country = text(fields.address_country_code) ?? text(fields.residence_country);
	const name = [text(fields.first_name), text(fields.last_name)].filter(Boolean).join(' ');
	return [
		{
			provider: ID,
			providerEventId: event.id,
			providerEventType: event.type,
			livemode: event.livemode ?? false,
			occurredAt: event.occurredAt ?? paymentDate(fields.payment_date),
			kind: mapped.kind,
			status: mapped.status,
			// Refunds and reversals come with a negative mc_gross; the event carries its magnitude.
			amount: grossOf(fields),
			customer: compact({
				id: text(fields.payer_id),
				name: text(name) ?? text(fields.address_name),
				email: text(fields.payer_email),
				phone: normalizePhone(fields.contact_phone, country),
			}),
			payment: compact({
				// A refund or reversal has its own txn_id; parent_txn_id is the payment it undoes.
				id: mapped.kind === 'refund' ? (text(fields.parent_txn_id) ?? text(fields.txn_id)) : text(fields.txn_id),
				method: text(fields.payment_type),
			}),
			reference: text(fields.invoice) ?? text(fields.custom) ?? text(fields.item_number),
			description: text(fields.item_name) ?? text(fields.transaction_subject),
		},
	];
}

// https://developer.paypal.com/api/nvp-soap/ipn/IPNIntro/#ipn-protocol-and-architecture: IPN messages carry no
// signature; the listener posts the message back, unaltered and preceded by cmd=_notify-validate, and PayPal
// answers VERIFIED or INVALID.
const POSTBACK_HOSTS: Record<string, string> = {
	live: 'https://ipnpb.paypal.com',
	sandbox: 'https://ipnpb.sandbox.paypal.com',
};

/** Where the post-back goes: the credential's Base URL Override (a proxy or test stand-in), else PayPal's IPN host. */
function postbackUrl(secrets: Readonly<Record<string, string>>): string {
	const host = secrets.baseUrl?.replace(/\/+$/, '') ?? POSTBACK_HOSTS[secrets.environment] ?? POSTBACK_HOSTS.live;
	return `${host}/cgi-bin/webscr`;
}

/** Exported for tests: the post-back verification of one IPN message. */
export async function verifyIpn(rawBody: Buffer, secrets: Readonly<Record<string, string>>, tools: WebhookTools): Promise<Verification> {
	if (rawBody.length === 0) return { ok: false, reason: 'the IPN message is empty' };
	// A form body is ASCII (everything else is percent-encoded), so this text is the bytes received.
	const body = `cmd=_notify-validate&${rawBody.toString('latin1')}`;
	let answer: string;
	try {
		answer = await tools.fetchText(postbackUrl(secrets), {
			method: 'POST',
			body,
			// Named, as PayPal's own listener samples (paypal/ipn-code-samples) name theirs.
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'n8n-nodes-payment-events-IPN-VerificationScript' },
		});
	} catch {
		return { ok: false, reason: 'the post-back to PayPal failed' };
	}
	return answer === 'VERIFIED' ? { ok: true } : { ok: false, reason: 'PayPal did not answer the post-back with VERIFIED' };
}

const webhook: ProviderWebhook = {
	authentication:
		'IPN messages carry no signature: each one is posted back to PayPal (cmd=_notify-validate) and accepted only when PayPal answers VERIFIED',
	secretFields: {},
	signatureHeaders: [],
	verify: async (request, secrets, tools) => await verifyIpn(request.rawBody, secrets, tools),
	// https://developer.paypal.com/api/nvp-soap/ipn/IPNSetup/
	setup:
		'in PayPal: Account Settings → Notifications → Instant payment notifications → Update → Choose IPN Settings (Notification URL, Receive IPN messages: Enabled)',
};

export const paypalIpn: ProviderAdapter = {
	id: ID,
	displayName: 'PayPal IPN',
	events: EVENTS,
	api: PAYPAL_API,
	webhook,

	// An IPN as posted (form text) or as n8n's Webhook node parses the form: every IPN has verify_sign.
	detect: (input) => isIpn(fieldsOf(input)),

	parse(input: ProviderInput): ProviderEvent[] {
		const fields = fieldsOf(input);
		if (!isIpn(fields)) throw new ProviderPayloadError(ID, 'body', 'is not a PayPal IPN message (no verify_sign)');
		const txnId = text(fields.txn_id);
		const paymentStatus = text(fields.payment_status);
		// One txn_id is notified once per status (Pending, then Completed); each is its own event.
		const id = txnId && paymentStatus ? `${txnId}:${paymentStatus}` : (txnId ?? text(fields.ipn_track_id));
		return [
			{
				id: requireText(ID, id, 'txn_id'),
				type: text(fields.txn_type) ?? requireText(ID, paymentStatus, 'txn_type'),
				occurredAt: fields.payment_date === undefined ? undefined : paymentDate(fields.payment_date),
				// The IPN simulator and the sandbox add test_ipn=1; live messages have no such field.
				livemode: text(fields.test_ipn) !== '1',
				data: fields,
			},
		];
	},

	normalize: (event) => normalizeIpn(event),
};
