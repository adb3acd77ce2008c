import { NodeApiError, NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { PaymentNormalize } from '../../nodes/PaymentNormalize/PaymentNormalize.node';
import { normalizeManualEntry, type ManualEntry } from '../../nodes/PaymentNormalize/manualEntry';
import { fixtureJson } from '../unit/providers/fixtures';

const NOW = new Date('2026-11-21T12:00:00.000Z');

const entry: ManualEntry = {
	amount: '49.90',
	amountFormat: 'decimal',
	currency: 'EUR',
	status: 'succeeded',
	kind: 'payment',
	reference: 'BOOKING-118',
	customer: { name: 'Ana Ruiz', email: 'ana@example.com', phone: '+34 612 34 56 78', locale: 'es-ES' },
};

describe('normalizeManualEntry', () => {
	it('turns a dashboard entry into a canonical event with a deterministic id', () => {
		const event = normalizeManualEntry(entry, NOW);
		expect(event).toEqual({
			schemaVersion: 1,
			id: 'manual:BOOKING-118:succeeded:4990',
			provider: 'manual',
			providerEventId: 'BOOKING-118:succeeded:4990',
			providerEventType: 'manual.payment.succeeded',
			livemode: true,
			kind: 'payment',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 4990, value: '49.90', currency: 'EUR', exponent: 2 },
			occurredAt: '2026-11-21T12:00:00.000Z',
			receivedAt: '2026-11-21T12:00:00.000Z',
			customer: { name: 'Ana Ruiz', email: 'ana@example.com', phone: '+34612345678', locale: 'es-ES' },
			reference: 'BOOKING-118',
		});
		expect(normalizeManualEntry(entry, new Date('2027-01-01T00:00:00Z')).id).toBe(event.id);
	});

	it('reads minor units and zero-decimal currencies', () => {
		expect(normalizeManualEntry({ ...entry, amount: 5000, amountFormat: 'minor', currency: 'JPY' }, NOW).amount).toEqual({
			minor: 5000,
			value: '5000',
			currency: 'JPY',
			exponent: 0,
		});
	});

	it('computes what is still due on an invoice and keeps only the last four card digits', () => {
		const event = normalizeManualEntry(
			{
				...entry,
				kind: 'invoice',
				status: 'partially_paid',
				amount: '120.500',
				currency: 'BHD',
				invoice: { number: 'INV-9', total: '300', amountPaid: '120.5' },
				cardLast4: '4111 1111 1111 1111',
				occurredAt: '2026-11-20T08:00:00+03:00',
			},
			NOW,
		);
		expect(event.total).toEqual({ minor: 300000, value: '300.000', currency: 'BHD', exponent: 3 });
		expect(event.amountPaid?.value).toBe('120.500');
		expect(event.amountDue?.value).toBe('179.500');
		expect(event.crmStatus).toBe('Partially paid');
		expect(event.payment).toEqual({ last4: '1111' });
		expect(event.invoice).toEqual({ number: 'INV-9' });
		expect(event.occurredAt).toBe('2026-11-20T05:00:00.000Z');
		expect(JSON.stringify(event)).not.toContain('4111 1111');
	});

	it('keeps the magnitude of a refund exported as a negative amount, and refuses a negative payment', () => {
		const refund = normalizeManualEntry({ ...entry, amount: '-12.00', status: 'refunded', kind: 'refund' }, NOW);
		expect(refund.amount.value).toBe('12.00');
		expect(refund.crmStatus).toBe('Refunded');
		expect(() => normalizeManualEntry({ ...entry, amount: '-12.00' }, NOW)).toThrow(
			'Amount -12.00 is negative; only a refund',
		);
	});

	it.each<[string, Partial<ManualEntry>, RegExp]>([
		['unknown currency', { currency: 'ABC' }, /Unknown currency "ABC"/],
		['more decimals than the currency has', { amount: '10.999' }, /10\.999/],
		['no amount', { amount: ' ' }, /Amount is required/],
		['no reference', { reference: '' }, /Reference is required/],
		['a date that is not a date', { occurredAt: 'last tuesday' }, /Date "last tuesday" is not a date/],
		['paid more than the invoice total', { invoice: { total: '10', amountPaid: '20' } }, /more than the invoice total/],
	])('rejects %s with a clear message', (_name, change, message) => {
		expect(() => normalizeManualEntry({ ...entry, ...change }, NOW)).toThrow(message);
	});

	it('writes phones as E.164 when they carry a country code, and keeps national numbers as entered', () => {
		const phoneOf = (phone: string) => normalizeManualEntry({ ...entry, customer: { phone } }, NOW).customer?.phone;
		expect(phoneOf('+1 (415) 555-2671')).toBe('+14155552671');
		expect(phoneOf('0612 345 678')).toBe('0612 345 678');
	});
});

interface ProviderApiStandIn {
	credentials: Record<string, unknown>;
	respond: (request: { credentialType: string; options: Record<string, unknown> }) => unknown;
	calls: Array<{ credentialType: string; options: Record<string, unknown> }>;
}

