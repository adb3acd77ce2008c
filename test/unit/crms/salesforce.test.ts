import nock from 'nock';

import { PaymentEventsSalesforceOAuth2Api } from '../../../credentials/PaymentEventsSalesforceOAuth2Api.credentials';
import { salesforce } from '../../../nodes/crms/salesforce';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/salesforce (Salesforce REST API and SOQL developer guides, see SOURCES.md there).
const ACCESS_TOKEN = '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog';
const credentials = { environment: 'production', myDomain: 'mycompany', oauthTokenData: { access_token: ACCESS_TOKEN } };
const HOST = 'https://mycompany.my.salesforce.com';
const api = () => nock(HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } });
const tools = () => channelTools(salesforce, new PaymentEventsSalesforceOAuth2Api(), credentials);

async function failure(promise: Promise<unknown>): Promise<CrmError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmError) return error;
		throw error;
	}
	throw new Error('expected a CrmError');
}

function soql(url: string): string | null {
	return new URL(url).searchParams.get('q');
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Salesforce find (SOQL query resource)', () => {
	it('queries contacts by email in one SOQL IN clause, each value a quoted, escaped literal', async () => {
		const scope = api().get('/services/data/v60.0/query').query(true).reply(200, fixtureJson('crms/salesforce/query_accounts_200.json'));
		const { tools: crm, sent } = tools();

		const found = await salesforce.find(crm, 'Contact', 'Email', ['jenny.rosen@example.com', "o'brien@example.com"], ['Payment_Status__c']);

		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('GET');
		expect(sent[0].headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
		expect(sent[0].url.startsWith(`${HOST}/services/data/v60.0/query?q=`)).toBe(true);
		expect(soql(sent[0].url)).toBe(
			"SELECT Id, Email, Payment_Status__c FROM Contact WHERE Email IN ('jenny.rosen@example.com', 'o\\'brien@example.com')",
		);
		// The sample's records are accounts without an Email: nothing matches.
		expect(found.size).toBe(0);
		scope.done();
	});

	it('finds records by name, reads the id from the record URL and leaves out a value nothing matches', async () => {
		api().get('/services/data/v60.0/query').query(true).reply(200, fixtureJson('crms/salesforce/query_accounts_200.json'));
		const { tools: crm, sent } = tools();

		const found = await salesforce.find(crm, 'Account', 'Name', ['test 1', 'Test 2', 'Test 3'], ['Name']);

		expect(soql(sent[0].url)).toBe("SELECT Id, Name FROM Account WHERE Name IN ('test 1', 'Test 2', 'Test 3')");
		expect([...found.entries()]).toEqual([
			['test 1', { id: '001D000000IRFmaIAH', properties: { Name: 'Test 1' } }],
			['Test 2', { id: '001D000000IomazIAB', properties: { Name: 'Test 2' } }],
		]);
	});

	it('finds records by Id, the 15-character form included', async () => {
		api().get('/services/data/v60.0/query').query(true).reply(200, fixtureJson('crms/salesforce/query_accounts_200.json'));
		const { tools: crm, sent } = tools();

		const found = await salesforce.find(crm, 'Opportunity', 'Id', ['001D000000IRFma', '001D000000IomazIAB', '006000000000000AAA'], ['Name']);

		expect(soql(sent[0].url)).toBe("SELECT Id, Name FROM Opportunity WHERE Id IN ('001D000000IRFma', '001D000000IomazIAB', '006000000000000AAA')");
		expect(found.get('001D000000IRFma')).toEqual({ id: '001D000000IRFmaIAH', properties: { Name: 'Test 1' } });
		expect(found.get('001D000000IomazIAB')?.id).toBe('001D000000IomazIAB');
		expect(found.has('006000000000000AAA')).toBe(false);
	});

	it('refuses a property name that is not an API name, sending nothing', async () => {
		const { tools: crm, sent } = tools();

		const error = await failure(salesforce.find(crm, 'Contact', 'Email', ['a@example.com'], ['Name) FROM User --']));

		expect(error.details.retryable).toBe(false);
		expect(sent).toHaveLength(0);
	});

	it("turns Salesforce's error body into a CrmError with its message and code", async () => {
		api().get('/services/data/v60.0/query').query(true).reply(400, fixtureJson('crms/salesforce/query_invalid_field_400.json'));
		const { tools: crm } = tools();

		const error = await failure(salesforce.find(crm, 'Contact', 'Email', ['a@example.com'], ['Id']));

		expect(error.message).toBe('Salesforce: duplicate field selected: Id (code INVALID_FIELD)');
		expect(error.details).toMatchObject({ retryable: false, code: 'INVALID_FIELD', status: 400 });
		expect(error.message).not.toContain(ACCESS_TOKEN);
	});

	it('marks 429 (with Retry-After) and 5xx retryable', async () => {
		api().get('/services/data/v60.0/query').query(true).reply(429, '', { 'Retry-After': '30' });
		api().get('/services/data/v60.0/query').query(true).reply(503, '');
		const { tools: crm } = tools();

		const limited = await failure(salesforce.find(crm, 'Contact', 'Email', ['a@example.com'], []));
		const down = await failure(salesforce.find(crm, 'Contact', 'Email', ['a@example.com'], []));

		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 30000 });
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
		expect(`${limited.message} ${down.message}`).not.toContain(ACCESS_TOKEN);
	});
});

