import { createHash } from 'node:crypto';

import nock from 'nock';

import { PaymentEventsKlaviyoApi } from '../../../credentials/PaymentEventsKlaviyoApi.credentials';
import { klaviyo } from '../../../nodes/crms/klaviyo';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/klaviyo (built from the field examples of Klaviyo's OpenAPI spec, see SOURCES.md there).
const API_KEY = 'pk_test_not_a_real_secret_0123456789';
const HOST = 'https://a.klaviyo.com';
const JSON_API = { 'Content-Type': 'application/vnd.api+json' };
const reqheaders = {
	authorization: `Klaviyo-API-Key ${API_KEY}`,
	revision: '2026-07-15',
	accept: 'application/vnd.api+json',
};
const PROFILE_ID = '01GDDKASAP8TKDDA2GRZDSVP4H';

function tools() {
	return channelTools(klaviyo, new PaymentEventsKlaviyoApi(), { apiKey: API_KEY }).tools;
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
});
afterAll(() => nock.enableNetConnect());

describe('Klaviyo find', () => {
	it('filters several emails with any() and reads custom and standard properties; an email nothing matches is left out', async () => {
		nock(HOST, { reqheaders })
			.get('/api/profiles/')
			.query({ filter: 'any(email,["Sarah.Mason@klaviyo-demo.com","nobody@example.com"])', 'page[size]': '100' })
			.reply(200, fixtureJson('crms/klaviyo/get_profiles_200.json'), JSON_API);

		const found = await klaviyo.find(
			tools(),
			'profiles',
			'email',
			['Sarah.Mason@klaviyo-demo.com', 'nobody@example.com'],
			['pseudonym', 'first_name', 'payment_status'],
		);

		expect([...found.entries()]).toEqual([
			[
				'Sarah.Mason@klaviyo-demo.com',
				{ id: PROFILE_ID, properties: { pseudonym: 'Dr. Octopus', first_name: 'Sarah', payment_status: undefined } },
			],
		]);
	});

	it('filters one phone number with equals()', async () => {
		nock(HOST, { reqheaders })
			.get('/api/profiles/')
			.query({ filter: 'equals(phone_number,"+15005550006")', 'page[size]': '100' })
			.reply(200, fixtureJson('crms/klaviyo/get_profiles_200.json'), JSON_API);

		const found = await klaviyo.find(tools(), 'profiles', 'phone_number', ['+15005550006'], ['pseudonym']);

		expect(found.get('+15005550006')).toEqual({ id: PROFILE_ID, properties: { pseudonym: 'Dr. Octopus' } });
	});

	it('filters by external id and by profile id', async () => {
		nock(HOST, { reqheaders })
			.get('/api/profiles/')
			.query({ filter: 'equals(external_id,"cus_42")', 'page[size]': '100' })
			.reply(200, { data: [], links: { self: 'https://a.klaviyo.com/api/profiles/', next: null, prev: null } }, JSON_API)
			.get('/api/profiles/')
			.query({ filter: `equals(id,"${PROFILE_ID}")`, 'page[size]': '100' })
			.reply(200, fixtureJson('crms/klaviyo/get_profiles_200.json'), JSON_API);

		expect((await klaviyo.find(tools(), 'profiles', 'external_id', ['cus_42'], [])).size).toBe(0);
		expect((await klaviyo.find(tools(), 'profiles', 'id', [PROFILE_ID], [])).get(PROFILE_ID)?.id).toBe(PROFILE_ID);
	});

	it('follows links.next while values are missing', async () => {
		const next = 'https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=bmV4dDo6aWQ6OjQzOTk&page%5Bsize%5D=100';
		nock(HOST, { reqheaders })
			.get('/api/profiles/')
			.query(true)
			.reply(200, { data: [], links: { self: 'https://a.klaviyo.com/api/profiles/', next } }, JSON_API)
			.get('/api/profiles/')
			.query({ 'page[cursor]': 'bmV4dDo6aWQ6OjQzOTk', 'page[size]': '100' })
			.reply(200, fixtureJson('crms/klaviyo/get_profiles_200.json'), JSON_API);

		const found = await klaviyo.find(tools(), 'profiles', 'email', ['sarah.mason@klaviyo-demo.com'], []);

		expect(found.get('sarah.mason@klaviyo-demo.com')?.id).toBe(PROFILE_ID);
	});

	it('turns the documented error body into a CrmError with Klaviyo\'s detail and code, without the key', async () => {
		nock(HOST).get('/api/profiles/').query(true).reply(400, fixtureJson('crms/klaviyo/error_400.json'), JSON_API);

		const error = await failure(() => klaviyo.find(tools(), 'profiles', 'email', ['a@example.com'], []));

		expect(error.message).toBe('Klaviyo: The payload provided in the request is invalid. (code invalid)');
		expect(error.details).toMatchObject({ retryable: false, code: 'invalid', status: 400 });
		expect(error.message).not.toContain(API_KEY);
	});

	it('429 (Retry-After) and 5xx are retryable', async () => {
		nock(HOST).get('/api/profiles/').query(true).reply(429, '', { 'Retry-After': '2' }).get('/api/profiles/').query(true).reply(502, '');

		expect((await failure(() => klaviyo.find(tools(), 'profiles', 'email', ['a@example.com'], []))).details).toMatchObject({
			retryable: true,
			status: 429,
			retryAfterMs: 2000,
		});
		expect((await failure(() => klaviyo.find(tools(), 'profiles', 'email', ['a@example.com'], []))).details).toMatchObject({
			retryable: true,
			status: 502,
		});
	});
});

