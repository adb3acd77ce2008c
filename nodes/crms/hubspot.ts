import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord } from './types';

function failure(response: ChannelResponse): CrmError {
	// Errors: { status: 'error', message, correlationId, category } (https://developers.hubspot.com/docs/api/error-handling)
	const body = response.body as { message?: string; category?: string } | undefined;
	const error = channelFailure('HubSpot', response, text(body?.message), text(body?.category));
	return new CrmError(error.message, error.details);
}

interface BatchResult {
	results?: Array<{ id: string; properties?: Record<string, string | null> }>;
}

// https://developers.hubspot.com/docs/api/crm/contacts and /deals: batch read, update and create, 100 inputs a request.
export const hubspot: CrmAdapter = {
	id: 'hubspot',
	displayName: 'HubSpot',
	credentialType: 'paymentEventsHubSpotApi',
	hosts: { live: 'https://api.hubapi.com' },
	objects: {
		contacts: { displayName: 'Contact', matchFields: { email: 'Email', hs_object_id: 'Record ID' } },
		// Batch read matches only the Record ID or a unique-value property (idProperty); deal names are not unique.
		deals: { displayName: 'Deal', matchFields: { hs_object_id: 'Record ID' } },
	},
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	batchSize: 100,

	async find(tools, object, field, values, properties) {
		const byId = field === 'hs_object_id';
		const response = await tools.request({
			method: 'POST',
			url: `/crm/v3/objects/${object}/batch/read`,
			body: {
				...(byId ? {} : { idProperty: field }),
				inputs: values.map((id) => ({ id })),
				properties: [...new Set([...properties, field])],
			},
		});
		// 207 Multi-Status: the found records, and errors for the values nothing matched.
		if (!isSuccess(response)) throw failure(response);
		const found = new Map<string, CrmRecord>();
		for (const result of (response.body as BatchResult).results ?? []) {
			const key = byId ? result.id : text(result.properties?.[field])?.toLowerCase();
			const record = {
				id: result.id,
				properties: Object.fromEntries(Object.entries(result.properties ?? {}).map(([name, v]) => [name, v ?? undefined])),
			};
			// HubSpot matches emails whatever their case: every value given in another case is the same record.
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
			const response = await tools.request({ method: 'POST', url: `/crm/v3/objects/${object}`, body: { properties } });
			results.push(isSuccess(response) ? String((response.body as { id: string }).id) : failure(response));
		}
		return results;
	},
};
