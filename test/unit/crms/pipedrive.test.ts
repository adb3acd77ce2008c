import nock from 'nock';

import { PaymentEventsPipedriveApi } from '../../../credentials/PaymentEventsPipedriveApi.credentials';
import { pipedrive } from '../../../nodes/crms/pipedrive';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/pipedrive (Pipedrive's API reference examples and official Node SDK tests, see SOURCES.md there).
const API_TOKEN = 'pd-test-token-not-a-real-secret';
const HOST = 'https://api.pipedrive.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };

function tools() {
	return channelTools(pipedrive, new PaymentEventsPipedriveApi(), { apiToken: API_TOKEN });
}

function api() {
	return nock(HOST, { reqheaders: { 'x-api-token': API_TOKEN } });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('Pipedrive find', () => {
	it('searches a person by exact email, then reads the requested fields of the match', async () => {
		api()
			.get('/v1/persons/search')
			.query({ term: 'Jane@Pipedrive.com', fields: 'email', exact_match: 'true' })
			.reply(200, fixtureJson('crms/pipedrive/search_persons_200.json'), JSON_TYPE);
		api().get('/v1/persons/1').reply(200, fixtureJson('crms/pipedrive/get_person_200.json'), JSON_TYPE);

		const { tools: crm, sent } = tools();
		const found = await pipedrive.find(crm, 'persons', 'email', ['Jane@Pipedrive.com'], ['name', 'update_time', 'org_id', 'f0a1b2']);

		expect([...found.entries()]).toEqual([
			['Jane@Pipedrive.com', { id: '1', properties: { name: 'Will Smith', update_time: '2020-05-08 05:30:20', org_id: '1234', f0a1b2: undefined } }],
		]);
		expect(sent.map(({ url }) => url)).toEqual([
			`${HOST}/v1/persons/search?term=Jane%40Pipedrive.com&fields=email&exact_match=true`,
			`${HOST}/v1/persons/1`,
		]);
		// The token travels in the header only, never in a URL.
		expect(sent.every(({ url }) => !url.includes(API_TOKEN))).toBe(true);
	});

	it('leaves out an email the search finds no person with exactly', async () => {
		api()
			.get('/v1/persons/search')
			.query({ term: 'nobody@example.com', fields: 'email', exact_match: 'true' })
			.reply(200, fixtureJson('crms/pipedrive/search_persons_200.json'), JSON_TYPE);

		await expect(pipedrive.find(tools().tools, 'persons', 'email', ['nobody@example.com'], ['name'])).resolves.toEqual(new Map());
	});

	it('reads a deal by id', async () => {
		api().get('/v1/deals/2').reply(200, fixtureJson('crms/pipedrive/get_deal_200.json'), JSON_TYPE);

		const found = await pipedrive.find(tools().tools, 'deals', 'id', ['2'], ['title', 'value']);

		expect(found.get('2')).toEqual({ id: '2', properties: { title: 'New Deal', value: '2000' } });
	});

	it('does not ask for an id that is not a number', async () => {
		await expect(pipedrive.find(tools().tools, 'deals', 'id', ['INV-0042'], ['title'])).resolves.toEqual(new Map());
	});

	it('throws the documented error of a refused search', async () => {
		api().get('/v1/persons/search').query(true).reply(400, fixtureJson('crms/pipedrive/error_400.json'), JSON_TYPE);

		const error = await pipedrive.find(tools().tools, 'persons', 'email', ['jane@pipedrive.com'], []).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(CrmError);
		expect((error as CrmError).message).toBe('Pipedrive: Bad request');
		expect((error as CrmError).details).toMatchObject({ retryable: false, code: '400', status: 400 });
	});
});

describe('Pipedrive update', () => {
	it('puts the properties, custom fields by their key, on the record', async () => {
		let body: unknown;
		api()
			.put('/v1/deals/2', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('crms/pipedrive/update_deal_200.json'), JSON_TYPE);

		const properties = { title: 'Updated Deal', '5b436b45b63857305f9691910b6567351b5517bc': 'Paid' };
		await expect(pipedrive.update(tools().tools, 'deals', [{ id: '2', properties }])).resolves.toEqual(['2']);
		expect(body).toEqual(properties);
	});

	it('answers a refused update with the documented error, and a 429 or 5xx as retryable', async () => {
		api().put('/v1/persons/1').reply(400, fixtureJson('crms/pipedrive/error_400.json'), JSON_TYPE);
		api().put('/v1/persons/2').reply(429, '', { 'Retry-After': '2' });
		api().put('/v1/persons/3').reply(503, '');

		const results = await pipedrive.update(tools().tools, 'persons', [
			{ id: '1', properties: { badFieldId: 'Ignored value' } },
			{ id: '2', properties: { name: 'Jane Doe' } },
			{ id: '3', properties: { name: 'Jane Doe' } },
		]);

		expect(results.map((result) => (result as CrmError).details)).toEqual([
			{ retryable: false, code: '400', status: 400, retryAfterMs: undefined },
			{ retryable: true, code: '429', status: 429, retryAfterMs: 2000 },
			{ retryable: true, code: '503', status: 503, retryAfterMs: undefined },
		]);
		for (const result of results) expect((result as CrmError).message).not.toContain(API_TOKEN);
	});
});

describe('Pipedrive create', () => {
	it('posts a person named by the email when no name is mapped', async () => {
		let body: unknown;
		api()
			.post('/v1/persons', (sent) => {
				body = sent;
				return true;
			})
			.reply(201, fixtureJson('crms/pipedrive/get_person_200.json'), JSON_TYPE);

		await expect(pipedrive.create!(tools().tools, 'persons', [{ properties: { email: 'jane@pipedrive.com', label: '1' } }])).resolves.toEqual(['1']);
		expect(body).toEqual({ name: 'jane@pipedrive.com', email: 'jane@pipedrive.com', label: '1' });
	});

	it('posts a deal and refuses one found by id without a request', async () => {
		api().post('/v1/deals', { title: 'New Deal', value: '2000' }).reply(201, fixtureJson('crms/pipedrive/add_deal_201.json'), JSON_TYPE);

		const results = await pipedrive.create!(tools().tools, 'deals', [
			{ properties: { title: 'New Deal', value: '2000' } },
			{ properties: { id: '7' } },
		]);

		expect(results[0]).toBe('2');
		expect(results[1]).toBeInstanceOf(CrmError);
	});
});
