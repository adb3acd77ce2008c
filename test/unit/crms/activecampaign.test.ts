import nock from 'nock';

import { PaymentEventsActiveCampaignApi } from '../../../credentials/PaymentEventsActiveCampaignApi.credentials';
import { activecampaign } from '../../../nodes/crms/activecampaign';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/activecampaign (ActiveCampaign's API reference examples, see SOURCES.md there).
const API_KEY = 'ac-test-key-not-a-real-secret';
const HOST = 'https://example-account.api-us1.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };

function tools() {
	return channelTools(activecampaign, new PaymentEventsActiveCampaignApi(), { account: 'example-account', apiKey: API_KEY });
}

function api() {
	return nock(HOST, { reqheaders: { 'api-token': API_KEY } });
}

function captured() {
	const bodies: unknown[] = [];
	return {
		bodies,
		match: (body: unknown) => {
			bodies.push(body);
			return true;
		},
	};
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('ActiveCampaign find', () => {
	it('filters contacts by email on the account host and reads the standard fields of the match', async () => {
		api().get('/api/3/contacts').query({ email: 'JaneDoe@example.com' }).reply(200, fixtureJson('crms/activecampaign/list_contacts_200.json'), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const found = await activecampaign.find(crm, 'contacts', 'email', ['JaneDoe@example.com'], ['firstName', 'phone', 'udate']);

		expect([...found.entries()]).toEqual([
			['JaneDoe@example.com', { id: '68', properties: { firstName: 'John', phone: '3120000000', udate: '2017-01-25T23:58:14-06:00' } }],
		]);
		expect(sent[0].url).toBe(`${HOST}/api/3/contacts?email=JaneDoe%40example.com`);
	});

	it('leaves out an email no listed contact has', async () => {
		api().get('/api/3/contacts').query({ email: 'nobody@example.com' }).reply(200, fixtureJson('crms/activecampaign/list_contacts_200.json'), JSON_TYPE);

		await expect(activecampaign.find(tools().tools, 'contacts', 'email', ['nobody@example.com'], ['firstName'])).resolves.toEqual(new Map());
	});

	it('throws the documented error with the message, never the key', async () => {
		api().get('/api/3/contacts').query(true).reply(403, fixtureJson('crms/activecampaign/error_403.json'), JSON_TYPE);

		const error = await activecampaign.find(tools().tools, 'contacts', 'email', ['janedoe@example.com'], []).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(CrmError);
		expect((error as CrmError).message).toBe('ActiveCampaign: Forbidden');
		expect((error as CrmError).details).toMatchObject({ retryable: false, code: '403', status: 403 });
		expect((error as CrmError).message).not.toContain(API_KEY);
	});
});

describe('ActiveCampaign update', () => {
	it('writes standard fields with PUT and each custom field (by field id) with POST /fieldValues', async () => {
		const contact = captured();
		const fields = captured();
		api().put('/api/3/contacts/2', contact.match).reply(200, fixtureJson('crms/activecampaign/sync_contact_201.json'), JSON_TYPE);
		api().post('/api/3/fieldValues', fields.match).times(2).reply(200, fixtureJson('crms/activecampaign/create_fieldvalue_200.json'), JSON_TYPE);

		const results = await activecampaign.update(tools().tools, 'contacts', [
			{ id: '2', properties: { firstName: 'Jane', '3': 'Paid', '7': '2020-05-19T02:45:00-05:00' } },
		]);

		expect(results).toEqual(['2']);
		expect(contact.bodies).toEqual([{ contact: { firstName: 'Jane' } }]);
		expect(fields.bodies).toEqual([
			{ fieldValue: { contact: '2', field: '3', value: 'Paid' } },
			{ fieldValue: { contact: '2', field: '7', value: '2020-05-19T02:45:00-05:00' } },
		]);
	});

	it('answers a refused write with the documented error, a 429 (Retry-After) or 5xx as retryable', async () => {
		api().post('/api/3/fieldValues').reply(403, fixtureJson('crms/activecampaign/error_403.json'), JSON_TYPE);
		api().put('/api/3/deals/5', { deal: { title: 'Renewal' } }).reply(429, '', { 'Retry-After': '1' });
		api().put('/api/3/contacts/3').reply(502, '');

		const [forbidden] = await activecampaign.update(tools().tools, 'contacts', [{ id: '2', properties: { '3': 'Paid' } }]);
		const [limited] = await activecampaign.update(tools().tools, 'deals', [{ id: '5', properties: { title: 'Renewal' } }]);
		const [down] = await activecampaign.update(tools().tools, 'contacts', [{ id: '3', properties: { lastName: 'Doe' } }]);

		expect((forbidden as CrmError).details).toEqual({ retryable: false, code: '403', status: 403, retryAfterMs: undefined });
		expect((limited as CrmError).details).toEqual({ retryable: true, code: '429', status: 429, retryAfterMs: 1000 });
		expect((down as CrmError).details).toEqual({ retryable: true, code: '502', status: 502, retryAfterMs: undefined });
	});

	it('refuses custom fields on a deal without a request', async () => {
		const [result] = await activecampaign.update(tools().tools, 'deals', [{ id: '5', properties: { '3': 'Paid' } }]);
		expect(result).toBeInstanceOf(CrmError);
	});
});

describe('ActiveCampaign create', () => {
	it('syncs a contact by email with its custom field values and reads the new id', async () => {
		const sync = captured();
		api().post('/api/3/contact/sync', sync.match).reply(201, fixtureJson('crms/activecampaign/sync_contact_201.json'), JSON_TYPE);

		const results = await activecampaign.create!(tools().tools, 'contacts', [
			{ properties: { email: 'johndoe@example.com', firstName: 'John', '2': 'Albany', '3': 'Georgia' } },
		]);

		expect(results).toEqual(['10']);
		expect(sync.bodies).toEqual([
			{
				contact: {
					email: 'johndoe@example.com',
					firstName: 'John',
					fieldValues: [
						{ field: '2', value: 'Albany' },
						{ field: '3', value: 'Georgia' },
					],
				},
			},
		]);
	});

	it('does not create a deal', async () => {
		const [result] = await activecampaign.create!(tools().tools, 'deals', [{ properties: { id: '5' } }]);
		expect(result).toBeInstanceOf(CrmError);
	});
});
