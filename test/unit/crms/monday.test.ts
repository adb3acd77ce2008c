import nock from 'nock';

import { PaymentEventsMondayApi } from '../../../credentials/PaymentEventsMondayApi.credentials';
import { monday } from '../../../nodes/crms/monday';
import { CrmError } from '../../../nodes/crms/types';
import { channelTools } from '../../nodes/channelHarness';
import { fixtureJson } from '../providers/fixtures';

// Samples: test/fixtures/crms/monday (monday's own agent-toolkit tests and its documented errors, see SOURCES.md there).
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.not-a-real-monday-token';
const HOST = 'https://api.monday.com';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const reqheaders = { authorization: TOKEN, 'content-type': 'application/json' };
const BOARD = '1234567890';

interface Sent {
	query: string;
	variables: Record<string, unknown>;
}

function tools(values: Record<string, string> = { boardId: BOARD }) {
	return channelTools(monday, new PaymentEventsMondayApi(), { apiToken: TOKEN, ...values }).tools;
}

const itemsPage = () => fixtureJson<{ boards: Array<{ items_page: Record<string, unknown> }> }>('crms/monday/items_page_data.json').boards[0].items_page;
const changed = () => fixtureJson<{ change_multiple_column_values: unknown }>('crms/monday/change_multiple_column_values_data.json').change_multiple_column_values;
const created = () => fixtureJson<{ create_item: unknown }>('crms/monday/create_item_data.json').create_item;

