import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { PAYMENT_EVENT_SCHEMA_VERSION, type PaymentEvent } from '../core/event';
import { redactError } from '../core/redact';
import { EVENT_KINDS, PAYMENT_STATUSES, type EventKind, type PaymentStatus } from '../core/status';
import { text } from '../providers/common';
import { PROVIDERS } from '../providers/index';
import { normalizeManualEntry, parseMetadata, type ManualEntry } from './manualEntry';
import { callProviderApi } from '../shared/providerApi';
import { inputFromItem, normalizePayload } from '../shared/providerPayload';

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

const MANUAL = { show: { source: ['manual'] } };

export class PaymentNormalize implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Normalize',
		name: 'paymentNormalize',
		icon: { light: 'file:paymentNormalize.svg', dark: 'file:paymentNormalize.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["source"] === "auto" ? "auto-detect" : $parameter["source"] }}',
		description: `Turns a payment into one canonical payment event (schema v${PAYMENT_EVENT_SCHEMA_VERSION})`,
		defaults: { name: 'Payment Normalize' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Providers that send thin notifications: their credential fetches the payment they name.
		credentials: PROVIDERS.filter((provider) => provider.complete && provider.api).map((provider) => ({
			name: provider.api!.credentialType,
			required: true,
			displayOptions: { show: { source: [provider.id] } },
		})),
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Auto-Detect',
						value: 'auto',
						description: 'Recognise the provider from the payload (from a Webhook node, a trigger or an HTTP Request)',
					},
					{
						name: 'Manual / ERP / POS Entry',
						value: 'manual',
						description: 'A payment recorded by hand or exported by an ERP or POS, mapped from the fields below',
					},
					...[...PROVIDERS]
						.sort((a, b) => a.displayName.localeCompare(b.displayName))
						.map((provider) => ({ name: provider.displayName, value: provider.id })),
				],
				default: 'auto',
			},
			{
				displayName: 'Amount',
				name: 'amount',
				displayOptions: MANUAL,
				type: 'string',
				required: true,
				default: '',
				placeholder: '={{ $json.amount }}',
				description: 'The amount paid, as a decimal (e.g. 49.90) or in minor units (e.g. 4990), see Amount Format.',
			},
			{
				displayName: 'Amount Format',
				name: 'amountFormat',
				displayOptions: MANUAL,
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
				displayOptions: MANUAL,
				type: 'string',
				required: true,
				default: 'USD',
				description: 'ISO 4217 code, e.g. USD, EUR, JPY, KWD',
			},
			{
				displayName: 'Status',
				name: 'status',
				displayOptions: MANUAL,
				type: 'options',
				options: PAYMENT_STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })),
				default: 'succeeded',
			},
			{
				displayName: 'Kind',
				name: 'kind',
				displayOptions: MANUAL,
				type: 'options',
				options: EVENT_KINDS.map((value) => ({ name: KIND_NAMES[value], value })),
				default: 'payment',
			},
			{
				displayName: 'Reference',
				name: 'reference',
				displayOptions: MANUAL,
				type: 'string',
				required: true,
				default: '',
				placeholder: '={{ $json.orderNumber }}',
				description: 'Your reference for the payment: order, booking or invoice number',
			},
			{
				displayName: 'Paid At',
				name: 'occurredAt',
				displayOptions: MANUAL,
				type: 'dateTime',
				default: '',
				description: 'When the payment happened; empty means now',
			},
			{
				displayName: 'Customer',
				name: 'customer',
				displayOptions: MANUAL,
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
				displayOptions: MANUAL,
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
						displayName: 'Account Currency',
						name: 'accountCurrency',
						type: 'string',
						displayOptions: { hide: { '/source': ['manual'] } },
						default: '',
						placeholder: 'USD',
						description:
							'ISO 4217 code of your provider account, for providers whose payloads leave the currency out (Authorize.Net)',
					},
					{
						displayName: 'Drop Duplicates',
						name: 'dropDuplicates',
						type: 'boolean',
						default: false,
						description:
							'Whether to leave out events this workflow has already output (by event ID), e.g. a webhook the provider delivered twice',
					},
					{
						displayName: 'Include Raw Payload',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to keep the provider payload (or the input item, for manual entries) on the event under "raw"',
					},
					{
						displayName: 'Non-Payment Events',
						name: 'nonPaymentEvents',
						type: 'options',
						displayOptions: { hide: { '/source': ['manual'] } },
						options: [
							{ name: 'Fail', value: 'error', description: 'Fail the item, so a wrongly routed event is noticed' },
							{ name: 'Skip', value: 'skip', description: 'Leave the event out (e.g. a customer update)' },
						],
						default: 'error',
						description: 'What to do with a provider event that is not about a payment',
					},
					{
						displayName: 'Payload Property',
						name: 'payloadProperty',
						type: 'string',
						displayOptions: { hide: { '/source': ['manual'] } },
						default: '',
						placeholder: 'e.g. body.payload',
						description:
							'Dotted path to the provider payload inside the item. Empty: the body of a Webhook node item, or else the whole item.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const receivedAt = new Date();
		// Resolving a parameter per item dominates the cost of large batches; Source cannot be an
		// expression, and Options are read once unless one of them is.
		const source = this.getNodeParameter('source', 0) as string;
		const sharedOptions = hasExpression(this.getNode().parameters.options)
			? undefined
			: (this.getNodeParameter('options', 0, {}) as IDataObject);

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const options = sharedOptions ?? (this.getNodeParameter('options', itemIndex, {}) as IDataObject);
				const events =
					source === 'manual'
						? [normalizeManualEntry(manualEntry(this, itemIndex, options), receivedAt)]
						: await normalizePayload(
								inputFromItem(
									items[itemIndex].json,
									text(options.payloadProperty),
									items[itemIndex].binary?.data
										? await this.helpers.getBinaryDataBuffer(itemIndex, 'data')
										: undefined,
								),
								{
									source,
									receivedAt,
									includeRaw: options.includeRaw === true,
									nonPaymentEvents: options.nonPaymentEvents === 'skip' ? 'skip' : 'error',
									accountCurrency: text(options.accountCurrency),
								},
								// In auto-detect no credential is selected, so thin notifications cannot be completed.
								source === 'auto'
									? undefined
									: async (adapter, request) => await callProviderApi(this, adapter, request, { itemIndex, action: 'fetch' }),
							);
				const fresh = options.dropDuplicates ? await newEvents(this, events) : events;
				for (const event of fresh) {
					output.push({ json: event as unknown as IDataObject, pairedItem: { item: itemIndex } });
				}
			} catch (caught) {
				const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
				if (this.continueOnFail()) {
					output.push({ json: { error: error.message, errorType: error.name }, pairedItem: { item: itemIndex } });
					continue;
				}
				if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
				throw new NodeOperationError(this.getNode(), error, {
					itemIndex,
					message: `${error.name}: ${error.message}`,
					description: `Item ${itemIndex} could not be turned into a payment event; the message names the provider and the field.`,
				});
			}
		}
		return [output];
	}
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	return typeof value === 'object' && value !== null && Object.values(value).some(hasExpression);
}

