import { z } from 'zod';

import { CURRENCY_EXPONENTS, toDecimalString } from './money';
import { CRM_STATUSES, EVENT_KINDS, PAYMENT_STATUSES, toCrmStatus } from './status';

export const PAYMENT_EVENT_SCHEMA_VERSION = 1;

const isoDateTime = z.iso.datetime({ offset: false }).describe('ISO 8601 date-time in UTC (Z)');

/**
 * An amount in the currency's ISO 4217 minor units. Adapters convert providers that differ from
 * ISO (PayPal HUF, Stripe MGA, ...) so consumers never need to know a provider's quirks.
 */
export const moneySchema = z
	.object({
		minor: z
			.int()
			.min(0)
			.describe('Amount in minor units (cents), a safe integer; a magnitude: `kind` and `status` say which way it moved'),
		value: z
			.string()
			.regex(/^\d+(\.\d+)?$/)
			.describe('The same amount as a decimal string with exactly `exponent` fraction digits'),
		currency: z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217 code'),
		exponent: z.int().min(0).max(4).describe('ISO 4217 minor-unit exponent of the currency'),
	})
	.strict()
	.superRefine((money, ctx) => {
		const isoExponent = CURRENCY_EXPONENTS[money.currency];
		if (isoExponent === undefined) {
			ctx.addIssue({ code: 'custom', path: ['currency'], message: `"${money.currency}" is not an active ISO 4217 code` });
			return;
		}
		if (money.exponent !== isoExponent) {
			ctx.addIssue({
				code: 'custom',
				path: ['exponent'],
				message: `${money.currency} has ISO 4217 exponent ${isoExponent}, not ${money.exponent}`,
			});
			return;
		}
		if (toDecimalString(money.minor, money.exponent) !== money.value) {
			ctx.addIssue({
				code: 'custom',
				path: ['value'],
				message: `value "${money.value}" does not match minor ${money.minor} at exponent ${money.exponent}`,
			});
		}
	});

export const paymentEventSchema = z
	.object({
		schemaVersion: z.literal(PAYMENT_EVENT_SCHEMA_VERSION),
		id: z.string().min(3).describe('Deterministic: `<provider>:<providerEventId>`'),
		provider: z
			.string()
			.regex(/^[a-z0-9][a-z0-9_-]*$/)
			.describe('Adapter id, e.g. stripe, paypal, quickbooks, manual'),
		providerEventId: z.string().min(1),
		providerEventType: z.string().min(1),
		livemode: z.boolean(),
		kind: z.enum(EVENT_KINDS),
		status: z.enum(PAYMENT_STATUSES),
		crmStatus: z.enum(CRM_STATUSES),
		amount: moneySchema,
		total: moneySchema.optional().describe('Invoices: invoice total'),
		amountPaid: moneySchema.optional().describe('Invoices: paid so far'),
		amountDue: moneySchema.optional().describe('Invoices: still owed'),
		occurredAt: isoDateTime.describe("The provider's time of the event"),
		receivedAt: isoDateTime.describe('When this package received the event'),
		customer: z
			.object({
				id: z.string().optional(),
				name: z.string().optional(),
				email: z.string().optional(),
				phone: z.string().optional().describe('E.164 where it parses'),
				locale: z.string().optional(),
			})
			.strict()
			.optional(),
		invoice: z
			.object({ id: z.string().optional(), number: z.string().optional(), url: z.string().optional() })
			.strict()
			.optional(),
		payment: z
			.object({
				id: z.string().optional(),
				method: z.string().optional(),
				brand: z.string().optional(),
				last4: z
					.string()
					.regex(/^\d{4}$/)
					.optional()
					.describe('Last four digits; a full card number never enters an event'),
			})
			.strict()
			.optional(),
		reference: z.string().optional(),
		description: z.string().optional(),
		metadata: z.record(z.string(), z.unknown()).optional(),
		raw: z.unknown().optional().describe('The provider payload as received'),
	})
	.strict()
	.superRefine((event, ctx) => {
		if (event.id !== `${event.provider}:${event.providerEventId}`) {
			ctx.addIssue({ code: 'custom', path: ['id'], message: 'id must be `<provider>:<providerEventId>`' });
		}
		if (event.crmStatus !== toCrmStatus(event.status)) {
			ctx.addIssue({
				code: 'custom',
				path: ['crmStatus'],
				message: `status "${event.status}" maps to "${toCrmStatus(event.status)}", not "${event.crmStatus}"`,
			});
		}
		for (const key of ['total', 'amountPaid', 'amountDue'] as const) {
			const money = event[key];
			if (money && money.currency !== event.amount.currency) {
				ctx.addIssue({
					code: 'custom',
					path: [key, 'currency'],
					message: `${key} is in ${money.currency} but amount is in ${event.amount.currency}`,
				});
			}
		}
	});

export type PaymentEvent = z.infer<typeof paymentEventSchema>;

/** What an adapter supplies; the derived fields are filled in by `createPaymentEvent`. */
export type PaymentEventInput = Omit<PaymentEvent, 'schemaVersion' | 'id' | 'crmStatus' | 'receivedAt'> & {
	receivedAt?: string;
};

export class InvalidPaymentEventError extends Error {
	override name = 'InvalidPaymentEventError';

	constructor(readonly issues: string[]) {
		super(`Invalid payment event: ${issues.join('; ')}`);
	}
}

function describeIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
}

/** Validates an event; throws InvalidPaymentEventError naming every bad field. */
export function parsePaymentEvent(data: unknown): PaymentEvent {
	const result = paymentEventSchema.safeParse(data);
	if (!result.success) throw new InvalidPaymentEventError(describeIssues(result.error));
	return result.data;
}

/** Builds and validates an event; optional fields left undefined are dropped. */
export function createPaymentEvent(input: PaymentEventInput, now: Date = new Date()): PaymentEvent {
	const defined: Record<string, unknown> = {};
	for (const key in input) {
		const value = input[key as keyof PaymentEventInput];
		if (value !== undefined) defined[key] = value;
	}
	return parsePaymentEvent({
		...defined,
		schemaVersion: PAYMENT_EVENT_SCHEMA_VERSION,
		id: `${input.provider}:${input.providerEventId}`,
		crmStatus: toCrmStatus(input.status),
		receivedAt: input.receivedAt ?? now.toISOString(),
	});
}

/** JSON Schema (draft 2020-12) of PaymentEvent v1, shipped as nodes/core/payment-event.schema.json. */
export function paymentEventJsonSchema(): Record<string, unknown> {
	return {
		$id: 'https://github.com/payment-events/n8n-nodes-payment-events/payment-event.v1.schema.json',
		title: 'PaymentEvent',
		description: 'Canonical payment event (schemaVersion 1) emitted by n8n-nodes-payment-events',
		...z.toJSONSchema(paymentEventSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }),
	};
}
