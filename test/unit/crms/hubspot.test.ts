import nock from 'nock';

import { PaymentEventsHubSpotApi } from '../../../credentials/PaymentEventsHubSpotApi.credentials';
import { hubspot } from '../../../nodes/crms/hubspot';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/hubspot (HubSpot's API reference and official OpenAPI spec, see SOURCES.md there).
const TOKEN = 'pat-na1-test-token-not-a-real-secret';
const HOST = 'https://api.hubapi.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };

interface BatchResponse {
	results: Array<{ id: string; properties: Record<string, string> }>;
}

interface SearchResponse extends BatchResponse {
	paging?: { next: { after: string } };
}

/** The documented search answer, its record at `index` holding `properties` as well. */
function searchWith(file: string, index: number, properties: Record<string, string>): SearchResponse {
	const body = fixtureJson<SearchResponse>(`crms/hubspot/${file}`);
	body.results[index].properties = { ...body.results[index].properties, ...properties };
	return body;
}

const searchRequest = (values: string[], after?: string) => ({
	filterGroups: [{ filters: [{ propertyName: 'hs_number', operator: 'IN', values }] }],
	properties: ['payment_status', 'payment_status_updated_at', 'hs_number'],
	limit: 100,
	...(after ? { after } : {}),
});

/** The documented batch answer, its record also holding `properties` (requested properties come back in that map). */
function batchWith(properties: Record<string, string>): BatchResponse {
	const body = fixtureJson<BatchResponse>('crms/hubspot/batch_response_200.json');
	body.results[0].properties = { ...body.results[0].properties, ...properties };
	return body;
}

function tools() {
	return channelTools(hubspot, new PaymentEventsHubSpotApi(), { accessToken: TOKEN });
}

function api() {
	return nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('HubSpot find', () => {
	it('reads a batch by Record ID without idProperty and returns the requested properties', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/read', {
				inputs: [{ id: '512' }, { id: '513' }],
				properties: ['property_string', 'property_number', 'hs_object_id'],
			})
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const found = await hubspot.find(tools().tools, 'contacts', 'hs_object_id', ['512', '513'], ['property_string', 'property_number']);

		expect([...found.keys()]).toEqual(['512']);
		expect(found.get('512')).toEqual({
			id: '512',
			properties: {
				property_checkbox: 'false',
				property_date: '1572480000000',
				property_dropdown: 'choice_b',
				property_multiple_checkboxes: 'chocolate;strawberry',
				property_number: '17',
				property_radio: 'option_1',
				property_string: 'value',
			},
		});
	});

	it('reads contacts by email with idProperty, matching the value whatever its case, leaving out an email nothing matches', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/read', {
				idProperty: 'email',
				inputs: [{ id: 'LGilmore@thedragonfly.com' }, { id: 'sstjames@thedragonfly.com' }],
				properties: ['payment_status', 'payment_status_updated_at', 'email'],
			})
			.reply(200, batchWith({ email: 'lgilmore@thedragonfly.com', payment_status: 'Paid' }), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const found = await hubspot.find(crm, 'contacts', 'email', ['LGilmore@thedragonfly.com', 'sstjames@thedragonfly.com'], [
			'payment_status',
			'payment_status_updated_at',
		]);

		expect([...found.keys()]).toEqual(['LGilmore@thedragonfly.com']);
		expect(found.get('LGilmore@thedragonfly.com')).toMatchObject({ id: '512', properties: { email: 'lgilmore@thedragonfly.com', payment_status: 'Paid' } });
		expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([`POST ${HOST}/crm/v3/objects/contacts/batch/read`]);
	});

	it('keeps the records of a 207 Multi-Status answer and gives every case of an email the same record', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/read', {
				idProperty: 'email',
				inputs: [{ id: 'Jenny.Rosen@example.com' }, { id: 'jenny.rosen@example.com' }],
				properties: ['payment_status', 'email'],
			})
			.reply(207, batchWith({ email: 'jenny.rosen@example.com' }), JSON_TYPE);

		const found = await hubspot.find(tools().tools, 'contacts', 'email', ['Jenny.Rosen@example.com', 'jenny.rosen@example.com'], ['payment_status']);

		expect([...found.keys()]).toEqual(['Jenny.Rosen@example.com', 'jenny.rosen@example.com']);
		expect(new Set([...found.values()].map(({ id }) => id))).toEqual(new Set(['512']));
	});

	it('offers unique-value properties as match fields (batch read idProperty), and invoices by number (search)', () => {
		expect(hubspot.objects.contacts.matchFields).toEqual({ email: 'Email', hs_object_id: 'Record ID' });
		expect(hubspot.objects.deals.matchFields).toEqual({ hs_object_id: 'Record ID' });
		expect(hubspot.objects.invoices.matchFields).toEqual({ hs_number: 'Invoice Number', hs_object_id: 'Record ID' });
		expect(hubspot.batchSize).toBe(100);
	});

	it("throws HubSpot's documented error with its message and category", async () => {
		api().post('/crm/v3/objects/deals/batch/read').reply(400, fixtureJson('crms/hubspot/error_spec.json'), JSON_TYPE);

		const error = await hubspot.find(tools().tools, 'deals', 'hs_object_id', ['512'], []).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(CrmError);
		expect((error as CrmError).message).toBe('HubSpot: Invalid input (details will vary based on the error) (code VALIDATION_ERROR)');
		expect((error as CrmError).details).toEqual({ retryable: false, code: 'VALIDATION_ERROR', status: 400, retryAfterMs: undefined });
	});
});