describe('Salesforce update (sObject Collections PATCH)', () => {
	it('updates up to 200 records in one request with allOrNone false, and reads a result per record', async () => {
		const scope = api()
			.patch('/services/data/v60.0/composite/sobjects')
			.reply(200, fixtureJson('crms/salesforce/collections_update_partial_200.json'));
		const { tools: crm, sent } = tools();

		const results = await salesforce.update(crm, 'Contact', [
			{ id: '001RM000003oCprYAE', properties: { Payment_Status__c: 'Paid', Payment_Status_Updated_At__c: '2024-05-01T10:00:00Z' } },
			{ id: '001xx000003DGb2999', properties: { Payment_Status__c: 'Refunded' } },
		]);

		expect(sent[0].method).toBe('PATCH');
		expect(sent[0].url).toBe(`${HOST}/services/data/v60.0/composite/sobjects`);
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			allOrNone: false,
			records: [
				{
					attributes: { type: 'Contact' },
					id: '001RM000003oCprYAE',
					Payment_Status__c: 'Paid',
					Payment_Status_Updated_At__c: '2024-05-01T10:00:00Z',
				},
				{ attributes: { type: 'Contact' }, id: '001xx000003DGb2999', Payment_Status__c: 'Refunded' },
			],
		});
		expect(results[0]).toBe('001RM000003oCprYAE');
		expect(results[1]).toBeInstanceOf(CrmError);
		expect((results[1] as CrmError).message).toBe(
			'Salesforce: Contact 001xx000003DGb2999: Contact ID: id value of incorrect type: 001xx000003DGb2999 (code MALFORMED_ID)',
		);
		expect((results[1] as CrmError).details).toMatchObject({ retryable: false, code: 'MALFORMED_ID' });
		scope.done();
	});

	it('fails every update with the request-level error', async () => {
		api().patch('/services/data/v60.0/composite/sobjects').reply(500, '');
		const { tools: crm } = tools();

		const results = await salesforce.update(crm, 'Opportunity', [
			{ id: '006A', properties: { Payment_Status__c: 'Paid' } },
			{ id: '006B', properties: { Payment_Status__c: 'Paid' } },
		]);

		expect(results.map((result) => result instanceof CrmError && result.details.retryable)).toEqual([true, true]);
	});
});

