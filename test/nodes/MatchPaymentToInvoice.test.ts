import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { createPaymentEvent, parsePaymentEvent } from '../../nodes/core/event';
import { fromDecimal } from '../../nodes/core/money';
import type { EventKind, PaymentStatus } from '../../nodes/core/status';
import { MatchPaymentToInvoice } from '../../nodes/MatchPaymentToInvoice/MatchPaymentToInvoice.node';
import { fixtureJson } from '../unit/providers/fixtures';
import { executeNode } from './executeHarness';

const NOW = new Date('2026-11-21T12:00:00.000Z');

/**
 * A bank credit as it reaches the node: a canonical event of this package built with createPaymentEvent (our own
 * shape, not a provider payload), the payer's name in customer.name and the bank's reference text in reference.
 */
function credit(
	id: string,
	amount: string,
	currency: string,
	{ reference, payer, kind = 'payment', status = 'succeeded' }: { reference?: string; payer?: string; kind?: EventKind; status?: PaymentStatus } = {},
): IDataObject {
	return createPaymentEvent(
		{
			provider: 'bank',
			providerEventId: id,
			providerEventType: 'bank.credit',
			livemode: true,
			kind,
			status,
			amount: fromDecimal(amount, currency),
			occurredAt: '2026-11-20T09:00:00.000Z',
			customer: payer ? { name: payer } : undefined,
			reference,
		},
		NOW,
	) as unknown as IDataObject;
}

// Open invoices in the node's default field names (id, number, amountDue, currency, ...), as a Set node would shape them.
const INVOICES = [
	{
		id: 'inv_1',
		number: 'INV-1042',
		amountDue: '100.00',
		total: '100.00',
		currency: 'EUR',
		customerName: 'Smith Welding',
		customerEmail: 'accounts@smithwelding.example',
		url: 'https://billing.example/invoices/inv_1',
	},
	{ id: 'inv_2', number: 'INV-1043', amountDue: '250.00', currency: 'EUR', customerName: 'Jones Bakery Ltd' },
	{ id: 'inv_3', number: 'INV-1044', amountDue: 250, currency: 'eur', customerName: 'Ana Ruiz' },
	{ id: 'inv_4', number: 'INV-2001', amountDue: 75.5, currency: 'USD', customerName: 'Acme Corp' },
];

const money = (value: string, currency = 'EUR') => fromDecimal(value, currency);

/** Runs the node; every event it outputs must still be a valid canonical event. */
async function run(
	items: IDataObject[],
	parameters: IDataObject = {},
	continueOnFail = false,
): Promise<{ matched: INodeExecutionData[]; review: INodeExecutionData[] }> {
	const [matched, review] = await executeNode(MatchPaymentToInvoice, {
		items,
		parameters: { openInvoices: INVOICES, ...parameters },
		continueOnFail,
	});
	for (const item of [...matched, ...review]) {
		if (!('error' in item.json)) expect(parsePaymentEvent(item.json)).toEqual(item.json);
	}
	return { matched, review };
}

const matchOf = (item: INodeExecutionData) => (item.json.metadata as IDataObject).invoiceMatch as IDataObject;

