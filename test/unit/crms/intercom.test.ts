import nock from 'nock';

import { PaymentEventsIntercomApi } from '../../../credentials/PaymentEventsIntercomApi.credentials';
import { intercom } from '../../../nodes/crms/intercom';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/intercom (Intercom's official Node SDK wire tests and OpenAPI examples, see SOURCES.md there).
const TOKEN = 'dG9rOnRlc3Q6bm90LWEtcmVhbC1zZWNyZXQ=';
const HOST = 'https://api.intercom.io';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const reqheaders = { authorization: `Bearer ${TOKEN}`, 'intercom-version': '2.14', 'content-type': 'application/json' };

function tools(values: Record<string, string> = {}) {
	return channelTools(intercom, new PaymentEventsIntercomApi(), { accessToken: TOKEN, ...values }).tools;
}

async function failure(run: () => Promise<unknown>): Promise<CrmError> {
	try {
		await run();
	} catch (error) {
		if (error instanceof CrmError) return error;
		throw error;
	}
	throw new Error('expected a CrmError');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
	jest.useRealTimers();
});
afterAll(() => nock.enableNetConnect());

describe('Intercom find', () => {
	it('searches several emails with the IN operator and reads custom attributes; an email nothing matches is left out', async () => {
		let body: unknown;
		nock(HOST, { reqheaders })
			.post('/contacts/search', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('crms/intercom/search_contacts_200.json'), JSON_HEADERS)
			// The sample's `pages.next` asks for another page; that page holds nothing for the missing email.
			.post('/contacts/search', (sent) => sent.pagination.starting_after === 'your-cursor-from-response')
			.reply(200, fixtureJson('crms/intercom/contact_list_empty_200.json'), JSON_HEADERS);

		const found = await intercom.find(tools(), 'contacts', 'email', ['Joe@Example.com', 'nobody@example.com'], ['key', 'name', 'payment_status']);

		expect(body).toEqual({
			query: { field: 'email', operator: 'IN', value: ['Joe@Example.com', 'nobody@example.com'] },
			pagination: { per_page: 150 },
		});
		expect([...found.entries()]).toEqual([
			['Joe@Example.com', { id: '5ba682d23d7cf92bef87bfd4', properties: { key: 'value', name: 'John Doe', payment_status: undefined } }],
		]);
	});

	it('searches one external id with the = operator, without following pages once every value is found', async () => {
		let body: unknown;
		nock(HOST, { reqheaders })
			.post('/contacts/search', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('crms/intercom/search_contacts_200.json'), JSON_HEADERS);

		const found = await intercom.find(tools(), 'contacts', 'external_id', ['f3b87a2e09d514c6c2e79b9a'], ['key']);

		expect(body).toEqual({
			query: { field: 'external_id', operator: '=', value: 'f3b87a2e09d514c6c2e79b9a' },
			pagination: { per_page: 150 },
		});
		expect(found.get('f3b87a2e09d514c6c2e79b9a')).toEqual({ id: '5ba682d23d7cf92bef87bfd4', properties: { key: 'value' } });
	});

	it('searches by contact id', async () => {
		let body: unknown;
		nock(HOST, { reqheaders })
			.post('/contacts/search', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, fixtureJson('crms/intercom/search_contacts_200.json'), JSON_HEADERS);

		const found = await intercom.find(tools(), 'contacts', 'id', ['5ba682d23d7cf92bef87bfd4'], ['key']);

		expect(body).toEqual({ query: { field: 'id', operator: '=', value: '5ba682d23d7cf92bef87bfd4' }, pagination: { per_page: 150 } });
		expect(found.get('5ba682d23d7cf92bef87bfd4')?.id).toBe('5ba682d23d7cf92bef87bfd4');
	});

	it('calls the regional host the credential names', async () => {
		nock('https://api.eu.intercom.io', { reqheaders })
			.post('/contacts/search')
			.reply(200, fixtureJson('crms/intercom/search_contacts_200.json'), JSON_HEADERS);

		const found = await intercom.find(tools({ environment: 'eu' }), 'contacts', 'id', ['5ba682d23d7cf92bef87bfd4'], []);

		expect(found.size).toBe(1);
	});

	it('turns the documented 401 into a CrmError with Intercom\'s message and code, without the token', async () => {
		nock(HOST).post('/contacts/search').reply(401, fixtureJson('crms/intercom/error_unauthorized_401.json'), JSON_HEADERS);

		const error = await failure(() => intercom.find(tools(), 'contacts', 'email', ['joe@example.com'], []));

		expect(error.message).toBe('Intercom: Access Token Invalid (code unauthorized)');
		expect(error.details).toMatchObject({ retryable: false, code: 'unauthorized', status: 401 });
		expect(error.message).not.toContain(TOKEN);
	});

	it('a 429 is retryable after the X-RateLimit-Reset second', async () => {
		jest.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		const reset = Date.parse('2026-11-21T12:00:10Z') / 1000;
		nock(HOST).post('/contacts/search').reply(429, '', { 'X-RateLimit-Limit': '10000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) });

		const error = await failure(() => intercom.find(tools(), 'contacts', 'email', ['joe@example.com'], []));

		expect(error.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 10_000 });
	});

	it('a 429 with Retry-After and a 5xx are retryable', async () => {
		nock(HOST).post('/contacts/search').reply(429, '', { 'Retry-After': '3' }).post('/contacts/search').reply(503, '');

		expect((await failure(() => intercom.find(tools(), 'contacts', 'email', ['a@example.com'], []))).details).toMatchObject({
			retryable: true,
			retryAfterMs: 3000,
		});
		expect((await failure(() => intercom.find(tools(), 'contacts', 'email', ['a@example.com'], []))).details).toMatchObject({
			retryable: true,
			status: 503,
		});
	});
});

describe('Intercom update', () => {
	it('puts the properties as custom attributes, then records the payment as a data event on the contact', async () => {
		jest.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		const sent: unknown[] = [];
		nock(HOST, { reqheaders })
			.put('/contacts/63a07ddf05a32042dffac965', (body) => {
				sent.push(body);
				return true;
			})
			.reply(200, fixtureJson('crms/intercom/update_contact_200.json'), JSON_HEADERS)
			.post('/events', (body) => {
				sent.push(body);
				return true;
			})
			.reply(202, '');
		const properties = { payment_status: 'Paid', payment_amount: '20.00', payment_status_updated_at: '2026-11-21T11:59:00.000Z' };

		const results = await intercom.update(tools(), 'contacts', [{ id: '63a07ddf05a32042dffac965', properties }]);

		expect(results).toEqual(['63a07ddf05a32042dffac965']);
		expect(sent).toEqual([
			{ custom_attributes: properties },
			{ event_name: 'payment-received', created_at: Date.parse('2026-11-21T12:00:00Z') / 1000, id: '63a07ddf05a32042dffac965', metadata: properties },
		]);
	});

	it('a refused update is that contact\'s error and posts no event; the next contact is still written', async () => {
		nock(HOST)
			.put('/contacts/a1')
			.reply(401, fixtureJson('crms/intercom/error_unauthorized_401.json'), JSON_HEADERS)
			.put('/contacts/63a07ddf05a32042dffac965')
			.reply(200, fixtureJson('crms/intercom/update_contact_200.json'), JSON_HEADERS)
			.post('/events')
			.reply(202, '');

		const results = await intercom.update(tools(), 'contacts', [
			{ id: 'a1', properties: { payment_status: 'Paid' } },
			{ id: '63a07ddf05a32042dffac965', properties: { payment_status: 'Paid' } },
		]);

		expect(results[0]).toBeInstanceOf(CrmError);
		expect((results[0] as CrmError).message).toBe('Intercom: Access Token Invalid (code unauthorized)');
		expect(results[1]).toBe('63a07ddf05a32042dffac965');
	});

	it('a failed event makes the update retryable, as the attributes are written again unchanged', async () => {
		nock(HOST).put('/contacts/63a07ddf05a32042dffac965').reply(200, fixtureJson('crms/intercom/update_contact_200.json'), JSON_HEADERS).post('/events').reply(500, '');

		const [result] = await intercom.update(tools(), 'contacts', [{ id: '63a07ddf05a32042dffac965', properties: { payment_status: 'Paid' } }]);

		expect(result).toBeInstanceOf(CrmError);
		expect((result as CrmError).details).toMatchObject({ retryable: true, status: 500 });
	});

	it('keeps at most 10 metadata keys on the event', async () => {
		let event: { metadata: Record<string, string> } | undefined;
		nock(HOST)
			.put('/contacts/63a07ddf05a32042dffac965')
			.reply(200, fixtureJson('crms/intercom/update_contact_200.json'), JSON_HEADERS)
			.post('/events', (body) => {
				event = body;
				return true;
			})
			.reply(202, '');
		const properties = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, String(i)]));

		await intercom.update(tools(), 'contacts', [{ id: '63a07ddf05a32042dffac965', properties }]);

		expect(Object.keys(event!.metadata)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
	});
});

