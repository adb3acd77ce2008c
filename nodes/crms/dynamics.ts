import { randomUUID } from 'node:crypto';

import { channelFailure, isObject, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

const API = '/api/data/v9.2';
const HEADERS = { accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CRLF = '\r\n';
// The documented error for a column that is no alternate key of the table; the docs give its message, not its code
// (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-alternate-key-reference-record#exceptions-when-using-alternate-keys-with-the-web-api).
const NOT_A_KEY = /The key in the request URI is not valid for resource/i;
// Characters an alternate key value cannot hold in a key predicate (same page).
const NOT_IN_KEY = /[/<>*%&:\\?+]/;

// Errors: { error: { code, message } } (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#parse-errors-from-the-response)
function errorOf(response: ChannelResponse): { code?: string; message?: string } {
	const error = isObject(response.body) ? response.body.error : undefined;
	return isObject(error) ? { code: text(error.code), message: text(error.message) } : {};
}

function failure(response: ChannelResponse): CrmError {
	const { code, message } = errorOf(response);
	const error = channelFailure('Dynamics 365', response, message, code);
	return new CrmError(error.message, error.details);
}

/** One request inside a $batch: a path below the organization, its own headers and a JSON body. */
interface Operation {
	method: 'PATCH' | 'POST';
	url: string;
	headers: Record<string, string>;
	body: Record<string, string>;
}

/**
 * Sends the operations in one $batch request, each on its own (no change set, so none is rolled back with another) and
 * with `Prefer: odata.continue-on-error`, so a failing row does not stop the rows after it. Answers each operation's
 * response in order; a batch the API refused as a whole fails every operation.
 */
async function batch(tools: CrmTools, operations: Operation[]): Promise<Array<ChannelResponse | CrmError>> {
	if (!operations.length) return [];
	const boundary = `batch_${randomUUID()}`;
	const parts = operations.map(({ method, url, headers, body }) =>
		[
			`--${boundary}`,
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			'',
			`${method} ${url} HTTP/1.1`,
			'Content-Type: application/json; type=entry',
			...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
			'',
			JSON.stringify(body),
		].join(CRLF),
	);
	const response = await tools.request({
		method: 'POST',
		url: `${API}/$batch`,
		headers: { ...HEADERS, 'content-type': `multipart/mixed; boundary="${boundary}"`, prefer: 'odata.continue-on-error' },
		body: [...parts, `--${boundary}--`, ''].join(CRLF),
	});
	if (!isSuccess(response)) return operations.map(() => failure(response));
	const answers = batchAnswers(response);
	const missing = () => new CrmError('Dynamics 365: the $batch response holds no answer for this row', { retryable: false, code: 'NO_BATCH_RESPONSE' });
	return operations.map((_, index) => answers[index] ?? missing());
}

/** Splits text at its first empty line: the headers before, the content after. */
function splitHead(message: string): [string, string] {
	const blank = /\r?\n\r?\n/.exec(message);
	return blank ? [message.slice(0, blank.index), message.slice(blank.index + blank[0].length)] : [message, ''];
}

/** The HTTP responses in a multipart/mixed $batch answer, in order; the boundary is in its Content-Type (else its first line). */
function batchAnswers(response: ChannelResponse): Array<ChannelResponse | CrmError> {
	const body = typeof response.body === 'string' ? response.body : '';
	const boundary = /boundary="?([^";\s]+)"?/i.exec(response.headers['content-type'] ?? '')?.[1] ?? /^--(\S+)/.exec(body.trimStart())?.[1];
	if (!boundary) return [];
	return body
		.split(`--${boundary}`)
		.slice(1)
		.filter((part) => !part.startsWith('--'))
		.map((part) => {
			const [, message] = splitHead(part.replace(/^\r?\n/, ''));
			const [head, content] = splitHead(message);
			const [statusLine, ...lines] = head.split(/\r?\n/);
			const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1];
			if (!status) return new CrmError('Dynamics 365: a $batch answer part is no HTTP response', { retryable: false, code: 'BAD_BATCH_RESPONSE' });
			const headers: Record<string, string> = {};
			for (const line of lines) {
				const colon = line.indexOf(':');
				if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			const raw = content.trim();
			let parsed: unknown = raw || undefined;
			try {
				if (raw) parsed = JSON.parse(raw);
			} catch {
				// not JSON: kept as text
			}
			return { status: Number(status), headers, body: parsed };
		});
}