function graphQl(capture: Sent[], ...replies: Array<[number, unknown, Record<string, string>?]>) {
	const scope = nock(HOST, { reqheaders });
	for (const [status, body, headers] of replies) {
		scope
			.post('/v2', (sent: Sent) => {
				capture.push(sent);
				return true;
			})
			.reply(status, body as nock.Body, { ...JSON_HEADERS, ...headers });
	}
	return scope;
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

describe('Monday.com find', () => {
	it('queries items_page_by_column_values on the credential\'s board with every value, reading the requested columns', async () => {
		const sent: Sent[] = [];
		// The sample's cursor asks for another page; next_items_page answers with the same page type, empty.
		graphQl(
			sent,
			[200, { data: { items_page_by_column_values: itemsPage() } }],
			[200, { data: { next_items_page: { cursor: null, items: [] } } }],
		);

		const found = await monday.find(tools(), 'board', 'status', ['Done', 'Stuck'], ['priority', 'status', 'name', 'last_payment_event']);

		expect(sent[0].query).toContain('items_page_by_column_values(limit: $limit, board_id: $board, columns: $columns)');
		expect(sent[0].query).toContain('column_values(ids: $ids) { id text }');
		expect(sent[0].variables).toEqual({
			board: BOARD,
			columns: [{ column_id: 'status', column_values: ['Done', 'Stuck'] }],
			ids: ['priority', 'status', 'last_payment_event'],
			limit: 500,
		});
		expect(sent[1].query).toContain('next_items_page(limit: $limit, cursor: $cursor)');
		expect(sent[1].variables).toEqual({ cursor: 'next_page_cursor_123', ids: ['priority', 'status', 'last_payment_event'], limit: 500 });
		// "First Item" is In Progress: not a value asked for. Nothing matched Stuck.
		expect([...found.entries()]).toEqual([
			['Done', { id: 'item2', properties: { priority: 'Low', status: 'Done', name: 'Second Item', last_payment_event: undefined } }],
		]);
	});

	it('finds by item name, and takes a numeric object as the board id itself', async () => {
		const sent: Sent[] = [];
		graphQl(sent, [200, { data: { items_page_by_column_values: itemsPage() } }]);

		const found = await monday.find(tools({}), '9876543210', 'name', ['first item'], ['status']);

		expect(sent[0].variables).toMatchObject({ board: '9876543210', columns: [{ column_id: 'name', column_values: ['first item'] }], ids: ['status'] });
		expect(found.get('first item')).toEqual({ id: 'item1', properties: { status: 'In Progress' } });
	});

	it('without a board id it fails before calling monday', async () => {
		const error = await failure(() => monday.find(tools({}), 'board', 'email', ['a@example.com'], []));

		expect(error.message).toBe('Monday.com: set the Board ID in the credential, or pick the board as the object');
		expect(error.details.retryable).toBe(false);
	});

	it('a GraphQL error in a 200 answer is a CrmError with monday\'s message and code, without the token', async () => {
		graphQl([], [200, fixtureJson('crms/monday/error_user_unauthorized.json')]);

		const error = await failure(() => monday.find(tools(), 'board', 'email', ['a@example.com'], []));

		expect(error.message).toBe('Monday.com: User unauthorized to perform action (code UserUnauthorizedException)');
		expect(error.details).toMatchObject({ retryable: false, code: 'UserUnauthorizedException', status: 403 });
		expect(error.message).not.toContain(TOKEN);
	});

	it('an exhausted complexity budget (200) is retryable after retry_in_seconds', async () => {
		graphQl([], [200, fixtureJson('crms/monday/error_complexity_budget_exhausted.json')]);

		const error = await failure(() => monday.find(tools(), 'board', 'email', ['a@example.com'], []));

		expect(error.message).toBe('Monday.com: Complexity budget exhausted (code COMPLEXITY_BUDGET_EXHAUSTED)');
		expect(error.details).toMatchObject({ retryable: true, code: 'COMPLEXITY_BUDGET_EXHAUSTED', retryAfterMs: 60_000 });
	});

	it('an HTTP 429 in the legacy format is retryable after Retry-After', async () => {
		graphQl([], [429, fixtureJson('crms/monday/error_complexity_exception_429.json'), { 'Retry-After': '3' }]);

		const error = await failure(() => monday.find(tools(), 'board', 'email', ['a@example.com'], []));

		expect(error.message).toBe(
			'Monday.com: Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds (code ComplexityException)',
		);
		expect(error.details).toMatchObject({ retryable: true, status: 429, retryAfterMs: 3000 });
	});

	it('a 5xx is retryable', async () => {
		graphQl([], [502, '']);

		const error = await failure(() => monday.find(tools(), 'board', 'email', ['a@example.com'], []));

		expect(error.details).toMatchObject({ retryable: true, status: 502 });
	});
});

describe('Monday.com update', () => {
	it('sends one request of aliased change_multiple_column_values mutations, creating missing status labels', async () => {
		const sent: Sent[] = [];
		graphQl(sent, [200, { data: { m0: changed(), m1: changed() } }]);

		const results = await monday.update(tools(), 'board', [
			{ id: '123456789', properties: { status: 'Paid', last_payment_event: '2026-11-21T11:59:00.000Z' } },
			{ id: '987654321', properties: { status: 'Refunded' } },
		]);

		expect(results).toEqual(['123456789', '987654321']);
		expect(sent).toHaveLength(1);
		expect(sent[0].query).toBe(
			[
				'mutation ($board: ID!, $item0: ID!, $values0: JSON!, $item1: ID!, $values1: JSON!) {',
				'm0: change_multiple_column_values(board_id: $board, item_id: $item0, column_values: $values0, create_labels_if_missing: true) { id }',
				'm1: change_multiple_column_values(board_id: $board, item_id: $item1, column_values: $values1, create_labels_if_missing: true) { id }',
				'}',
			].join('\n'),
		);
		expect(sent[0].variables).toEqual({
			board: BOARD,
			item0: '123456789',
			values0: JSON.stringify({ status: 'Paid', last_payment_event: '2026-11-21T11:59:00.000Z' }),
			item1: '987654321',
			values1: JSON.stringify({ status: 'Refunded' }),
		});
	});

	it('a ColumnValueException on one alias fails that item only', async () => {
		const error = { ...fixtureJson('crms/monday/error_column_value_exception.json'), path: ['m1'] };
		graphQl([], [200, { data: { m0: changed(), m1: null }, errors: [error] }]);

		const results = await monday.update(tools(), 'board', [
			{ id: '123456789', properties: { status: 'Paid' } },
			{ id: '555', properties: { status: 'Nope' } },
		]);

		expect(results[0]).toBe('123456789');
		expect(results[1]).toBeInstanceOf(CrmError);
		expect((results[1] as CrmError).message).toBe(
			'Monday.com: invalid value - label does not exist in column. Please check our API documentation for the correct data structure for this column. https://developer.monday.com/api-reference/docs/change-column-values (code ColumnValueException)',
		);
		expect((results[1] as CrmError).details.retryable).toBe(false);
	});

	it('an error of the whole request fails every update', async () => {
		graphQl([], [200, fixtureJson('crms/monday/error_complexity_budget_exhausted.json')]);

		const results = await monday.update(tools(), 'board', [
			{ id: '1', properties: { status: 'Paid' } },
			{ id: '2', properties: { status: 'Paid' } },
		]);

		expect(results.map((result) => (result as CrmError).details.retryable)).toEqual([true, true]);
	});

	it('without a board id every update is that error, and nothing is sent', async () => {
		const results = await monday.update(tools({}), 'board', [{ id: '1', properties: { status: 'Paid' } }]);

		expect((results[0] as CrmError).message).toBe('Monday.com: set the Board ID in the credential, or pick the board as the object');
	});
});

describe('Monday.com create', () => {
	it('creates items with aliased create_item mutations, named after the name property or the match value', async () => {
		const sent: Sent[] = [];
		graphQl(sent, [200, { data: { m0: created(), m1: created() } }]);

		const results = await monday.create!(tools(), 'board', [
			{ properties: { name: 'New Item', status: 'Paid' } },
			{ properties: { email: 'jenny@example.com', status: 'Pending' } },
		]);

		// The sample answers both creates with its one item id.
		expect(results).toEqual(['123456789', '123456789']);
		expect(sent[0].query).toContain(
			'm0: create_item(board_id: $board, item_name: $name0, column_values: $values0, create_labels_if_missing: true) { id }',
		);
		expect(sent[0].variables).toEqual({
			board: BOARD,
			name0: 'New Item',
			values0: JSON.stringify({ status: 'Paid' }),
			name1: 'jenny@example.com',
			values1: JSON.stringify({ email: 'jenny@example.com', status: 'Pending' }),
		});
	});

	it('a refused request fails every create with monday\'s message', async () => {
		graphQl([], [200, fixtureJson('crms/monday/error_user_unauthorized.json')]);

		const [result] = await monday.create!(tools(), 'board', [{ properties: { name: 'New Item' } }]);

		expect((result as CrmError).message).toBe('Monday.com: User unauthorized to perform action (code UserUnauthorizedException)');
	});
});
