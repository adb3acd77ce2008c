import { channelFailure, isObject, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

const API = '/services/data/v60.0';

function failure(response: ChannelResponse): CrmError {
	// Errors: [{ message, errorCode, fields }] (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm);
	// the upsert examples show the same fields outside an array (dome_upsert.htm).
	const first: unknown = Array.isArray(response.body) ? response.body[0] : response.body;
	const body = isObject(first) ? first : {};
	const error = channelFailure('Salesforce', response, text(body.message), text(body.errorCode));
	return new CrmError(error.message, error.details);
}

function nameError(name: string): CrmError | undefined {
	if (/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return undefined;
	return new CrmError(`Salesforce: "${name}" is not an object or field API name`, { retryable: false, code: 'INVALID_NAME' });
}

/** Object and field API names go into SOQL and request paths unquoted: anything but a plain name would change them. */
function apiName(name: string): string {
	const error = nameError(name);
	if (error) throw error;
	return name;
}

// SOQL quoted string escapes (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm)
const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function quote(value: string): string {
	return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (character) => ESCAPES[character])}'`;
}

function stringValue(value: unknown): string | undefined {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** API names are case-insensitive: `id` is the record ID too. */
const isId = (field: string | undefined) => field?.toLowerCase() === 'id';

/** Salesforce answers with 18-character record IDs; a user may hold the 15-character, case-sensitive form. */
function sameValue(field: string, wanted: string, found: string): boolean {
	if (isId(field)) return found === wanted || (wanted.length === 15 && found.slice(0, 15) === wanted);
	return found.toLowerCase() === wanted.toLowerCase();
}

interface QueryResult {
	done?: boolean;
	nextRecordsUrl?: string;
	records?: Array<Record<string, unknown> & { attributes?: { url?: string } }>;
}

/** A SaveResult, or an UpsertResult (which adds `created`). */
interface SaveResult {
	id?: string;
	success?: boolean;
	created?: boolean;
	errors?: Array<{ statusCode?: string; message?: string }>;
}

/** A record to save and how an error names it. */
interface Save {
	record: Record<string, unknown>;
	name: string;
}

/**
 * One sObject Collections request (at most 200 records). allOrNone false: each record is saved or refused on its own, with
 * a result per record in request order; a refused request fails every record with Salesforce's message and code.
 */
async function save(tools: CrmTools, method: 'PATCH' | 'POST', url: string, saves: Save[]): Promise<Array<string | CrmError>> {
	const response = await tools.request({ method, url, body: { allOrNone: false, records: saves.map(({ record }) => record) } });
	if (!isSuccess(response)) {
		const error = failure(response);
		return saves.map(() => error);
	}
	const results = Array.isArray(response.body) ? (response.body as SaveResult[]) : [];
	return saves.map(({ record, name }, index) => {
		const result = results[index];
		const id = text(result?.id) ?? text(record.id);
		if (result?.success && id) return id;
		const error = result?.errors?.[0];
		const code = text(error?.statusCode);
		return new CrmError(`Salesforce: ${name}: ${text(error?.message) ?? 'the record was not saved'}${code ? ` (code ${code})` : ''}`, {
			retryable: false,
			code,
		});
	});
}

// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/ : SOQL query, and sObject Collections (200 records a request).
export const salesforce: CrmAdapter = {
	id: 'salesforce',
	displayName: 'Salesforce',
	credentialType: 'paymentEventsSalesforceOAuth2Api',
	hosts: {
		production: 'https://{myDomain}.my.salesforce.com',
		sandbox: 'https://{myDomain}.sandbox.my.salesforce.com',
	},
	objects: {
		Contact: { displayName: 'Contact', matchFields: { Email: 'Email', Id: 'Contact ID' } },
		Opportunity: { displayName: 'Opportunity', matchFields: { Id: 'Opportunity ID', Name: 'Opportunity Name' } },
		Account: { displayName: 'Account', matchFields: { Id: 'Account ID', Name: 'Account Name' } },
	},
	anyObject: true,
	defaults: { statusProperty: 'Payment_Status__c', lastEventProperty: 'Payment_Status_Updated_At__c' },
	batchSize: 200,

	async find(tools, object, field, values, properties) {
		const fields = [...new Set(['Id', apiName(field), ...properties.map(apiName)])];
		const soql = `SELECT ${fields.join(', ')} FROM ${apiName(object)} WHERE ${field} IN (${values.map(quote).join(', ')})`;
		// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
		let response = await tools.request({ method: 'GET', url: `${API}/query`, qs: { q: soql } });
		const found = new Map<string, CrmRecord>();
		for (;;) {
			if (!isSuccess(response)) throw failure(response);
			const page = response.body as QueryResult;
			for (const record of page.records ?? []) {
				const id = text(record.Id) ?? record.attributes?.url?.split('/').pop();
				const key = isId(field) ? id : stringValue(record[field]);
				const value = key === undefined ? undefined : values.find((candidate) => sameValue(field, candidate, key));
				if (!id || value === undefined || found.has(value)) continue;
				found.set(value, {
					id,
					properties: Object.fromEntries(fields.filter((name) => name in record).map((name) => [name, stringValue(record[name])])),
				});
			}
			if (page.done !== false || !page.nextRecordsUrl) return found;
			response = await tools.request({ method: 'GET', url: page.nextRecordsUrl });
		}
	},

	// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
	async update(tools, object, updates) {
		const invalid = nameError(object);
		if (invalid) return updates.map(() => invalid);
		return await save(
			tools,
			'PATCH',
			`${API}/composite/sobjects`,
			updates.map(({ id, properties }) => ({ record: { attributes: { type: object }, id, ...properties }, name: `${object} ${id}` })),
		);
	},

	async create(tools, object, creates, field) {
		const invalid = nameError(object) ?? (field === undefined ? undefined : nameError(field));
		if (invalid) return creates.map(() => invalid);
		if (field !== undefined && /__c$/i.test(field)) {
			// Upsert by the external ID field (always a custom field): a record someone created meanwhile is updated, not
			// doubled. Standard fields such as Email or Name are created as before; Salesforce refuses most as upsert keys.
			// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
			return await save(
				tools,
				'PATCH',
				`${API}/composite/sobjects/${object}/${field}`,
				creates.map(({ properties }) => ({
					record: { attributes: { type: object }, ...properties },
					name: `${object} ${field} "${properties[field] ?? ''}"`,
				})),
			);
		}
		// Salesforce gives a new record its Id: a record ID nothing matched is not written.
		// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
		return await save(
			tools,
			'POST',
			`${API}/composite/sobjects`,
			creates.map(({ properties }, index) => ({
				record: { attributes: { type: object }, ...Object.fromEntries(Object.entries(properties).filter(([name]) => !isId(name))) },
				name: `new ${object} ${index + 1} of ${creates.length}`,
			})),
		);
	},
};