/** A write's result from its answer: `id` of a 2xx, else the error. */
function written(answer: ChannelResponse | CrmError, id: (answer: ChannelResponse) => string | CrmError): string | CrmError {
	if (answer instanceof CrmError) return answer;
	return isSuccess(answer) ? id(answer) : failure(answer);
}

/** The row ID of a write's 2xx answer: the primary key of a returned representation, else the GUID of its OData-EntityId. */
function rowId(answer: ChannelResponse, key: string): string | CrmError {
	const returned = isObject(answer.body) ? text(answer.body[key]) : undefined;
	if (returned && GUID.test(returned)) return returned;
	// 204 No Content: the row's URI is in the OData-EntityId header, e.g. …/contacts(<guid>).
	const id = /\(([0-9a-f-]{36})\)$/i.exec(answer.headers['odata-entityid'] ?? '')?.[1];
	return id ?? new CrmError('Dynamics 365: the written row returned no row ID', { retryable: false, code: 'NO_ROW_ID' });
}

/** The match column and value a create can upsert by: a text column other than the primary key, with a value a key predicate can hold. */
function upsertKey(field: string | undefined, key: string, properties: Record<string, string>): [string, string] | undefined {
	if (!field || field === key || !/^[a-z_][a-z0-9_]*$/i.test(field)) return undefined;
	const value = properties[field];
	// A value with a character a key cannot hold (an email's "+") could not address its row: such a row is only POSTed.
	return value && !NOT_IN_KEY.test(value) ? [field, value] : undefined;
}

/**
 * An upsert by alternate key: `PATCH <entityset>(<field>='<value>')` updates the row holding the value or creates it,
 * so a row created since the find is not doubled. The key stays out of the body (the URL sets it on create), and
 * `return=representation` with `$select` of the primary key returns the row ID, which OData-EntityId (in key form) does not.
 */
