import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { parsePaymentEvent, type PaymentEvent } from '../core/event';
import { redactError } from '../core/redact';
import { CRM_STATUSES, decideStatusUpdate, isCrmStatus, type AppliedStatus, type CrmStatus } from '../core/status';
import { CRMS, crmById } from '../crms/index';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from '../crms/types';
import { text } from '../providers/common';
import { secretsOf } from '../shared/providerApi';
import { requestTools, withRetries } from '../shared/requestTools';

type Decision = 'applied' | 'created' | 'stale-skipped' | 'duplicate' | 'not-found' | 'failed';

/** One event on its way to the CRM. */
interface Write {
	itemIndex: number;
	event: PaymentEvent;
	matchValue?: string;
	status: string;
	properties: Record<string, string>;
	record?: CrmRecord;
	decision?: Decision;
	recordId?: string;
	statusBefore?: string;
	error?: string;
}

const perCrm = (crm: CrmAdapter, property: Omit<INodeProperties, 'displayOptions'>): INodeProperties => ({
	...property,
	name: `${crm.id}_${property.name}`,
	displayOptions: { show: { crm: [crm.id] } },
});

function chunks<T>(items: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
	return result;
}

export class CrmPaymentSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Payment Sync',
		name: 'crmPaymentSync',
		icon: { light: 'file:crmPaymentSync.svg', dark: 'file:crmPaymentSync.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["crm"] }}',
		description: 'Writes each payment status onto the right CRM record, never letting an older event overwrite a newer one',
		defaults: { name: 'CRM Payment Sync' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Records', 'Audit'],
		usableAsTool: true,
		credentials: CRMS.map((crm) => ({ name: crm.credentialType, required: true, displayOptions: { show: { crm: [crm.id] } } })),
		properties: [
			{
				displayName: 'CRM',
				name: 'crm',
				type: 'options',
				noDataExpression: true,
				options: CRMS.map((crm) => ({ name: crm.displayName, value: crm.id })),
				default: 'hubspot',
			},
			/* eslint-disable n8n-nodes-base/node-param-default-missing -- each CRM's adapter states its defaults */
			...CRMS.flatMap((crm) => [
				perCrm(
					crm,
					crm.anyObject
						? {
								displayName: 'Object',
								name: 'object',
								type: 'string',
								default: Object.keys(crm.objects)[0],
								description: `The object's API name, e.g. ${Object.keys(crm.objects).join(', ')} or a custom object such as Booking__c`,
							}
						: {
								displayName: 'Object',
								name: 'object',
								type: 'options',
								options: Object.entries(crm.objects).map(([value, object]) => ({ name: object.displayName, value })),
								default: Object.keys(crm.objects)[0],
							},
				),
				perCrm(crm, {
					displayName: 'Match By',
					name: 'matchField',
					type: 'string',
					default: Object.keys(Object.values(crm.objects)[0].matchFields)[0],
					description: `The field of the record that identifies it, e.g. ${[
						...new Set(Object.values(crm.objects).flatMap((object) => Object.keys(object.matchFields))),
					].join(', ')}, or a unique custom property holding the payment or invoice ID`,
				}),
				perCrm(crm, {
					displayName: 'Status Property',
					name: 'statusProperty',
					type: 'string',
					default: crm.defaults.statusProperty,
					description: 'The property that receives the payment status',
				}),
				perCrm(crm, {
					displayName: 'Last Payment Event Property',
					name: 'lastEventProperty',
					type: 'string',
					default: crm.defaults.lastEventProperty,
					description:
						'A date-time property where the node keeps the time of the last payment event it applied; an older event never overwrites the status',
				}),
			]),
			/* eslint-enable n8n-nodes-base/node-param-default-missing */
			{
				displayName: 'Match Value',
				name: 'matchValue',
				type: 'string',
				default: '={{ $json.customer?.email }}',
				description: "The value of the match field for this payment: by default the customer's email",
			},
			{
				displayName: 'Create When Not Found',
				name: 'create',
				type: 'boolean',
				default: false,
				description: 'Whether to create the record when nothing matches; otherwise the event is reported as not found',
			},
			{
				displayName: 'Status Values',
				name: 'statusValues',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add mapping',
				default: {},
				description: "What to write for each payment status, e.g. Paid → Closed Won; unmapped statuses are written as they are",
				options: [
					{
						displayName: 'Mapping',
						name: 'mapping',
						values: [
							{
								displayName: 'Payment Status',
								name: 'status',
								type: 'options',
								options: CRM_STATUSES.map((status) => ({ name: status, value: status })),
								default: 'Paid',
							},
							{ displayName: 'CRM Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'More Properties',
				name: 'properties',
				type: 'collection',
				placeholder: 'Add property',
				default: {},
				description: 'Property names for more details of the payment; leave out what the record should not get',
				options: [
					{ displayName: 'Amount Property', name: 'amount', type: 'string', default: '' },
					{ displayName: 'Currency Property', name: 'currency', type: 'string', default: '' },
					{ displayName: 'Date Property', name: 'date', type: 'string', default: '' },
					{ displayName: 'Invoice Link Property', name: 'link', type: 'string', default: '' },
					{ displayName: 'Reference Property', name: 'reference', type: 'string', default: '' },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const crm = crmById(this.getNodeParameter('crm', 0) as string);
		if (!crm) throw new NodeOperationError(this.getNode(), 'Choose a CRM');
		const object = this.getNodeParameter(`${crm.id}_object`, 0) as string;
		const field = this.getNodeParameter(`${crm.id}_matchField`, 0) as string;
		const statusProperty = text(this.getNodeParameter(`${crm.id}_statusProperty`, 0, crm.defaults.statusProperty)) ?? crm.defaults.statusProperty;
		const lastEventProperty =
			text(this.getNodeParameter(`${crm.id}_lastEventProperty`, 0, crm.defaults.lastEventProperty)) ?? crm.defaults.lastEventProperty;
		const mapping = Object.fromEntries(
			(((this.getNodeParameter('statusValues', 0, {}) as IDataObject).mapping ?? []) as Array<{ status: string; value: string }>).map(
				({ status, value }) => [status, value],
			),
		);
		const extra = this.getNodeParameter('properties', 0, {}) as IDataObject;
		const credentials = await this.getCredentials(crm.credentialType);
		// The CRM's rate limits: a 429 or 5xx is repeated as Retry-After asks.
		const tools: CrmTools = withRetries(requestTools(this, crm, credentials), 5);
		const secrets = secretsOf(credentials);
		const records: INodeExecutionData[] = [];
		const audit: INodeExecutionData[] = [];
		const failed = (error: unknown) => redactError(error instanceof Error ? error : new Error(String(error)), { secrets }).message;

		const writes: Write[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			let event: PaymentEvent;
			try {
				event = parsePaymentEvent(items[itemIndex].json);
			} catch (error) {
				const problem = new NodeOperationError(this.getNode(), error as Error, { itemIndex, message: `Item ${itemIndex} is not a canonical payment event` });
				if (!this.continueOnFail()) throw problem;
				records.push({ json: { error: problem.message, errorType: problem.name }, pairedItem: { item: itemIndex } });
				continue;
			}
			const status = text(mapping[event.crmStatus]) ?? event.crmStatus;
			const properties: Record<string, string> = { [statusProperty]: status, [lastEventProperty]: event.occurredAt };
			const detail = (name: string, value: string | undefined) => {
				const property = text(extra[name]);
				if (property && value !== undefined) properties[property] = value;
			};
			detail('amount', event.amount.value);
			detail('currency', event.amount.currency);
			detail('date', event.occurredAt);
			detail('reference', event.reference);
			detail('link', event.invoice?.url);
			writes.push({ itemIndex, event, matchValue: text(this.getNodeParameter('matchValue', itemIndex, '')), status, properties });
		}

		// Find the records, a batch at a time.
		const values = [...new Set(writes.flatMap((write) => (write.matchValue ? [write.matchValue] : [])))];
		const found = new Map<string, CrmRecord>();
		for (const batch of chunks(values, crm.batchSize)) {
			try {
				for (const [value, record] of await crm.find(tools, object, field, batch, [statusProperty, lastEventProperty])) found.set(value, record);
			} catch (error) {
				for (const write of writes) {
					if (write.matchValue && batch.includes(write.matchValue)) Object.assign(write, { decision: 'failed', error: failed(error) });
				}
			}
		}

		// Per record, only the newest event may write, and only when newer than what the record holds.
		const byRecord = new Map<string, Write[]>();
		for (const write of writes) {
			if (write.decision) continue;
			const record = write.matchValue ? found.get(write.matchValue) : undefined;
			if (!record) {
				write.decision = write.matchValue && this.getNodeParameter('create', write.itemIndex, false) ? undefined : 'not-found';
				if (!write.decision) byRecord.set(`new:${write.matchValue!.toLowerCase()}`, [...(byRecord.get(`new:${write.matchValue!.toLowerCase()}`) ?? []), write]);
				continue;
			}
			write.record = record;
			write.recordId = record.id;
			write.statusBefore = record.properties[statusProperty];
			byRecord.set(record.id, [...(byRecord.get(record.id) ?? []), write]);
		}
		const updates: Write[] = [];
		const creates: Write[] = [];
		const statusOf = (value: string | undefined): CrmStatus => {
			const status = Object.entries(mapping).find(([, mapped]) => mapped === value)?.[0] ?? value;
			return isCrmStatus(status) ? status : 'Pending';
		};
		for (const [key, group] of byRecord) {
			// The events for one record, oldest first, each against the status the record would hold by then.
			group.sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt));
			const stored = group[0].record?.properties[lastEventProperty];
			let current: AppliedStatus | undefined =
				stored && Number.isFinite(Date.parse(stored)) ? { occurredAt: stored, status: statusOf(group[0].statusBefore) } : undefined;
			let winner: Write | undefined;
			for (const write of group) {
				const decision = decideStatusUpdate({ occurredAt: write.event.occurredAt, status: write.event.crmStatus, eventId: write.event.id }, current);
				if (!decision.apply) {
					const same = current && Date.parse(current.occurredAt) === Date.parse(write.event.occurredAt) && current.status === write.event.crmStatus;
					write.decision = decision.reason === 'duplicate' || same ? 'duplicate' : 'stale-skipped';
					continue;
				}
				if (winner) winner.decision = 'stale-skipped';
				winner = write;
				current = { occurredAt: write.event.occurredAt, status: write.event.crmStatus, eventId: write.event.id };
			}
			if (winner) (key.startsWith('new:') ? creates : updates).push(winner);
		}

		for (const batch of chunks(updates, crm.batchSize)) {
			const results = await crm
				.update(tools, object, batch.map((write) => ({ id: write.recordId!, properties: write.properties })))
				.catch((error: unknown) => batch.map(() => (error instanceof CrmError ? error : new CrmError(failed(error), { retryable: false }))));
			batch.forEach((write, index) => {
				const result = results[index];
				if (result instanceof CrmError) Object.assign(write, { decision: 'failed', error: failed(result) });
				else write.decision = 'applied';
			});
		}
		for (const batch of chunks(creates, crm.batchSize)) {
			const results = crm.create
				? await crm.create(tools, object, batch.map((write) => ({ properties: { [field]: write.matchValue!, ...write.properties } })), field)
				: batch.map(() => new CrmError(`${crm.displayName} cannot create ${object} records`, { retryable: false }));
			batch.forEach((write, index) => {
				const result = results[index];
				if (result instanceof CrmError) Object.assign(write, { decision: 'failed', error: failed(result) });
				else Object.assign(write, { decision: 'created', recordId: result });
			});
		}

		const time = new Date().toISOString();
		for (const write of writes) {
			const changed = write.decision === 'applied' || write.decision === 'created';
			const entry = {
				time,
				eventId: write.event.id,
				crm: crm.id,
				object,
				recordId: write.recordId,
				statusBefore: write.statusBefore,
				statusAfter: changed ? write.status : write.statusBefore,
				decision: write.decision,
				...(write.error ? { error: write.error } : {}),
			};
			audit.push({ json: entry, pairedItem: { item: write.itemIndex } });
			if (write.decision === 'failed' && !this.continueOnFail()) {
				throw new NodeApiError(this.getNode(), { message: write.error ?? '' } as JsonObject, {
					itemIndex: write.itemIndex,
					message: write.error,
					description: `Payment ${write.event.id} could not be written to ${crm.displayName}; the other events of the run are in the Audit output.`,
				});
			}
			records.push({
				json: write.decision === 'failed' ? { error: write.error, errorType: 'CrmError', ...entry } : entry,
				pairedItem: { item: write.itemIndex },
			});
		}
		return [records, audit];
	}
}
