import nock from 'nock';

import { PaymentEventsDynamicsOAuth2Api } from '../../../credentials/PaymentEventsDynamicsOAuth2Api.credentials';
import { dynamics } from '../../../nodes/crms/dynamics';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureBytes, fixtureJson } from '../providers/fixtures';

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

const fixtureText = (file: string) => fixtureBytes(`crms/dynamics/${file}`).toString('utf8');

/** A $batch answer's headers: multipart/mixed with its boundary (OData 4.0 Part 1, 11.7.4 Responding to a Batch Request). */
const batchAnswer = (boundary: string) => ({ 'Content-Type': `multipart/mixed; boundary=${boundary}`, 'OData-Version': '4.0' });

type Sent = ReturnType<typeof tools>['sent'][number];

function boundaryOf(request: Sent): string {
	const contentType = request.headers['content-type'];
	expect(contentType).toMatch(/^multipart\/mixed; boundary="batch_[^"]+"$/);
	return /boundary="([^"]+)"/.exec(contentType)![1];
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

describe('Dynamics 365 update (PATCH rows in one $batch)', () => {
	const ids = ['85716234-9628-ed11-9db1-000d3a320482', '89716234-9628-ed11-9db1-000d3a320482', '8d716234-9628-ed11-9db1-000d3a320482'];

	it('sends one multipart/mixed $batch of independent PATCH parts with If-Match: * and reads each 204 as that row written', async () => {
		const scope = api()
			.matchHeader('prefer', 'odata.continue-on-error')
			.matchHeader('accept', 'application/json')
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_response_200.txt'), batchAnswer('batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916'));
		const { tools: crm, sent } = tools();

		const results = await dynamics.update(crm, 'contacts', [
			{ id: ids[0], properties: { new_paymentstatus: 'Paid', new_paymentstatusupdatedon: '2024-05-01T10:00:00Z' } },
			{ id: 'x) or (1', properties: { new_paymentstatus: 'Paid' } },
			{ id: ids[1], properties: { new_paymentstatus: 'Refunded' } },
			{ id: ids[2], properties: { new_paymentstatus: "Pending 'partial'" } },
		]);

		expect(sent).toHaveLength(1);
		const boundary = boundaryOf(sent[0]);
		expect(boundary).toMatch(/^batch_[0-9a-f-]{36}$/);
		expect(sent[0]).toMatchObject({ method: 'POST', url: `${HOST}/api/data/v9.2/$batch` });
		expect(sent[0].headers).toMatchObject({ authorization: `Bearer ${ACCESS_TOKEN}`, 'odata-version': '4.0', 'odata-maxversion': '4.0' });
		const part = (id: string, body: string) =>
			[
				`--${boundary}`,
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				`PATCH /api/data/v9.2/contacts(${id}) HTTP/1.1`,
				'Content-Type: application/json; type=entry',
				'If-Match: *',
				'',
				body,
			].join('\r\n');
		expect(sent[0].body).toBe(
			[
				part(ids[0], '{"new_paymentstatus":"Paid","new_paymentstatusupdatedon":"2024-05-01T10:00:00Z"}'),
				part(ids[1], '{"new_paymentstatus":"Refunded"}'),
				part(ids[2], `{"new_paymentstatus":"Pending 'partial'"}`),
				`--${boundary}--`,
				'',
			].join('\r\n'),
		);
		// The documented answer: three 204 parts (and a fourth, for the sample's GET, that no row asked for).
		expect(results.slice(0, 1)).toEqual([ids[0]]);
		expect((results[1] as CrmError).details.code).toBe('INVALID_ID');
		expect(results.slice(2)).toEqual([ids[1], ids[2]]);
		scope.done();
	});

	it('fails only the row whose part is an error, with its Dataverse code and message', async () => {
		api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_continue_on_error_response_200.txt'), batchAnswer('batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139'));
		const { tools: crm } = tools();

		const results = await dynamics.update(
			crm,
			'opportunities',
			ids.map((id) => ({ id, properties: { new_paymentstatus: 'Paid' } })),
		);

		const error = results[0] as CrmError;
		expect(error).toBeInstanceOf(CrmError);
		expect(error.message).toBe(
			"Dynamics 365: A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'. (code 0x80044331)",
		);
		expect(error.details).toMatchObject({ retryable: false, status: 400, code: '0x80044331' });
		expect(results.slice(1)).toEqual([ids[1], ids[2]]);
	});

	it('reads a 429 part as retryable with its Retry-After, and a row the answer leaves out as failed', async () => {
		api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_429_part_response_200.txt'), batchAnswer('batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139'));
		const { tools: crm } = tools();

		const [limited, written, unanswered] = await dynamics.update(
			crm,
			'contacts',
			ids.map((id) => ({ id, properties: { new_paymentstatus: 'Paid' } })),
		);

		expect((limited as CrmError).details).toEqual({ retryable: true, status: 429, code: '0x80072322', retryAfterMs: 12000 });
		expect((limited as CrmError).message).toBe(
			'Dynamics 365: Number of requests exceeded the limit of 6000 over time window of 300 seconds. (code 0x80072322)',
		);
		expect(written).toBe(ids[1]);
		expect((unanswered as CrmError).details).toMatchObject({ retryable: false, code: 'NO_BATCH_RESPONSE' });
	});

	it('reads the parts with CRLF line ends as Dataverse sends them, and finds the boundary in the body when the Content-Type lacks it', async () => {
		const crlf = fixtureText('batch_continue_on_error_response_200.txt').replace(/\n/g, '\r\n');
		api().post('/api/data/v9.2/$batch').reply(200, crlf, batchAnswer('batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139'));
		api().post('/api/data/v9.2/$batch').reply(200, crlf, { 'Content-Type': 'multipart/mixed', 'OData-Version': '4.0' });
		const { tools: crm } = tools();
		const updates = ids.map((id) => ({ id, properties: { new_paymentstatus: 'Paid' } }));

		for (const results of [await dynamics.update(crm, 'contacts', updates), await dynamics.update(crm, 'contacts', updates)]) {
			expect((results[0] as CrmError).details).toMatchObject({ status: 400, code: '0x80044331' });
			expect(results.slice(1)).toEqual([ids[1], ids[2]]);
		}
	});

	it('fails every row when the $batch request itself is refused (401, 429 with Retry-After)', async () => {
		api().post('/api/data/v9.2/$batch').reply(401, '');
		api().post('/api/data/v9.2/$batch').reply(429, '', { 'Retry-After': '30' });
		const { tools: crm, sent } = tools();
		const updates = ids.slice(0, 2).map((id) => ({ id, properties: { new_paymentstatus: 'Paid' } }));

		const unauthorized = (await dynamics.update(crm, 'contacts', updates)) as CrmError[];
		const limited = (await dynamics.update(crm, 'contacts', updates)) as CrmError[];

		expect(sent).toHaveLength(2);
		expect(unauthorized.map((error) => error.details)).toEqual([
			{ retryable: false, status: 401, code: '401', retryAfterMs: undefined },
			{ retryable: false, status: 401, code: '401', retryAfterMs: undefined },
		]);
		expect(unauthorized[0].message).toBe('Dynamics 365: HTTP 401');
		expect(limited.map((error) => error.details)).toEqual([
			{ retryable: true, status: 429, code: '429', retryAfterMs: 30000 },
			{ retryable: true, status: 429, code: '429', retryAfterMs: 30000 },
		]);
		expect(`${unauthorized[0].message} ${limited[0].message}`).not.toContain(ACCESS_TOKEN);
	});

	it('sends nothing when no row has a valid ID', async () => {
		const { tools: crm, sent } = tools();

		const [result] = await dynamics.update(crm, 'contacts', [{ id: 'not-a-guid', properties: { new_paymentstatus: 'Paid' } }]);

		expect(sent).toHaveLength(0);
		expect((result as CrmError).details.code).toBe('INVALID_ID');
	});
});