function upsert(object: string, key: string, [field, value]: [string, string], properties: Record<string, string>): Operation {
	const body = Object.fromEntries(Object.entries(properties).filter(([name]) => name !== field));
	const quoted = encodeURI(value.replace(/'/g, "''")).replace(/#/g, '%23');
	return { method: 'PATCH', url: `${API}/${object}(${field}='${quoted}')?$select=${key}`, headers: { Prefer: 'return=representation' }, body };
}

/** Entity set and column logical names go into the URL and $filter as they are. */
function logicalName(name: string): string {
	if (!/^[a-z_][a-z0-9_]*$/i.test(name)) {
		throw new CrmError(`Dynamics 365: "${name}" is not a table or column logical name`, { retryable: false, code: 'INVALID_NAME' });
	}
	return name;
}

/** The primary key column of a table: its entity set name in the singular, with "id" (contacts → contactid). */
function primaryKey(entitySet: string): string {
	return `${entitySet.replace(/ies$/, 'y').replace(/s$/, '')}id`;
}

/** A $filter literal: GUIDs bare, strings quoted with a single quote doubled (filter-rows#manage-single-quotes). */
function literal(field: string, value: string, key: string): string | undefined {
	if (field === key) return GUID.test(value) ? value : undefined;
	return `'${value.replace(/'/g, "''")}'`;
}

function stringValue(value: unknown): string | undefined {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

interface Collection {
	value?: Array<Record<string, unknown>>;
	'@odata.nextLink'?: string;
}

// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/overview: query, update and create table rows.
export const dynamics: CrmAdapter = {
	id: 'dynamics',
	displayName: 'Microsoft Dynamics 365 (Dataverse)',
	credentialType: 'paymentEventsDynamicsOAuth2Api',
	hosts: { live: 'https://{organizationHost}' },
	objects: {
		contacts: { displayName: 'Contact', matchFields: { emailaddress1: 'Email', contactid: 'Contact ID' } },
		opportunities: { displayName: 'Opportunity', matchFields: { opportunityid: 'Opportunity ID', name: 'Topic (Name)' } },
	},
	defaults: { statusProperty: 'new_paymentstatus', lastEventProperty: 'new_paymentstatusupdatedon' },
	// One $filter of up to 50 "or" conditions keeps find's query URL well under the Web API's URL length limit; a $batch could
	// carry 1,000 writes, but find still sends a GET $filter per batch.
	batchSize: 50,

	async find(tools, object, field, values, properties) {
		const key = primaryKey(logicalName(object));
		const columns = [...new Set([key, logicalName(field), ...properties.map(logicalName)])];
		const conditions = values.flatMap((value) => {
			const quoted = literal(field, value, key);
			return quoted === undefined ? [] : [`${field} eq ${quoted}`];
		});
		const found = new Map<string, CrmRecord>();
		if (!conditions.length) return found;
		// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/filter-rows
		let url = `${API}/${object}?$select=${columns.join(',')}&$filter=${encodeURIComponent(conditions.join(' or '))}`;
		for (;;) {
			const response = await tools.request({ method: 'GET', url, headers: HEADERS });
			if (!isSuccess(response)) throw failure(response);
			const page = response.body as Collection;
			for (const row of page.value ?? []) {
				const id = stringValue(row[key]);
				const match = stringValue(row[field]);
				const value = match === undefined ? undefined : values.find((candidate) => candidate.toLowerCase() === match.toLowerCase());
				if (!id || value === undefined || found.has(value)) continue;
				found.set(value, { id, properties: Object.fromEntries(columns.filter((name) => name in row).map((name) => [name, stringValue(row[name])])) });
			}
			const next = page['@odata.nextLink'];
			if (!next) return found;
			url = next;
		}
	},

	// One $batch per call: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
	// with basic updates: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update
	async update(tools, object, updates) {
		logicalName(object);
		const sent = updates.flatMap((update, index) => (GUID.test(update.id) ? [index] : []));
		// If-Match: * makes a PATCH on a deleted row fail with 404 instead of creating it (an upsert).
		const patch = (index: number): Operation => {
			const { id, properties } = updates[index];
			return { method: 'PATCH', url: `${API}/${object}(${id})`, headers: { 'If-Match': '*' }, body: properties };
		};
		const answers = await batch(tools, sent.map(patch));
		return updates.map(({ id }, index) => {
			const answer = answers[sent.indexOf(index)];
			if (!answer) return new CrmError(`Dynamics 365: "${id}" is not a row ID`, { retryable: false, code: 'INVALID_ID' });
			return written(answer, () => id);
		});
	},

	// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api#basic-create and, by an alternate key,
	// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#upsert-a-table-row
	async create(tools, object, creates, field) {
		const key = primaryKey(logicalName(object));
		const results = new Array<string | CrmError>(creates.length);
		const keys = creates.map(({ properties }) => upsertKey(field, key, properties));
		const byKey = keys.flatMap((upsertBy, index) => (upsertBy ? [index] : []));
		const posts = keys.flatMap((upsertBy, index) => (upsertBy ? [] : [index]));
		const upserts = await batch(tools, byKey.map((index) => upsert(object, key, keys[index]!, creates[index].properties)));
		byKey.forEach((index, position) => {
			const answer = upserts[position];
			// A match column that is no alternate key of the table (emailaddress1 on contacts, unless one was defined) cannot
			// address a row: Dataverse refuses the key, and the row is created with a plain POST instead.
			if (!(answer instanceof CrmError) && !isSuccess(answer) && NOT_A_KEY.test(errorOf(answer).message ?? '')) posts.push(index);
			else results[index] = written(answer, (ok) => rowId(ok, key));
		});
		posts.sort((a, b) => a - b);
		const post = (index: number): Operation => ({ method: 'POST', url: `${API}/${object}`, headers: {}, body: creates[index].properties });
		const created = await batch(tools, posts.map(post));
		posts.forEach((index, position) => {
			results[index] = written(created[position], (ok) => rowId(ok, key));
		});
		return results;
	},
};