function manualEntry(context: IExecuteFunctions, itemIndex: number, options: IDataObject): ManualEntry {
	const customer = context.getNodeParameter('customer', itemIndex, {}) as IDataObject;
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return {
		amount: context.getNodeParameter('amount', itemIndex) as string | number,
		amountFormat: context.getNodeParameter('amountFormat', itemIndex) as ManualEntry['amountFormat'],
		currency: context.getNodeParameter('currency', itemIndex) as string,
		status: context.getNodeParameter('status', itemIndex) as PaymentStatus,
		kind: context.getNodeParameter('kind', itemIndex) as EventKind,
		reference: text(context.getNodeParameter('reference', itemIndex)) ?? '',
		occurredAt: text(context.getNodeParameter('occurredAt', itemIndex, '')),
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
		raw: options.includeRaw ? context.getInputData()[itemIndex].json : undefined,
	};
}

/** The events this workflow has not output before, recorded as output now (n8n's processed-data store). */
async function newEvents(context: IExecuteFunctions, events: PaymentEvent[]): Promise<PaymentEvent[]> {
	const unique = events.filter((event, index) => events.findIndex((other) => other.id === event.id) === index);
	if (unique.length === 0) return unique;
	const { new: fresh } = await context.helpers.checkProcessedAndRecord(
		unique.map((event) => event.id),
		'workflow',
		{ mode: 'entries' },
	);
	return unique.filter((event) => fresh.includes(event.id));
}
