import nock from 'nock';

import { PaymentEventsZohoCrmOAuth2Api } from '../../../credentials/PaymentEventsZohoCrmOAuth2Api.credentials';
import { CrmError } from '../../../nodes/crms/types';
import { zohocrm } from '../../../nodes/crms/zohocrm';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/zohocrm (the examples of Zoho's official OpenAPI specification, zoho/crm-oas; see SOURCES.md there).
const ACCESS_TOKEN = '1000.test-token-not-a-real-secret';
const HOST = 'https://www.zohoapis.eu';
const JSON_TYPE = { 'Content-Type': 'application/json' };

function tools() {
	return channelTools(zohocrm, new PaymentEventsZohoCrmOAuth2Api(), { environment: 'eu', oauthTokenData: { access_token: ACCESS_TOKEN } });
}

function api() {
	return nock(HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Zoho CRM find', () => {
	it('searches a batch of emails with one `in` criteria on the data centre host, keeping exact matches', async () => {
		api()
			.get('/crm/v8/Leads/search')
			.query({ criteria: '(Email:in:Lead@Zylker.com,lead@zylker.co,a\\,b@example.com)', fields: 'Email,Lead_Status,Modified_Time,Payment_Status', per_page: '200' })
			.reply(200, fixtureJson('crms/zohocrm/search_records_200.json'), JSON_TYPE);

		const found = await zohocrm.find(
			tools().tools,
			'Leads',
			'Email',
			['Lead@Zylker.com', 'lead@zylker.co', 'a,b@example.com'],
			['Lead_Status', 'Modified_Time', 'Payment_Status'],
		);

		expect([...found.entries()]).toEqual([
			[
				'Lead@Zylker.com',
				{
					id: '5843104000000624035',
					properties: { Lead_Status: 'Qualified', Modified_Time: '2023-01-20T14:45:00+00:00', Payment_Status: undefined },
				},
			],
		]);
	});

	it('reads records by id with Get Records and its required fields list', async () => {
		const { tools: crm, sent } = tools();
		api()
			.get('/crm/v8/Leads')
			.query({ ids: '4150868000000002175,4150868000000002176', fields: 'Last_Name,Phone' })
			.reply(200, fixtureJson('crms/zohocrm/get_records_200.json'), JSON_TYPE);

		const found = await zohocrm.find(crm, 'Leads', 'id', ['4150868000000002175', '4150868000000002176', 'INV-7'], ['Last_Name', 'Phone']);

		expect([...found.entries()]).toEqual([
			['4150868000000002175', { id: '4150868000000002175', properties: { Last_Name: 'Doe', Phone: '+1-555-123-4567' } }],
		]);
		expect(sent).toHaveLength(1);
	});

	it('finds nothing on 204 No Content', async () => {
		api().get('/crm/v8/Contacts/search').query(true).reply(204);

		await expect(zohocrm.find(tools().tools, 'Contacts', 'Email', ['nobody@example.com'], [])).resolves.toEqual(new Map());
	});

	it('throws the documented error, and a 429 as retryable with Retry-After', async () => {
		api().get('/crm/v8/Contacts/search').query(true).reply(403, fixtureJson('crms/zohocrm/error_403.json'), JSON_TYPE);
		api().get('/crm/v8/Contacts/search').query(true).reply(429, fixtureJson('crms/zohocrm/error_429.json'), { ...JSON_TYPE, 'Retry-After': '30' });

		const denied = await zohocrm.find(tools().tools, 'Contacts', 'Email', ['a@example.com'], []).catch((e: unknown) => e);
		const limited = await zohocrm.find(tools().tools, 'Contacts', 'Email', ['a@example.com'], []).catch((e: unknown) => e);

		expect((denied as CrmError).message).toBe('Zoho CRM: Permission denied (code NO_PERMISSION)');
		expect((denied as CrmError).details).toMatchObject({ retryable: false, code: 'NO_PERMISSION', status: 403 });
		expect((limited as CrmError).details).toMatchObject({ retryable: true, code: 'RATE_LIMIT_EXCEEDED', status: 429, retryAfterMs: 30000 });
		expect((limited as CrmError).message).not.toContain(ACCESS_TOKEN);
	});
});

describe('Zoho CRM update', () => {
	it('puts the batch and reads a result per record, in order (207 mixed results)', async () => {
		let body: unknown;
		api()
			.put('/crm/v8/Leads', (sent) => {
				body = sent;
				return true;
			})
			.reply(207, fixtureJson('crms/zohocrm/update_records_207.json'), JSON_TYPE);

		const results = await zohocrm.update(tools().tools, 'Leads', [
			{ id: '111112000000142001', properties: { Payment_Status: 'Paid' } },
			{ id: '111112000000142002', properties: { Last_Name: '' } },
		]);

		expect(body).toEqual({
			data: [
				{ Payment_Status: 'Paid', id: '111112000000142001' },
				{ Last_Name: '', id: '111112000000142002' },
			],
		});
		expect(results[0]).toBe('111112000000142001');
		expect(results[1]).toBeInstanceOf(CrmError);
		expect((results[1] as CrmError).message).toBe('Zoho CRM: the field api name given seems to be invalid (code INVALID_DATA)');
		expect((results[1] as CrmError).details).toEqual({ retryable: false, code: 'INVALID_DATA' });
	});

	it('fails every record of a refused or unavailable batch', async () => {
		api().put('/crm/v8/Deals').reply(403, fixtureJson('crms/zohocrm/error_403.json'), JSON_TYPE);
		api().put('/crm/v8/Deals').reply(500, '');

		const denied = await zohocrm.update(tools().tools, 'Deals', [
			{ id: '1', properties: { Stage: 'Closed Won' } },
			{ id: '2', properties: { Stage: 'Closed Won' } },
		]);
		const [down] = await zohocrm.update(tools().tools, 'Deals', [{ id: '1', properties: { Stage: 'Closed Won' } }]);

		expect(denied.map((result) => (result as CrmError).details.code)).toEqual(['NO_PERMISSION', 'NO_PERMISSION']);
		expect((down as CrmError).details).toMatchObject({ retryable: true, status: 500 });
	});
});

describe('Zoho CRM create', () => {
	it('posts the records, naming a contact by its email when no Last_Name is mapped', async () => {
		let body: unknown;
		api()
			.post('/crm/v8/Contacts', (sent) => {
				body = sent;
				return true;
			})
			.reply(201, fixtureJson('crms/zohocrm/create_records_201.json'), JSON_TYPE);

		await expect(zohocrm.create!(tools().tools, 'Contacts', [{ properties: { Email: 'jane@example.com', Payment_Status: 'Paid' } }])).resolves.toEqual([
			'5725767000000524157',
		]);
		expect(body).toEqual({ data: [{ Last_Name: 'jane@example.com', Email: 'jane@example.com', Payment_Status: 'Paid' }] });
	});
});