describe('Salesforce create (sObject Collections POST)', () => {
	it('creates records with their type and reads the new ids in order', async () => {
		const scope = api().post('/services/data/v60.0/composite/sobjects').reply(200, fixtureJson('crms/salesforce/collections_create_200.json'));
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(crm, 'Contact', [
			{ properties: { Email: 'jenny.rosen@example.com', LastName: 'Rosen', Payment_Status__c: 'Paid' } },
			{ properties: { Email: 'erica.johnson@example.com', LastName: 'Johnson', Payment_Status__c: 'Pending' } },
		]);

		expect(sent[0].method).toBe('POST');
		expect(JSON.parse(sent[0].body as string)).toEqual({
			allOrNone: false,
			records: [
				{ attributes: { type: 'Contact' }, Email: 'jenny.rosen@example.com', LastName: 'Rosen', Payment_Status__c: 'Paid' },
				{ attributes: { type: 'Contact' }, Email: 'erica.johnson@example.com', LastName: 'Johnson', Payment_Status__c: 'Pending' },
			],
		});
		expect(results).toEqual(['001RM000003oLnnYAE', '003RM0000068xV6YAI']);
		scope.done();
	});

	it('reports a record Salesforce refused next to the ones it created', async () => {
		api().post('/services/data/v60.0/composite/sobjects').reply(200, fixtureJson('crms/salesforce/collections_create_partial_200.json'));
		const { tools: crm } = tools();

		const results = await salesforce.create!(crm, 'Contact', [{ properties: { LastName: 'Rosen' } }, { properties: { LastName: 'Johnson' } }]);

		expect((results[0] as CrmError).message).toBe('Salesforce: new Contact 1 of 2: Use one of these records? (code DUPLICATES_DETECTED)');
		expect(results[1]).toBe('003RM0000068xVCYAY');
	});
});

describe('Salesforce objects', () => {
	it('takes any object by its API name, the listed objects being suggestions', () => {
		expect(salesforce.anyObject).toBe(true);
		expect(Object.keys(salesforce.objects)).toEqual(['Contact', 'Opportunity', 'Account']);
		expect(salesforce.batchSize).toBe(200);
	});

	it('finds records of a custom object by a custom field', async () => {
		api().get('/services/data/v60.0/query').query(true).reply(200, fixtureJson('crms/salesforce/query_accounts_200.json'));
		const { tools: crm, sent } = tools();

		await salesforce.find(crm, 'Booking__c', 'Booking_Ref__c', ['BK-1'], ['Payment_Status__c']);

		expect(soql(sent[0].url)).toBe("SELECT Id, Booking_Ref__c, Payment_Status__c FROM Booking__c WHERE Booking_Ref__c IN ('BK-1')");
	});

	it.each(['Booking__c WHERE Id != null', 'Account/describe', '../limits', ''])('refuses the object name %j before any request', async (object) => {
		const { tools: crm, sent } = tools();

		const found = await failure(salesforce.find(crm, object, 'Id', ['001D000000IRFmaIAH'], []));
		const updated = await salesforce.update(crm, object, [{ id: '001D000000IRFmaIAH', properties: { Payment_Status__c: 'Paid' } }]);
		const created = await salesforce.create!(crm, object, [{ properties: { Ref__c: 'BK-1' } }, { properties: { Ref__c: 'BK-2' } }], 'Ref__c');

		for (const error of [found, ...updated, ...created]) {
			expect(error).toBeInstanceOf(CrmError);
			expect((error as CrmError).message).toBe(`Salesforce: "${object}" is not an object or field API name`);
			expect((error as CrmError).details).toEqual({ retryable: false, code: 'INVALID_NAME' });
		}
		expect(sent).toHaveLength(0);
	});

	it('refuses an external ID field name that would change the upsert path, sending nothing', async () => {
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(crm, 'Booking__c', [{ properties: { Payment_Status__c: 'Paid' } }], 'Booking_Ref__c/BK-1');

		expect((results[0] as CrmError).details.code).toBe('INVALID_NAME');
		expect(sent).toHaveLength(0);
	});
});

