import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PaymentEventsSalesforceOAuth2Api } from '../../credentials/PaymentEventsSalesforceOAuth2Api.credentials';
import { CrmPaymentSync } from '../../nodes/CrmPaymentSync/CrmPaymentSync.node';
import { normalizeManualEntry, type ManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

// CRM Payment Sync on Salesforce, end to end: canonical events (as Payment Normalize makes them) in, Salesforce's documented
// answers (test/fixtures/crms/salesforce, see SOURCES.md there) back, the Records and Audit outputs checked.
const TOKEN = '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog';
const HOST = 'https://mycompany.my.salesforce.com';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const OPPORTUNITY = 'a06U000000CelGvIAJ';
const PAID_AT = '2026-11-20T10:00:00.000Z';

function event(status: ManualEntry['status'], occurredAt: string, overrides: Partial<ManualEntry> = {}): IDataObject {
	return normalizeManualEntry(
		{
			amount: '49.90',
			amountFormat: 'decimal',
			currency: 'USD',
			status,
			kind: 'payment',
			reference: 'BK-1042',
			entryId: `${status}-${occurredAt}`,
			occurredAt,
			customer: { name: 'Jenny Rosen', email: 'jenny.rosen@example.com' },
			metadata: { opportunityId: OPPORTUNITY },
			...overrides,
		},
		new Date('2026-11-21T00:00:00Z'),
	) as unknown as IDataObject;
}

/** The documented query answer holding `records` (none: nothing matched). */
function queryAnswer(records: IDataObject[]): IDataObject {
	return { ...fixtureJson('crms/salesforce/query_accounts_200.json'), totalSize: records.length, records };
}

/** The documented Opportunity record with the fields the node asked for. */
function opportunity(stage: string, lastEvent: string): IDataObject {
	return { ...fixtureJson('crms/salesforce/recent_items_opportunity.json'), StageName: stage, Payment_Status_Updated_At__c: lastEvent };
}

const BOOKINGS: IDataObject = {
	salesforce_object: 'Booking__c',
	salesforce_matchField: 'Booking_Ref__c',
	matchValue: (item: IDataObject) => item.reference,
	create: true,
};

const OPPORTUNITIES: IDataObject = {
	salesforce_object: 'Opportunity',
	salesforce_matchField: 'Id',
	salesforce_statusProperty: 'StageName',
	matchValue: (item: IDataObject) => (item.metadata as IDataObject).opportunityId,
	statusValues: { mapping: [{ status: 'Paid', value: 'Closed Won' }] },
};

async function run(items: IDataObject[], more: IDataObject, continueOnFail = false): Promise<INodeExecutionData[][]> {
	return await executeNode(CrmPaymentSync, {
		items,
		parameters: {
			crm: 'salesforce',
			salesforce_statusProperty: 'Payment_Status__c',
			salesforce_lastEventProperty: 'Payment_Status_Updated_At__c',
			create: false,
			properties: { amount: 'Payment_Amount__c', currency: 'Payment_Currency__c' },
			...more,
		},
		credentials: {
			paymentEventsSalesforceOAuth2Api: {
				credential: new PaymentEventsSalesforceOAuth2Api(),
				values: { environment: 'production', myDomain: 'mycompany', oauthTokenData: { access_token: TOKEN } },
			},
		},
		continueOnFail,
	});
}

function api() {
	return nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

/** Requests nothing intercepted: any write the node should not have sent. */
const unexpected: string[] = [];
const recordUnexpected = (request: { method?: string; path?: string }) => unexpected.push(`${request.method} ${request.path}`);

beforeAll(() => {
	nock.disableNetConnect();
	nock.emitter.on('no match', recordUnexpected);
});
afterEach(() => {
	expect(unexpected).toEqual([]);
	expect(nock.pendingMocks()).toEqual([]);
	unexpected.length = 0;
	nock.cleanAll();
});
afterAll(() => {
	nock.emitter.removeListener('no match', recordUnexpected);
	nock.enableNetConnect();
});

describe('CRM Payment Sync on Salesforce', () => {
	it('upserts a custom object by its external ID field when nothing matched and creating is allowed', async () => {
		const paid = event('succeeded', PAID_AT);
		api()
			.get('/services/data/v60.0/query')
			.query({
				q: "SELECT Id, Booking_Ref__c, Payment_Status__c, Payment_Status_Updated_At__c FROM Booking__c WHERE Booking_Ref__c IN ('BK-1042')",
			})
			.reply(200, queryAnswer([]), JSON_TYPE);
		const [created] = fixtureJson<IDataObject[]>('crms/salesforce/collections_upsert_200.json');
		api()
			.patch('/services/data/v60.0/composite/sobjects/Booking__c/Booking_Ref__c', {
				allOrNone: false,
				records: [
					{
						attributes: { type: 'Booking__c' },
						Booking_Ref__c: 'BK-1042',
						Payment_Status__c: 'Paid',
						Payment_Status_Updated_At__c: PAID_AT,
						Payment_Amount__c: '49.90',
						Payment_Currency__c: 'USD',
					},
				],
			})
			.reply(200, [created], JSON_TYPE);

		const [records, audit] = await run([paid], BOOKINGS);

		const expected = {
			eventId: paid.id,
			crm: 'salesforce',
			object: 'Booking__c',
			recordId: '001xx0000004GxDAAU',
			statusBefore: undefined,
			statusAfter: 'Paid',
			decision: 'created',
		};
		expect(audit).toEqual([{ json: { ...expected, time: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(records).toEqual(audit);
	});

	it('writes Paid as the Opportunity stage Closed Won, then skips a late Pending older than the stage without writing', async () => {
		const soql = "SELECT Id, StageName, Payment_Status_Updated_At__c FROM Opportunity WHERE Id IN ('a06U000000CelGvIAJ')";
		const [saved] = fixtureJson<IDataObject[]>('crms/salesforce/collections_update_partial_200.json');
		api()
			.get('/services/data/v60.0/query')
			.query({ q: soql })
			.reply(200, queryAnswer([opportunity('Prospecting', '2026-11-19T09:00:00.000Z')]), JSON_TYPE);
		api()
			.patch('/services/data/v60.0/composite/sobjects', {
				allOrNone: false,
				records: [
					{
						attributes: { type: 'Opportunity' },
						id: OPPORTUNITY,
						StageName: 'Closed Won',
						Payment_Status_Updated_At__c: PAID_AT,
						Payment_Amount__c: '49.90',
						Payment_Currency__c: 'USD',
					},
				],
			})
			.reply(200, [saved], JSON_TYPE);

		const [[paid]] = await run([event('succeeded', PAID_AT)], OPPORTUNITIES);

		expect(paid.json).toMatchObject({
			object: 'Opportunity',
			recordId: OPPORTUNITY,
			statusBefore: 'Prospecting',
			statusAfter: 'Closed Won',
			decision: 'applied',
		});

		// The next run: the Opportunity now holds Closed Won from the 10:00 payment; a Pending sent at 09:59 arrives late.
		api().get('/services/data/v60.0/query').query({ q: soql }).reply(200, queryAnswer([opportunity('Closed Won', PAID_AT)]), JSON_TYPE);

		const [[late], [lateAudit]] = await run([event('pending', '2026-11-20T09:59:00.000Z')], OPPORTUNITIES);

		expect(late.json).toMatchObject({
			recordId: OPPORTUNITY,
			statusBefore: 'Closed Won',
			statusAfter: 'Closed Won',
			decision: 'stale-skipped',
		});
		expect(lateAudit.json).toMatchObject({ decision: 'stale-skipped' });
		// No PATCH was intercepted for this run, and none reached nock unmatched (checked after each test).
	});

	describe('when Salesforce refuses the whole write (401 INVALID_SESSION_ID)', () => {
		const items = () => [event('succeeded', PAID_AT), event('succeeded', PAID_AT, { reference: 'BK-1043', entryId: 'second' })];
		const refuse = () => {
			api().get('/services/data/v60.0/query').query(true).reply(200, queryAnswer([]), JSON_TYPE);
			api()
				.patch('/services/data/v60.0/composite/sobjects/Booking__c/Booking_Ref__c', (body: { records: unknown[] }) => body.records.length === 2)
				.reply(401, fixtureJson('crms/salesforce/invalid_session_401.json'), JSON_TYPE);
		};
		const MESSAGE = 'Salesforce: Session expired or invalid (code INVALID_SESSION_ID)';

		it('reports every payment of the request as failed in the Audit with continueOnFail', async () => {
			refuse();

			const [records, audit] = await run(items(), BOOKINGS, true);

			expect(audit.map(({ json }) => [json.decision, json.error, json.recordId])).toEqual([
				['failed', MESSAGE, undefined],
				['failed', MESSAGE, undefined],
			]);
			expect(records.map(({ json }) => [json.errorType, json.decision])).toEqual([
				['CrmError', 'failed'],
				['CrmError', 'failed'],
			]);
			expect(JSON.stringify([records, audit])).not.toContain(TOKEN);
		});

		it('fails the run with a NodeApiError carrying the message and code without it', async () => {
			refuse();

			const error = await run(items(), BOOKINGS).then(
				() => undefined,
				(e: unknown) => e as Error,
			);

			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(MESSAGE);
			expect(error?.message).not.toContain(TOKEN);
		});
	});
});