describe('Match Payment to Invoice', () => {
	it('matches a credit whose reference names an invoice, attaches the invoice and marks it paid', async () => {
		const { matched, review } = await run([credit('c1', '100.00', 'EUR', { reference: 'INV-1042 Smith welding', payer: 'SMITH WELDING' })]);
		expect(review).toHaveLength(0);
		expect(matched).toHaveLength(1);
		expect(matched[0].pairedItem).toEqual({ item: 0 });
		expect(matched[0].json).toMatchObject({
			id: 'bank:c1',
			status: 'succeeded',
			crmStatus: 'Paid',
			invoice: { id: 'inv_1', number: 'INV-1042', url: 'https://billing.example/invoices/inv_1' },
			amount: money('100.00'),
			amountDue: money('0.00'),
			amountPaid: money('100.00'),
			total: money('100.00'),
			customer: { name: 'SMITH WELDING', email: 'accounts@smithwelding.example' },
			reference: 'INV-1042 Smith welding',
		});
		expect(matchOf(matched[0])).toEqual({ result: 'matched', by: 'reference', confidence: 'high', amountDueBefore: money('100.00') });
	});

	it.each(['inv 1042', 'Inv1042 thanks', 'payment for INV–1042.', 'RE: inv - 1042 / october'])(
		'finds the invoice number in "%s" (case, spaces and dashes ignored)',
		async (reference) => {
			const { matched } = await run([credit('c1', '33.00', 'EUR', { reference })]);
			expect(matched.map((item) => [(item.json.invoice as IDataObject).id, matchOf(item).by])).toEqual([['inv_1', 'reference']]);
		},
	);

	it.each(['INV-10423', 'XINV-1042', 'INV-1042A', 'INV-104.2'])(
		'does not take "%s" for INV-1042: the number must be a whole token',
		async (reference) => {
			const { matched, review } = await run([credit('c1', '33.00', 'EUR', { reference })]);
			expect(matched).toHaveLength(0);
			expect(matchOf(review[0]).result).toBe('unmatched');
		},
	);

	it('marks a credit below the amount due as partially paid, with what is left due', async () => {
		const { matched } = await run([credit('c1', '40.00', 'EUR', { reference: 'INV-1042' })]);
		expect(matched[0].json).toMatchObject({
			status: 'partially_paid',
			crmStatus: 'Partially paid',
			amountDue: money('60.00'),
			amountPaid: money('40.00'),
			total: money('100.00'),
		});
		expect(matchOf(matched[0])).toMatchObject({ result: 'partial', by: 'reference' });
	});

	it('marks an overpayment paid and notes the excess', async () => {
		const { matched } = await run([credit('c1', '120.00', 'EUR', { reference: 'INV-1042' })]);
		expect(matched[0].json).toMatchObject({ status: 'succeeded', crmStatus: 'Paid', amountDue: money('0.00'), amountPaid: money('100.00') });
		expect(matchOf(matched[0])).toEqual({
			result: 'matched',
			by: 'reference',
			confidence: 'high',
			amountDueBefore: money('100.00'),
			overpaid: money('20.00'),
		});
	});

	it('without a reference, matches the amount due for a customer whose name resembles the payer', async () => {
		// INV-1043 and INV-1044 both have 250.00 EUR due (one as a decimal string, one as a number); the payer decides.
		const { matched, review } = await run([
			credit('c1', '250.00', 'EUR', { reference: 'Transfer 88123', payer: 'JONES BAKERY' }),
			credit('c2', '250.00', 'EUR', { payer: 'Ruiz, Ána' }),
		]);
		expect(review).toHaveLength(0);
		expect(matched.map((item) => [(item.json.invoice as IDataObject).number, matchOf(item).by, matchOf(item).confidence])).toEqual([
			['INV-1043', 'amount-and-payer', 'medium'],
			['INV-1044', 'amount-and-payer', 'medium'],
		]);
		// No total listed for these: the event says what is left due but not a total or amount paid.
		expect(matched[0].json.amountDue).toEqual(money('0.00'));
		expect(matched[0].json).not.toHaveProperty('total');
		expect(matched[0].json).not.toHaveProperty('amountPaid');
	});

	it('matches the amount alone when exactly one open invoice has it due, with low confidence, unless told not to', async () => {
		const items = [credit('c1', '75.50', 'USD', { reference: 'Transfer 5531', payer: 'J DOE' })];
		const { matched } = await run(items);
		expect(matched[0].json).toMatchObject({ status: 'succeeded', invoice: { id: 'inv_4', number: 'INV-2001' } });
		expect(matchOf(matched[0])).toMatchObject({ result: 'matched', by: 'amount', confidence: 'low' });

		const strict = await run(items, { options: { matchAmountAlone: false } });
		expect(strict.matched).toHaveLength(0);
		expect(matchOf(strict.review[0])).toMatchObject({
			result: 'unmatched',
			reason: expect.stringContaining('Match by Amount Alone is off'),
			candidates: [{ id: 'inv_4', number: 'INV-2001', customerName: 'Acme Corp', currency: 'USD', amountDue: money('75.50', 'USD') }],
		});
	});

	it('sends a credit that fits several invoices equally to Needs Review, listing them and keeping its status', async () => {
		const { matched, review } = await run([
			credit('c1', '250.00', 'EUR', { payer: 'PETER PARKER' }),
			credit('c2', '350.00', 'EUR', { reference: 'INV-1042 and INV-1043' }),
			// One shared word is not a resemblance: Ana Jones is neither Ana Ruiz nor Jones Bakery.
			credit('c3', '250.00', 'EUR', { payer: 'ANA JONES' }),
		]);
		expect(matched).toHaveLength(0);
		expect(review.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(matchOf(review[2])).toMatchObject({ result: 'ambiguous', by: 'amount' });
		expect(review[0].json).toMatchObject({ status: 'succeeded', crmStatus: 'Paid' });
		expect(review[0].json).not.toHaveProperty('invoice');
		expect(matchOf(review[0])).toMatchObject({ result: 'ambiguous', by: 'amount', reason: expect.stringContaining('2 open invoices have 250.00 EUR due') });
		expect((matchOf(review[0]).candidates as IDataObject[]).map((candidate) => candidate.id)).toEqual(['inv_2', 'inv_3']);
		expect(matchOf(review[1])).toMatchObject({ result: 'ambiguous', by: 'reference' });
		expect((matchOf(review[1]).candidates as IDataObject[]).map((candidate) => candidate.number)).toEqual(['INV-1042', 'INV-1043']);
	});

	it('sends a credit that fits nothing to Needs Review as unmatched, and so a credit that is not a received payment', async () => {
		const { matched, review } = await run([
			credit('c1', '999.99', 'EUR', { reference: 'Rent October', payer: 'Smith Welding' }),
			credit('r1', '100.00', 'EUR', { reference: 'INV-1042', kind: 'refund', status: 'refunded' }),
		]);
		expect(matched).toHaveLength(0);
		expect(review[0].json.status).toBe('succeeded');
		expect(matchOf(review[0])).toEqual({ result: 'unmatched', reason: 'No open invoice is named in the reference, and none has 999.99 EUR due' });
		expect(review[1].json).toMatchObject({ status: 'refunded', crmStatus: 'Refunded' });
		expect(matchOf(review[1])).toMatchObject({ result: 'unmatched', reason: expect.stringContaining('this is a refund with status "refunded"') });
	});

	it('never matches across currencies, by reference or by amount', async () => {
		const { matched, review } = await run([
			credit('c1', '100.00', 'USD', { reference: 'INV-1042' }),
			credit('c2', '250.00', 'USD', { payer: 'Jones Bakery' }),
		]);
		expect(matched).toHaveLength(0);
		expect(matchOf(review[0])).toMatchObject({
			result: 'unmatched',
			reason: 'The reference names INV-1042 (in EUR), but the credit is in USD',
			candidates: [expect.objectContaining({ id: 'inv_1', currency: 'EUR' })],
		});
		expect(matchOf(review[1])).toEqual({ result: 'unmatched', reason: 'No open invoice is named in the reference, and none has 250.00 USD due' });
	});

	it('adds up two credits against one invoice: the second sees the reduced amount due', async () => {
		const { matched, review } = await run([
			credit('c1', '60.00', 'EUR', { reference: 'INV-1042' }),
			credit('c2', '40.00', 'EUR', { reference: 'inv1042 rest' }),
			credit('c3', '40.00', 'EUR', { reference: 'INV-1042 again' }),
		]);
		expect(matched.map((item) => [item.json.status, (item.json.amountDue as IDataObject).value, (item.json.amountPaid as IDataObject).value])).toEqual([
			['partially_paid', '40.00', '60.00'],
			['succeeded', '0.00', '100.00'],
		]);
		expect(matchOf(matched[1]).amountDueBefore).toEqual(money('40.00'));
		// A third credit finds nothing left to pay: a person decides (a duplicate transfer to refund, most likely).
		expect(review[0].pairedItem).toEqual({ item: 2 });
		expect(matchOf(review[0])).toMatchObject({ result: 'unmatched', by: 'reference', reason: 'INV-1042 was already paid by an earlier credit of this run' });

		// The reduced amount due is also what the amount levels compare with.
		const byAmount = await run([credit('c1', '60.00', 'EUR', { reference: 'INV-1042' }), credit('c2', '40.00', 'EUR', { payer: 'SMITH WELDING LTD' })]);
		expect(byAmount.matched.map((item) => [(item.json.invoice as IDataObject).id, matchOf(item).by, item.json.status])).toEqual([
			['inv_1', 'reference', 'partially_paid'],
			['inv_1', 'amount-and-payer', 'succeeded'],
		]);
	});

	it.each<[string, IDataObject, string]>([
		[
			'an amount with a thousands separator',
			{ id: 'inv_9', number: 'INV-1099', amountDue: '1,250.00', currency: 'EUR' },
			'Open invoice 5 (INV-1099), field "amountDue": Invalid amount "1,250.00" for EUR: expected a plain decimal',
		],
		[
			'a float that is not an exact amount (0.1 + 0.2)',
			{ id: 'inv_9', number: 'INV-1099', amountDue: 0.1 + 0.2, currency: 'EUR' },
			'Open invoice 5 (INV-1099), field "amountDue": Invalid amount 0.30000000000000004 for EUR: it has 17 fraction digits but EUR allows 2',
		],
		['a missing amount', { id: 'inv_9', currency: 'EUR' }, 'Open invoice 5 (inv_9), field "amountDue": is missing'],
		['a negative amount', { id: 'inv_9', amountDue: '-5', currency: 'EUR' }, 'Open invoice 5 (inv_9), field "amountDue": -5.00 EUR is negative'],
		['an unknown currency', { id: 'inv_9', amountDue: '5', currency: 'EURO' }, 'Open invoice 5 (inv_9), field "currency": Unknown currency "EURO"'],
		['a total below the amount due', { id: 'inv_9', amountDue: '5', total: '4', currency: 'EUR' }, 'field "total": 4.00 EUR is less than the amount due 5.00'],
		['no ID and no number', { amountDue: '5', currency: 'EUR' }, 'Open invoice 5 has neither an ID (field "id") nor a number (field "number")'],
		['an ID listed twice', { id: 'inv_1', amountDue: '5', currency: 'EUR' }, 'Open invoice 5 (inv_1) repeats open invoice 1: both have ID "inv_1"'],
	])('refuses an open invoice with %s, naming the invoice and the field', async (_name, invoice, message) => {
		const items = [credit('c1', '100.00', 'EUR', { reference: 'INV-1042' })];
		const failing = run(items, { openInvoices: [...INVOICES, invoice] });
		await expect(failing).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run(items, { openInvoices: [...INVOICES, invoice] })).rejects.toThrow(message);
	});

	it('names the configured field, and with Continue On Fail turns every credit into an error item', async () => {
		const invoices = [{ id: 'inv_1', number: 'INV-1042', Balance: '12,50', currency: 'EUR' }];
		const items = [credit('c1', '12.50', 'EUR', { reference: 'INV-1042' }), credit('c2', '5.00', 'EUR')];
		await expect(run(items, { openInvoices: invoices, amountDueField: 'Balance' })).rejects.toThrow(
			'InvalidInvoiceError: Open invoice 1 (INV-1042), field "Balance": Invalid amount "12,50" for EUR',
		);
		const { matched, review } = await run(items, { openInvoices: invoices, amountDueField: 'Balance' }, true);
		expect(review).toHaveLength(0);
		expect(matched).toEqual([0, 1].map((item) => ({
			json: { error: expect.stringContaining('field "Balance"'), errorType: 'InvalidInvoiceError' },
			pairedItem: { item },
		})));
	});

	it('refuses Open Invoices that is not a list, and reads JSON text of one', async () => {
		const items = [credit('c1', '100.00', 'EUR', { reference: 'INV-1042' })];
		await expect(run(items, { openInvoices: { id: 'inv_1' } })).rejects.toThrow('Open Invoices must be a list of invoices');
		await expect(run(items, { openInvoices: '[{"id": ' })).rejects.toThrow('Open Invoices is text that is not JSON');
		const { matched } = await run(items, { openInvoices: JSON.stringify(INVOICES) });
		expect((matched[0].json.invoice as IDataObject).id).toBe('inv_1');
	});

	it('fails an item that is not a canonical event with a named error, or makes it an error item with Continue On Fail', async () => {
		const items = [{ amount: '100.00', reference: 'INV-1042' }, credit('c1', '100.00', 'EUR', { reference: 'INV-1042' })];
		await expect(run(items)).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run(items)).rejects.toMatchObject({
			message: expect.stringContaining('Item 0 is not a canonical payment event: Invalid payment event:'),
			context: expect.objectContaining({ itemIndex: 0 }),
		});
		const { matched } = await run(items, {}, true);
		expect(matched[0]).toEqual({ json: { error: expect.stringContaining('Invalid payment event'), errorType: 'InvalidPaymentEventError' }, pairedItem: { item: 0 } });
		expect(matched[1].json).toMatchObject({ id: 'bank:c1', status: 'succeeded', invoice: { id: 'inv_1' } });
	});

	it("reads Xero's invoices through dotted field names, also when given as n8n items", async () => {
		// test/fixtures/xero/get_invoices_response.json: the getInvoices example of XeroAPI/Xero-OpenAPI (see SOURCES.md there);
		// the AUTHORISED one (INV-0003, 115.00 NZD due) is the open invoice, as $('Xero').all() would give it.
		const { Invoices } = fixtureJson<{ Invoices: IDataObject[] }>('xero/get_invoices_response.json');
		const open = Invoices.filter((invoice) => invoice.Status === 'AUTHORISED').map((json) => ({ json, pairedItem: { item: 0 } }));
		const { matched } = await run([credit('c1', '15.00', 'NZD', { reference: 'Inv 0003 part payment', payer: 'RUBBLE BARNEY' })], {
			openInvoices: open,
			idField: 'InvoiceID',
			numberField: 'InvoiceNumber',
			amountDueField: 'AmountDue',
			currencyField: 'CurrencyCode',
			totalField: 'Total',
			customerNameField: 'Contact.Name',
		});
		expect(matched[0].json).toMatchObject({
			status: 'partially_paid',
			invoice: { id: '7ef31b20-de17-4312-8382-412f869b1510', number: 'INV-0003' },
			amountDue: money('100.00', 'NZD'),
			amountPaid: money('15.00', 'NZD'),
			total: money('115.00', 'NZD'),
		});
	});
});
