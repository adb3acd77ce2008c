import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { InvalidPaymentEventError, parsePaymentEvent } from '../core/event';
import { redactError } from '../core/redact';
import { text } from '../providers/common';
import { DEFAULT_INVOICE_FIELDS, InvoiceMatcher, readOpenInvoices, type InvoiceFields } from './invoiceMatcher';

const FIELD_PARAMETERS: ReadonlyArray<{ field: keyof InvoiceFields; displayName: string; description: string }> = [
	{ field: 'id', displayName: 'Invoice ID Field', description: 'Field of each invoice holding its ID (a dotted path such as Invoice.Id works too)' },
	{ field: 'number', displayName: 'Invoice Number Field', description: 'Field holding the number payers quote in their transfer, e.g. INV-1042' },
	{
		field: 'amountDue',
		displayName: 'Amount Due Field',
		description: 'Field holding what is still owed: a decimal string ("120.50") or a number with no more decimals than the currency has',
	},
	{ field: 'currency', displayName: 'Currency Field', description: 'Field holding the ISO 4217 code, e.g. EUR' },
	{ field: 'customerName', displayName: 'Customer Name Field', description: "Field holding the customer's name, compared with the payer's" },
	{
		field: 'customerEmail',
		displayName: 'Customer Email Field',
		description: "Field holding the customer's email, copied onto a matched credit that has none",
	},
	{ field: 'url', displayName: 'URL Field', description: 'Field holding a link to the invoice, copied onto a matched credit' },
	{
		field: 'total',
		displayName: 'Total Field',
		description: 'Field holding the invoice total, if the invoices have one; with it a matched credit also carries the total and amount paid',
	},
];

const parameterName = (field: keyof InvoiceFields) => `${field}Field`;

export class MatchPaymentToInvoice implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Match Payment to Invoice',
		name: 'matchPaymentToInvoice',
		icon: { light: 'file:matchPaymentToInvoice.svg', dark: 'file:matchPaymentToInvoice.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'by reference, amount and payer',
		description: 'Matches bank credits to open invoices by reference, then by amount and payer, and marks them paid or partially paid',
		defaults: { name: 'Match Payment to Invoice' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Matched', 'Needs Review'],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Open Invoices',
				name: 'openInvoices',
				type: 'json',
				required: true,
				default: '[]',
				placeholder: "={{ $('QuickBooks').all().map(item => item.json) }}",
				description:
					"The invoices still open, as a list of objects, usually an expression reading another node's items. Read once per run: a credit matched to an invoice lowers what the next credit sees due.",
			},
			/* eslint-disable n8n-nodes-base/node-param-default-missing -- each field's default is its name in DEFAULT_INVOICE_FIELDS */
			...FIELD_PARAMETERS.map(
				({ field, displayName, description }): INodeProperties => ({
					displayName,
					name: parameterName(field),
					type: 'string',
					default: DEFAULT_INVOICE_FIELDS[field],
					description,
				}),
			),
			/* eslint-enable n8n-nodes-base/node-param-default-missing */
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Amount Format',
						name: 'amountFormat',
						type: 'options',
						options: [
							{ name: 'Decimal (E.g. 120.50)', value: 'decimal' },
							{ name: 'Minor Units (E.g. 12050 Cents)', value: 'minor' },
						],
						default: 'decimal',
						description: 'How the invoices write Amount Due and Total (Stripe invoices use minor units)',
					},
					{
						displayName: 'Match by Amount Alone',
						name: 'matchAmountAlone',
						type: 'boolean',
						default: true,
						description:
							'Whether a credit whose amount is due on exactly one open invoice matches it when neither the reference nor the payer does (marked confidence "low"); otherwise it goes to Needs Review',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const matched: INodeExecutionData[] = [];
		const review: INodeExecutionData[] = [];
		if (items.length === 0) return [matched, review];

		let matcher: InvoiceMatcher;
		try {
			const fields = { ...DEFAULT_INVOICE_FIELDS };
			for (const field of Object.keys(fields) as Array<keyof InvoiceFields>) {
				fields[field] = text(this.getNodeParameter(parameterName(field), 0, fields[field])) ?? fields[field];
			}
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			const invoices = readOpenInvoices(
				this.getNodeParameter('openInvoices', 0),
				fields,
				options.amountFormat === 'minor' ? 'minor' : 'decimal',
			);
			matcher = new InvoiceMatcher(invoices, { matchAmountAlone: options.matchAmountAlone !== false });
		} catch (caught) {
			const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
			const problem = new NodeOperationError(this.getNode(), error, {
				message: `${error.name}: ${error.message}`,
				description: 'Check the Open Invoices expression and the invoice field names; no credit was matched.',
			});
			if (!this.continueOnFail()) throw problem;
			// The list is the same for every credit, so every credit fails with it.
			return [items.map((_item, item) => ({ json: { error: problem.message, errorType: error.name }, pairedItem: { item } })), review];
		}

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const outcome = matcher.match(parsePaymentEvent(items[itemIndex].json));
				(outcome.needsReview ? review : matched).push({ json: outcome.event as unknown as IDataObject, pairedItem: { item: itemIndex } });
			} catch (caught) {
				const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
				if (this.continueOnFail()) {
					matched.push({ json: { error: error.message, errorType: error.name }, pairedItem: { item: itemIndex } });
					continue;
				}
				const notAnEvent = error instanceof InvalidPaymentEventError;
				throw new NodeOperationError(this.getNode(), error, {
					itemIndex,
					message: notAnEvent ? `Item ${itemIndex} is not a canonical payment event: ${error.message}` : `${error.name}: ${error.message}`,
					description: notAnEvent
						? 'Put Payment Normalize (or a payment trigger of this package) before this node.'
						: `Item ${itemIndex} could not be matched.`,
				});
			}
		}
		return [matched, review];
	}
}
