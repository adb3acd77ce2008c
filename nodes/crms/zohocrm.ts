import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { ZOHO_DATA_CENTRES } from '../providers/zohobooks';
import { CrmError, type CrmAdapter, type CrmRecord } from './types';

interface ZohoError {
	code?: string;
	message?: string;
	status?: string;
}

function failure(response: ChannelResponse): CrmError {
	// Errors: { code, details, message, status: 'error' } (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html)
	const body = response.body as ZohoError | undefined;
	const error = channelFailure('Zoho CRM', response, text(body?.message), text(body?.code));
	return new CrmError(error.message, error.details);
}

/** A per-record result of a write: { code, details: { id }, message, status }. */
function recordResult(item: (ZohoError & { details?: { id?: unknown } }) | undefined): string | CrmError {
	if (item?.status === 'success' && item.details?.id !== undefined) return String(item.details.id);
	const code = text(item?.code);
	return new CrmError(`Zoho CRM: ${text(item?.message) ?? 'no result for the record'}${code ? ` (code ${code})` : ''}`, {
		retryable: false,
		code,
	});
}

function writeResults(response: ChannelResponse, count: number): Array<string | CrmError> {
	const items = (response.body as { data?: unknown[] } | undefined)?.data;
	// 200, 201 and 207 (mixed results) carry one result per record, in order; anything else failed as a whole.
	if (!isSuccess(response) || !Array.isArray(items)) {
		const error = failure(response);
		return Array.from({ length: count }, () => error);
	}
	return Array.from({ length: count }, (_, index) => recordResult(items[index] as ZohoError & { details?: { id?: unknown } }));
}

function fieldText(value: unknown): string | undefined {
	if (typeof value === 'boolean') return String(value);
	return typeof value === 'string' ? value : text(value);
}

/** Criteria values escape parentheses, commas and backslashes (https://www.zoho.com/crm/developer/docs/api/v8/search-records.html). */
function criteriaValue(value: string): string {
	return value.replace(/[\\(),]/g, (character) => `\\${character}`);
}

// v8 records API, per data centre (https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html).
export const zohocrm: CrmAdapter = {
	id: 'zohocrm',
	displayName: 'Zoho CRM',
	credentialType: 'paymentEventsZohoCrmOAuth2Api',
	hosts: Object.fromEntries(Object.entries(ZOHO_DATA_CENTRES).map(([centre, { api }]) => [centre, new URL(api).origin])),
	objects: {
		Contacts: { displayName: 'Contact', matchFields: { Email: 'Email', id: 'Record ID' } },
		Deals: { displayName: 'Deal', matchFields: { id: 'Record ID', Deal_Name: 'Deal Name' } },
		Leads: { displayName: 'Lead', matchFields: { Email: 'Email', id: 'Record ID' } },
	},
	defaults: { statusProperty: 'Payment_Status', lastEventProperty: 'Payment_Status_Updated_At' },
	// Get Records takes 100 ids, the search's `in` operator 100 values, and a write 100 records.
	batchSize: 100,

	async find(tools, object, field, values, properties) {
		// The id always comes back; `fields` names the rest.
		const fields = [...new Set([field, ...properties])].filter((name) => name !== 'id').join(',') || 'id';
		const byId = field === 'id';
		const ids = values.filter((value) => /^\d+$/.test(value));
		if (byId && !ids.length) return new Map();
		const response = byId
			? // https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
				await tools.request({ method: 'GET', url: `/crm/v8/${object}`, qs: { ids: ids.join(','), fields } })
			: // https://www.zoho.com/crm/developer/docs/api/v8/search-records.html
				await tools.request({
					method: 'GET',
					url: `/crm/v8/${object}/search`,
					qs: { criteria: `(${field}:in:${values.map(criteriaValue).join(',')})`, fields, per_page: 200 },
				});
		const found = new Map<string, CrmRecord>();
		// 204: nothing matched.
		if (response.status === 204) return found;
		if (!isSuccess(response)) throw failure(response);
		for (const record of (response.body as { data?: Array<Record<string, unknown>> }).data ?? []) {
			// The search's equals/in match like "contains": keep exact (case-insensitive) matches only.
			const key = fieldText(record[field])?.toLowerCase();
			const value = values.find((candidate) => candidate.toLowerCase() === key);
			if (value === undefined || found.has(value)) continue;
			found.set(value, {
				id: String(record.id),
				properties: Object.fromEntries(properties.map((name) => [name, fieldText(record[name])])),
			});
		}
		return found;
	},

	// https://www.zoho.com/crm/developer/docs/api/v8/update-records.html
	async update(tools, object, updates) {
		const response = await tools.request({
			method: 'PUT',
			url: `/crm/v8/${object}`,
			body: { data: updates.map(({ id, properties }) => ({ ...properties, id })) },
		});
		return writeResults(response, updates.length);
	},

	// https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html
	async create(tools, object, creates) {
		const response = await tools.request({
			method: 'POST',
			url: `/crm/v8/${object}`,
			// A contact needs a Last_Name: a payer known only by email is named by it.
			body: {
				data: creates.map(({ properties }) =>
					object === 'Contacts' && !properties.Last_Name ? { Last_Name: properties.Email, ...properties } : properties,
				),
			},
		});
		return writeResults(response, creates.length);
	},
};
