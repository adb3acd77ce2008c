import { channelFailure, isObject, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

/** The REST API version every request asks for (https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/api-versioning). */
export const INTERCOM_VERSION = '2.14';
/** The data event the payment is recorded as, in Intercom's past-tense verb-noun style. */
export const INTERCOM_EVENT_NAME = 'payment-received';
/** Intercom keeps at most 10 metadata keys on an event (https://developers.intercom.com/docs/references/rest-api/api.intercom.io/data-events/createdataevent). */
const MAX_METADATA = 10;
/** The contact fields Intercom sets at the top level on create; everything else is a custom attribute. */
const TOP_LEVEL = new Set(['email', 'external_id', 'phone', 'name', 'role']);

const HEADERS = { 'Intercom-Version': INTERCOM_VERSION, Accept: 'application/json' };

function failure(response: ChannelResponse): CrmError {
	// Errors: { type: 'error.list', request_id, errors: [{ code, message }] } (https://developers.intercom.com/docs/references/rest-api/errors/error-objects)
	const first = (response.body as { errors?: Array<{ code?: string; message?: string }> } | undefined)?.errors?.[0];
	const error = channelFailure('Intercom', response, text(first?.message), text(first?.code));
	// Intercom sends no Retry-After on 429 but X-RateLimit-Reset, the epoch second the window reopens (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting).
	const reset = Number(response.headers['x-ratelimit-reset']);
	const retryAfterMs = error.details.retryAfterMs ?? (response.status === 429 && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined);
	return new CrmError(error.message, { ...error.details, retryAfterMs });
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'boolean') return String(value);
	return typeof value === 'string' ? value : text(value);
}

type Contact = Record<string, unknown> & { id: string; custom_attributes?: Record<string, unknown> };

function property(contact: Contact, name: string): string | undefined {
	const custom = contact.custom_attributes ?? {};
	return asText(name in custom ? custom[name] : contact[name]);
}

// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/data-events/createdataevent
async function recordPayment(tools: CrmTools, id: string, properties: Record<string, string>): Promise<string | CrmError> {
	const response = await tools.request({
		method: 'POST',
		url: '/events',
		headers: HEADERS,
		body: {
			event_name: INTERCOM_EVENT_NAME,
			created_at: Math.floor(Date.now() / 1000),
			id,
			metadata: Object.fromEntries(Object.entries(properties).slice(0, MAX_METADATA)),
		},
	});
	return isSuccess(response) ? id : failure(response);
}

export const intercom: CrmAdapter = {
	id: 'intercom',
	displayName: 'Intercom',
	credentialType: 'paymentEventsIntercomApi',
	// Regional hosts (https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/#regional-hosting)
	hosts: { us: 'https://api.intercom.io', eu: 'https://api.eu.intercom.io', au: 'https://api.au.intercom.io' },
	objects: {
		contacts: { displayName: 'Contact', matchFields: { email: 'Email', external_id: 'External ID (User ID)', id: 'Contact ID' } },
	},
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	// One search with the IN operator per batch; Intercom has no batch update, so updates go one contact at a time.
	batchSize: 50,

	// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/searchcontacts
	async find(tools, _object, field, values, properties) {
		const found = new Map<string, CrmRecord>();
		let startingAfter: string | undefined;
		do {
			const response = await tools.request({
				method: 'POST',
				url: '/contacts/search',
				headers: HEADERS,
				body: {
					query: values.length === 1 ? { field, operator: '=', value: values[0] } : { field, operator: 'IN', value: values },
					pagination: { per_page: 150, ...(startingAfter ? { starting_after: startingAfter } : {}) },
				},
			});
			if (!isSuccess(response)) throw failure(response);
			const body = response.body as { data?: Contact[]; pages?: { next?: { starting_after?: string } } };
			for (const contact of body.data ?? []) {
				const key = asText(contact[field]);
				const value = values.find((candidate) => candidate.toLowerCase() === key?.toLowerCase());
				// An email can belong to a user and a lead: the first contact Intercom returns wins.
				if (value === undefined || found.has(value)) continue;
				found.set(value, { id: contact.id, properties: Object.fromEntries(properties.map((name) => [name, property(contact, name)])) });
			}
			startingAfter = text(body.pages?.next?.starting_after);
		} while (startingAfter && found.size < values.length);
		return found;
	},

	// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/updatecontact, then the data event
	async update(tools, _object, updates) {
		const results: Array<string | CrmError> = [];
		for (const { id, properties } of updates) {
			const response = await tools.request({
				method: 'PUT',
				url: `/contacts/${encodeURIComponent(id)}`,
				headers: HEADERS,
				body: { custom_attributes: properties },
			});
			results.push(isSuccess(response) ? await recordPayment(tools, id, properties) : failure(response));
		}
		return results;
	},

	// https://developers.intercom.com/docs/references/rest-api/api.intercom.io/contacts/createcontact, then the data event
	async create(tools, _object, creates) {
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			const top = Object.fromEntries(Object.entries(properties).filter(([name]) => TOP_LEVEL.has(name)));
			const custom = Object.fromEntries(Object.entries(properties).filter(([name]) => !TOP_LEVEL.has(name)));
			const response = await tools.request({
				method: 'POST',
				url: '/contacts',
				headers: HEADERS,
				body: { ...top, ...(Object.keys(custom).length ? { custom_attributes: custom } : {}) },
			});
			const id = isSuccess(response) && isObject(response.body) ? text(response.body.id) : undefined;
			if (!isSuccess(response)) results.push(failure(response));
			else if (!id) results.push(new CrmError('Intercom: the created contact has no id', { retryable: false }));
			else results.push(await recordPayment(tools, id, custom));
		}
		return results;
	},
};