function runNode(
	inputs: Array<Record<string, unknown>>,
	parameters: Record<string, unknown>,
	continueOnFail = false,
	processed: Set<string> = new Set(),
	api?: ProviderApiStandIn,
) {
	const node = { id: '1', name: 'Payment Normalize', type: 'n8n-nodes-payment-events.paymentNormalize', typeVersion: 1, position: [0, 0], parameters };
	const context = {
		getInputData: () => inputs.map((json) => ({ json })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameters[name] ?? fallback;
			return typeof value === 'function' ? value(inputs[itemIndex]) : value;
		},
		continueOnFail: () => continueOnFail,
		getNode: () => node,
		getCredentials: async () => api?.credentials ?? {},
		helpers: {
			// The provider's API, as n8n's authenticated request helper reaches it.
			httpRequestWithAuthentication: async (credentialType: string, options: Record<string, unknown>) => {
				api!.calls.push({ credentialType, options });
				return api!.respond({ credentialType, options });
			},
			// n8n's processed-data store, in memory: returns which ids are new and records them.
			checkProcessedAndRecord: async (ids: string[]) => {
				const fresh = ids.filter((id) => !processed.has(id));
				ids.forEach((id) => processed.add(id));
				return { new: fresh, processed: ids.filter((id) => !fresh.includes(id)) };
			},
		},
	} as unknown as IExecuteFunctions;
	return new PaymentNormalize().execute.call(context) as Promise<INodeExecutionData[][]>;
}

describe('Payment Normalize node', () => {
	const parameters = {
		source: 'manual',
		amount: (item: Record<string, unknown>) => item.total,
		amountFormat: 'decimal',
		currency: (item: Record<string, unknown>) => item.currency,
		status: 'succeeded',
		kind: 'payment',
		reference: (item: Record<string, unknown>) => item.order,
		additionalFields: { metadata: '{"till": "2"}', cardLast4: '5555555555554444' },
		options: { includeRaw: true },
	};
	const goodItem = { total: '15.00', currency: 'usd', order: 'POS-1' };
	const badItem = { total: '15.00', currency: 'XYZ', order: 'POS-2' };

	it('emits one event per item, paired with its input, raw only when asked', async () => {
		const [output] = await runNode([goodItem], parameters);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			id: 'manual:POS-1:succeeded:1500',
			amount: { minor: 1500, currency: 'USD' },
			metadata: { till: '2' },
			payment: { last4: '4444' },
			raw: goodItem,
		});
		const [withoutRaw] = await runNode([goodItem], { ...parameters, options: {} });
		expect(withoutRaw[0].json).not.toHaveProperty('raw');
	});

	it('throws a NodeOperationError naming the item and the problem', async () => {
		const run = runNode([goodItem, badItem], parameters);
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(runNode([goodItem, badItem], parameters)).rejects.toMatchObject({
			message: expect.stringContaining('UnknownCurrencyError: Unknown currency "XYZ"'),
			context: expect.objectContaining({ itemIndex: 1 }),
		});
	});

	it('with Continue On Fail, turns the bad item into an error item and keeps the good one', async () => {
		const [output] = await runNode([badItem, goodItem], parameters, true);
		expect(output).toHaveLength(2);
		expect(output[0]).toEqual({
			json: { error: expect.stringContaining('Unknown currency "XYZ"'), errorType: 'UnknownCurrencyError' },
			pairedItem: { item: 0 },
		});
		expect(output[1].json).toMatchObject({ id: 'manual:POS-1:succeeded:1500' });
	});

	it('rejects metadata that is not a JSON object', async () => {
		await expect(
			runNode([goodItem], { ...parameters, additionalFields: { metadata: '[1,2]' } }),
		).rejects.toThrow('Metadata must be a JSON object');
	});
});

