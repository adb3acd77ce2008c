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

/** The status property that, instead of a field, adds a tag named by the status value to the contact. */
export const ACTIVECAMPAIGN_TAGS_PROPERTY = 'tags';
/** The description of a tag the adapter creates. */
const TAG_DESCRIPTION = 'Payment status, added by n8n CRM Payment Sync';

/** A custom field is named by its numeric field ID (Contacts → Manage Fields); any other name is a standard field. */
function isCustomField(name: string): boolean {
	return /^\d+$/.test(name);
}

function split(properties: Record<string, string>) {
	const entries = Object.entries(properties).filter(([name]) => name !== ACTIVECAMPAIGN_TAGS_PROPERTY);
	const standard = Object.fromEntries(entries.filter(([name]) => !isCustomField(name)));
	const custom = entries.filter(([name]) => isCustomField(name));
	return { standard, custom, tag: text(properties[ACTIVECAMPAIGN_TAGS_PROPERTY]) };
}

/**
 * Tag ids by lowercase name, per run: the node makes one CrmTools a run, so twenty contacts tagged "Paid" look the tag
 * up once, and a tag deleted between runs is not remembered.
 */
const tagIds = new WeakMap<CrmTools, Map<string, string>>();

interface Tag {
	id?: unknown;
	tag?: unknown;
	tagType?: unknown;
}

/** The id of the contact tag named `name` (tags are case-insensitive), created when the account has none. */
async function tagId(tools: CrmTools, name: string): Promise<string | CrmError> {
	const cache = tagIds.get(tools) ?? new Map<string, string>();
	tagIds.set(tools, cache);
	const key = name.toLowerCase();
	const cached = cache.get(key);
	if (cached) return cached;
	// https://developers.activecampaign.com/reference/create-a-new-tag: "Commas are prohibited in tag creation."
	if (name.includes(',')) return new CrmError(`ActiveCampaign: the tag "${name}" has a comma, which tag names cannot hold`, { retryable: false });
	// https://developers.activecampaign.com/reference/retrieve-all-tags: search matches names containing the value.
	const listed = await tools.request({ method: 'GET', url: '/api/3/tags', qs: { search: name } });
	if (!isSuccess(listed)) return failure(listed);
	const tags = (listed.body as { tags?: Tag[] } | undefined)?.tags ?? [];
	let id = text(tags.find((tag) => (tag.tagType ?? 'contact') === 'contact' && String(tag.tag).toLowerCase() === key)?.id);
	if (!id) {
		// https://developers.activecampaign.com/reference/create-a-new-tag
		const created = await tools.request({
			method: 'POST',
			url: '/api/3/tags',
			body: { tag: { tag: name, tagType: 'contact', description: TAG_DESCRIPTION } },
		});
		if (!isSuccess(created)) return failure(created);
		id = text((created.body as { tag?: Tag } | undefined)?.tag?.id);
		if (!id) return new CrmError(`ActiveCampaign: the created tag "${name}" has no id`, { retryable: false });
	}
	cache.set(key, id);
	return id;
}

// https://developers.activecampaign.com/reference/create-contact-tag
async function addTag(tools: CrmTools, contactId: string, name: string): Promise<string | CrmError> {
	const tag = await tagId(tools, name);
	if (tag instanceof CrmError) return tag;
	const response = await tools.request({ method: 'POST', url: '/api/3/contactTags', body: { contactTag: { contact: contactId, tag } } });
	return isSuccess(response) ? contactId : failure(response);
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
	// A tag-based status has no value to read back: its status before is undefined, and the node's stale-event guard relies
	// on the last payment event time (a custom field) alone. Reading the contact's tags would not say which one is current.
	const standard = properties.filter((name) => !isCustomField(name) && name !== ACTIVECAMPAIGN_TAGS_PROPERTY);
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
	// Placeholders: a contact custom field is written by its numeric field ID; the status property `tags` adds a tag instead.
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
			const { standard, custom, tag } = split(properties);
			if (object === 'deals' && (custom.length || tag !== undefined)) {
				const message = 'ActiveCampaign: deal custom fields and tags are not supported; use a contact field or tag';
				results.push(new CrmError(message, { retryable: false }));
				continue;
			}
			let result: string | CrmError = id;
			if (Object.keys(standard).length) {
				// https://developers.activecampaign.com/reference/update-a-contact-new and /update-a-deal-new
				const response = await tools.request({ method: 'PUT', url: `/api/3/${object}/${encodeURIComponent(id)}`, body: { [SINGULAR[object]]: standard } });
				if (!isSuccess(response)) result = failure(response);
			}
			// The tag before the custom fields: the last-event time is written only once the status is on the contact, so a
			// failed tag is retried by the next run rather than skipped as stale.
			if (tag !== undefined && !(result instanceof CrmError)) result = await addTag(tools, id, tag);
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
			const { standard, custom, tag } = split(properties);
			// https://developers.activecampaign.com/reference/sync-a-contacts-data: creates the contact, or updates one with that email.
			const response = await tools.request({
				method: 'POST',
				url: '/api/3/contact/sync',
				body: { contact: { ...standard, ...(custom.length ? { fieldValues: custom.map(([field, value]) => ({ field, value })) } : {}) } },
			});
			const id = text((response.body as { contact?: { id?: unknown } } | undefined)?.contact?.id);
			if (!isSuccess(response) || id === undefined) results.push(failure(response));
			else results.push(tag === undefined ? id : await addTag(tools, id, tag));
		}
		return results;
	},
};
