import nock from 'nock';

import { PaymentEventsDynamicsOAuth2Api } from '../../../credentials/PaymentEventsDynamicsOAuth2Api.credentials';
import { dynamics } from '../../../nodes/crms/dynamics';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/dynamics (Dataverse Web API docs, see SOURCES.md there).
const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.dataverse';
const credentials = { organizationHost: 'contoso.crm.dynamics.com', oauthTokenData: { access_token: ACCESS_TOKEN } };
const HOST = 'https://contoso.crm.dynamics.com';
const api = () => nock(HOST, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}`, 'odata-version': '4.0', 'odata-maxversion': '4.0' } });
const tools = () => channelTools(dynamics, new PaymentEventsDynamicsOAuth2Api(), credentials);

async function failure(promise: Promise<unknown>): Promise<CrmError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmError) return error;
		throw error;
	}
	throw new Error('expected a CrmError');
}

function query(url: string): { path: string; select: string | null; filter: string | null } {
	const parsed = new URL(url);
	return { path: parsed.pathname, select: parsed.searchParams.get('$select'), filter: parsed.searchParams.get('$filter') };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Dynamics 365 find (Web API query with $filter)', () => {
	it('finds contacts by ID in one $filter of or conditions and reads the selected columns as text', async () => {
		const scope = api().get('/api/data/v9.2/contacts').query(true).reply(200, fixtureJson('crms/dynamics/contacts_query_200.json'));
		const { tools: crm, sent } = tools();

		const found = await dynamics.find(
			crm,
			'contacts',
			'contactid',
			['85716234-9628-ed11-9db1-000d3a320482', '89716234-9628-ED11-9DB1-000D3A320482', '00000000-0000-0000-0000-000000000001'],
			['fullname', 'annualincome'],
		);

		expect(sent).toHaveLength(1);
		expect(sent[0].method).toBe('GET');
		expect(sent[0].headers).toMatchObject({ authorization: `Bearer ${ACCESS_TOKEN}`, accept: 'application/json', 'odata-version': '4.0' });
		expect(sent[0].url).toContain(`${HOST}/api/data/v9.2/contacts?$select=contactid,fullname,annualincome&$filter=`);
		expect(query(sent[0].url)).toEqual({
			path: '/api/data/v9.2/contacts',
			select: 'contactid,fullname,annualincome',
			filter:
				'contactid eq 85716234-9628-ed11-9db1-000d3a320482 or contactid eq 89716234-9628-ED11-9DB1-000D3A320482 or contactid eq 00000000-0000-0000-0000-000000000001',
		});
		expect([...found.entries()]).toEqual([
			[
				'85716234-9628-ed11-9db1-000d3a320482',
				{
					id: '85716234-9628-ed11-9db1-000d3a320482',
					properties: { contactid: '85716234-9628-ed11-9db1-000d3a320482', fullname: 'Susanna Stubberod (sample)', annualincome: '52000' },
				},
			],
			[
				'89716234-9628-ED11-9DB1-000D3A320482',
				{
					id: '89716234-9628-ed11-9db1-000d3a320482',
					properties: { contactid: '89716234-9628-ed11-9db1-000d3a320482', fullname: 'Nancy Anderson (sample)', annualincome: '55500' },
				},
			],
		]);
		scope.done();
	});

	it('finds contacts by email with quoted literals, a single quote doubled and special characters URL-encoded', async () => {
		api().get('/api/data/v9.2/contacts').query(true).reply(200, fixtureJson('crms/dynamics/contacts_query_200.json'));
		const { tools: crm, sent } = tools();

		const found = await dynamics.find(crm, 'contacts', 'emailaddress1', ["o'brien+pay@example.com", 'jenny@example.com'], ['new_paymentstatus']);

		expect(sent[0].url).toContain('$filter=emailaddress1%20eq%20');
		expect(sent[0].url).toContain('o%27%27brien%2Bpay%40example.com');
		expect(query(sent[0].url)).toMatchObject({
			select: 'contactid,emailaddress1,new_paymentstatus',
			filter: "emailaddress1 eq 'o''brien+pay@example.com' or emailaddress1 eq 'jenny@example.com'",
		});
		// The sample's rows carry no emailaddress1: nothing matches.
		expect(found.size).toBe(0);
	});

	it('queries opportunities by name, keyed by opportunityid, and skips an ID that is not a GUID', async () => {
		// Only the request is checked: the documented sample answers for contacts, whose rows carry no opportunityid.
		api().get('/api/data/v9.2/opportunities').query(true).reply(200, fixtureJson('crms/dynamics/contacts_query_200.json'));
		const { tools: crm, sent } = tools();

		const byName = await dynamics.find(crm, 'opportunities', 'name', ['Invoice INV-0042'], ['new_paymentstatus']);
		const none = await dynamics.find(crm, 'opportunities', 'opportunityid', ['not-a-guid'], []);

		expect(query(sent[0].url)).toMatchObject({ select: 'opportunityid,name,new_paymentstatus', filter: "name eq 'Invoice INV-0042'" });
		expect(byName.size).toBe(0);
		expect(none.size).toBe(0);
		expect(sent).toHaveLength(1);
	});

	it("turns Dataverse's error body into a CrmError with its message", async () => {
		api().get('/api/data/v9.2/contacts').query(true).reply(404, fixtureJson('crms/dynamics/not_found_404.json'));
		const { tools: crm } = tools();

		const error = await failure(dynamics.find(crm, 'contacts', 'emailaddress1', ['a@example.com'], []));

		expect(error.message).toBe('Dynamics 365: account With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist');
		expect(error.details).toMatchObject({ retryable: false, status: 404 });
		expect(error.message).not.toContain(ACCESS_TOKEN);
	});

	it('marks 429 (with Retry-After) and 5xx retryable', async () => {
		api().get('/api/data/v9.2/contacts').query(true).reply(429, '', { 'Retry-After': '12' });
		api().get('/api/data/v9.2/contacts').query(true).reply(503, '');
		const { tools: crm } = tools();

		const limited = await failure(dynamics.find(crm, 'contacts', 'emailaddress1', ['a@example.com'], []));
		const down = await failure(dynamics.find(crm, 'contacts', 'emailaddress1', ['a@example.com'], []));

		expect(limited.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 12000 });
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
		expect(`${limited.message} ${down.message}`).not.toContain(ACCESS_TOKEN);
	});
});

describe('Dynamics 365 update (PATCH a row)', () => {
	it('patches each row with If-Match: * and reads 204 as written, a 404 as that row failed', async () => {
		const ok = api()
			.matchHeader('if-match', '*')
			.patch('/api/data/v9.2/contacts(85716234-9628-ed11-9db1-000d3a320482)', { new_paymentstatus: 'Paid', new_paymentstatusupdatedon: '2024-05-01T10:00:00Z' })
			.reply(204, '', { 'OData-Version': '4.0' });
		api()
			.patch('/api/data/v9.2/contacts(00000000-0000-0000-0000-000000000001)')
			.reply(404, fixtureJson('crms/dynamics/not_found_404.json'));
		const { tools: crm, sent } = tools();

		const results = await dynamics.update(crm, 'contacts', [
			{ id: '85716234-9628-ed11-9db1-000d3a320482', properties: { new_paymentstatus: 'Paid', new_paymentstatusupdatedon: '2024-05-01T10:00:00Z' } },
			{ id: '00000000-0000-0000-0000-000000000001', properties: { new_paymentstatus: 'Refunded' } },
			{ id: 'x) or (1', properties: { new_paymentstatus: 'Paid' } },
		]);

		expect(sent).toHaveLength(2);
		expect(sent[0]).toMatchObject({ method: 'PATCH', url: `${HOST}/api/data/v9.2/contacts(85716234-9628-ed11-9db1-000d3a320482)` });
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(results[0]).toBe('85716234-9628-ed11-9db1-000d3a320482');
		expect((results[1] as CrmError).message).toBe('Dynamics 365: account With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist');
		expect((results[2] as CrmError).details.code).toBe('INVALID_ID');
		ok.done();
	});

	it('reports a 412 precondition failure and a 503 per row', async () => {
		api().patch('/api/data/v9.2/opportunities(85716234-9628-ed11-9db1-000d3a320482)').reply(412, fixtureJson('crms/dynamics/precondition_failed_412.json'));
		api().patch('/api/data/v9.2/opportunities(89716234-9628-ed11-9db1-000d3a320482)').reply(503, '');
		const { tools: crm } = tools();

		const [conflict, down] = (await dynamics.update(crm, 'opportunities', [
			{ id: '85716234-9628-ed11-9db1-000d3a320482', properties: { new_paymentstatus: 'Paid' } },
			{ id: '89716234-9628-ed11-9db1-000d3a320482', properties: { new_paymentstatus: 'Paid' } },
		])) as CrmError[];

		expect(conflict.message).toBe('Dynamics 365: A record with matching key values already exists.');
		expect(conflict.details).toMatchObject({ retryable: false, status: 412 });
		expect(down.details).toMatchObject({ retryable: true, status: 503 });
	});
});

describe('Dynamics 365 create (POST to the entity set)', () => {
	it('posts the columns and reads the new row ID from the OData-EntityId header of the 204', async () => {
		const scope = api()
			.post('/api/data/v9.2/contacts', { emailaddress1: 'jenny@example.com', lastname: 'Rosen', new_paymentstatus: 'Paid' })
			.reply(204, '', {
				'OData-Version': '4.0',
				'OData-EntityId': `${HOST}/api/data/v9.2/contacts(7eb682f1-ca75-e511-80d4-00155d2a68d1)`,
			});
		api().post('/api/data/v9.2/contacts').reply(412, fixtureJson('crms/dynamics/precondition_failed_412.json'));
		const { tools: crm, sent } = tools();

		const results = await dynamics.create!(crm, 'contacts', [
			{ properties: { emailaddress1: 'jenny@example.com', lastname: 'Rosen', new_paymentstatus: 'Paid' } },
			{ properties: { emailaddress1: 'jenny@example.com' } },
		]);

		expect(sent[0]).toMatchObject({ method: 'POST', url: `${HOST}/api/data/v9.2/contacts` });
		expect(results[0]).toBe('7eb682f1-ca75-e511-80d4-00155d2a68d1');
		expect((results[1] as CrmError).message).toBe('Dynamics 365: A record with matching key values already exists.');
		scope.done();
	});
});

describe('Dynamics 365 credential', () => {
	it('asks Microsoft Entra ID for a token to the organization and calls its host', () => {
		const credential = new PaymentEventsDynamicsOAuth2Api();
		const scope = credential.properties.find((property) => property.name === 'scope')?.default;
		expect(scope).toBe('=https://{{$self["organizationHost"]}}/user_impersonation offline_access');
		expect(credential.test.request.baseURL).toContain('$credentials.organizationHost');
	});
});
