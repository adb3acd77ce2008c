import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import type { PaymentEvent } from '../core/event';
import { redactError } from '../core/redact';
import { text } from '../providers/common';
import { toPaymentEvents } from '../providers/index';
import type { PolledRecord, ProviderAdapter, ProviderPoll, WebhookTools } from '../providers/types';
import { PAYMENT_MEANINGS } from './paymentTrigger';
import { callProviderApi, credentialFields, pause } from './providerApi';

type PollAdapter = ProviderAdapter & { poll: ProviderPoll; api: NonNullable<ProviderAdapter['api']> };

/** What the node keeps between polls, in its static data. */
interface PollState extends IDataObject {
	/** The latest change time seen (ISO 8601): the next poll asks for changes from there on. */
	cursor?: string;
	/** The changes (record and fingerprint) seen at exactly `cursor`, so that one sharing its time is neither skipped nor repeated. */
	atCursor?: string[];
	/** Per record, what its last emitted events looked like: a record seen again unchanged emits nothing. */
	emitted?: Record<string, string>;
}

/** How long an API may take to list a change, unless the adapter says otherwise. */
const SETTLE_MS = 10 * 60 * 1000;
/** How many records' fingerprints the node remembers; the oldest are forgotten first. */
const REMEMBERED_RECORDS = 10_000;
/** A manual "Fetch Test Event" looks this far back when no start date is set. */
const TEST_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;
/** Pages a manual test fetch reads at most, to answer quickly. */
const TEST_PAGES = 20;
/** Rate-limited requests are retried this often, honouring Retry-After. */
const RETRIES = 3;

/** What a user would call a change: status and amounts, not the record's edit time. */
function fingerprint(events: PaymentEvent[]): string {
	return events
		.map((event) => [event.kind, event.status, event.amount.minor, event.amountPaid?.minor, event.amountDue?.minor].join(':'))
		.join('|');
}


/** Every record changed at or after `since`, through every page of every stream, spacing requests as the API asks. */
async function fetchChanges(
	context: IPollFunctions,
	adapter: PollAdapter,
	since: string,
	maxPages = Number.POSITIVE_INFINITY,
): Promise<PolledRecord[]> {
	const { poll } = adapter;
	const credentials = await context.getCredentials(adapter.api.credentialType);
	const tools: WebhookTools = {
		now: new Date(),
		switches: {},
		credentials: credentialFields(credentials),
		callApi: async (request) => await callProviderApi(context, adapter, request, { retries: RETRIES, action: 'fetch' }),
		fetchText: async (url) => String(await context.helpers.httpRequest({ url, json: false })),
	};
	const records: PolledRecord[] = [];
	let requests = 0;
	for (const stream of poll.streams ?? ['default']) {
		let page: string | undefined;
		for (let pages = 0; pages < maxPages; pages++) {
			if (requests++ > 0) await pause(poll.minIntervalMs ?? 0);
			const response = await tools.callApi(poll.request(stream, since, page, tools));
			const read = poll.read(stream, response, { page, tools });
			records.push(...read.records);
			if (!read.next || read.next === page) break;
			page = read.next;
		}
	}
	return records;
}

function eventsOf(
	context: IPollFunctions,
	adapter: PollAdapter,
	record: PolledRecord,
	includeRaw: boolean,
	receivedAt: Date,
): PaymentEvent[] {
	try {
		return toPaymentEvents(adapter, record.event, {
			receivedAt,
			completion: record.completion,
			raw: includeRaw ? (record.completion ?? record.event.data) : undefined,
		});
	} catch (caught) {
		const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
		throw new NodeOperationError(context.getNode(), error, {
			message: `${error.name}: ${error.message}`,
			description: `${adapter.displayName} record ${record.key} (changed ${record.modifiedAt}) could not be read; the poll cursor stays where it was.`,
		});
	}
}

