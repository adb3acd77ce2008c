import { createHash } from 'node:crypto';

import { channelFailure, isObject, isSuccess, text } from '../channels/common';
import type { ChannelResponse } from '../channels/types';
import { CrmError, type CrmAdapter, type CrmRecord, type CrmTools } from './types';

/** The API revision every request asks for (https://developers.klaviyo.com/en/docs/api_versioning_and_deprecation_policy). */
export const KLAVIYO_REVISION = '2026-07-15';
/** The metric the payment is recorded as. */
export const KLAVIYO_METRIC = 'Payment Received';
/** The profile attributes Klaviyo keeps outside `properties` and can be set on create. */
const ATTRIBUTES = new Set(['email', 'phone_number', 'external_id', 'first_name', 'last_name', 'organization', 'locale', 'title']);

const HEADERS = { revision: KLAVIYO_REVISION, Accept: 'application/vnd.api+json', 'Content-Type': 'application/vnd.api+json' };

function failure(response: ChannelResponse): CrmError {
	// Errors: { errors: [{ id, code, title, detail, source }] } (ClientError and ServerError of Klaviyo's OpenAPI spec)
	const first = (response.body as { errors?: Array<{ code?: string; title?: string; detail?: string }> } | undefined)?.errors?.[0];
	const error = channelFailure('Klaviyo', response, text(first?.detail) ?? text(first?.title), text(first?.code));
	return new CrmError(error.message, error.details);
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'boolean') return String(value);
	return typeof value === 'string' ? value : text(value);
}

interface Profile {
	id: string;
	attributes?: Record<string, unknown> & { properties?: Record<string, unknown> | null };
}

function property(profile: Profile, name: string): string | undefined {
	const custom = profile.attributes?.properties ?? {};
	return asText(name in custom ? custom[name] : profile.attributes?.[name]);
}

/** Klaviyo keeps the first event per profile, metric and unique_id: a retried write records its payment once. */
function uniqueId(id: string, properties: Record<string, string>): string {
	return createHash('sha256').update(JSON.stringify([id, properties])).digest('hex');
}

// https://developers.klaviyo.com/en/reference/create_event
async function recordPayment(tools: CrmTools, id: string, properties: Record<string, string>): Promise<string | CrmError> {
	const response = await tools.request({
		method: 'POST',
		url: '/api/events/',
		headers: HEADERS,
		body: {
			data: {
				type: 'event',
				attributes: {
					properties,
					unique_id: uniqueId(id, properties),
					metric: { data: { type: 'metric', attributes: { name: KLAVIYO_METRIC } } },
					profile: { data: { type: 'profile', id, attributes: {} } },
				},
			},
		},
	});
	return isSuccess(response) ? id : failure(response);
}

export const klaviyo: CrmAdapter = {
	id: 'klaviyo',
	displayName: 'Klaviyo',
	credentialType: 'paymentEventsKlaviyoApi',
	hosts: { live: 'https://a.klaviyo.com' },
	objects: {
		profiles: {
			displayName: 'Profile',
			matchFields: { email: 'Email', phone_number: 'Phone Number', external_id: 'External ID', id: 'Profile ID' },
		},
	},
	defaults: { statusProperty: 'payment_status', lastEventProperty: 'payment_status_updated_at' },
	// Get Profiles filters with any(field, [...]) and returns at most 100 profiles a page.
	batchSize: 100,

	// https://developers.klaviyo.com/en/reference/get_profiles
	async find(tools, _object, field, values, properties) {
		const list = values.map((value) => JSON.stringify(value)).join(',');
		const found = new Map<string, CrmRecord>();
		let url: string | undefined = '/api/profiles/';
		let qs: Record<string, string | number> | undefined = {
			filter: values.length === 1 ? `equals(${field},${list})` : `any(${field},[${list}])`,
			'page[size]': 100,
		};
		while (url) {
			const response = await tools.request({ method: 'GET', url, qs, headers: HEADERS });
			if (!isSuccess(response)) throw failure(response);
			const body = response.body as { data?: Profile[]; links?: { next?: string | null } };
			for (const profile of body.data ?? []) {
				const key = field === 'id' ? profile.id : asText(profile.attributes?.[field]);
				const value = values.find((candidate) => candidate.toLowerCase() === key?.toLowerCase());
				if (value === undefined || found.has(value)) continue;
				found.set(value, { id: profile.id, properties: Object.fromEntries(properties.map((name) => [name, property(profile, name)])) });
			}
			// The next page is an absolute link carrying the filter and cursor.
			url = found.size < values.length ? (text(body.links?.next) ?? undefined) : undefined;
			qs = undefined;
		}
		return found;
	},

	// https://developers.klaviyo.com/en/reference/update_profile, then the Payment Received event
	async update(tools, _object, updates) {
		const results: Array<string | CrmError> = [];
		for (const { id, properties } of updates) {
			const response = await tools.request({
				method: 'PATCH',
				url: `/api/profiles/${encodeURIComponent(id)}/`,
				headers: HEADERS,
				body: { data: { type: 'profile', id, attributes: { properties } } },
			});
			results.push(isSuccess(response) ? await recordPayment(tools, id, properties) : failure(response));
		}
		return results;
	},

	// https://developers.klaviyo.com/en/reference/create_profile, then the Payment Received event
	async create(tools, _object, creates) {
		const results: Array<string | CrmError> = [];
		for (const { properties } of creates) {
			const attributes = Object.fromEntries(Object.entries(properties).filter(([name]) => ATTRIBUTES.has(name)));
			const custom = Object.fromEntries(Object.entries(properties).filter(([name]) => !ATTRIBUTES.has(name)));
			const response = await tools.request({
				method: 'POST',
				url: '/api/profiles/',
				headers: HEADERS,
				body: { data: { type: 'profile', attributes: { ...attributes, properties: custom } } },
			});
			const data = isSuccess(response) && isObject(response.body) ? response.body.data : undefined;
			const id = isObject(data) ? text(data.id) : undefined;
			if (!isSuccess(response)) results.push(failure(response));
			else if (!id) results.push(new CrmError('Klaviyo: the created profile has no id', { retryable: false }));
			else results.push(await recordPayment(tools, id, custom));
		}
		return results;
	},
};
