import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PaymentEventsHubSpotApi } from '../../credentials/PaymentEventsHubSpotApi.credentials';
import { CrmPaymentSync } from '../../nodes/CrmPaymentSync/CrmPaymentSync.node';
import { normalizeManualEntry, type ManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

// CRM Payment Sync on HubSpot, end to end: canonical events (as Payment Normalize makes them) in, HubSpot's documented answers
// (test/fixtures/crms/hubspot, see SOURCES.md there) back, the Records and Audit outputs checked.
const TOKEN = 'pat-na1-node-test-token-not-a-real-secret';
const HOST = 'https://api.hubapi.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const EMAIL = 'jenny.rosen@example.com';

interface HubSpotRecord {
	id: string;
	properties: Record<string, string>;
}
interface BatchResponse {
	results: HubSpotRecord[];
}

function event(status: ManualEntry['status'], occurredAt: string, overrides: Partial<ManualEntry> = {}): IDataObject {
	return normalizeManualEntry(
		{
			amount: '49.90',
			amountFormat: 'decimal',
			currency: 'USD',
			status,
			kind: 'payment',
			reference: 'INV-0042',
			entryId: `${status}-${occurredAt}`,
			occurredAt,
			customer: { name: 'Jenny Rosen', email: EMAIL },
			invoice: { number: 'INV-0042', url: 'https://pay.example.com/i/INV-0042' },
			...overrides,
		},
		new Date('2026-11-21T00:00:00Z'),
	) as unknown as IDataObject;
}

/** The documented batch answer: its record (id 512) holding the node's properties as HubSpot returns requested properties. */
function batchWith(properties: Record<string, string>): BatchResponse {
	const body = fixtureJson<BatchResponse>('crms/hubspot/batch_response_200.json');
	body.results[0].properties = { ...body.results[0].properties, ...properties };
	return body;
}

const parameters = (more: IDataObject = {}): IDataObject => ({
	crm: 'hubspot',
	hubspot_object: 'contacts',
	hubspot_matchField: 'email',
	hubspot_statusProperty: 'payment_status',
	hubspot_lastEventProperty: 'payment_status_updated_at',
	matchValue: (item: IDataObject) => (item.customer as IDataObject).email,
	create: false,
	statusValues: { mapping: [{ status: 'Paid', value: 'closedwon' }] },
	properties: { amount: 'payment_amount', currency: 'payment_currency', reference: 'payment_reference', link: 'invoice_link' },
	...more,
});

async function run(items: IDataObject[], more: IDataObject = {}, continueOnFail = false): Promise<INodeExecutionData[][]> {
	return await executeNode(CrmPaymentSync, {
		items,
		parameters: parameters(more),
		credentials: { paymentEventsHubSpotApi: { credential: new PaymentEventsHubSpotApi(), values: { accessToken: TOKEN } } },
		continueOnFail,
	});
}

function api() {
	return nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

const readRequest = (emails: string[]) => ({
	idProperty: 'email',
	inputs: emails.map((id) => ({ id })),
	properties: ['payment_status', 'payment_status_updated_at', 'email'],
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

describe('CRM Payment Sync on HubSpot', () => {
	it('writes the mapped status, the details and the event time onto the found record', async () => {
		const paid = event('succeeded', '2026-11-20T10:00:00.000Z');
		api()
			.post('/crm/v3/objects/contacts/batch/read', readRequest([EMAIL]))
			.reply(200, batchWith({ email: EMAIL, payment_status: 'Pending', payment_status_updated_at: '2026-11-19T09:00:00.000Z' }), JSON_TYPE);
		api()
			.post('/crm/v3/objects/contacts/batch/update', {
				inputs: [
					{
						id: '512',
						properties: {
							payment_status: 'closedwon',
							payment_status_updated_at: '2026-11-20T10:00:00.000Z',
							payment_amount: '49.90',
							payment_currency: 'USD',
							payment_reference: 'INV-0042',
							invoice_link: 'https://pay.example.com/i/INV-0042',
						},
					},
				],
			})
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [records, audit] = await run([paid]);

		const expected = {
			eventId: paid.id,
			crm: 'hubspot',
			object: 'contacts',
			recordId: '512',
			statusBefore: 'Pending',
			statusAfter: 'closedwon',
			decision: 'applied',
		};
		expect(records).toEqual([{ json: { ...expected, time: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(audit).toEqual(records);
	});

	it('skips a late Pending after Paid: the record holds a newer event', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/read')
			.reply(200, batchWith({ email: EMAIL, payment_status: 'closedwon', payment_status_updated_at: '2026-11-20T10:00:00.000Z' }), JSON_TYPE);

		const [records] = await run([event('pending', '2026-11-20T09:59:00.000Z')]);

		expect(records[0].json).toMatchObject({ decision: 'stale-skipped', recordId: '512', statusBefore: 'closedwon', statusAfter: 'closedwon' });
	});

	it('reports the same event time with the same status as a duplicate and writes nothing', async () => {
		api()
			.post('/crm/v3/objects/contacts/batch/read')
			.reply(200, batchWith({ email: EMAIL, payment_status: 'closedwon', payment_status_updated_at: '2026-11-20T10:00:00.000Z' }), JSON_TYPE);

		const [records] = await run([event('succeeded', '2026-11-20T10:00:00.000Z')]);

		expect(records[0].json).toMatchObject({ decision: 'duplicate', statusAfter: 'closedwon' });
	});

	it('lets only the newest of several events for one record write', async () => {
		const items = [
			event('succeeded', '2026-11-20T10:00:00.000Z'),
			event('pending', '2026-11-20T08:00:00.000Z'),
			event('refunded', '2026-11-20T12:00:00.000Z', { kind: 'refund' }),
		];
		api().post('/crm/v3/objects/contacts/batch/read', readRequest([EMAIL])).reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api()
			.post('/crm/v3/objects/contacts/batch/update', (body: { inputs: HubSpotRecord[] }) => {
				expect(body.inputs).toHaveLength(1);
				expect(body.inputs[0]).toMatchObject({ id: '512', properties: { payment_status: 'Refunded', payment_status_updated_at: '2026-11-20T12:00:00.000Z' } });
				return true;
			})
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [records] = await run(items);

		expect(records.map(({ json }) => json.decision)).toEqual(['stale-skipped', 'stale-skipped', 'applied']);
	});

	it('treats emails differing only in case as one record: only the newer event writes', async () => {
		const upper = 'Jenny.Rosen@Example.com';
		api()
			.post('/crm/v3/objects/contacts/batch/read', readRequest([upper, EMAIL]))
			.reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api()
			.post('/crm/v3/objects/contacts/batch/update', (body: { inputs: HubSpotRecord[] }) => {
				expect(body.inputs).toEqual([expect.objectContaining({ id: '512', properties: expect.objectContaining({ payment_status: 'Failed' }) })]);
				return true;
			})
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [records] = await run([
			event('succeeded', '2026-11-20T10:00:00.000Z', { customer: { email: upper } }),
			event('failed', '2026-11-20T11:00:00.000Z'),
		]);

		expect(records.map(({ json }) => [json.decision, json.recordId])).toEqual([
			['stale-skipped', '512'],
			['applied', '512'],
		]);
	});

	it('reports a payment no record matches as not found, without failing the others', async () => {
		const other = 'nobody@example.com';
		api()
			.post('/crm/v3/objects/contacts/batch/read', readRequest([EMAIL, other]))
			.reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api().post('/crm/v3/objects/contacts/batch/update').reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [records, audit] = await run([
			event('succeeded', '2026-11-20T10:00:00.000Z'),
			event('succeeded', '2026-11-20T10:00:00.000Z', { customer: { email: other }, reference: 'INV-0043', entryId: 'other' }),
		]);

		expect(records.map(({ json }) => json.decision)).toEqual(['applied', 'not-found']);
		expect(audit[1].json).toMatchObject({ decision: 'not-found', recordId: undefined });
	});

	it('creates the record with the match field set when allowed', async () => {
		api().post('/crm/v3/objects/contacts/batch/read').reply(200, { ...batchWith({}), results: [] }, JSON_TYPE);
		api()
			.post('/crm/v3/objects/contacts', {
				properties: {
					email: EMAIL,
					payment_status: 'closedwon',
					payment_status_updated_at: '2026-11-20T10:00:00.000Z',
					payment_amount: '49.90',
					payment_currency: 'USD',
					payment_reference: 'INV-0042',
					invoice_link: 'https://pay.example.com/i/INV-0042',
				},
			})
			.reply(201, fixtureJson('crms/hubspot/simple_public_object_200.json'), JSON_TYPE);

		const [records] = await run([event('succeeded', '2026-11-20T10:00:00.000Z')], { create: true });

		expect(records[0].json).toMatchObject({ decision: 'created', recordId: '512', statusBefore: undefined, statusAfter: 'closedwon' });
	});

	it("fails the run with a NodeApiError naming HubSpot's message when an update is refused", async () => {
		api().post('/crm/v3/objects/contacts/batch/read').reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api().post('/crm/v3/objects/contacts/batch/update').reply(400, fixtureJson('crms/hubspot/error_response.json'), JSON_TYPE);

		const error = await run([event('succeeded', '2026-11-20T10:00:00.000Z')]).catch((e: unknown) => e as Error);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).name).toBe('NodeApiError');
		expect((error as Error).message).toBe('HubSpot: This will be a human readable message with details about the error. (code VALIDATION_ERROR)');
		expect((error as Error).message).not.toContain(TOKEN);
	});

	it('repeats an update HubSpot rate-limited, as its Retry-After asks', async () => {
		api().post('/crm/v3/objects/contacts/batch/read').reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api()
			.post('/crm/v3/objects/contacts/batch/update')
			.reply(429, fixtureJson('crms/hubspot/error_response.json'), { ...JSON_TYPE, 'Retry-After': '0' })
			.post('/crm/v3/objects/contacts/batch/update')
			.reply(200, fixtureJson('crms/hubspot/batch_response_200.json'), JSON_TYPE);

		const [records] = await run([event('succeeded', '2026-11-20T10:00:00.000Z')]);

		expect(records[0].json).toMatchObject({ decision: 'applied' });
	});

	it('returns the refused update as an error item with continueOnFail', async () => {
		api().post('/crm/v3/objects/contacts/batch/read').reply(200, batchWith({ email: EMAIL }), JSON_TYPE);
		api().post('/crm/v3/objects/contacts/batch/update').reply(400, fixtureJson('crms/hubspot/error_response.json'), JSON_TYPE);

		const [records, audit] = await run([event('succeeded', '2026-11-20T10:00:00.000Z')], {}, true);

		expect(records[0].json).toMatchObject({ decision: 'failed', errorType: 'CrmError', statusAfter: undefined, recordId: '512' });
		expect(String(records[0].json.error)).toContain('This will be a human readable message');
		expect(audit[0].json).toMatchObject({ decision: 'failed' });
	});

	it('reads and writes 150 payments in batches of at most 100', async () => {
		const emails = Array.from({ length: 150 }, (_, index) => `customer${index}@example.com`);
		const items = emails.map((email, index) =>
			event('succeeded', '2026-11-20T10:00:00.000Z', { customer: { email }, reference: `INV-${index}`, entryId: `entry-${index}` }),
		);
		// Each read answers the documented record once per requested email (ids 1000 + position), as a found batch does.
		const template = fixtureJson<BatchResponse>('crms/hubspot/batch_response_200.json');
		const found = (inputs: Array<{ id: string }>, offset: number) => ({
			...template,
			results: inputs.map(({ id }, index) => ({ ...template.results[0], id: String(1000 + offset + index), properties: { ...template.results[0].properties, email: id } })),
		});
		const reads: number[] = [];
		const updates: number[] = [];
		api()
			.post('/crm/v3/objects/contacts/batch/read')
			.times(2)
			.reply(200, (_uri, body) => {
				const { inputs } = body as { inputs: Array<{ id: string }> };
				reads.push(inputs.length);
				return found(inputs, emails.indexOf(inputs[0].id));
			});
		api()
			.post('/crm/v3/objects/contacts/batch/update')
			.times(2)
			.reply(200, (_uri, body) => {
				const { inputs } = body as { inputs: HubSpotRecord[] };
				updates.push(inputs.length);
				return { ...template, results: inputs.map(({ id }) => ({ ...template.results[0], id })) };
			});

		const [records] = await run(items);

		expect(reads).toEqual([100, 50]);
		expect(updates).toEqual([100, 50]);
		expect(records.every(({ json }) => json.decision === 'applied')).toBe(true);
		expect(records[149].json.recordId).toBe('1149');
	});
});
