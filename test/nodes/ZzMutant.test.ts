import nock from 'nock';
import type { ICredentialType, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PaymentEventsActiveCampaignApi } from '../../credentials/PaymentEventsActiveCampaignApi.credentials';
import { PaymentEventsDynamicsOAuth2Api } from '../../credentials/PaymentEventsDynamicsOAuth2Api.credentials';
import { PaymentEventsIntercomApi } from '../../credentials/PaymentEventsIntercomApi.credentials';
import { PaymentEventsKlaviyoApi } from '../../credentials/PaymentEventsKlaviyoApi.credentials';
import { PaymentEventsMondayApi } from '../../credentials/PaymentEventsMondayApi.credentials';
import { PaymentEventsPipedriveApi } from '../../credentials/PaymentEventsPipedriveApi.credentials';
import { PaymentEventsSalesforceOAuth2Api } from '../../credentials/PaymentEventsSalesforceOAuth2Api.credentials';
import { PaymentEventsZohoCrmOAuth2Api } from '../../credentials/PaymentEventsZohoCrmOAuth2Api.credentials';
import { CrmPaymentSync } from '../../nodes/CrmPaymentSync/CrmPaymentSync.node';
import { crmById } from '../../nodes/crms/index';
import { normalizeManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

// CRM Payment Sync end to end on every CRM but HubSpot (CrmPaymentSync.test.ts): one canonical event in, the CRM's documented
// find and update answers (test/fixtures/crms/<id>, see SOURCES.md there, as the adapters' unit tests use them) back.
const OCCURRED_AT = '2026-11-20T10:00:00.000Z';
const NEWER = '2026-11-19T00:00:00.000Z';
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
}

function capture<Body>(written: Array<Record<string, string>>, pick: (body: Body) => Record<string, string>) {
	return (body: Body) => {
		written.push(pick(body));
		return true;
	};
}

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

const CASES: Case[] = [
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
			// Basic update answers 204 No Content.
			nock('https://contoso.crm.dynamics.com', { reqheaders: { authorization: `Bearer ${DYNAMICS_TOKEN}`, 'if-match': '*' } })
				.patch(`/api/data/v9.2/contacts(${DYNAMICS_CONTACT})`, capture(written, (body: Record<string, string>) => body))
				.reply(204);
		},
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
	},
];

function event(status: 'succeeded' | 'pending', email: string): IDataObject {
	return normalizeManualEntry(
		{
			amount: '49.90',
			amountFormat: 'decimal',
			currency: 'USD',
			status,
			kind: 'payment',
			reference: 'INV-0042',
			entryId: `${status}-${OCCURRED_AT}`,
			occurredAt: OCCURRED_AT,
			customer: { name: 'Jenny Rosen', email },
			invoice: { number: 'INV-0042', url: 'https://pay.example.com/i/INV-0042' },
		},
		new Date('2026-11-21T00:00:00Z'),
	) as unknown as IDataObject;
}

async function run(crm: Case, item: IDataObject): Promise<INodeExecutionData[][]> {
	const credentialType = crmById(crm.id)!.credentialType;
	return await executeNode(CrmPaymentSync, {
		items: [item],
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
		},
		credentials: { [credentialType]: { credential: crm.credential, values: crm.values } },
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
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
});
