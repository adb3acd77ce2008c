import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

interface Envelope {
	success?: boolean;
	data?: Record<string, unknown> | null;
	error?: string;
	errorCode?: number;
}

function failure(response: ChannelResponse): CrmError {
	// Errors: { success: false, error, error_info, data: null } (https://pipedrive.readme.io/docs/core-api-concepts-responses)
	const body = response.body as Envelope | undefined;
	const error = channelFailure('Pipedrive', response, text(body?.error), text(body?.errorCode));
	return new CrmError(error.message, error.details);
}

/** A field's value as text: custom and standard fields are scalars, or objects like owner_id / org_id carrying `value`. */
function fieldText(value: unknown): string | undefined {
	if (typeof value === 'boolean') return String(value);
	if (value && typeof value === 'object' && !Array.isArray(value)) return fieldText((value as { value?: unknown }).value);
	return typeof value === 'string' ? value : text(value);
}

// https://developers.pipedrive.com/docs/api/v1/Persons#getPerson and /Deals#getDeal
async function read(tools: CrmTools, object: string, id: string, properties: string[]): Promise<CrmRecord | undefined> {
	const response = await tools.request({ method: 'GET', url: `/v1/${object}/${encodeURIComponent(id)}` });
	if (response.status === 404) return undefined;
	if (!isSuccess(response)) throw failure(response);
	const data = (response.body as Envelope).data;
	if (!data) return undefined;
	return {
		id: String(data.id),
		properties: Object.fromEntries(properties.map((name) => [name, fieldText(data[name])])),
	};
}

// https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons
async function personIdByEmail(tools: CrmTools, email: string): Promise<string | undefined> {
	const response = await tools.request({
		method: 'GET',
		url: '/v1/persons/search',
		qs: { term: email, fields: 'email', exact_match: 'true' },
	});
	if (!isSuccess(response)) throw failure(response);
	const items = (response.body as { data?: { items?: Array<{ item?: { id?: number; emails?: string[] } }> } }).data?.items ?? [];
	const match = items.find(({ item }) => item?.emails?.some((address) => address.toLowerCase() === email.toLowerCase()));
	return match?.item?.id === undefined ? undefined : String(match.item.id);
}

// Pipedrive's v1 API has no batch read or write for persons and deals, and its search takes one term: one record a request.
export const pipedrive: CrmAdapter = {
	id: 'pipedrive',
	displayName: 'Pipedrive',
	credentialType: 'paymentEventsPipedriveApi',
	hosts: { live: 'https://api.pipedrive.com' },
	objects: {
		persons: { displayName: 'Person', matchFields: { email: 'Email', id: 'Person ID' } },
		deals: { displayName: 'Deal', matchFields: { id: 'Deal ID' } },
	},
	// Custom fields are written by their 40-character API key (Settings → Data fields); these are placeholders to replace.
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	batchSize: 1,

	async find(tools, object, field, values, properties) {
		const found = new Map<string, CrmRecord>();
		for (const value of values) {
			const id = field === 'email' ? await personIdByEmail(tools, value) : value;
			if (id === undefined || !/^\d+$/.test(id)) continue;
			const record = await read(tools, object, id, properties);
			if (record) found.set(value, record);
		}
		return found;
	},

	// https://developers.pipedrive.com/docs/api/v1/Persons#updatePerson and /Deals#updateDeal
	async update(tools, object, updates) {
		const results: Array<string | CrmError> = [];
		for (const { id, properties } of updates) {
			const response = await tools.request({ method: 'PUT', url: `/v1/${object}/${encodeURIComponent(id)}`, body: properties });
			results.push(isSuccess(response) ? String((response.body as Envelope).data?.id ?? id) : failure(response));
		}
		return results;
	},

	// https://developers.pipedrive.com/docs/api/v1/Persons#addPerson and /Deals#addDeal
	async create(tools, object, creates) {
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			if ('id' in properties) {
				results.push(new CrmError('Pipedrive: a record cannot be created with a given ID', { retryable: false }));
				continue;
			}
			// A person needs a name: a payer known only by email is named by it.
			const body = object === 'persons' && !properties.name ? { name: properties.email, ...properties } : properties;
			const response = await tools.request({ method: 'POST', url: `/v1/${object}`, body });
			const id = (response.body as Envelope | undefined)?.data?.id;
			results.push(isSuccess(response) && id !== undefined ? String(id) : failure(response));
		}
		return results;
	},
};
