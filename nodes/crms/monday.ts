import { channelFailure, isObject, isSuccess, retryAfterMs, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

/** The object whose board id comes from the credential; any other object string is a board id itself. */
export const MONDAY_BOARD_OBJECT = 'board';
/** Items a page of items_page_by_column_values / next_items_page may hold (its documented maximum). */
const PAGE_LIMIT = 500;

interface GraphQlError {
	message?: string;
	path?: Array<string | number>;
	extensions?: { code?: string; status_code?: number; retry_in_seconds?: number };
}

interface GraphQlBody {
	data?: Record<string, unknown> | null;
	errors?: GraphQlError[] | string[];
	// The legacy error format some errors still use (https://developer.monday.com/api-reference/docs/errors).
	error_code?: string;
	error_message?: string;
	status_code?: number;
}

interface Item {
	id: string;
	name?: string;
	column_values?: Array<{ id: string; text?: string | null }>;
}

function graphQlError(response: ChannelResponse, error: GraphQlError): CrmError {
	const code = text(error.extensions?.code);
	const status = error.extensions?.status_code;
	const retryInSeconds = error.extensions?.retry_in_seconds;
	// Rate, complexity and concurrency limits come back as errors in a 200 answer, with the wait in retry_in_seconds.
	const retryable =
		response.status === 429 ||
		response.status >= 500 ||
		status === 429 ||
		(status ?? 0) >= 500 ||
		retryInSeconds !== undefined ||
		/RATE_LIMIT|COMPLEXITY|CONCURRENCY/i.test(code ?? '');
	return new CrmError(`Monday.com: ${text(error.message) ?? 'error'}${code ? ` (code ${code})` : ''}`, {
		retryable,
		code: code ?? String(status ?? response.status),
		status: status ?? response.status,
		retryAfterMs: retryInSeconds !== undefined ? retryInSeconds * 1000 : retryAfterMs(response.headers),
	});
}

/** The error that fails the whole request, or undefined when the request ran (its errors may still name single fields). */
function requestFailure(response: ChannelResponse): CrmError | undefined {
	const body = (isObject(response.body) ? response.body : {}) as GraphQlBody;
	if (text(body.error_message) || text(body.error_code)) {
		return graphQlError(response, { message: body.error_message, extensions: { code: body.error_code, status_code: body.status_code } });
	}
	const errors = (body.errors ?? []).map((error) => (typeof error === 'string' ? { message: error } : error));
	if (!isSuccess(response)) {
		if (errors[0]) return graphQlError(response, errors[0]);
		const error = channelFailure('Monday.com', response);
		return new CrmError(error.message, error.details);
	}
	const general = errors.find((error) => !error.path?.length);
	if (general || (errors[0] && !isObject(body.data))) return graphQlError(response, general ?? errors[0]);
	return undefined;
}

/** The error the answer holds for one aliased field (its path starts with the alias). */
function fieldError(response: ChannelResponse, alias: string): CrmError | undefined {
	const errors = ((response.body as GraphQlBody).errors ?? []) as GraphQlError[];
	const error = errors.find((candidate) => typeof candidate === 'object' && candidate.path?.[0] === alias);
	return error ? graphQlError(response, error) : undefined;
}

function anyError(response: ChannelResponse): CrmError | undefined {
	const [error] = ((response.body as GraphQlBody).errors ?? []) as GraphQlError[];
	return error ? graphQlError(response, typeof error === 'string' ? { message: error } : error) : undefined;
}

function boardId(tools: CrmTools, object: string): string {
	if (/^\d+$/.test(object)) return object;
	const id = text(tools.credentials.boardId);
	if (!id) throw new CrmError('Monday.com: set the Board ID in the credential, or pick the board as the object', { retryable: false });
	return id;
}

// https://developer.monday.com/api-reference/reference/items-page-by-column-values
const FIND = `query ($board: ID!, $columns: [ItemsPageByColumnValuesQuery!], $ids: [String!], $limit: Int!) {
	items_page_by_column_values(limit: $limit, board_id: $board, columns: $columns) {
		cursor
		items { id name column_values(ids: $ids) { id text } }
	}
}`;

// https://developer.monday.com/api-reference/reference/items-page#next-items-page
const NEXT = `query ($cursor: String!, $ids: [String!], $limit: Int!) {
	next_items_page(limit: $limit, cursor: $cursor) {
		cursor
		items { id name column_values(ids: $ids) { id text } }
	}
}`;

function value(item: Item, column: string): string | undefined {
	if (column === 'name') return item.name;
	// monday answers "" for most empty columns and null for empty status columns: both are no value.
	return item.column_values?.find((candidate) => candidate.id === column)?.text || undefined;
}

async function graphQl(tools: CrmTools, query: string, variables: Record<string, unknown>): Promise<ChannelResponse> {
	return tools.request({ method: 'POST', url: '/v2', body: { query, variables } });
}

/**
 * Several mutations in one request, aliased m0, m1 …; a result per mutation from its alias or its error: the item id
 * monday answers, or `known[index]` (the item updated) once monday answered for it.
 */
async function mutate(
	tools: CrmTools,
	declarations: string,
	fields: string[],
	variables: Record<string, unknown>,
	known: string[] = [],
): Promise<Array<string | CrmError>> {
	const response = await graphQl(tools, `mutation (${declarations}) {\n${fields.join('\n')}\n}`, variables);
	const failed = requestFailure(response);
	if (failed) return fields.map(() => failed);
	const data = (response.body as GraphQlBody).data ?? {};
	return fields.map((_field, index) => {
		const alias = `m${index}`;
		const written = data[alias];
		const id = isObject(written) ? (known[index] ?? text(written.id)) : undefined;
		return id ?? fieldError(response, alias) ?? new CrmError(`Monday.com: item ${alias} was not written`, { retryable: false });
	});
}

export const monday: CrmAdapter = {
	id: 'monday',
	displayName: 'Monday.com',
	credentialType: 'paymentEventsMondayApi',
	hosts: { live: 'https://api.monday.com' },
	objects: {
		// Column ids are the board's own (`email`, `text` on older boards, `text_mk…` on newer ones): find takes any column id.
		[MONDAY_BOARD_OBJECT]: { displayName: 'Board Item', matchFields: { email: 'Email Column', text: 'Text Column', name: 'Item Name' } },
	},
	defaults: { statusProperty: 'status', lastEventProperty: 'last_payment_event' },
	// 25 aliased change_multiple_column_values / create_item mutations a request stay far below the 5M complexity budget of one query.
	batchSize: 25,

	async find(tools, object, field, values, properties) {
		const board = boardId(tools, object);
		const ids = [...new Set([...properties, field].filter((column) => column !== 'name'))];
		const found = new Map<string, CrmRecord>();
		let response = await graphQl(tools, FIND, { board, columns: [{ column_id: field, column_values: values }], ids, limit: PAGE_LIMIT });
		for (;;) {
			// A query has no partial success: any error (even one naming the field) fails the find.
			const failed = requestFailure(response) ?? anyError(response);
			if (failed) throw failed;
			const data = (response.body as GraphQlBody).data ?? {};
			const page = (data.items_page_by_column_values ?? data.next_items_page) as { cursor?: string | null; items?: Item[] } | undefined;
			for (const item of page?.items ?? []) {
				const key = value(item, field);
				const match = values.find((candidate) => candidate.toLowerCase() === key?.toLowerCase());
				if (match === undefined || found.has(match)) continue;
				found.set(match, { id: item.id, properties: Object.fromEntries(properties.map((name) => [name, value(item, name)])) });
			}
			const cursor = text(page?.cursor);
			if (!cursor || found.size === values.length) return found;
			response = await graphQl(tools, NEXT, { cursor, ids, limit: PAGE_LIMIT });
		}
	},

	// https://developer.monday.com/api-reference/reference/columns#change-multiple-column-values
	async update(tools, object, updates) {
		let board: string;
		try {
			board = boardId(tools, object);
		} catch (error) {
			return updates.map(() => error as CrmError);
		}
		const variables: Record<string, unknown> = { board };
		const declarations = ['$board: ID!'];
		const fields = updates.map(({ id, properties }, index) => {
			variables[`item${index}`] = id;
			variables[`values${index}`] = JSON.stringify(properties);
			declarations.push(`$item${index}: ID!`, `$values${index}: JSON!`);
			return `m${index}: change_multiple_column_values(board_id: $board, item_id: $item${index}, column_values: $values${index}, create_labels_if_missing: true) { id }`;
		});
		return mutate(
			tools,
			declarations.join(', '),
			fields,
			variables,
			updates.map(({ id }) => id),
		);
	},

	// https://developer.monday.com/api-reference/reference/items#create-an-item
	async create(tools, object, creates) {
		let board: string;
		try {
			board = boardId(tools, object);
		} catch (error) {
			return creates.map(() => error as CrmError);
		}
		const variables: Record<string, unknown> = { board };
		const declarations = ['$board: ID!'];
		const fields = creates.map(({ properties }, index) => {
			const { name, ...columns } = properties;
			// An item needs a name: without a `name` property it is named after its first value (the match value).
			variables[`name${index}`] = name ?? Object.values(properties)[0] ?? '';
			variables[`values${index}`] = JSON.stringify(columns);
			declarations.push(`$name${index}: String!`, `$values${index}: JSON`);
			return `m${index}: create_item(board_id: $board, item_name: $name${index}, column_values: $values${index}, create_labels_if_missing: true) { id }`;
		});
		return mutate(tools, declarations.join(', '), fields, variables);
	},
};