describe('Salesforce create by external ID (sObject Collections upsert)', () => {
	const upserts = (body: nock.Body) => api().patch('/services/data/v60.0/composite/sobjects/Account/MyExtId__c').reply(200, body);

	it('upserts by the external ID field exactly as documented and reads the ids of created and updated records', async () => {
		const scope = upserts(fixtureJson('crms/salesforce/collections_upsert_200.json'));
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(
			crm,
			'Account',
			[{ properties: { Name: 'Company One', MyExtId__c: 'AAA' } }, { properties: { Name: 'Company Two', MyExtId__c: 'BBB' } }],
			'MyExtId__c',
		);

		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('PATCH');
		expect(sent[0].url).toBe(`${HOST}/services/data/v60.0/composite/sobjects/Account/MyExtId__c`);
		expect(sent[0].headers).toMatchObject({ authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' });
		expect(JSON.parse(sent[0].body as string)).toEqual(fixtureJson('crms/salesforce/collections_upsert_request.json'));
		// The first was created, the second (created: false) updated: both are saved, each answered with its record id.
		expect(results).toEqual(['001xx0000004GxDAAU', '001xx0000004GxEAAU']);
		scope.done();
	});

	it('names the record Salesforce refused, next to the one it saved', async () => {
		upserts(fixtureJson('crms/salesforce/collections_upsert_partial_200.json'));
		const { tools: crm } = tools();

		const results = await salesforce.create!(
			crm,
			'Account',
			[{ properties: { Name: 'Company One', MyExtId__c: 'AAA' } }, { properties: { Name: 'Company Two', MyExtId__c: 'BBB' } }],
			'MyExtId__c',
		);

		expect(results[0]).toBe('001xx0000004GxDAAU');
		expect(results[1]).toBeInstanceOf(CrmError);
		expect((results[1] as CrmError).message).toBe(
			'Salesforce: Account MyExtId__c "BBB": Contact ID: id value of incorrect type: 001xx0000004GxEAAU (code MALFORMED_ID)',
		);
		expect((results[1] as CrmError).details).toEqual({ retryable: false, code: 'MALFORMED_ID' });
	});

	it('upserts a custom object by its custom field: created, updated and refused records in one request', async () => {
		// The documented UpsertResults, one of each kind: created, updated (created: false), refused.
		const [created, updated] = fixtureJson<nock.Body[]>('crms/salesforce/collections_upsert_200.json');
		const [, refused] = fixtureJson<nock.Body[]>('crms/salesforce/collections_upsert_partial_200.json');
		const scope = api()
			.patch('/services/data/v60.0/composite/sobjects/Booking__c/Booking_Ref__c')
			.reply(200, [created, updated, refused]);
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(
			crm,
			'Booking__c',
			['BK-1', 'BK-2', 'BK-3'].map((ref) => ({ properties: { Booking_Ref__c: ref, Payment_Status__c: 'Paid' } })),
			'Booking_Ref__c',
		);

		expect(JSON.parse(sent[0].body as string)).toEqual({
			allOrNone: false,
			records: ['BK-1', 'BK-2', 'BK-3'].map((ref) => ({ attributes: { type: 'Booking__c' }, Booking_Ref__c: ref, Payment_Status__c: 'Paid' })),
		});
		expect(results.slice(0, 2)).toEqual(['001xx0000004GxDAAU', '001xx0000004GxEAAU']);
		expect((results[2] as CrmError).message).toMatch(/^Salesforce: Booking__c Booking_Ref__c "BK-3": .* \(code MALFORMED_ID\)$/);
		scope.done();
	});

	it('fails every record with the message and code when the external ID field does not exist', async () => {
		api()
			.patch('/services/data/v60.0/composite/sobjects/Contact/Payment_Ref__c')
			.reply(404, fixtureJson('crms/salesforce/upsert_external_id_field_not_found.json'));
		const { tools: crm } = tools();

		const results = await salesforce.create!(
			crm,
			'Contact',
			[{ properties: { Payment_Ref__c: 'pi_1' } }, { properties: { Payment_Ref__c: 'pi_2' } }],
			'Payment_Ref__c',
		);

		for (const result of results) {
			expect((result as CrmError).message).toBe('Salesforce: The requested resource does not exist (code NOT_FOUND)');
			expect((result as CrmError).details).toMatchObject({ retryable: false, code: 'NOT_FOUND', status: 404 });
		}
	});

	it('fails every record with the message and code when the session expired', async () => {
		api()
			.patch('/services/data/v60.0/composite/sobjects/Contact/Customer_Ref__c')
			.reply(401, fixtureJson('crms/salesforce/invalid_session_401.json'));
		const { tools: crm } = tools();

		const contact = { Customer_Ref__c: 'CUS-1', LastName: 'Rosen' };
		const results = await salesforce.create!(crm, 'Contact', [{ properties: contact }], 'Customer_Ref__c');

		expect((results[0] as CrmError).message).toBe('Salesforce: Session expired or invalid (code INVALID_SESSION_ID)');
		expect((results[0] as CrmError).details).toMatchObject({ retryable: false, code: 'INVALID_SESSION_ID', status: 401 });
		expect((results[0] as CrmError).message).not.toContain(ACCESS_TOKEN);
	});

	it.each(['Id', 'id'])('creates by POST when matched by %s, leaving the unmatched record ID out', async (field) => {
		const scope = api()
			.post('/services/data/v60.0/composite/sobjects')
			.reply(200, fixtureJson('crms/salesforce/collections_create_200.json'));
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(
			crm,
			'Opportunity',
			['006000000000000AAA', '006000000000001AAA'].map((id) => ({ properties: { [field]: id, StageName: 'Closed Won' } })),
			field,
		);

		expect(JSON.parse(sent[0].body as string)).toEqual({
			allOrNone: false,
			records: [
				{ attributes: { type: 'Opportunity' }, StageName: 'Closed Won' },
				{ attributes: { type: 'Opportunity' }, StageName: 'Closed Won' },
			],
		});
		expect(results).toEqual(['001RM000003oLnnYAE', '003RM0000068xV6YAI']);
		scope.done();
	});
	it('creates by POST when matched by a standard field, which Salesforce mostly refuses as an upsert key', async () => {
		const scope = api()
			.post('/services/data/v60.0/composite/sobjects')
			.reply(200, fixtureJson('crms/salesforce/collections_create_200.json'));
		const { tools: crm, sent } = tools();

		const results = await salesforce.create!(crm, 'Contact', [{ properties: { Email: 'jenny.rosen@example.com', LastName: 'Rosen' } }], 'Email');

		expect(sent[0].url).toMatch(/\/composite\/sobjects$/);
		expect(JSON.parse(sent[0].body as string).records).toEqual([{ attributes: { type: 'Contact' }, Email: 'jenny.rosen@example.com', LastName: 'Rosen' }]);
		expect(results[0]).toBe('001RM000003oLnnYAE');
		scope.done();
	});
});

describe('Salesforce credential', () => {
	it('signs in at login.salesforce.com, or test.salesforce.com for a sandbox', () => {
		const credential = new PaymentEventsSalesforceOAuth2Api();
		const auth = credential.properties.find((property) => property.name === 'authUrl')?.default as string;
		expect(auth).toContain('https://test.salesforce.com');
		expect(auth).toContain('https://login.salesforce.com');
		expect(auth.endsWith('/services/oauth2/authorize')).toBe(true);
	});

	it('sends a sandbox org its requests at its sandbox My Domain host', async () => {
		const scope = nock('https://acme--uat.sandbox.my.salesforce.com').get('/services/data/v60.0/query').query(true).reply(200, fixtureJson('crms/salesforce/query_accounts_200.json'));
		const { tools: crm } = channelTools(salesforce, new PaymentEventsSalesforceOAuth2Api(), { ...credentials, environment: 'sandbox', myDomain: 'acme--uat' });

		await salesforce.find(crm, 'Account', 'Name', ['Test 1'], []);

		scope.done();
	});
});
