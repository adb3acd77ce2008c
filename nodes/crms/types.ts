import type { ChannelTools } from '../channels/types';

/** The CRM's API as an adapter reaches it: the same authenticated request helper channels use. */
export type CrmTools = ChannelTools;

/** A record found in the CRM, with the values of the properties the node asked for. */
export interface CrmRecord {
	id: string;
	properties: Readonly<Record<string, string | undefined>>;
}

/** A write the CRM refused, classified like a channel failure (429 and 5xx retryable). */
export class CrmError extends Error {
	override name = 'CrmError';

	constructor(
		message: string,
		readonly details: { retryable: boolean; code?: string; status?: number; retryAfterMs?: number },
	) {
		super(message);
	}
}

export interface CrmObject {
	displayName: string;
	/** The fields a record can be found by, by API name with their display name; the first is the default. */
	matchFields: Readonly<Record<string, string>>;
}

/** One CRM. Adding one means adding one file that exports one of these, its credential and tests. */
export interface CrmAdapter {
	id: string;
	displayName: string;
	/** The n8n credential type (credentials/) authenticating the CRM's requests. */
	credentialType: string;
	/** The API base URL per value of the credential's `environment`/region field, the first the default. */
	hosts: Readonly<Record<string, string>>;
	/** The objects payment status can be written on. */
	objects: Readonly<Record<string, CrmObject>>;
	/** Whether any object can be named by its API name (Salesforce custom objects); `objects` are then suggestions. */
	anyObject?: boolean;
	/** The property names the node suggests, e.g. HubSpot's internal names. */
	defaults: { statusProperty: string; lastEventProperty: string };
	/** How many records one find, update or create request may carry. */
	batchSize: number;
	/**
	 * The records whose `field` equals each value (at most batchSize values), with the values of `properties`. A value
	 * without a record is left out of the map.
	 */
	find(tools: CrmTools, object: string, field: string, values: string[], properties: string[]): Promise<Map<string, CrmRecord>>;
	/** Updates records (at most batchSize); a result per update, in order: the record id or the error. */
	update(tools: CrmTools, object: string, updates: Array<{ id: string; properties: Record<string, string> }>): Promise<Array<string | CrmError>>;
	/**
	 * Creates records found by nothing, with the match field `field` set; a CRM that can upsert by that field does, so
	 * a record created meanwhile is updated rather than doubled. A result per create, in order.
	 */
	create?(
		tools: CrmTools,
		object: string,
		creates: Array<{ properties: Record<string, string> }>,
		field?: string,
	): Promise<Array<string | CrmError>>;
}
