import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { PAYMENT_EVENT_SCHEMA_VERSION } from '../core/event';
import { redactError } from '../core/redact';
import { EVENT_KINDS, PAYMENT_STATUSES, type EventKind, type PaymentStatus } from '../core/status';
import { normalizeManualEntry, parseMetadata, type ManualEntry } from './manualEntry';

const STATUS_NAMES: Record<PaymentStatus, string> = {
	succeeded: 'Paid (Succeeded)',
	pending: 'Pending',
	failed: 'Failed',
	canceled: 'Canceled',
	refunded: 'Refunded',
	partially_refunded: 'Partially Refunded',
	partially_paid: 'Partially Paid',
	disputed: 'Disputed',
};

const KIND_NAMES: Record<EventKind, string> = {
	payment: 'Payment',
	invoice: 'Invoice',
	refund: 'Refund',
	dispute: 'Dispute',
	payout: 'Payout',
};

function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	return typeof value === 'string' ? value : String(value);
}

export class PaymentNormalize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Normalize',
		name: 'paymentNormalize',
		icon: { light: 'file:paymentNormalize.svg', dark: 'file:paymentNormalize.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Manual / ERP entry" }}',
		description: `Turns a payment into one canonical payment event (schema v${PAYMENT_EVENT_SCHEMA_VERSION})`,
		defaults: { name: 'Payment Normalize' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Manual / ERP / POS Entry',
						value: 'manual',
						description: 'A payment recorded by hand or exported by an ERP or POS, mapped from the fields below',
					},
				],
				default: 'manual',
			},
			{
				displayName: 'Amount',
				name: 'amount',
				type: 'string',
				required: true,
				default: '',
				placeholder: '={{ $json.amount }}',
				description: 'The amount paid, as a decimal (e.g. 49.90) or in minor units (e.g. 4990), see Amount Format.',
			},
			{
				displayName: 'Amount Format',
				name: 'amountFormat',
				type: 'options',
				options: [
					{ name: 'Decimal (E.g. 49.90)', value: 'decimal' },
					{ name: 'Minor Units (E.g. 4990 Cents)', value: 'minor' },
				],
				default: 'decimal',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				required: true,
				default: 'USD',
				description: 'ISO 4217 code, e.g. USD, EUR, JPY, KWD',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: PAYMENT_STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })),
				default: 'succeeded',
			},
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'options',
				options: EVENT_KINDS.map((value) => ({ name: KIND_NAMES[value], value })),
				default: 'payment',
			},
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				required: true,
				default: '',
				placeholder: '={{ $json.orderNumber }}',
				description: 'Your reference for the payment: order, booking or invoice number',
			},
			{
				displayName: 'Paid At',
				name: 'occurredAt',
				type: 'dateTime',
				default: '',
				description: 'When the payment happened; empty means now',
			},
			{
				displayName: 'Customer',
				name: 'customer',
				type: 'collection',
				placeholder: 'Add Customer Field',
				default: {},
				options: [
					{ displayName: 'Customer ID', name: 'id', type: 'string', default: '' },
					{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
					{
						displayName: 'Locale',
						name: 'locale',
						type: 'string',
						default: '',
						placeholder: 'en-US',
						description: 'Language for the confirmation, as a BCP 47 tag',
					},
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						default: '',
						placeholder: '+14155552671',
						description: 'With the country code; kept as E.164 when it parses',
					},
				],
			},
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					{
						displayName: 'Card Last 4',
						name: 'cardLast4',
						type: 'string',
						default: '',
						description: 'Only the last four digits are kept, whatever is entered',
					},
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{
						displayName: 'Entry ID',
						name: 'entryId',
						type: 'string',
						default: '',
						description:
							'Stable ID of this entry in your system. Empty: reference, status and amount, so the same entry sent twice is recognised as a duplicate.',
					},
					{
						displayName: 'Invoice Amount Paid',
						name: 'invoiceAmountPaid',
						type: 'string',
						default: '',
						description: 'Paid so far on the invoice, in the Amount Format; empty means the amount above',
					},
					{ displayName: 'Invoice Number', name: 'invoiceNumber', type: 'string', default: '' },
					{
						displayName: 'Invoice Total',
						name: 'invoiceTotal',
						type: 'string',
						default: '',
						description: 'Invoice total, in the Amount Format; with it the event carries total, amount paid and amount due',
					},
					{ displayName: 'Invoice URL', name: 'invoiceUrl', type: 'string', default: '' },
					{
						displayName: 'Live Mode',
						name: 'livemode',
						type: 'boolean',
						default: true,
						description: 'Whether this is a real payment rather than a test entry',
					},
					{
						displayName: 'Metadata',
						name: 'metadata',
						type: 'json',
						default: '{}',
						description: 'Extra data to carry on the event, as a JSON object',
					},
					{
						displayName: 'Payment Method',
						name: 'paymentMethod',
						type: 'string',
						default: '',
						placeholder: 'card, cash, bank_transfer',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Input as Raw',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to keep the input item on the event under "raw"',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const now = new Date();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const customer = this.getNodeParameter('customer', itemIndex, {}) as IDataObject;
				const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
				const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
				const entry: ManualEntry = {
					amount: this.getNodeParameter('amount', itemIndex) as string | number,
					amountFormat: this.getNodeParameter('amountFormat', itemIndex) as ManualEntry['amountFormat'],
					currency: this.getNodeParameter('currency', itemIndex) as string,
					status: this.getNodeParameter('status', itemIndex) as PaymentStatus,
					kind: this.getNodeParameter('kind', itemIndex) as EventKind,
					reference: text(this.getNodeParameter('reference', itemIndex)) ?? '',
					occurredAt: text(this.getNodeParameter('occurredAt', itemIndex, '')),
					customer: {
						id: text(customer.id),
						name: text(customer.name),
						email: text(customer.email),
						phone: text(customer.phone),
						locale: text(customer.locale),
					},
					entryId: text(fields.entryId),
					description: text(fields.description),
					livemode: fields.livemode === undefined ? true : Boolean(fields.livemode),
					paymentMethod: text(fields.paymentMethod),
					cardLast4: text(fields.cardLast4),
					invoice: {
						number: text(fields.invoiceNumber),
						url: text(fields.invoiceUrl),
						total: text(fields.invoiceTotal),
						amountPaid: text(fields.invoiceAmountPaid),
					},
					metadata: parseMetadata(fields.metadata),
					raw: options.includeRaw ? items[itemIndex].json : undefined,
				};
				const event = normalizeManualEntry(entry, now);
				output.push({ json: event as unknown as IDataObject, pairedItem: { item: itemIndex } });
			} catch (caught) {
				const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
				if (this.continueOnFail()) {
					output.push({ json: { error: error.message, errorType: error.name }, pairedItem: { item: itemIndex } });
					continue;
				}
				if (error instanceof NodeOperationError) throw error;
				throw new NodeOperationError(this.getNode(), error, {
					itemIndex,
					message: `${error.name}: ${error.message}`,
					description: `Item ${itemIndex} could not be turned into a payment event; fix the field named above.`,
				});
			}
		}
		return [output];
	}
}
