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

describe('ActiveCampaign tags (status property "tags")', () => {
	const TAG_DESCRIPTION = 'Payment status, added by n8n CRM Payment Sync';

	it('adds the existing contact tag of that exact name, then writes the last-event field', async () => {
		const contactTags = captured();
		api().get('/api/3/tags').query({ search: 'two' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/contactTags', contactTags.match).reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);
		api()
			.post('/api/3/fieldValues', { fieldValue: { contact: '68', field: '7', value: '2026-11-20T10:00:00.000Z' } })
			.reply(200, fixtureJson('crms/activecampaign/create_fieldvalue_200.json'), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const results = await activecampaign.update(crm, 'contacts', [{ id: '68', properties: { tags: 'two', '7': '2026-11-20T10:00:00.000Z' } }]);

		expect(results).toEqual(['68']);
		expect(contactTags.bodies).toEqual([{ contactTag: { contact: '68', tag: '2' } }]);
		expect(sent.map(({ method, url }) => `${method} ${url.replace(HOST, '')}`)).toEqual([
			'GET /api/3/tags?search=two',
			'POST /api/3/contactTags',
			'POST /api/3/fieldValues',
		]);
	});

	it('matches the tag name whatever its case (ActiveCampaign tags are case-insensitive)', async () => {
		const contactTags = captured();
		api().get('/api/3/tags').query({ search: 'TWO' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/contactTags', contactTags.match).reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);

		await expect(activecampaign.update(tools().tools, 'contacts', [{ id: '68', properties: { tags: 'TWO' } }])).resolves.toEqual(['68']);
		expect(contactTags.bodies).toEqual([{ contactTag: { contact: '68', tag: '2' } }]);
	});

	it('creates a contact tag when the search lists none of that exact name, and tags the contact with it', async () => {
		const created = captured();
		const contactTags = captured();
		api().get('/api/3/tags').query({ search: 'Paid' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/tags', created.match).reply(201, fixtureJson('crms/activecampaign/create_tag_201.json'), JSON_TYPE);
		api().post('/api/3/contactTags', contactTags.match).reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);

		await expect(activecampaign.update(tools().tools, 'contacts', [{ id: '68', properties: { tags: 'Paid' } }])).resolves.toEqual(['68']);
		expect(created.bodies).toEqual([{ tag: { tag: 'Paid', tagType: 'contact', description: TAG_DESCRIPTION } }]);
		expect(contactTags.bodies).toEqual([{ contactTag: { contact: '68', tag: '16' } }]);
	});

	it('does not take a template tag of that name for a contact tag', async () => {
		const created = captured();
		api().get('/api/3/tags').query({ search: 'test1' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/tags', created.match).reply(201, fixtureJson('crms/activecampaign/create_tag_201.json'), JSON_TYPE);
		api()
			.post('/api/3/contactTags', { contactTag: { contact: '68', tag: '16' } })
			.reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);

		await expect(activecampaign.update(tools().tools, 'contacts', [{ id: '68', properties: { tags: 'test1' } }])).resolves.toEqual(['68']);
		expect(created.bodies).toEqual([{ tag: { tag: 'test1', tagType: 'contact', description: TAG_DESCRIPTION } }]);
	});

	it('looks a tag up once per run: twenty contacts tagged "Paid" search and create it once', async () => {
		const contactTags = captured();
		api().get('/api/3/tags').query({ search: 'Paid' }).once().reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/tags').once().reply(201, fixtureJson('crms/activecampaign/create_tag_201.json'), JSON_TYPE);
		api().post('/api/3/contactTags', contactTags.match).times(20).reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const ids = Array.from({ length: 20 }, (_, index) => String(100 + index));
		// The node sends one contact an update call (batchSize 1), all with the run's one CrmTools.
		for (const id of ids) await expect(activecampaign.update(crm, 'contacts', [{ id, properties: { tags: 'Paid' } }])).resolves.toEqual([id]);

		expect(sent.filter(({ url }) => url.includes('/api/3/tags')).map(({ method }) => method)).toEqual(['GET', 'POST']);
		expect(contactTags.bodies).toEqual(ids.map((contact) => ({ contactTag: { contact, tag: '16' } })));
	});

	it('refuses a tag with a comma without a request', async () => {
		const { tools: crm, sent } = tools();

		const [result] = await activecampaign.update(crm, 'contacts', [{ id: '68', properties: { tags: 'Paid, late' } }]);

		expect((result as CrmError).message).toBe('ActiveCampaign: the tag "Paid, late" has a comma, which tag names cannot hold');
		expect(sent).toEqual([]);
	});

	it('reports a refused tag with the documented error and leaves the last-event field unwritten', async () => {
		api().get('/api/3/tags').query({ search: 'two' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api().post('/api/3/contactTags').reply(403, fixtureJson('crms/activecampaign/error_403.json'), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const [result] = await activecampaign.update(crm, 'contacts', [{ id: '68', properties: { tags: 'two', '7': '2026-11-20T10:00:00.000Z' } }]);

		expect((result as CrmError).message).toBe('ActiveCampaign: Forbidden');
		expect(sent.some(({ url }) => url.endsWith('/api/3/fieldValues'))).toBe(false);
	});

	it('reads no status back for a tag-based setup: "tags" is undefined, the last-event field is read', async () => {
		const { fieldValues } = fixtureJson<{ fieldValues: Array<Record<string, unknown>> }>('crms/activecampaign/sync_contact_201.json');
		api().get('/api/3/contacts').query({ email: 'janedoe@example.com' }).reply(200, fixtureJson('crms/activecampaign/list_contacts_200.json'), JSON_TYPE);
		api()
			.get('/api/3/contacts/68/fieldValues')
			.reply(200, { fieldValues: [{ ...fieldValues[0], contact: '68', field: '7', value: '2026-11-19T09:00:00.000Z' }] }, JSON_TYPE);

		const found = await activecampaign.find(tools().tools, 'contacts', 'email', ['janedoe@example.com'], ['tags', '7']);

		expect(found.get('janedoe@example.com')).toEqual({ id: '68', properties: { '7': '2026-11-19T09:00:00.000Z' } });
	});

	it('tags a contact it creates, after the sync', async () => {
		const sync = captured();
		api().post('/api/3/contact/sync', sync.match).reply(201, fixtureJson('crms/activecampaign/sync_contact_201.json'), JSON_TYPE);
		api().get('/api/3/tags').query({ search: 'one' }).reply(200, fixtureJson('crms/activecampaign/list_tags_200.json'), JSON_TYPE);
		api()
			.post('/api/3/contactTags', { contactTag: { contact: '10', tag: '1' } })
			.reply(201, fixtureJson('crms/activecampaign/create_contact_tag_201.json'), JSON_TYPE);

		const results = await activecampaign.create!(tools().tools, 'contacts', [
			{ properties: { email: 'johndoe@example.com', tags: 'one', '7': '2026-11-20T10:00:00.000Z' } },
		]);

		expect(results).toEqual(['10']);
		expect(sync.bodies).toEqual([{ contact: { email: 'johndoe@example.com', fieldValues: [{ field: '7', value: '2026-11-20T10:00:00.000Z' }] } }]);
	});

	it('does not tag deals', async () => {
		const [result] = await activecampaign.update(tools().tools, 'deals', [{ id: '5', properties: { tags: 'Paid' } }]);
		expect((result as CrmError).message).toBe('ActiveCampaign: deal custom fields and tags are not supported; use a contact field or tag');
	});
});
