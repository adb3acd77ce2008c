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
import type { PolledRecord, PollFailure, ProviderAdapter, ProviderPoll, WebhookTools } from '../providers/types';
import { PAYMENT_MEANINGS } from './paymentTrigger';
import { callProviderApi, credentialFields, pause, statusOf, type ApiContext } from './providerApi';

type PollAdapter = ProviderAdapter & { poll: ProviderPoll; api: NonNullable<ProviderAdapter['api']> };

/** What the node keeps between polls, in its static data. */
interface PollState extends IDataObject {
	/** The latest change time seen (ISO 8601): the next poll asks for changes from there on. */
	cursor?: string;
	/** The changes (record and fingerprint) seen at exactly `cursor`, so that one sharing its time is neither skipped nor repeated. */
	atCursor?: string[];
	/** Per record, what its last emitted events looked like: a record seen again unchanged emits nothing. */
	emitted?: Record<string, string>;
	/** With `tracking: 'seen'`: per stream, the cursor the next poll resumes from; absent until a first poll succeeded. */
	positions?: Record<string, string>;
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
/** How often a stream is read again from its first page when the adapter asks (`ProviderPoll.restartOn`). */
const RESTARTS = 3;

/** What a user would call a change: status and amounts, not the record's edit time. */
function fingerprint(events: PaymentEvent[]): string {
	return events
		.map((event) => [event.kind, event.status, event.amount.minor, event.amountPaid?.minor, event.amountDue?.minor].join(':'))
		.join('|');
}


/** The status and body of a failed request, as n8n's request helpers report them. */
function failureOf(error: unknown): PollFailure {
	const failure = error as { response?: { body?: unknown; data?: unknown }; cause?: { response?: { body?: unknown; data?: unknown } } };
	const response = failure?.response ?? failure?.cause?.response;
	return { status: statusOf(error), body: response?.body ?? response?.data };
}

/**
 * The API context calls go through, keeping the last failure as the API answered it: callProviderApi turns failures into
 * scrubbed errors, and `restartOn` needs the provider's error code.
 */
function recordingFailures(context: IPollFunctions): { api: ApiContext; last: () => unknown } {
	let last: unknown;
	const helpers = {
		...context.helpers,
		async httpRequestWithAuthentication(...args: Parameters<IPollFunctions['helpers']['httpRequestWithAuthentication']>) {
			last = undefined;
			try {
				return await context.helpers.httpRequestWithAuthentication.apply(context, args);
			} catch (error) {
				last = error;
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- callProviderApi turns it into a NodeApiError
				throw error;
			}
		},
	};
	const api = { getNode: () => context.getNode(), getCredentials: context.getCredentials.bind(context), helpers } as ApiContext;
	return { api, last: () => last };
}

/**
 * Every record changed at or after `since`, through every page of every stream, spacing requests as the API asks, and
 * the cursor each stream ends at (with `tracking: 'seen'`); `positions` are the cursors the streams start from.
 */
async function fetchChanges(
	context: IPollFunctions,
	adapter: PollAdapter,
	since: string,
	{ maxPages = Number.POSITIVE_INFINITY, positions = {} }: { maxPages?: number; positions?: Readonly<Record<string, string>> } = {},
): Promise<{ records: PolledRecord[]; positions: Record<string, string> }> {
	const { poll } = adapter;
	const credentials = await context.getCredentials(adapter.api.credentialType);
	const recording = poll.restartOn ? recordingFailures(context) : undefined;
	const tools: WebhookTools = {
		now: new Date(),
		switches: {},
		credentials: credentialFields(credentials),
		callApi: async (request) =>
			await callProviderApi(recording?.api ?? context, adapter, request, { retries: RETRIES, action: 'fetch' }),
		fetchText: async (url) => String(await context.helpers.httpRequest({ url, json: false })),
	};
	const records: PolledRecord[] = [];
	const reached: Record<string, string> = {};
	let requests = 0;
	for (const stream of poll.streams ?? ['default']) {
		for (let restarts = 0; ; restarts++) {
			const read: PolledRecord[] = [];
			let cursor = positions[stream];
			try {
				let page: string | undefined;
				for (let pages = 0; pages < maxPages; pages++) {
					if (requests++ > 0) await pause(poll.minIntervalMs ?? 0);
					const response = await tools.callApi(poll.request(stream, since, page, tools, positions[stream]));
					const result = poll.read(stream, response, { page, tools });
					read.push(...result.records);
					if (result.cursor !== undefined) cursor = result.cursor;
					if (!result.next || result.next === page) break;
					page = result.next;
				}
			} catch (caught) {
				// The adapter says the pages changed under the poll: read the stream again from where it started.
				const failure = recording?.last();
				if (failure !== undefined && restarts < RESTARTS && poll.restartOn!(failureOf(failure))) continue;
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already a NodeApiError, or an adapter's error the poll wraps
				throw caught;
			}
			records.push(...read);
			if (cursor !== undefined) reached[stream] = cursor;
			break;
		}
	}
	return { records, positions: reached };
}

/** The events of the changes not reported yet as they are now, and what is remembered of each record afterwards. */
function report(
	previous: Record<string, string> | undefined,
	changes: ReadonlyArray<{ record: PolledRecord; events: PaymentEvent[] }>,
): { emitted: Record<string, string>; reported: PaymentEvent[] } {
	const emitted = { ...(previous ?? {}) };
	const reported: PaymentEvent[] = [];
	for (const { record, events } of changes) {
		if (events.length === 0) continue;
		const print = fingerprint(events);
		if (emitted[record.key] === print) continue;
		delete emitted[record.key];
		emitted[record.key] = print;
		reported.push(...events);
	}
	const keys = Object.keys(emitted);
	for (const key of keys.slice(0, Math.max(0, keys.length - REMEMBERED_RECORDS))) delete emitted[key];
	return { emitted, reported };
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
				const { records } = await fetchChanges(this, adapter, since, { maxPages: TEST_PAGES });
				records.sort((a, b) => Date.parse(b.modifiedAt) - Date.parse(a.modifiedAt));
				for (const record of records) {
					const events = wanted(eventsOf(this, adapter, record, includeRaw, now));
					if (events.length) return toItems(events);
				}
				throw new NodeOperationError(this.getNode(), `No ${adapter.displayName} payment changed since ${since}`, {
					description: 'Set Start From further back, or record a payment in the account, then fetch again.',
				});
			}