/** Builds the polling trigger of one source from its adapter. */
export function createPaymentPoller(
	source: ProviderAdapter,
	node: { name: string; displayName: string; icon: `file:${string}.svg` },
): new () => INodeType {
	if (!source.poll || !source.api) throw new Error(`${source.displayName} has no poll or API to build a polling trigger from`);
	const adapter = source as PollAdapter;

	const description: INodeTypeDescription = {
		displayName: node.displayName,
		name: node.name,
		icon: { light: node.icon, dark: node.icon },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") || "all payment events" }}',
		description: `Starts the workflow when a payment changes in ${adapter.displayName}, checked on a schedule`,
		defaults: { name: node.displayName },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: adapter.api.credentialType, required: true }],
		properties: [
			{
				displayName: `Checks ${adapter.poll.description} at the times set in Poll Times. Each change of a payment's status or amount starts the workflow once; the position is kept between polls and restarts.`,
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Payment Events',
				name: 'events',
				type: 'multiOptions',
				options: Object.entries(PAYMENT_MEANINGS).map(([value, meaning]) => ({ name: meaning.name, value })),
				default: [],
				description: 'Which payment events start the workflow; none selected means all',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'Leave empty to report only changes made after the workflow is published. Set a date to also report what changed since then (a backfill) on the first poll.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Include Raw Record',
						name: 'includeRaw',
						type: 'boolean',
						default: true,
						description: "Whether to keep the provider's record in each event's raw field",
					},
				],
			},
		],
	};

	async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node') as PollState;
		const startFrom = text(this.getNodeParameter('startFrom', ''));
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const includeRaw = options.includeRaw !== false;
		const meanings = (this.getNodeParameter('events', []) as string[]).map((name) => PAYMENT_MEANINGS[name]).filter(Boolean);
		const wanted = (events: PaymentEvent[]) =>
			meanings.length ? events.filter((event) => meanings.some((meaning) => meaning.matches(event))) : events;
		const now = new Date();
		const toItems = (events: PaymentEvent[]) => [events.map((event) => ({ json: event as unknown as IDataObject }))];

		try {
			if (this.getMode() === 'manual') {
				// "Fetch Test Event": the latest real change, without moving the cursor.
				const since = startFrom ? new Date(startFrom).toISOString() : new Date(now.getTime() - TEST_WINDOW_MS).toISOString();
				const records = await fetchChanges(this, adapter, since, TEST_PAGES);
				records.sort((a, b) => Date.parse(b.modifiedAt) - Date.parse(a.modifiedAt));
				for (const record of records) {
					const events = wanted(eventsOf(this, adapter, record, includeRaw, now));
					if (events.length) return toItems(events);
				}
				throw new NodeOperationError(this.getNode(), `No ${adapter.displayName} payment changed since ${since}`, {
					description: 'Set Start From further back, or record a payment in the account, then fetch again.',
				});
			}

			if (!state.cursor && !startFrom) {
				Object.assign(state, { cursor: now.toISOString(), atCursor: [], emitted: {} });
				return null;
			}
			const cursor = state.cursor ?? new Date(startFrom!).toISOString();
			const cursorTime = Date.parse(cursor);
			const atCursor = new Set(state.atCursor ?? []);
			const changes = (await fetchChanges(this, adapter, cursor))
				.filter((record) => Date.parse(record.modifiedAt) >= cursorTime)
				.sort((a, b) => Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt))
				.map((record) => {
					const events = eventsOf(this, adapter, record, includeRaw, now);
					return { record, events, change: `${record.key}#${fingerprint(events)}` };
				})
				.filter(({ record, change }) => Date.parse(record.modifiedAt) > cursorTime || !atCursor.has(change));

			const emitted = { ...(state.emitted ?? {}) };
			const output: PaymentEvent[] = [];
			for (const { record, events } of changes) {
				if (events.length === 0) continue;
				const print = fingerprint(events);
				if (emitted[record.key] === print) continue;
				delete emitted[record.key];
				emitted[record.key] = print;
				output.push(...wanted(events));
			}
			const keys = Object.keys(emitted);
			for (const key of keys.slice(0, Math.max(0, keys.length - REMEMBERED_RECORDS))) delete emitted[key];

			// Only now, with every page read and every record understood, does the position move: to the latest change,
			// or, when nothing new came, up to what the API has surely listed by now.
			const last = changes.at(-1);
			if (last) {
				const newCursor = new Date(last.record.modifiedAt).toISOString();
				const same = changes.filter(({ record }) => Date.parse(record.modifiedAt) === Date.parse(newCursor)).map((c) => c.change);
				state.atCursor = newCursor === cursor ? [...new Set([...atCursor, ...same])] : same;
				state.cursor = newCursor;
			} else {
				const settled = now.getTime() - (adapter.poll.settleMs ?? SETTLE_MS);
				if (settled > cursorTime) Object.assign(state, { cursor: new Date(settled).toISOString(), atCursor: [] });
				else state.cursor = cursor;
			}
			state.emitted = emitted;
			return output.length ? toItems(output) : null;
		} catch (caught) {
			const error = caught instanceof Error ? caught : new Error(String(caught));
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
			throw new NodeOperationError(this.getNode(), redactError(error));
		}
	}

	return class PaymentPoller implements INodeType {
		description = description;

		poll = poll;
	};
}