describe('Klaviyo update', () => {
	const properties = { payment_status: 'Paid', payment_amount: '20.00', payment_status_updated_at: '2026-11-21T11:59:00.000Z' };

	it('patches the profile properties, then posts a Payment Received event keyed for retries', async () => {
		const sent: unknown[] = [];
		nock(HOST, { reqheaders: { ...reqheaders, 'content-type': 'application/vnd.api+json' } })
			.patch(`/api/profiles/${PROFILE_ID}/`, (body) => {
				sent.push(body);
				return true;
			})
			.reply(200, fixtureJson('crms/klaviyo/profile_200.json'), JSON_API)
			.post('/api/events/', (body) => {
				sent.push(body);
				return true;
			})
			.reply(202, '');

		const results = await klaviyo.update(tools(), 'profiles', [{ id: PROFILE_ID, properties }]);

		expect(results).toEqual([PROFILE_ID]);
		expect(sent).toEqual([
			{ data: { type: 'profile', id: PROFILE_ID, attributes: { properties } } },
			{
				data: {
					type: 'event',
					attributes: {
						properties,
						unique_id: createHash('sha256').update(JSON.stringify([PROFILE_ID, properties])).digest('hex'),
						metric: { data: { type: 'metric', attributes: { name: 'Payment Received' } } },
						profile: { data: { type: 'profile', id: PROFILE_ID, attributes: {} } },
					},
				},
			},
		]);
	});

	it('a refused patch is that profile\'s error and posts no event', async () => {
		nock(HOST).patch(`/api/profiles/${PROFILE_ID}/`).reply(400, fixtureJson('crms/klaviyo/error_400.json'), JSON_API);

		const [result] = await klaviyo.update(tools(), 'profiles', [{ id: PROFILE_ID, properties }]);

		expect(result).toBeInstanceOf(CrmError);
		expect((result as CrmError).details).toMatchObject({ retryable: false, code: 'invalid', status: 400 });
	});

	it('a throttled event makes the write retryable', async () => {
		nock(HOST)
			.patch(`/api/profiles/${PROFILE_ID}/`)
			.reply(200, fixtureJson('crms/klaviyo/profile_200.json'), JSON_API)
			.post('/api/events/')
			.reply(429, '', { 'Retry-After': '1' });

		const [result] = await klaviyo.update(tools(), 'profiles', [{ id: PROFILE_ID, properties }]);

		expect((result as CrmError).details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 1000 });
	});
});

describe('Klaviyo create', () => {
	it('creates the profile with its email as an attribute and the rest as properties, then posts the event', async () => {
		const sent: Array<{ data: { attributes: Record<string, unknown> } }> = [];
		nock(HOST, { reqheaders })
			.post('/api/profiles/', (body) => {
				sent.push(body);
				return true;
			})
			.reply(201, fixtureJson('crms/klaviyo/profile_200.json'), JSON_API)
			.post('/api/events/', (body) => {
				sent.push(body);
				return true;
			})
			.reply(202, '');

		const results = await klaviyo.create!(tools(), 'profiles', [{ properties: { email: 'sarah.mason@klaviyo-demo.com', payment_status: 'Paid' } }]);

		expect(results).toEqual([PROFILE_ID]);
		expect(sent[0]).toEqual({
			data: { type: 'profile', attributes: { email: 'sarah.mason@klaviyo-demo.com', properties: { payment_status: 'Paid' } } },
		});
		expect(sent[1].data.attributes).toMatchObject({ properties: { payment_status: 'Paid' }, profile: { data: { id: PROFILE_ID } } });
	});

	it('a refused create is a CrmError', async () => {
		nock(HOST).post('/api/profiles/').reply(400, fixtureJson('crms/klaviyo/error_400.json'), JSON_API);

		const [result] = await klaviyo.create!(tools(), 'profiles', [{ properties: { email: 'not-an-email' } }]);

		expect((result as CrmError).message).toBe('Klaviyo: The payload provided in the request is invalid. (code invalid)');
	});
});