describe('Intercom create', () => {
	it('creates the contact with its email at the top level and the rest as custom attributes, then records the event', async () => {
		const sent: unknown[] = [];
		nock(HOST, { reqheaders })
			.post('/contacts', (body) => {
				sent.push(body);
				return true;
			})
			.reply(200, fixtureJson('crms/intercom/create_contact_200.json'), JSON_HEADERS)
			.post('/events', (body) => {
				sent.push(body);
				return true;
			})
			.reply(202, '');

		const results = await intercom.create!(tools(), 'contacts', [{ properties: { email: 'joebloggs@intercom.io', payment_status: 'Paid' } }]);

		expect(results).toEqual(['6762f0dd1bb69f9f2193bb83']);
		expect(sent[0]).toEqual({ email: 'joebloggs@intercom.io', custom_attributes: { payment_status: 'Paid' } });
		expect(sent[1]).toMatchObject({ event_name: 'payment-received', id: '6762f0dd1bb69f9f2193bb83', metadata: { payment_status: 'Paid' } });
	});

	it('a refused create is a CrmError with Intercom\'s message', async () => {
		nock(HOST).post('/contacts').reply(401, fixtureJson('crms/intercom/error_unauthorized_401.json'), JSON_HEADERS);

		const [result] = await intercom.create!(tools(), 'contacts', [{ properties: { email: 'joebloggs@intercom.io' } }]);

		expect((result as CrmError).message).toBe('Intercom: Access Token Invalid (code unauthorized)');
	});
});