describe('HubSpot invoices', () => {
	it('finds invoices by number through the CRM search API with one IN filter of lowercase values', async () => {
		api()
			.post('/crm/v3/objects/invoices/search', searchRequest(['inv-0042', 'inv-0043']))
			.reply(200, searchWith('search_response_200.json', 1, { hs_number: 'INV-0042', payment_status: 'Pending' }), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const found = await hubspot.find(crm, 'invoices', 'hs_number', ['INV-0042', 'INV-0043'], ['payment_status', 'payment_status_updated_at']);

		expect([...found.keys()]).toEqual(['INV-0042']);
		expect(found.get('INV-0042')).toMatchObject({ id: '57156923994', properties: { hs_number: 'INV-0042', payment_status: 'Pending' } });
		expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([`POST ${HOST}/crm/v3/objects/invoices/search`]);
	});

	it('follows paging.next.after until the last page', async () => {
		api()
			.post('/crm/v3/objects/invoices/search', searchRequest(['inv-0042']))
			.reply(200, fixtureJson('crms/hubspot/search_response_paged_200.json'), JSON_TYPE);
		api()
			.post('/crm/v3/objects/invoices/search', searchRequest(['inv-0042'], '10'))
			.reply(200, searchWith('search_response_200.json', 0, { hs_number: 'INV-0042' }), JSON_TYPE);

		const found = await hubspot.find(tools().tools, 'invoices', 'hs_number', ['INV-0042'], ['payment_status', 'payment_status_updated_at']);

		expect(found.get('INV-0042')?.id).toBe('100451');
	});

	it('reads invoices by Record ID with batch read, as other objects', async () => {
		api()
			.post('/crm/v3/objects/invoices/batch/read', { inputs: [{ id: '512' }], properties: ['payment_status', 'hs_object_id'] })
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const found = await hubspot.find(tools().tools, 'invoices', 'hs_object_id', ['512'], ['payment_status']);

		expect(found.get('512')?.id).toBe('512');
	});

	it("throws HubSpot's documented error when the search is refused", async () => {
		api().post('/crm/v3/objects/invoices/search').reply(400, fixtureJson('crms/hubspot/error_spec.json'), JSON_TYPE);

		const error = await hubspot.find(tools().tools, 'invoices', 'hs_number', ['INV-0042'], []).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(CrmError);
		expect((error as CrmError).message).toBe('HubSpot: Invalid input (details will vary based on the error) (code VALIDATION_ERROR)');
	});

	it('updates invoices through the same batch update', async () => {
		api()
			.post('/crm/v3/objects/invoices/batch/update', { inputs: [{ id: '512', properties: { payment_status: 'Paid' } }] })
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		await expect(hubspot.update(tools().tools, 'invoices', [{ id: '512', properties: { payment_status: 'Paid' } }])).resolves.toEqual(['512']);
	});

	it('creates a draft invoice with its currency and reads the id of the created response', async () => {
		const properties = { hs_number: 'INV-0042', hs_currency: 'USD', payment_status: 'Paid' };
		api().post('/crm/v3/objects/invoices', { properties }).reply(201, fixtureJson('crms/hubspot/created_response_200.json'), JSON_TYPE);

		await expect(hubspot.create!(tools().tools, 'invoices', [{ properties }], 'hs_number')).resolves.toEqual(['512']);
	});

	it('refuses, without a request, an invoice without currency and any record with a given Record ID', async () => {
		const { tools: crm, sent } = tools();

		const [noCurrency] = await hubspot.create!(crm, 'invoices', [{ properties: { hs_number: 'INV-0042', payment_status: 'Paid' } }], 'hs_number');
		const [givenId] = await hubspot.create!(crm, 'contacts', [{ properties: { hs_object_id: '512', payment_status: 'Paid' } }], 'hs_object_id');

		expect((noCurrency as CrmError).message).toBe('HubSpot: a new invoice needs its currency: set the Currency Property to hs_currency');
		expect((givenId as CrmError).message).toBe(
			'HubSpot: a record cannot be created with a given Record ID; match by another property to create records',
		);
		expect(sent).toEqual([]);
	});
});

describe('HubSpot update', () => {
	it('sends one documented batch update and returns the id of each written record', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/update', {
				inputs: [{ id: '512', properties: { payment_status: 'Paid', payment_status_updated_at: '2026-11-20T10:00:00.000Z' } }],
			})
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const results = await hubspot.update(tools().tools, 'contacts', [
			{ id: '512', properties: { payment_status: 'Paid', payment_status_updated_at: '2026-11-20T10:00:00.000Z' } },
		]);

		expect(results).toEqual(['512']);
	});

	it('reports a record the answer does not list as not updated', async () => {
		api().post('/crm/v3/objects/contacts/batch/update').reply(207, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [written, missing] = await hubspot.update(tools().tools, 'contacts', [
			{ id: '512', properties: { payment_status: 'Paid' } },
			{ id: '987456', properties: { payment_status: 'Paid' } },
		]);

		expect(written).toBe('512');
		expect(missing).toBeInstanceOf(CrmError);
		expect((missing as CrmError).message).toBe('HubSpot: record 987456 was not updated');
	});

	it("fails every update of a refused batch with HubSpot's message", async () => {
		api().post('/crm/v3/objects/deals/batch/update').reply(400, fixtureJson('crms/hubspot/error_response.json'), JSON_TYPE);

		const results = await hubspot.update(tools().tools, 'deals', [
			{ id: '1', properties: { payment_status: 'Paid' } },
			{ id: '2', properties: { payment_status: 'Paid' } },
		]);

		expect(results).toHaveLength(2);
		for (const result of results) {
			expect(result).toBeInstanceOf(CrmError);
			expect((result as CrmError).message).toBe('HubSpot: This will be a human readable message with details about the error. (code VALIDATION_ERROR)');
		}
	});

	it('marks a 429 retryable with its Retry-After and a 5xx retryable', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/update')
			.reply(429, fixtureJson('crms/hubspot/error_response.json'), { ...JSON_TYPE, 'Retry-After': '10' });
		api().post('/crm/v3/objects/contacts/batch/update').reply(502, fixtureJson('crms/hubspot/error_response.json'), JSON_TYPE);

		const [limited] = await hubspot.update(tools().tools, 'contacts', [{ id: '512', properties: { payment_status: 'Paid' } }]);
		const [down] = await hubspot.update(tools().tools, 'contacts', [{ id: '512', properties: { payment_status: 'Paid' } }]);

		expect((limited as CrmError).details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 10_000 });
		expect((down as CrmError).details).toMatchObject({ retryable: true, status: 502 });
	});
});