describe('Dynamics 365 create (POST, or upsert by alternate key, in one $batch)', () => {
	it('POSTs each row in one $batch when matched by the primary key and reads the new row IDs from the OData-EntityId of each 204', async () => {
		const scope = api()
			.matchHeader('prefer', 'odata.continue-on-error')
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_response_200.txt'), batchAnswer('batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916'));
		const { tools: crm, sent } = tools();
		const creates: Array<{ properties: Record<string, string> }> = [
			{ properties: { contactid: '00000000-0000-0000-0000-000000000001', lastname: 'Rosen', new_paymentstatus: 'Paid' } },
			{ properties: { contactid: '00000000-0000-0000-0000-000000000002', new_paymentstatus: 'Pending' } },
			{ properties: { contactid: '00000000-0000-0000-0000-000000000003', new_paymentstatus: 'Failed' } },
		];

		const results = await dynamics.create!(crm, 'contacts', creates, 'contactid');

		expect(sent).toHaveLength(1);
		const boundary = boundaryOf(sent[0]);
		const part = (body: object) =>
			[
				`--${boundary}`,
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				'POST /api/data/v9.2/contacts HTTP/1.1',
				'Content-Type: application/json; type=entry',
				'',
				JSON.stringify(body),
			].join('\r\n');
		expect(sent[0].body).toBe([...creates.map(({ properties }) => part(properties)), `--${boundary}--`, ''].join('\r\n'));
		// The documented answer is to three task creates: only the row ID in each OData-EntityId is read.
		expect(results).toEqual(['d31ba648-c592-ed11-aad1-000d3a993550', 'd41ba648-c592-ed11-aad1-000d3a993550', 'd51ba648-c592-ed11-aad1-000d3a993550']);
		scope.done();
	});

	it('upserts by an alternate key (PATCH accounts(accountnumber=…)), the key out of the body, and reads the row ID of the 201 and the 200', async () => {
		const scope = api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_upsert_response_200.txt'), batchAnswer('batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916'));
		const { tools: crm, sent } = tools();

		const results = await dynamics.create!(
			crm,
			'accounts',
			[
				{ properties: { accountnumber: 'ABC123', new_paymentstatus: 'Paid' } },
				{ properties: { accountnumber: "O'Brien 7#", new_paymentstatus: 'Refunded' } },
			],
			'accountnumber',
		);

		expect(sent).toHaveLength(1);
		const boundary = boundaryOf(sent[0]);
		const part = (url: string, body: string) =>
			[
				`--${boundary}`,
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				`PATCH ${url} HTTP/1.1`,
				'Content-Type: application/json; type=entry',
				'Prefer: return=representation',
				'',
				body,
			].join('\r\n');
		expect(sent[0].body).toBe(
			[
				part("/api/data/v9.2/accounts(accountnumber='ABC123')?$select=accountid", '{"new_paymentstatus":"Paid"}'),
				part("/api/data/v9.2/accounts(accountnumber='O''Brien%207%23')?$select=accountid", '{"new_paymentstatus":"Refunded"}'),
				`--${boundary}--`,
				'',
			].join('\r\n'),
		);
		// 201 Created (Create with data returned) and 200 OK (Update with data returned), each with the primary key.
		expect(results).toEqual(['d6f193fc-ce85-e611-80d8-00155d2a68de', '00000000-0000-0000-0000-000000000001']);
		scope.done();
	});

	it('creates a contact matched by emailaddress1 (no alternate key) with a second $batch of POSTs when Dataverse refuses the key', async () => {
		api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_alternate_key_not_valid_response_200.txt'), batchAnswer('batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139'));
		api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_response_200.txt'), batchAnswer('batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916'));
		const { tools: crm, sent } = tools();
		const creates: Array<{ properties: Record<string, string> }> = [
			{ properties: { emailaddress1: 'jenny@example.com', lastname: 'Rosen', new_paymentstatus: 'Paid' } },
			// "+" cannot stand in a key predicate: this row is POSTed without trying the key.
			{ properties: { emailaddress1: "o'brien+pay@example.com", new_paymentstatus: 'Pending' } },
		];

		const results = await dynamics.create!(crm, 'contacts', creates, 'emailaddress1');

		expect(sent).toHaveLength(2);
		const [upsert, post] = sent;
		const upsertBoundary = boundaryOf(upsert);
		expect(upsert.body).toBe(
			[
				`--${upsertBoundary}`,
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				"PATCH /api/data/v9.2/contacts(emailaddress1='jenny@example.com')?$select=contactid HTTP/1.1",
				'Content-Type: application/json; type=entry',
				'Prefer: return=representation',
				'',
				'{"lastname":"Rosen","new_paymentstatus":"Paid"}',
				`--${upsertBoundary}--`,
				'',
			].join('\r\n'),
		);
		const postBoundary = boundaryOf(post);
		expect(postBoundary).not.toBe(upsertBoundary);
		const part = (body: object) =>
			[
				`--${postBoundary}`,
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'',
				'POST /api/data/v9.2/contacts HTTP/1.1',
				'Content-Type: application/json; type=entry',
				'',
				JSON.stringify(body),
			].join('\r\n');
		expect(post.body).toBe([part(creates[0].properties), part(creates[1].properties), `--${postBoundary}--`, ''].join('\r\n'));
		expect(results).toEqual(['d31ba648-c592-ed11-aad1-000d3a993550', 'd41ba648-c592-ed11-aad1-000d3a993550']);
	});

	it('keeps any other upsert error as that row failed, without a fallback POST', async () => {
		api()
			.post('/api/data/v9.2/$batch')
			.reply(200, fixtureText('batch_429_part_response_200.txt'), batchAnswer('batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139'));
		const { tools: crm, sent } = tools();

		const [limited] = await dynamics.create!(crm, 'accounts', [{ properties: { accountnumber: 'ABC123', new_paymentstatus: 'Paid' } }], 'accountnumber');

		expect(sent).toHaveLength(1);
		expect((limited as CrmError).details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 12000 });
	});

	it('fails every row, without a fallback POST, when the $batch request itself is refused with 401', async () => {
		api().post('/api/data/v9.2/$batch').reply(401, '');
		const { tools: crm, sent } = tools();
		const creates = [{ properties: { emailaddress1: 'a@example.com' } }, { properties: { emailaddress1: 'b@example.com' } }];

		const results = await dynamics.create!(crm, 'contacts', creates, 'emailaddress1');

		expect(sent).toHaveLength(1);
		expect(results.map((result) => (result as CrmError).details.status)).toEqual([401, 401]);
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
