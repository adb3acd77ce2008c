import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

function failure(response: ChannelResponse): CrmError {
	// Errors: { status: 'error', message, correlationId, category } (https://developers.hubspot.com/docs/api/error-handling)
	const body = response.body as { message?: string; category?: string } | undefined;
	const error = channelFailure('HubSpot', response, text(body?.message), text(body?.category));
	return new CrmError(error.message, error.details);
}

interface HubSpotObject {
	id: string;
	properties?: Record<string, string | null>;
}

interface BatchResult {
	results?: HubSpotObject[];
}

interface SearchResult extends BatchResult {
	paging?: { next?: { after?: string } };
}

/**
 * Match fields found through the CRM search API rather than batch read: batch read's idProperty takes only unique-value
 * properties, and an invoice number (hs_number) is not one.
 */
const SEARCHED: Readonly<Record<string, ReadonlySet<string>>> = { invoices: new Set(['hs_number']) };

/** Records a search page may hold (the search API allows 200; a find asks for at most batchSize values). */
const SEARCH_LIMIT = 100;

// https://developers.hubspot.com/docs/api-reference/search/guide: IN matches exactly and takes lowercase values for string
// properties; the next page comes from paging.next.after.
async function search(tools: CrmTools, object: string, field: string, values: string[], properties: string[]): Promise<HubSpotObject[]> {
	const found: HubSpotObject[] = [];
	let after: string | undefined;
	do {
		const response = await tools.request({
			method: 'POST',
			url: `/crm/v3/objects/${object}/search`,
			body: {
				filterGroups: [{ filters: [{ propertyName: field, operator: 'IN', values: [...new Set(values.map((value) => value.toLowerCase()))] }] }],
				properties,
				limit: SEARCH_LIMIT,
				...(after ? { after } : {}),
			},
		});
		if (!isSuccess(response)) throw failure(response);
		const page = response.body as SearchResult;
		found.push(...(page.results ?? []));
		after = text(page.paging?.next?.after);
	} while (after);
	return found;
}

async function batchRead(tools: CrmTools, object: string, field: string, values: string[], properties: string[]): Promise<HubSpotObject[]> {
	const response = await tools.request({
		method: 'POST',
		url: `/crm/v3/objects/${object}/batch/read`,
		body: {
			...(field === 'hs_object_id' ? {} : { idProperty: field }),
			inputs: values.map((id) => ({ id })),
			properties,
		},
	});
	// 207 Multi-Status: the found records, and errors for the values nothing matched.
	if (!isSuccess(response)) throw failure(response);
	return (response.body as BatchResult).results ?? [];
}

/** Why a create cannot be sent, or undefined when it can. */
function refusedCreate(object: string, properties: Record<string, string>): CrmError | undefined {
	if ('hs_object_id' in properties) {
		return new CrmError('HubSpot: a record cannot be created with a given Record ID; match by another property to create records', {
			retryable: false,
		});
	}
	// The API creates an invoice as a draft, and hs_currency is the one property a draft needs (invoices guide, "Create invoices").
	if (object === 'invoices' && !text(properties.hs_currency)) {
		return new CrmError('HubSpot: a new invoice needs its currency: set the Currency Property to hs_currency', { retryable: false });
	}
	return undefined;
}

// https://developers.hubspot.com/docs/api/crm/contacts, /deals and /invoices: batch read, update and create, 100 inputs a request.
export const hubspot: CrmAdapter = {
	id: 'hubspot',
	displayName: 'HubSpot',
	credentialType: 'paymentEventsHubSpotApi',
	hosts: { live: 'https://api.hubapi.com' },
	objects: {
		contacts: { displayName: 'Contact', matchFields: { email: 'Email', hs_object_id: 'Record ID' } },
		// Batch read matches only the Record ID or a unique-value property (idProperty); deal names are not unique.
		deals: { displayName: 'Deal', matchFields: { hs_object_id: 'Record ID' } },
		// HubSpot sets hs_invoice_status (draft, open, paid, voided) to paid when a payment is recorded, which its API cannot do
		// (invoices guide, "Configure payment settings"): the status goes to a custom invoice property such as payment_status.
		invoices: { displayName: 'Invoice', matchFields: { hs_number: 'Invoice Number', hs_object_id: 'Record ID' } },
	},
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	batchSize: 100,

	async find(tools, object, field, values, properties) {
		const byId = field === 'hs_object_id';
		const wanted = [...new Set([...properties, field])];
		const results = SEARCHED[object]?.has(field)
			? await search(tools, object, field, values, wanted)
			: await batchRead(tools, object, field, values, wanted);
		const found = new Map<string, CrmRecord>();
		for (const result of results) {
			const key = byId ? result.id : text(result.properties?.[field])?.toLowerCase();
			const record = {
				id: result.id,
				properties: Object.fromEntries(Object.entries(result.properties ?? {}).map(([name, v]) => [name, v ?? undefined])),
			};
			// HubSpot matches emails (and searched values) whatever their case: every value given in another case is the same record.
			for (const value of values) if (key !== undefined && value.toLowerCase() === key) found.set(value, record);
		}
		return found;
	},

	async update(tools, object, updates) {
		const response = await tools.request({
			method: 'POST',
			url: `/crm/v3/objects/${object}/batch/update`,
			body: { inputs: updates.map(({ id, properties }) => ({ id, properties })) },
		});
		if (!isSuccess(response)) {
			const error = failure(response);
			return updates.map(() => error);
		}
		const written = new Set(((response.body as BatchResult).results ?? []).map((result) => result.id));
		return updates.map(({ id }) => (written.has(id) ? id : new CrmError(`HubSpot: record ${id} was not updated`, { retryable: false })));
	},

	async create(tools, object, creates) {
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			const refused = refusedCreate(object, properties);
			if (refused) {
				results.push(refused);
				continue;
			}
			const response = await tools.request({ method: 'POST', url: `/crm/v3/objects/${object}`, body: { properties } });
			if (!isSuccess(response)) {
				results.push(failure(response));
				continue;
			}
			// The created record, or (as the invoices spec describes the answer) a CreatedResponse naming it by createdResourceId.
			const body = response.body as { id?: unknown; createdResourceId?: unknown } | undefined;
			results.push(text(body?.id) ?? text(body?.createdResourceId) ?? new CrmError('HubSpot: the created record has no id', { retryable: false }));
		}
		return results;
	},
};