describe('HubSpot create', () => {
	it('creates each record with a single documented create and returns its id', async () => {
		api()
			.post('/crm/v3/objects/contacts', { properties: { email: 'new@example.com', payment_status: 'Paid' } })
			.reply(201, fixtureJson('crms/hubspot/simple_public_object_200.json'), JSON_TYPE);

		await expect(hubspot.create!(tools().tools, 'contacts', [{ properties: { email: 'new@example.com', payment_status: 'Paid' } }])).resolves.toEqual([
			'512',
		]);
	});

	it('returns the documented error of a refused create, without the token in it', async () => {
		api().post('/crm/v3/objects/contacts').reply(400, fixtureJson('crms/hubspot/error_spec.json'), JSON_TYPE);

		const [result] = await hubspot.create!(tools().tools, 'contacts', [{ properties: { email: 'new@example.com' } }]);

		expect(result).toBeInstanceOf(CrmError);
		expect((result as CrmError).message).toContain('Invalid input');
		expect((result as CrmError).message).not.toContain(TOKEN);
		expect((result as CrmError).details).toMatchObject({ retryable: false, code: 'VALIDATION_ERROR', status: 400 });
	});
});

describe('HubSpot credential', () => {
	it('sends the private app token as a Bearer header and tests it with a documented read', () => {
		const credential = new PaymentEventsHubSpotApi();
		expect(credential.name).toBe(hubspot.credentialType);
		expect(credential.authenticate).toEqual({ type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } } });
		expect(credential.test.request).toMatchObject({ url: '/crm/v3/objects/contacts', qs: { limit: 1 } });
	});
});