describe('Payment Normalize node with provider payloads', () => {
	// ../shared/fixtures/stripe/charge.succeeded.json (stripe-ruby-mock webhook fixture)
	const stripeEvent = fixtureJson('stripe/charge.succeeded.json');
	const webhookItem = { headers: { 'Content-Type': 'application/json', 'Stripe-Signature': 't=1,v1=x' }, params: {}, query: {}, body: stripeEvent };
	const auto = { source: 'auto', options: {} };

	it('recognises a Stripe event from a Webhook node item and from a trigger item alike', async () => {
		const [output] = await runNode([webhookItem, stripeEvent], auto);
		expect(output.map((item) => [item.json.id, item.json.crmStatus, item.pairedItem])).toEqual([
			['stripe:evt_000000000000000000000000', 'Paid', { item: 0 }],
			['stripe:evt_000000000000000000000000', 'Paid', { item: 1 }],
		]);
		expect(output[0].json).not.toHaveProperty('raw');
	});

	it('keeps the provider payload under raw when asked', async () => {
		const [output] = await runNode([webhookItem], { ...auto, options: { includeRaw: true } });
		expect(output[0].json.raw).toEqual(stripeEvent);
	});

	it('reads the payload from a chosen property', async () => {
		const [output] = await runNode([{ request: { payload: stripeEvent } }], { ...auto, options: { payloadProperty: 'request.payload' } });
		expect(output[0].json.provider).toBe('stripe');
	});

	it('fails an unrecognised payload with a named error, or turns it into an error item', async () => {
		await expect(runNode([{ hello: 'world' }], auto)).rejects.toThrow(
			/UnrecognisedPayloadError: No supported payment provider recognises this payload \(tried Stripe/,
		);
		const [output] = await runNode([{ hello: 'world' }, stripeEvent], auto, true);
		expect(output[0].json).toMatchObject({ errorType: 'UnrecognisedPayloadError' });
		expect(output[1].json.provider).toBe('stripe');
	});

	it('names the provider and field when a chosen provider gets a payload it cannot read', async () => {
		await expect(runNode([{ id: 'evt_1', type: 'charge.succeeded' }], { source: 'stripe', options: {} })).rejects.toThrow(
			'ProviderPayloadError: stripe: created: undefined is not a time with a zone',
		);
	});

	it('fails a non-payment event by default and leaves it out when told to skip', async () => {
		const customerUpdated = { ...stripeEvent, type: 'customer.updated' };
		await expect(runNode([customerUpdated], auto)).rejects.toThrow(
			'stripe: type: "customer.updated" is not a payment event; set Non-Payment Events to Skip',
		);
		const [output] = await runNode([customerUpdated, stripeEvent], { ...auto, options: { nonPaymentEvents: 'skip' } });
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 1 });
	});

	it('drops events the workflow has already output, when asked', async () => {
		const processed = new Set<string>();
		const options = { ...auto, options: { dropDuplicates: true } };
		const [first] = await runNode([webhookItem, webhookItem], options, false, processed);
		expect(first).toHaveLength(1);
		const [second] = await runNode([webhookItem], options, false, processed);
		expect(second).toHaveLength(0);
		const [withoutOption] = await runNode([webhookItem], auto, false, processed);
		expect(withoutOption).toHaveLength(1);
	});
});

describe('Payment Normalize completing thin notifications', () => {
	// Mollie's classic webhook posts only the payment id (as n8n's Webhook node parses the form body);
	// the payment is test/fixtures/mollie/payment_paid.get.json (official mollie-api-php test response).
	const webhookItem = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: { id: 'tr_44aKxzEbr8' } };
	const apiKey = 'test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM';
	const standIn = (respond: ProviderApiStandIn['respond']): ProviderApiStandIn => ({ credentials: { apiKey }, respond, calls: [] });

	it('fetches the payment a thin notification names, with the provider credential', async () => {
		const api = standIn(() => fixtureJson('mollie/payment_paid.get.json'));
		const [output] = await runNode([webhookItem], { source: 'mollie', options: {} }, false, new Set(), api);
		expect(api.calls).toHaveLength(1);
		expect(api.calls[0].credentialType).toBe('paymentEventsMollieApi');
		expect(api.calls[0].options).toMatchObject({ method: 'GET', url: 'https://api.mollie.com/v2/payments/tr_44aKxzEbr8', json: true });
		expect(output[0].json).toMatchObject({
			provider: 'mollie',
			status: 'succeeded',
			crmStatus: 'Paid',
			amount: { minor: 2000, value: '20.00', currency: 'EUR', exponent: 2 },
			metadata: { order_id: '1234' },
		});
	});

	it('sends the calls to the credential\'s Base URL Override when set', async () => {
		const api = standIn(() => fixtureJson('mollie/payment_paid.get.json'));
		api.credentials.baseUrl = 'http://localhost:4010/';
		await runNode([webhookItem], { source: 'mollie', options: {} }, false, new Set(), api);
		expect(api.calls[0].options.url).toBe('http://localhost:4010/v2/payments/tr_44aKxzEbr8');
	});

	it('in auto-detect, where no credential is selected, says what to fetch and how', async () => {
		await expect(runNode([webhookItem], { source: 'auto', options: {} })).rejects.toThrow(
			'ThinNotificationError: Mollie sent a thin notification (payment tr_44aKxzEbr8): the payment itself is in the Mollie payment tr_44aKxzEbr8',
		);
	});

	it('reports a failed fetch as an API error without the credential in it', async () => {
		// Shaped like an HTTP client's error: it carries the request, Authorization header included.
		const api = standIn(() => {
			throw Object.assign(new Error(`401 Unauthorized: invalid API key ${apiKey}`), {
				config: { headers: { Authorization: `Bearer ${apiKey}` } },
				response: { status: 401, data: { detail: 'Invalid API key' } },
			});
		});
		const run = runNode([webhookItem], { source: 'mollie', options: {} }, false, new Set(), api);
		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		const error = (await runNode([webhookItem], { source: 'mollie', options: {} }, false, new Set(), api).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toBe('Mollie: could not fetch the Mollie payment tr_44aKxzEbr8');
		expect(error.httpCode).toBe('401');
		expect(error.description).toContain('401 Unauthorized');
		const reported = { ...(error as unknown as Record<string, unknown>), node: undefined, stack: error.stack };
		expect(JSON.stringify(reported)).not.toContain(apiKey);
	});
});
