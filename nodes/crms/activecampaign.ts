import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

function failure(response: ChannelResponse): CrmError {
	// Errors: { message } (401/403/404) or { errors: [{ title, detail, code }] } (422) (https://developers.activecampaign.com/reference/errors)
	const body = response.body as { message?: string; errors?: Array<{ title?: string; code?: string }> } | undefined;
	const first = Array.isArray(body?.errors) ? body.errors[0] : undefined;
	const error = channelFailure('ActiveCampaign', response, text(body?.message) ?? text(first?.title), text(first?.code));
	return new CrmError(error.message, error.details);
}

/** A custom field is named by its numeric field ID (Contacts → Manage Fields); any other name is a standard field. */
function isCustomField(name: string): boolean {
	return /^\d+$/.test(name);
}

function split(properties: Record<string, string>) {
	const standard = Object.fromEntries(Object.entries(properties).filter(([name]) => !isCustomField(name)));
	const custom = Object.entries(properties).filter(([name]) => isCustomField(name));
	return { standard, custom };
}

function values(record: Record<string, unknown>, names: string[]): Record<string, string | undefined> {
	return Object.fromEntries(names.map((name) => [name, typeof record[name] === 'string' ? (record[name] as string) : text(record[name])]));
}

// https://developers.activecampaign.com/reference/retrieve-contact-field-values
async function customValues(tools: CrmTools, contactId: string, names: string[]): Promise<Record<string, string | undefined>> {
	if (!names.length) return {};
	const response = await tools.request({ method: 'GET', url: `/api/3/contacts/${encodeURIComponent(contactId)}/fieldValues` });
	if (!isSuccess(response)) throw failure(response);
	const list = (response.body as { fieldValues?: Array<{ field?: unknown; value?: unknown }> }).fieldValues ?? [];
	return Object.fromEntries(names.map((name) => [name, text(list.find(({ field }) => String(field) === name)?.value)]));
}

async function contactRecord(tools: CrmTools, contact: Record<string, unknown>, properties: string[]): Promise<CrmRecord> {
	const id = String(contact.id);
	const standard = properties.filter((name) => !isCustomField(name));
	const custom = await customValues(tools, id, properties.filter(isCustomField));
	return { id, properties: { ...values(contact, standard), ...custom } };
}

const SINGULAR: Record<string, string> = { contacts: 'contact', deals: 'deal' };

// No batch read or write in API v3 for contacts and deals: one record a request (custom field values one a request too).
export const activecampaign: CrmAdapter = {
	id: 'activecampaign',
	displayName: 'ActiveCampaign',
	credentialType: 'paymentEventsActiveCampaignApi',
	hosts: { live: 'https://{account}.api-us1.com' },
	objects: {
		contacts: { displayName: 'Contact', matchFields: { email: 'Email', id: 'Contact ID' } },
		deals: { displayName: 'Deal', matchFields: { id: 'Deal ID' } },
	},
	// Placeholders: a contact custom field is written by its numeric field ID.
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	batchSize: 1,

	async find(tools, object, field, lookups, properties) {
		const found = new Map<string, CrmRecord>();
		for (const value of lookups) {
			if (object === 'contacts' && field === 'email') {
				// https://developers.activecampaign.com/reference/list-all-contacts
				const response = await tools.request({ method: 'GET', url: '/api/3/contacts', qs: { email: value } });
				if (!isSuccess(response)) throw failure(response);
				const contacts = (response.body as { contacts?: Array<Record<string, unknown>> }).contacts ?? [];
				const contact = contacts.find((candidate) => String(candidate.email).toLowerCase() === value.toLowerCase());
				if (contact) found.set(value, await contactRecord(tools, contact, properties));
				continue;
			}
			if (!/^\d+$/.test(value)) continue;
			// https://developers.activecampaign.com/reference/get-contact and /retrieve-a-deal
			const response = await tools.request({ method: 'GET', url: `/api/3/${object}/${value}` });
			if (response.status === 404) continue;
			if (!isSuccess(response)) throw failure(response);
			const record = (response.body as Record<string, Record<string, unknown> | undefined>)[SINGULAR[object]];
			if (!record) continue;
			found.set(
				value,
				object === 'contacts' ? await contactRecord(tools, record, properties) : { id: String(record.id), properties: values(record, properties) },
			);
		}
		return found;
	},

	async update(tools, object, updates) {
		const results: Array<string | CrmError> = [];
		for (const { id, properties } of updates) {
			const { standard, custom } = split(properties);
			if (object === 'deals' && custom.length) {
				results.push(new CrmError('ActiveCampaign: deal custom fields are not supported; use a contact field', { retryable: false }));
				continue;
			}
			let result: string | CrmError = id;
			if (Object.keys(standard).length) {
				// https://developers.activecampaign.com/reference/update-a-contact-new and /update-a-deal-new
				const response = await tools.request({ method: 'PUT', url: `/api/3/${object}/${encodeURIComponent(id)}`, body: { [SINGULAR[object]]: standard } });
				if (!isSuccess(response)) result = failure(response);
			}
			for (const [field, value] of custom) {
				if (result instanceof CrmError) break;
				// https://developers.activecampaign.com/reference/create-fieldvalue: creates or replaces the contact's value.
				const response = await tools.request({
					method: 'POST',
					url: '/api/3/fieldValues',
					body: { fieldValue: { contact: id, field, value } },
				});
				if (!isSuccess(response)) result = failure(response);
			}
			results.push(result);
		}
		return results;
	},

	async create(tools, object, creates) {
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			if (object !== 'contacts' || !properties.email) {
				results.push(new CrmError('ActiveCampaign: only contacts with an email can be created', { retryable: false }));
				continue;
			}
			const { standard, custom } = split(properties);
			// https://developers.activecampaign.com/reference/sync-a-contacts-data: creates the contact, or updates one with that email.
			const response = await tools.request({
				method: 'POST',
				url: '/api/3/contact/sync',
				body: { contact: { ...standard, ...(custom.length ? { fieldValues: custom.map(([field, value]) => ({ field, value })) } : {}) } },
			});
			const id = (response.body as { contact?: { id?: unknown } } | undefined)?.contact?.id;
			results.push(isSuccess(response) && id !== undefined ? String(id) : failure(response));
		}
		return results;
	},
};
