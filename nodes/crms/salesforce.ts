import { channelFailure, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

const API = '/services/data/v60.0';

function failure(response: ChannelResponse): CrmError {
	// Errors: [{ message, errorCode, fields }] (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm)
	const body = response.body as Array<{ message?: string; errorCode?: string }> | undefined;
	const first = Array.isArray(body) ? body[0] : undefined;
	const error = channelFailure('Salesforce', response, text(first?.message), text(first?.errorCode));
	return new CrmError(error.message, error.details);
}

/** Object and field API names go into SOQL unquoted: anything but a plain name would change the query. */
function apiName(name: string): string {
	if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
		throw new CrmError(`Salesforce: "${name}" is not an object or field API name`, { retryable: false, code: 'INVALID_NAME' });
	}
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

/** Salesforce answers with 18-character record IDs; a user may hold the 15-character, case-sensitive form. */
function sameValue(field: string, wanted: string, found: string): boolean {
	if (field === 'Id') return found === wanted || (wanted.length === 15 && found.slice(0, 15) === wanted);
	return found.toLowerCase() === wanted.toLowerCase();
}

interface QueryResult {
	done?: boolean;
	nextRecordsUrl?: string;
	records?: Array<Record<string, unknown> & { attributes?: { url?: string } }>;
}

interface SaveResult {
	id?: string;
	success?: boolean;
	errors?: Array<{ statusCode?: string; message?: string }>;
}

async function save(
	tools: CrmTools,
	method: 'PATCH' | 'POST',
	records: Array<Record<string, unknown>>,
): Promise<Array<string | CrmError>> {
	// allOrNone false: each record is saved or refused on its own, with a SaveResult per record in request order.
	const response = await tools.request({ method, url: `${API}/composite/sobjects`, body: { allOrNone: false, records } });
	if (!isSuccess(response)) {
		const error = failure(response);
		return records.map(() => error);
	}
	const results = Array.isArray(response.body) ? (response.body as SaveResult[]) : [];
	return records.map((record, index) => {
		const result = results[index];
		const id = text(result?.id) ?? text(record.id);
		if (result?.success && id) return id;
		const error = result?.errors?.[0];
		return new CrmError(`Salesforce: ${text(error?.message) ?? 'the record was not saved'}${error?.statusCode ? ` (code ${error.statusCode})` : ''}`, {
			retryable: false,
			code: text(error?.statusCode),
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
				const key = field === 'Id' ? id : stringValue(record[field]);
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
		return save(tools, 'PATCH', updates.map(({ id, properties }) => ({ attributes: { type: object }, id, ...properties })));
	},

	// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
	async create(tools, object, creates) {
		return save(tools, 'POST', creates.map(({ properties }) => ({ attributes: { type: object }, ...properties })));
	},
};
