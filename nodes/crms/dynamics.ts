import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord } from './types';

const API = '/api/data/v9.2';
const HEADERS = { accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function failure(response: ChannelResponse): CrmError {
	// Errors: { error: { code, message } } (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#parse-errors-from-the-response)
	const body = response.body as { error?: { code?: string; message?: string } } | undefined;
	const error = channelFailure('Dynamics 365', response, text(body?.error?.message), text(body?.error?.code));
	return new CrmError(error.message, error.details);
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
	// One $filter of up to 50 "or" conditions keeps the query URL well under the Web API's URL length limit.
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

	// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update
	async update(tools, object, updates) {
		logicalName(object);
		const results: Array<string | CrmError> = [];
		for (const { id, properties } of updates) {
			if (!GUID.test(id)) {
				results.push(new CrmError(`Dynamics 365: "${id}" is not a row ID`, { retryable: false, code: 'INVALID_ID' }));
				continue;
			}
			// If-Match: * makes a PATCH on a deleted row fail with 404 instead of creating it (an upsert).
			const response = await tools.request({
				method: 'PATCH',
				url: `${API}/${object}(${id})`,
				headers: { ...HEADERS, 'if-match': '*' },
				body: properties,
			});
			results.push(isSuccess(response) ? id : failure(response));
		}
		return results;
	},

	// https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/create-entity-web-api#basic-create
	async create(tools, object, creates) {
		logicalName(object);
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			const response = await tools.request({ method: 'POST', url: `${API}/${object}`, headers: HEADERS, body: properties });
			if (!isSuccess(response)) {
				results.push(failure(response));
				continue;
			}
			// 204 No Content: the new row's URI is in the OData-EntityId header, e.g. …/contacts(<guid>).
			const id = /\(([0-9a-f-]{36})\)$/i.exec(response.headers['odata-entityid'] ?? '')?.[1];
			results.push(id ?? new CrmError('Dynamics 365: the created row returned no OData-EntityId', { retryable: false }));
		}
		return results;
	},
};
