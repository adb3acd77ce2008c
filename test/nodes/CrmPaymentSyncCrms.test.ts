import nock from 'nock';
import type { ICredentialType, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PaymentEventsActiveCampaignApi } from '../../credentials/PaymentEventsActiveCampaignApi.credentials';
import { PaymentEventsDynamicsOAuth2Api } from '../../credentials/PaymentEventsDynamicsOAuth2Api.credentials';
import { PaymentEventsHubSpotApi } from '../../credentials/PaymentEventsHubSpotApi.credentials';
import { PaymentEventsIntercomApi } from '../../credentials/PaymentEventsIntercomApi.credentials';
import { PaymentEventsKlaviyoApi } from '../../credentials/PaymentEventsKlaviyoApi.credentials';
import { PaymentEventsMondayApi } from '../../credentials/PaymentEventsMondayApi.credentials';
import { PaymentEventsPipedriveApi } from '../../credentials/PaymentEventsPipedriveApi.credentials';
import { PaymentEventsSalesforceOAuth2Api } from '../../credentials/PaymentEventsSalesforceOAuth2Api.credentials';
import { PaymentEventsZohoCrmOAuth2Api } from '../../credentials/PaymentEventsZohoCrmOAuth2Api.credentials';
import { CrmPaymentSync } from '../../nodes/CrmPaymentSync/CrmPaymentSync.node';
import { crmById } from '../../nodes/crms/index';
import { normalizeManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureBytes, fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

// CRM Payment Sync end to end on every CRM (HubSpot's other cases are in CrmPaymentSync.test.ts): canonical events in, the CRM's
// documented find, update, create and error answers (test/fixtures/crms/<id>, see SOURCES.md there, as the adapters' unit tests
// use them) back. For "nothing matched" a case answers the CRM's documented empty answer, or its documented find answer emptied
// of records (derived, said per CRM); a $batch answer keeps only the documented parts for the rows sent.
const OCCURRED_AT = '2026-11-20T10:00:00.000Z';
const EARLIER = '2026-11-20T09:30:00.000Z';
const NEWER = '2026-11-20T12:00:00.000Z';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const JSON_API = { 'Content-Type': 'application/vnd.api+json' };

/** What the record holds before the run: its status and last payment event time, written into the documented find answer. */
interface Holding {
	status: string;
	lastEvent?: string;
}

interface Case {
	id: string;
	credential: ICredentialType;
	values: IDataObject;
	secret: string;
	object: string;
	matchField: string;
	statusProperty: string;
	lastEventProperty: string;
	matchValue: string;
	recordId: string;
	/** Intercepts the find requests, answering with the documented record holding `holding`. */
	find(holding: Holding): void;
	/** Intercepts the update requests; the properties each carried are pushed to `written`. */
	update(written: Array<Record<string, string>>): void;
	/** Intercepts a find that matches nothing. */
	findNothing(): void;
	/** Intercepts the create requests; the properties each carried are pushed to `written`. */
	create(written: Array<Record<string, string>>): void;
	/** The record id the documented create answer gives. */
	createdId: string;
	/** What the create sends besides the match field, status and event time (a name the CRM requires). */
	createdExtra?: Record<string, string>;
	/** Intercepts an update the CRM refuses with its documented error. */
	refuse(): void;
	/** The node's message for that refusal: the CRM's own. */
	refusal: string;
}

function capture<Body>(written: Array<Record<string, string>>, pick: (body: Body) => Record<string, string>) {
	return (body: Body) => {
		written.push(pick(body));
		return true;
	};
}

const HUBSPOT_TOKEN = 'pat-na1-crms-test-token-not-a-real-secret';
const SALESFORCE_TOKEN = '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog';
const DYNAMICS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.dataverse';
const DYNAMICS_CONTACT = '85716234-9628-ed11-9db1-000d3a320482';
const PIPEDRIVE_TOKEN = 'pd-test-token-not-a-real-secret';
// Pipedrive custom fields are written by their 40-character API key.
const PIPEDRIVE_STATUS = '5b436b45b63857305f9691910b6567351b5517bc';
const PIPEDRIVE_LAST_EVENT = 'a1f9d2c34b5e6f708192a3b4c5d6e7f809112233';
const ZOHO_TOKEN = '1000.test-token-not-a-real-secret';
const MONDAY_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.not-a-real-monday-token';
const MONDAY_BOARD = '1234567890';
const ACTIVECAMPAIGN_KEY = 'ac-test-key-not-a-real-secret';
const KLAVIYO_KEY = 'pk_test_not_a_real_secret_0123456789';
const KLAVIYO_PROFILE = '01GDDKASAP8TKDDA2GRZDSVP4H';
const INTERCOM_TOKEN = 'dG9rOnRlc3Q6bm90LWEtcmVhbC1zZWNyZXQ=';
const INTERCOM_CONTACT = '5ba682d23d7cf92bef87bfd4';

function dynamicsApi() {
	return nock('https://contoso.crm.dynamics.com', { reqheaders: { authorization: `Bearer ${DYNAMICS_TOKEN}`, 'odata-version': '4.0' } });
}

/** The requests of a Dataverse $batch body: each part's request line, headers (lowercase names) and JSON body. */
function batchRequests(body: string): Array<{ request: string; headers: Record<string, string>; body: Record<string, string> }> {
	const boundary = /^--(\S+)/.exec(body)?.[1];
	expect(boundary).toBeDefined();
	return body
		.split(`--${boundary}`)
		.slice(1)
		.filter((part) => !part.startsWith('--'))
		.map((part) => {
			// Each part: its MIME headers, a blank line, then the HTTP request (line, headers, blank line, body).
			const http = part.split(/\r\n\r\n/).slice(1);
			const [head, ...content] = http;
			const [request, ...lines] = head.split('\r\n');
			const headers = Object.fromEntries(
				lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
			);
			return { request, headers, body: JSON.parse(content.join('\r\n\r\n')) as Record<string, string> };
		});
}

/** Parts (by index) of a documented $batch answer, with the documented closing boundary, and its multipart Content-Type. */
function batchAnswer(file: string, keep: number[]): [string, Record<string, string>] {
	const answer = fixtureBytes(`crms/dynamics/${file}`).toString('utf8');
	const boundary = /^--(\S+)/.exec(answer)![1];
	const parts = answer.split(`--${boundary}`).slice(1, -1);
	const body = `${keep.map((index) => `--${boundary}${parts[index]}`).join('')}--${boundary}--\n`;
	return [body, { 'Content-Type': `multipart/mixed; boundary=${boundary}` }];
}

function hubspotApi() {
	return nock('https://api.hubapi.com', { reqheaders: { authorization: `Bearer ${HUBSPOT_TOKEN}` } });
}

const CASES: Case[] = [
	{
		id: 'hubspot',
		credential: new PaymentEventsHubSpotApi(),
		values: { accessToken: HUBSPOT_TOKEN },
		secret: HUBSPOT_TOKEN,
		object: 'contacts',
		matchField: 'email',
		statusProperty: 'payment_status',
		lastEventProperty: 'payment_status_updated_at',
		matchValue: 'jenny.rosen@example.com',
		recordId: '512',
		find(holding) {
			// The documented batch answer, its record holding the requested properties (HubSpot returns them in `properties`).
			const body = fixtureJson<{ results: Array<{ properties: IDataObject }> }>('crms/hubspot/batch_response_200.json');
			Object.assign(body.results[0].properties, {
				email: 'jenny.rosen@example.com',
				payment_status: holding.status,
				...(holding.lastEvent ? { payment_status_updated_at: holding.lastEvent } : {}),
			});
			hubspotApi()
				.post('/crm/v3/objects/contacts/batch/read', {
					idProperty: 'email',
					inputs: [{ id: 'jenny.rosen@example.com' }],
					properties: ['payment_status', 'payment_status_updated_at', 'email'],
				})
				.reply(200, body, JSON_TYPE);
		},
		update(written) {
			hubspotApi()
				.post(
					'/crm/v3/objects/contacts/batch/update',
					capture(written, (body: { inputs: Array<{ id: string; properties: Record<string, string> }> }) => {
						expect(body.inputs.map(({ id }) => id)).toEqual(['512']);
						return body.inputs[0].properties;
					}),
				)
				.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);
		},
		findNothing() {
			// The documented batch answer with no record.
			hubspotApi()
				.post('/crm/v3/objects/contacts/batch/read')
				.reply(200, { ...fixtureJson('crms/hubspot/batch_response_200.json'), results: [] }, JSON_TYPE);
		},
		create(written) {
			hubspotApi()
				.post('/crm/v3/objects/contacts', capture(written, (body: { properties: Record<string, string> }) => body.properties))
				.reply(201, fixtureJson('crms/hubspot/simple_public_object_200.json'), JSON_TYPE);
		},
		createdId: '512',
		refuse() {
			hubspotApi().post('/crm/v3/objects/contacts/batch/update').reply(400, fixtureJson('crms/hubspot/error_response.json'), JSON_TYPE);
		},
		refusal: 'HubSpot: This will be a human readable message with details about the error. (code VALIDATION_ERROR)',
	},
	{
		id: 'salesforce',
		credential: new PaymentEventsSalesforceOAuth2Api(),
		values: { environment: 'production', myDomain: 'mycompany', oauthTokenData: { access_token: SALESFORCE_TOKEN } },
		secret: SALESFORCE_TOKEN,
		// The documented query answer holds accounts by name (no contact email): matched by Name as the unit test does.
		object: 'Account',
		matchField: 'Name',
		statusProperty: 'Payment_Status__c',
		lastEventProperty: 'Payment_Status_Updated_At__c',
		matchValue: 'Test 1',
		recordId: '001D000000IRFmaIAH',
		find(holding) {
			const body = fixtureJson<{ records: IDataObject[] }>('crms/salesforce/query_accounts_200.json');
			Object.assign(body.records[0], { Payment_Status__c: holding.status, Payment_Status_Updated_At__c: holding.lastEvent ?? null });
			nock('https://mycompany.my.salesforce.com', { reqheaders: { authorization: `Bearer ${SALESFORCE_TOKEN}` } })
				.get('/services/data/v60.0/query')
				.query({ q: "SELECT Id, Name, Payment_Status__c, Payment_Status_Updated_At__c FROM Account WHERE Name IN ('Test 1')" })
				.reply(200, body, JSON_TYPE);
		},
		update(written) {
			const [saved] = fixtureJson<IDataObject[]>('crms/salesforce/collections_update_partial_200.json');
			nock('https://mycompany.my.salesforce.com', { reqheaders: { authorization: `Bearer ${SALESFORCE_TOKEN}` } })
				.patch(
					'/services/data/v60.0/composite/sobjects',
					capture(written, (body: { allOrNone: boolean; records: IDataObject[] }) => {
						expect(body.allOrNone).toBe(false);
						const { attributes, id, ...fields } = body.records[0];
						expect([attributes, id]).toEqual([{ type: 'Account' }, '001D000000IRFmaIAH']);
						return fields as Record<string, string>;
					}),
				)
				.reply(200, [{ ...saved, id: '001D000000IRFmaIAH' }], JSON_TYPE);
		},
		findNothing() {
			// The documented query answer with no record.
			nock('https://mycompany.my.salesforce.com', { reqheaders: { authorization: `Bearer ${SALESFORCE_TOKEN}` } })
				.get('/services/data/v60.0/query')
				.query(true)
				.reply(200, { ...fixtureJson('crms/salesforce/query_accounts_200.json'), totalSize: 0, records: [] }, JSON_TYPE);
		},
		create(written) {
			// Name is no external ID field: the record is created (sObject Collections create), answered by the documented
			// result for the first record, the one sent.
			const [created] = fixtureJson<IDataObject[]>('crms/salesforce/collections_create_200.json');
			nock('https://mycompany.my.salesforce.com', { reqheaders: { authorization: `Bearer ${SALESFORCE_TOKEN}` } })
				.post(
					'/services/data/v60.0/composite/sobjects',
					capture(written, (body: { allOrNone: boolean; records: IDataObject[] }) => {
						expect(body.allOrNone).toBe(false);
						expect(body.records).toHaveLength(1);
						const { attributes, ...fields } = body.records[0];
						expect(attributes).toEqual({ type: 'Account' });
						return fields as Record<string, string>;
					}),
				)
				.reply(200, [created], JSON_TYPE);
		},
		createdId: '001RM000003oLnnYAE',
		refuse() {
			// The refused item of the documented partial answer, for the one record sent.
			const [, refused] = fixtureJson<IDataObject[]>('crms/salesforce/collections_update_partial_200.json');
			nock('https://mycompany.my.salesforce.com', { reqheaders: { authorization: `Bearer ${SALESFORCE_TOKEN}` } })
				.patch('/services/data/v60.0/composite/sobjects')
				.reply(200, [refused], JSON_TYPE);
		},
		refusal: 'Salesforce: Account 001D000000IRFmaIAH: Contact ID: id value of incorrect type: 001xx000003DGb2999 (code MALFORMED_ID)',
	},
	{
		id: 'dynamics',
		credential: new PaymentEventsDynamicsOAuth2Api(),
		values: { organizationHost: 'contoso.crm.dynamics.com', oauthTokenData: { access_token: DYNAMICS_TOKEN } },
		secret: DYNAMICS_TOKEN,
		// The documented contacts answer carries no emailaddress1: matched by contact ID as the unit test does.
		object: 'contacts',
		matchField: 'contactid',
		statusProperty: 'new_paymentstatus',
		lastEventProperty: 'new_paymentstatusupdatedon',
		matchValue: DYNAMICS_CONTACT,
		recordId: DYNAMICS_CONTACT,
		find(holding) {
			const body = fixtureJson<{ value: IDataObject[] }>('crms/dynamics/contacts_query_200.json');
			body.value = [{ ...body.value[0], new_paymentstatus: holding.status, new_paymentstatusupdatedon: holding.lastEvent ?? null }];
			nock('https://contoso.crm.dynamics.com', { reqheaders: { authorization: `Bearer ${DYNAMICS_TOKEN}`, 'odata-version': '4.0' } })
				.get('/api/data/v9.2/contacts')
				.query({
					$select: 'contactid,new_paymentstatus,new_paymentstatusupdatedon',
					$filter: `contactid eq ${DYNAMICS_CONTACT}`,
				})
				.reply(200, body, JSON_TYPE);
		},
		update(written) {
			// One $batch: the basic update (If-Match: * so a deleted row is not recreated), answered by a 204 part.
			dynamicsApi()
				.post(
					'/api/data/v9.2/$batch',
					capture(written, (body: string) => {
						const [part, ...more] = batchRequests(body);
						expect(more).toEqual([]);
						expect(part.request).toBe(`PATCH /api/data/v9.2/contacts(${DYNAMICS_CONTACT}) HTTP/1.1`);
						expect(part.headers['if-match']).toBe('*');
						return part.body;
					}),
				)
				.reply(200, ...batchAnswer('batch_response_200.txt', [0]));
		},
		findNothing() {
			// The documented query answer with no row.
			dynamicsApi()
				.get('/api/data/v9.2/contacts')
				.query(true)
				.reply(200, { ...fixtureJson('crms/dynamics/contacts_query_200.json'), value: [] }, JSON_TYPE);
		},
		create(written) {
			// Matched by the primary key: no upsert by an alternate key, a POST in a $batch answered by a 204 part naming the new row.
			dynamicsApi()
				.post(
					'/api/data/v9.2/$batch',
					capture(written, (body: string) => {
						const [part, ...more] = batchRequests(body);
						expect(more).toEqual([]);
						expect(part.request).toBe('POST /api/data/v9.2/contacts HTTP/1.1');
						return part.body;
					}),
				)
				.reply(200, ...batchAnswer('batch_response_200.txt', [0]));
		},
		createdId: 'd31ba648-c592-ed11-aad1-000d3a993550',
		refuse() {
			// The refused part of the documented continue-on-error answer, for the one row sent.
			dynamicsApi()
				.post('/api/data/v9.2/$batch')
				.reply(200, ...batchAnswer('batch_continue_on_error_response_200.txt', [0]));
		},
		refusal:
			"Dynamics 365: A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'. (code 0x80044331)",
	},
	{
		id: 'pipedrive',
		credential: new PaymentEventsPipedriveApi(),
		values: { apiToken: PIPEDRIVE_TOKEN },
		secret: PIPEDRIVE_TOKEN,
		object: 'persons',
		matchField: 'email',
		statusProperty: PIPEDRIVE_STATUS,
		lastEventProperty: PIPEDRIVE_LAST_EVENT,
		matchValue: 'jane@pipedrive.com',
		recordId: '1',
		find(holding) {
			const person = fixtureJson<{ data: IDataObject }>('crms/pipedrive/get_person_200.json');
			Object.assign(person.data, { [PIPEDRIVE_STATUS]: holding.status, [PIPEDRIVE_LAST_EVENT]: holding.lastEvent ?? null });
			nock('https://api.pipedrive.com', { reqheaders: { 'x-api-token': PIPEDRIVE_TOKEN } })
				.get('/v1/persons/search')
				.query({ term: 'jane@pipedrive.com', fields: 'email', exact_match: 'true' })
				.reply(200, fixtureJson('crms/pipedrive/search_persons_200.json'), JSON_TYPE)
				.get('/v1/persons/1')
				.reply(200, person, JSON_TYPE);
		},
		update(written) {
			nock('https://api.pipedrive.com', { reqheaders: { 'x-api-token': PIPEDRIVE_TOKEN } })
				.put('/v1/persons/1', capture(written, (body: Record<string, string>) => body))
				.reply(200, fixtureJson('crms/pipedrive/get_person_200.json'), JSON_TYPE);
		},
		findNothing() {
			// The documented search answer with no item.
			const body = fixtureJson<IDataObject>('crms/pipedrive/search_persons_200.json');
			nock('https://api.pipedrive.com', { reqheaders: { 'x-api-token': PIPEDRIVE_TOKEN } })
				.get('/v1/persons/search')
				.query({ term: 'jane@pipedrive.com', fields: 'email', exact_match: 'true' })
				.reply(200, { ...body, data: { items: [] } }, JSON_TYPE);
		},
		create(written) {
			// "Add a person" answers the person object of "Get details of a person".
			nock('https://api.pipedrive.com', { reqheaders: { 'x-api-token': PIPEDRIVE_TOKEN } })
				.post('/v1/persons', capture(written, (body: Record<string, string>) => body))
				.reply(201, fixtureJson('crms/pipedrive/get_person_200.json'), JSON_TYPE);
		},
		createdId: '1',
		// A person needs a name: one known only by email is named by it.
		createdExtra: { name: 'jane@pipedrive.com' },
		refuse() {
			nock('https://api.pipedrive.com', { reqheaders: { 'x-api-token': PIPEDRIVE_TOKEN } })
				.put('/v1/persons/1')
				.reply(400, fixtureJson('crms/pipedrive/error_400.json'), JSON_TYPE);
		},
		refusal: 'Pipedrive: Bad request',
	},
	{
		id: 'zohocrm',
		credential: new PaymentEventsZohoCrmOAuth2Api(),
		values: { environment: 'eu', oauthTokenData: { access_token: ZOHO_TOKEN } },
		secret: ZOHO_TOKEN,
		object: 'Leads',
		matchField: 'Email',
		statusProperty: 'Payment_Status',
		lastEventProperty: 'Payment_Status_Updated_At',
		matchValue: 'lead@zylker.com',
		recordId: '5843104000000624035',
		find(holding) {
			const body = fixtureJson<{ data: IDataObject[] }>('crms/zohocrm/search_records_200.json');
			Object.assign(body.data[0], { Payment_Status: holding.status, Payment_Status_Updated_At: holding.lastEvent ?? null });
			nock('https://www.zohoapis.eu', { reqheaders: { authorization: `Bearer ${ZOHO_TOKEN}` } })
				.get('/crm/v8/Leads/search')
				.query({ criteria: '(Email:in:lead@zylker.com)', fields: 'Email,Payment_Status,Payment_Status_Updated_At', per_page: '200' })
				.reply(200, body, JSON_TYPE);
		},
		update(written) {
			const result = fixtureJson<{ data: IDataObject[] }>('crms/zohocrm/update_records_207.json');
			nock('https://www.zohoapis.eu', { reqheaders: { authorization: `Bearer ${ZOHO_TOKEN}` } })
				.put(
					'/crm/v8/Leads',
					capture(written, (body: { data: Array<Record<string, string>> }) => {
						expect(body.data).toHaveLength(1);
						const { id, ...fields } = body.data[0];
						expect(id).toBe('5843104000000624035');
						return fields;
					}),
				)
				// The documented per-record success result, for the one record sent.
				.reply(200, { data: [{ ...result.data[0], details: { ...(result.data[0].details as IDataObject), id: '5843104000000624035' } }] }, JSON_TYPE);
		},
		findNothing() {
			// The search answers 204 with no body when nothing matches.
			nock('https://www.zohoapis.eu', { reqheaders: { authorization: `Bearer ${ZOHO_TOKEN}` } })
				.get('/crm/v8/Leads/search')
				.query(true)
				.reply(204);
		},
		create(written) {
			nock('https://www.zohoapis.eu', { reqheaders: { authorization: `Bearer ${ZOHO_TOKEN}` } })
				.post(
					'/crm/v8/Leads',
					capture(written, (body: { data: Array<Record<string, string>> }) => {
						expect(body.data).toHaveLength(1);
						return body.data[0];
					}),
				)
				.reply(201, fixtureJson('crms/zohocrm/create_records_201.json'), JSON_TYPE);
		},
		createdId: '5725767000000524157',
		refuse() {
			nock('https://www.zohoapis.eu', { reqheaders: { authorization: `Bearer ${ZOHO_TOKEN}` } })
				.put('/crm/v8/Leads')
				.reply(403, fixtureJson('crms/zohocrm/error_403.json'), JSON_TYPE);
		},
		refusal: 'Zoho CRM: Permission denied (code NO_PERMISSION)',
	},
	{
		id: 'monday',
		credential: new PaymentEventsMondayApi(),
		values: { apiToken: MONDAY_TOKEN, boardId: MONDAY_BOARD },
		secret: MONDAY_TOKEN,
		// The documented items page holds items by name and status: matched by item name as the unit test does.
		object: 'board',
		matchField: 'name',
		statusProperty: 'status',
		lastEventProperty: 'last_payment_event',
		matchValue: 'First Item',
		recordId: 'item1',
		find(holding) {
			const page = fixtureJson<{ boards: Array<{ items_page: { items: Array<{ column_values: IDataObject[] }> } }> }>(
				'crms/monday/items_page_data.json',
			).boards[0].items_page;
			const item = page.items[0];
			item.column_values = [
				...item.column_values.map((column) => (column.id === 'status' ? { ...column, text: holding.status } : column)),
				...(holding.lastEvent ? [{ id: 'last_payment_event', type: 'date', text: holding.lastEvent }] : []),
			];
			nock('https://api.monday.com', { reqheaders: { authorization: MONDAY_TOKEN } })
				.post('/v2', (body: { query: string; variables: IDataObject }) => {
					expect(body.query).toContain('items_page_by_column_values');
					expect(body.variables).toEqual({
						board: MONDAY_BOARD,
						columns: [{ column_id: 'name', column_values: ['First Item'] }],
						ids: ['status', 'last_payment_event'],
						limit: 500,
					});
					return true;
				})
				.reply(200, { data: { items_page_by_column_values: page } }, JSON_TYPE);
		},
		update(written) {
			const changed = fixtureJson<{ change_multiple_column_values: unknown }>('crms/monday/change_multiple_column_values_data.json');
			nock('https://api.monday.com', { reqheaders: { authorization: MONDAY_TOKEN } })
				.post(
					'/v2',
					capture(written, (body: { query: string; variables: IDataObject }) => {
						expect(body.query).toContain('m0: change_multiple_column_values(board_id: $board, item_id: $item0, column_values: $values0');
						expect(body.variables).toMatchObject({ board: MONDAY_BOARD, item0: 'item1' });
						return JSON.parse(body.variables.values0 as string) as Record<string, string>;
					}),
				)
				.reply(200, { data: { m0: changed.change_multiple_column_values } }, JSON_TYPE);
		},
		findNothing() {
			// The documented ItemsResponse with nothing in it.
			nock('https://api.monday.com', { reqheaders: { authorization: MONDAY_TOKEN } })
				.post('/v2')
				.reply(200, { data: { items_page_by_column_values: { cursor: null, items: [] } } }, JSON_TYPE);
		},
		create(written) {
			const { create_item: created } = fixtureJson<{ create_item: IDataObject }>('crms/monday/create_item_data.json');
			nock('https://api.monday.com', { reqheaders: { authorization: MONDAY_TOKEN } })
				.post(
					'/v2',
					capture(written, (body: { query: string; variables: IDataObject }) => {
						expect(body.query).toContain('m0: create_item(board_id: $board, item_name: $name0, column_values: $values0');
						expect(body.variables.board).toBe(MONDAY_BOARD);
						return { name: body.variables.name0 as string, ...(JSON.parse(body.variables.values0 as string) as Record<string, string>) };
					}),
				)
				.reply(200, { data: { m0: created } }, JSON_TYPE);
		},
		createdId: '123456789',
		refuse() {
			// The documented column value error, named by the alias of the refused mutation; the mutation's field is null.
			const error = fixtureJson<IDataObject>('crms/monday/error_column_value_exception.json');
			nock('https://api.monday.com', { reqheaders: { authorization: MONDAY_TOKEN } })
				.post('/v2')
				.reply(200, { data: { m0: null }, errors: [{ ...error, path: ['m0'] }] }, JSON_TYPE);
		},
		refusal:
			'Monday.com: invalid value - label does not exist in column. Please check our API documentation for the correct data structure for this column. https://developer.monday.com/api-reference/docs/change-column-values (code ColumnValueException)',
	},
	{
		id: 'activecampaign',
		credential: new PaymentEventsActiveCampaignApi(),
		values: { account: 'example-account', apiKey: ACTIVECAMPAIGN_KEY },
		secret: ACTIVECAMPAIGN_KEY,
		// Contact custom fields are written by their numeric field ID.
		object: 'contacts',
		matchField: 'email',
		statusProperty: '3',
		lastEventProperty: '7',
		matchValue: 'janedoe@example.com',
		recordId: '68',
		find(holding) {
			// The contact's field values, in the documented fieldValue shape (the sync answer's list), for contact 68.
			const { fieldValues } = fixtureJson<{ fieldValues: IDataObject[] }>('crms/activecampaign/sync_contact_201.json');
			const values = [
				{ ...fieldValues.find(({ field }) => field === '3'), contact: '68', value: holding.status },
				...(holding.lastEvent ? [{ ...fieldValues[0], contact: '68', field: '7', value: holding.lastEvent }] : []),
			];
			nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } })
				.get('/api/3/contacts')
				.query({ email: 'janedoe@example.com' })
				.reply(200, fixtureJson('crms/activecampaign/list_contacts_200.json'), JSON_TYPE)
				.get('/api/3/contacts/68/fieldValues')
				.reply(200, { fieldValues: values }, JSON_TYPE);
		},
		update(written) {
			const fields: Record<string, string> = {};
			written.push(fields);
			nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } })
				.post('/api/3/fieldValues', (body: { fieldValue: { contact: string; field: string; value: string } }) => {
					expect(body.fieldValue.contact).toBe('68');
					fields[body.fieldValue.field] = body.fieldValue.value;
					return true;
				})
				.times(2)
				.reply(200, fixtureJson('crms/activecampaign/create_fieldvalue_200.json'), JSON_TYPE);
		},
		findNothing() {
			// The documented contact list without the contact.
			const body = fixtureJson<{ contacts: IDataObject[] }>('crms/activecampaign/list_contacts_200.json');
			nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } })
				.get('/api/3/contacts')
				.query({ email: 'janedoe@example.com' })
				.reply(200, { ...body, contacts: body.contacts.filter(({ email }) => email !== 'janedoe@example.com') }, JSON_TYPE);
		},
		create(written) {
			nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } })
				.post(
					'/api/3/contact/sync',
					capture(written, (body: { contact: { fieldValues?: Array<{ field: string; value: string }> } & Record<string, unknown> }) => {
						const { fieldValues = [], ...contact } = body.contact;
						return { ...(contact as Record<string, string>), ...Object.fromEntries(fieldValues.map(({ field, value }) => [field, value])) };
					}),
				)
				.reply(201, fixtureJson('crms/activecampaign/sync_contact_201.json'), JSON_TYPE);
		},
		createdId: '10',
		refuse() {
			nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } })
				.post('/api/3/fieldValues')
				.reply(403, fixtureJson('crms/activecampaign/error_403.json'), JSON_TYPE);
		},
		refusal: 'ActiveCampaign: Forbidden',
	},
	{
		id: 'klaviyo',
		credential: new PaymentEventsKlaviyoApi(),
		values: { apiKey: KLAVIYO_KEY },
		secret: KLAVIYO_KEY,
		object: 'profiles',
		matchField: 'email',
		statusProperty: 'payment_status',
		lastEventProperty: 'payment_status_updated_at',
		matchValue: 'sarah.mason@klaviyo-demo.com',
		recordId: KLAVIYO_PROFILE,
		find(holding) {
			const body = fixtureJson<{ data: Array<{ attributes: { properties: IDataObject } }> }>('crms/klaviyo/get_profiles_200.json');
			const { attributes } = body.data[0];
			attributes.properties = {
				...attributes.properties,
				payment_status: holding.status,
				...(holding.lastEvent ? { payment_status_updated_at: holding.lastEvent } : {}),
			};
			nock('https://a.klaviyo.com', { reqheaders: { authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`, revision: '2026-07-15' } })
				.get('/api/profiles/')
				.query({ filter: 'equals(email,"sarah.mason@klaviyo-demo.com")', 'page[size]': '100' })
				.reply(200, body, JSON_API);
		},
		update(written) {
			nock('https://a.klaviyo.com', { reqheaders: { authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`, revision: '2026-07-15' } })
				.patch(
					`/api/profiles/${KLAVIYO_PROFILE}/`,
					capture(written, (body: { data: { id: string; attributes: { properties: Record<string, string> } } }) => {
						expect(body.data.id).toBe(KLAVIYO_PROFILE);
						return body.data.attributes.properties;
					}),
				)
				.reply(200, fixtureJson('crms/klaviyo/profile_200.json'), JSON_API)
				// The Payment Received event the adapter records after the profile (Create Event answers 202 with no body).
				.post('/api/events/')
				.reply(202, '');
		},
		findNothing() {
			// The documented collection with no profile.
			const body = fixtureJson<IDataObject>('crms/klaviyo/get_profiles_200.json');
			nock('https://a.klaviyo.com', { reqheaders: { authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`, revision: '2026-07-15' } })
				.get('/api/profiles/')
				.query(true)
				.reply(200, { ...body, data: [] }, JSON_API);
		},
		create(written) {
			nock('https://a.klaviyo.com', { reqheaders: { authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`, revision: '2026-07-15' } })
				.post(
					'/api/profiles/',
					capture(written, (body: { data: { attributes: { properties: Record<string, string> } & Record<string, unknown> } }) => {
						const { properties, ...attributes } = body.data.attributes;
						return { ...(attributes as Record<string, string>), ...properties };
					}),
				)
				.reply(201, fixtureJson('crms/klaviyo/profile_200.json'), JSON_API)
				// The Payment Received event recorded on the new profile (Create Event answers 202 with no body).
				.post('/api/events/')
				.reply(202, '');
		},
		createdId: KLAVIYO_PROFILE,
		refuse() {
			nock('https://a.klaviyo.com', { reqheaders: { authorization: `Klaviyo-API-Key ${KLAVIYO_KEY}`, revision: '2026-07-15' } })
				.patch(`/api/profiles/${KLAVIYO_PROFILE}/`)
				.reply(400, fixtureJson('crms/klaviyo/error_400.json'), JSON_API);
		},
		refusal: 'Klaviyo: The payload provided in the request is invalid. (code invalid)',
	},
	{
		id: 'intercom',
		credential: new PaymentEventsIntercomApi(),
		values: { accessToken: INTERCOM_TOKEN },
		secret: INTERCOM_TOKEN,
		object: 'contacts',
		matchField: 'email',
		statusProperty: 'payment_status',
		lastEventProperty: 'payment_status_updated_at',
		matchValue: 'joe@example.com',
		recordId: INTERCOM_CONTACT,
		find(holding) {
			const body = fixtureJson<{ data: Array<{ custom_attributes: IDataObject }> }>('crms/intercom/search_contacts_200.json');
			body.data[0].custom_attributes = {
				...body.data[0].custom_attributes,
				payment_status: holding.status,
				...(holding.lastEvent ? { payment_status_updated_at: holding.lastEvent } : {}),
			};
			nock('https://api.intercom.io', { reqheaders: { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': '2.14' } })
				.post('/contacts/search', { query: { field: 'email', operator: '=', value: 'joe@example.com' }, pagination: { per_page: 150 } })
				.reply(200, body, JSON_TYPE);
		},
		update(written) {
			nock('https://api.intercom.io', { reqheaders: { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': '2.14' } })
				.put(`/contacts/${INTERCOM_CONTACT}`, capture(written, (body: { custom_attributes: Record<string, string> }) => body.custom_attributes))
				.reply(200, fixtureJson('crms/intercom/update_contact_200.json'), JSON_TYPE)
				// The payment-received data event the adapter records after the contact (Submit a data event answers 202).
				.post('/events')
				.reply(202, '');
		},
		findNothing() {
			nock('https://api.intercom.io', { reqheaders: { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': '2.14' } })
				.post('/contacts/search')
				.reply(200, fixtureJson('crms/intercom/contact_list_empty_200.json'), JSON_TYPE);
		},
		create(written) {
			nock('https://api.intercom.io', { reqheaders: { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': '2.14' } })
				.post(
					'/contacts',
					capture(written, (body: { custom_attributes?: Record<string, string> } & Record<string, unknown>) => {
						const { custom_attributes: custom = {}, ...top } = body;
						return { ...(top as Record<string, string>), ...custom };
					}),
				)
				.reply(200, fixtureJson('crms/intercom/create_contact_200.json'), JSON_TYPE)
				// The payment-received data event on the new contact (Submit a data event answers 202).
				.post('/events')
				.reply(202, '');
		},
		createdId: '6762f0dd1bb69f9f2193bb83',
		refuse() {
			nock('https://api.intercom.io', { reqheaders: { authorization: `Bearer ${INTERCOM_TOKEN}`, 'intercom-version': '2.14' } })
				.put(`/contacts/${INTERCOM_CONTACT}`)
				.reply(401, fixtureJson('crms/intercom/error_unauthorized_401.json'), JSON_TYPE);
		},
		refusal: 'Intercom: Access Token Invalid (code unauthorized)',
	},
];

function event(status: 'succeeded' | 'pending', email: string, occurredAt = OCCURRED_AT, more: IDataObject = {}): IDataObject {
	return normalizeManualEntry(
		{
			amount: '49.90',
			amountFormat: 'decimal',
			currency: 'USD',
			status,
			kind: 'payment',
			reference: 'INV-0042',
			entryId: `${status}-${occurredAt}`,
			occurredAt,
			customer: { name: 'Jenny Rosen', email },
			invoice: { number: 'INV-0042', url: 'https://pay.example.com/i/INV-0042' },
			...more,
		},
		new Date('2026-11-21T00:00:00Z'),
	) as unknown as IDataObject;
}

async function run(
	crm: Case,
	items: IDataObject | IDataObject[],
	{ parameters = {}, continueOnFail = false }: { parameters?: IDataObject; continueOnFail?: boolean } = {},
): Promise<INodeExecutionData[][]> {
	const credentialType = crmById(crm.id)!.credentialType;
	return await executeNode(CrmPaymentSync, {
		items: Array.isArray(items) ? items : [items],
		parameters: {
			crm: crm.id,
			[`${crm.id}_object`]: crm.object,
			[`${crm.id}_matchField`]: crm.matchField,
			[`${crm.id}_statusProperty`]: crm.statusProperty,
			[`${crm.id}_lastEventProperty`]: crm.lastEventProperty,
			matchValue: (payment: IDataObject) => (payment.customer as IDataObject).email,
			create: false,
			statusValues: { mapping: [{ status: 'Paid', value: 'Closed Won' }] },
			properties: {},
			...parameters,
		},
		credentials: { [credentialType]: { credential: crm.credential, values: crm.values } },
		continueOnFail,
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	// Cleaned before the check, so one test's leftover interceptors never answer the next test's requests.
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe.each(CASES)('CRM Payment Sync on $id', (crm) => {
	it('writes the mapped status and the event time onto the found record, and audits the change', async () => {
		const written: Array<Record<string, string>> = [];
		crm.find({ status: 'Pending', lastEvent: '2026-11-19T09:00:00.000Z' });
		crm.update(written);
		const paid = event('succeeded', crm.matchValue);

		const [records, audit] = await run(crm, paid);

		expect(written).toEqual([{ [crm.statusProperty]: 'Closed Won', [crm.lastEventProperty]: OCCURRED_AT }]);
		const expected = {
			time: expect.any(String),
			eventId: paid.id,
			crm: crm.id,
			object: crm.object,
			recordId: crm.recordId,
			statusBefore: 'Pending',
			statusAfter: 'Closed Won',
			decision: 'applied',
		};
		expect(records).toEqual([{ json: expected, pairedItem: { item: 0 } }]);
		expect(audit).toEqual([{ json: expected, pairedItem: { item: 0 } }]);
		expect(JSON.stringify([records, audit])).not.toContain(crm.secret);
	});

	it('skips an event older than the one the record holds, sending no update', async () => {
		// Only the find is intercepted: any other request is recorded here (and would fail the run on the disabled network).
		const unexpected: string[] = [];
		const record = (request: { method?: string; path?: string }) => unexpected.push(`${request.method} ${request.path}`);
		nock.emitter.on('no match', record);
		crm.find({ status: 'Closed Won', lastEvent: NEWER });

		const [records, audit] = await run(crm, event('pending', crm.matchValue)).finally(() => nock.emitter.removeListener('no match', record));

		expect(unexpected).toEqual([]);

		expect(records[0].json).toMatchObject({ decision: 'stale-skipped', recordId: crm.recordId, statusBefore: 'Closed Won', statusAfter: 'Closed Won' });
		expect(audit).toHaveLength(1);
		expect(JSON.stringify([records, audit])).not.toContain(crm.secret);
	});
	it('creates the record with the match field, status and event time when nothing matches and creating is allowed', async () => {
		const written: Array<Record<string, string>> = [];
		crm.findNothing();
		crm.create(written);
		const paid = event('succeeded', crm.matchValue);

		const [records, audit] = await run(crm, paid, { parameters: { create: true } });

		expect(written).toEqual([
			{ [crm.matchField]: crm.matchValue, [crm.statusProperty]: 'Closed Won', [crm.lastEventProperty]: OCCURRED_AT, ...crm.createdExtra },
		]);
		const expected = {
			time: expect.any(String),
			eventId: paid.id,
			crm: crm.id,
			object: crm.object,
			recordId: crm.createdId,
			statusBefore: undefined,
			statusAfter: 'Closed Won',
			decision: 'created',
		};
		expect(records).toEqual([{ json: expected, pairedItem: { item: 0 } }]);
		expect(audit).toEqual([{ json: expected, pairedItem: { item: 0 } }]);
		expect(JSON.stringify([records, audit])).not.toContain(crm.secret);
	});

	it("audits a refused write as failed with the CRM's message; continueOnFail keeps the batch, otherwise the run fails", async () => {
		const holding = { status: 'Pending', lastEvent: '2026-11-19T09:00:00.000Z' };
		const pending = event('pending', crm.matchValue, EARLIER);
		const paid = event('succeeded', crm.matchValue);
		crm.find(holding);
		crm.refuse();

		const [records, audit] = await run(crm, [pending, paid], { continueOnFail: true });

		const failed = {
			time: expect.any(String),
			eventId: paid.id,
			crm: crm.id,
			object: crm.object,
			recordId: crm.recordId,
			statusBefore: 'Pending',
			statusAfter: 'Pending',
			decision: 'failed',
			error: crm.refusal,
		};
		expect(records.map(({ json }) => json.decision)).toEqual(['stale-skipped', 'failed']);
		expect(records[1]).toEqual({ json: { ...failed, errorType: 'CrmError' }, pairedItem: { item: 1 } });
		expect(audit.map(({ json }) => json.decision)).toEqual(['stale-skipped', 'failed']);
		expect(audit[1]).toEqual({ json: failed, pairedItem: { item: 1 } });
		expect(JSON.stringify([records, audit])).not.toContain(crm.secret);

		crm.find(holding);
		crm.refuse();
		const error = await run(crm, [pending, paid]).catch((e: unknown) => e as Error);
		expect(error).toBeInstanceOf(Error);
		expect([(error as Error).name, (error as Error).message]).toEqual(['NodeApiError', crm.refusal]);
	});
});

describe('CRM Payment Sync on HubSpot invoices (matched by invoice number)', () => {
	const hubspot = CASES.find(({ id }) => id === 'hubspot')!;
	const INVOICES: IDataObject = {
		hubspot_object: 'invoices',
		hubspot_matchField: 'hs_number',
		matchValue: (payment: IDataObject) => (payment.invoice as IDataObject).number,
	};
	const search = (results: (body: { results: Array<{ properties: IDataObject }> }) => IDataObject) =>
		hubspotApi()
			.post('/crm/v3/objects/invoices/search', {
				filterGroups: [{ filters: [{ propertyName: 'hs_number', operator: 'IN', values: ['inv-0042'] }] }],
				properties: ['payment_status', 'payment_status_updated_at', 'hs_number'],
				limit: 100,
			})
			.reply(200, results(fixtureJson('crms/hubspot/search_response_200.json')), JSON_TYPE);

	it('finds the invoice by number through the search API and writes its payment status', async () => {
		// The documented search answer, its first record holding the invoice's number and the node's properties.
		search((body) => {
			Object.assign(body.results[0].properties, {
				hs_number: 'INV-0042',
				payment_status: 'Pending',
				payment_status_updated_at: '2026-11-19T09:00:00.000Z',
			});
			return { ...body, total: 1, results: [body.results[0]] };
		});
		const written: Array<Record<string, string>> = [];
		const template = fixtureJson<{ results: IDataObject[] }>('crms/hubspot/batch_response_200.json');
		hubspotApi()
			.post(
				'/crm/v3/objects/invoices/batch/update',
				capture(written, (body: { inputs: Array<{ id: string; properties: Record<string, string> }> }) => {
					expect(body.inputs.map(({ id }) => id)).toEqual(['100451']);
					return body.inputs[0].properties;
				}),
			)
			// The documented batch answer, for the record sent.
			.reply(200, { ...template, results: [{ ...template.results[0], id: '100451' }] }, JSON_TYPE);

		const [records] = await run(hubspot, event('succeeded', hubspot.matchValue), { parameters: INVOICES });

		expect(written).toEqual([{ payment_status: 'Closed Won', payment_status_updated_at: OCCURRED_AT }]);
		expect(records[0].json).toMatchObject({
			object: 'invoices',
			recordId: '100451',
			statusBefore: 'Pending',
			statusAfter: 'Closed Won',
			decision: 'applied',
		});
	});

	it('creates a draft invoice with its currency when no invoice has the number', async () => {
		search((body) => ({ ...body, total: 0, results: [] }));
		hubspotApi()
			.post('/crm/v3/objects/invoices', {
				properties: { hs_number: 'INV-0042', payment_status: 'Closed Won', payment_status_updated_at: OCCURRED_AT, hs_currency: 'USD' },
			})
			.reply(201, fixtureJson('crms/hubspot/created_response_200.json'), JSON_TYPE);

		const [records] = await run(hubspot, event('succeeded', hubspot.matchValue), {
			parameters: { ...INVOICES, create: true, properties: { currency: 'hs_currency' } },
		});

		expect(records[0].json).toMatchObject({ object: 'invoices', recordId: '512', statusAfter: 'Closed Won', decision: 'created' });
	});

	it('fails an invoice it cannot create without a currency clearly, sending no create', async () => {
		search((body) => ({ ...body, total: 0, results: [] }));

		const [records, audit] = await run(hubspot, event('succeeded', hubspot.matchValue), {
			parameters: { ...INVOICES, create: true },
			continueOnFail: true,
		});

		const error = 'HubSpot: a new invoice needs its currency: set the Currency Property to hs_currency';
		expect(records[0].json).toMatchObject({ decision: 'failed', errorType: 'CrmError', error, recordId: undefined });
		expect(audit[0].json).toMatchObject({ decision: 'failed', error });
	});
});

describe('CRM Payment Sync on ActiveCampaign tags (status property "tags")', () => {
	const activecampaign = CASES.find(({ id }) => id === 'activecampaign')!;
	const TAGS: IDataObject = { activecampaign_statusProperty: 'tags' };
	const api = () => nock('https://example-account.api-us1.com', { reqheaders: { 'api-token': ACTIVECAMPAIGN_KEY } });
	const CONTACTS = [
		['68', 'janedoe@example.com'],
		['73', 'aaronallen@example.com'],
	];

	/** Finds each listed contact, its last-event field (7) holding `lastEvent`, in the documented fieldValue shape. */
	function find(contacts: string[][], lastEvent: string) {
		const { fieldValues } = fixtureJson<{ fieldValues: IDataObject[] }>('crms/activecampaign/sync_contact_201.json');
		for (const [id, email] of contacts) {
			api().get('/api/3/contacts').query({ email }).reply(200, fixtureJson('crms/activecampaign/list_contacts_200.json'), JSON_TYPE);
			api()
				.get(`/api/3/contacts/${id}/fieldValues`)
				.reply(200, { fieldValues: [{ ...fieldValues[0], contact: id, field: '7', value: lastEvent }] }, JSON_TYPE);
		}
	}

	it('tags each contact with the mapped status, looking the tag up and creating it once a run, then writes the event time', async () => {
		find(CONTACTS, '2026-11-19T09:00:00.000Z');
		const created: unknown[] = [];
		const tagged: unknown[] = [];
		const fields: unknown[] = [];
		const keep = (into: unknown[]) => (body: unknown) => into.push(body) > 0;
		api().get('/api/3/tags').query({ search: 'Closed Won' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/tags', keep(created)).reply(201, fixtureJson('crms/activecampaign/create_tag_201.json'), JSON_TYPE);
		api().post('/api/3/contactTags', keep(tagged)).times(2).reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);
		api().post('/api/3/fieldValues', keep(fields)).times(2).reply(200, fixtureJson('crms/activecampaign/create_fieldvalue_200.json'), JSON_TYPE);

		const [records] = await run(
			activecampaign,
			CONTACTS.map(([, email]) => event('succeeded', email)),
			{ parameters: TAGS },
		);

		expect(created).toEqual([{ tag: { tag: 'Closed Won', tagType: 'contact', description: 'Payment status, added by n8n CRM Payment Sync' } }]);
		expect(tagged).toEqual(CONTACTS.map(([contact]) => ({ contactTag: { contact, tag: '16' } })));
		expect(fields).toEqual(CONTACTS.map(([contact]) => ({ fieldValue: { contact, field: '7', value: OCCURRED_AT } })));
		expect(records.map(({ json }) => [json.recordId, json.statusBefore, json.statusAfter, json.decision])).toEqual([
			['68', undefined, 'Closed Won', 'applied'],
			['73', undefined, 'Closed Won', 'applied'],
		]);
	});

	it('skips a late event by the last-event field alone (no status is read back from tags), tagging nothing', async () => {
		const unexpected: string[] = [];
		const record = (request: { method?: string; path?: string }) => unexpected.push(`${request.method} ${request.path}`);
		nock.emitter.on('no match', record);
		find(CONTACTS.slice(0, 1), NEWER);

		const [records] = await run(activecampaign, event('pending', 'janedoe@example.com'), { parameters: TAGS }).finally(() =>
			nock.emitter.removeListener('no match', record),
		);

		expect(unexpected).toEqual([]);
		expect(records[0].json).toMatchObject({ recordId: '68', statusBefore: undefined, decision: 'stale-skipped' });
	});
});