			if (adapter.poll.tracking === 'seen') {
				// Nothing says when a record changed: a first poll without Start From takes note of what is there as history,
				// later ones report whatever was not reported yet as it is now.
				const first = state.positions === undefined;
				const since = first ? new Date(startFrom || now).toISOString() : (state.cursor ?? now.toISOString());
				const fetched = await fetchChanges(this, adapter, since, { positions: state.positions });
				const backfillFrom = first && startFrom ? Date.parse(since) : Number.NEGATIVE_INFINITY;
				const changes = fetched.records
					.filter((record) => Date.parse(record.modifiedAt) >= backfillFrom)
					.sort((a, b) => Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt))
					.map((record) => ({ record, events: eventsOf(this, adapter, record, includeRaw, now) }));
				const { emitted, reported } = report(state.emitted, changes);
				// Every page read and every record understood: only now do the cursors move.
				Object.assign(state, { cursor: now.toISOString(), positions: fetched.positions, emitted });
				const output = first && !startFrom ? [] : wanted(reported);
				return output.length ? toItems(output) : null;
			}

			if (!state.cursor && !startFrom) {
				Object.assign(state, { cursor: now.toISOString(), atCursor: [], emitted: {} });
				return null;
			}
			const cursor = state.cursor ?? new Date(startFrom!).toISOString();
			const cursorTime = Date.parse(cursor);
			const atCursor = new Set(state.atCursor ?? []);
			const changes = (await fetchChanges(this, adapter, cursor)).records
				.filter((record) => Date.parse(record.modifiedAt) >= cursorTime)
				.sort((a, b) => Date.parse(a.modifiedAt) - Date.parse(b.modifiedAt))
				.map((record) => {
					const events = eventsOf(this, adapter, record, includeRaw, now);
					return { record, events, change: `${record.key}#${fingerprint(events)}` };
				})
				.filter(({ record, change }) => Date.parse(record.modifiedAt) > cursorTime || !atCursor.has(change));

			const { emitted, reported } = report(state.emitted, changes);
			const output = wanted(reported);

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
