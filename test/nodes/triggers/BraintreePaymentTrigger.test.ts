import { PaymentEventsBraintreeApi } from '../../../credentials/PaymentEventsBraintreeApi.credentials';
import { BraintreePaymentTrigger } from '../../../nodes/BraintreePaymentTrigger/BraintreePaymentTrigger.node';
import { fixtureBytes, fixtureJson } from '../../unit/providers/fixtures';
import { triggerHarness } from '../triggerHarness';

// Deliveries: shared/fixtures/braintree, produced by the official braintree_node generator with the SDK's
// integration keys (see PROVENANCE.md); the challenge vector is the SDK's own unit test. The installed SDK is the oracle.
const KEYS = { merchantId: 'integration_merchant_id', publicKey: 'integration_public_key', privateKey: 'integration_private_key' };
const settledForm = fixtureBytes('braintree/transaction_settled.form.txt');
const disputed = fixtureJson<Sample>('braintree/dispute_opened.json');
const challenge = fixtureJson<{ vectors: { bt_challenge: string; expected_response: string }[] }>(
	'test-vectors/braintree_signature_vectors.json',
).vectors[0];

interface Sample {
	bt_signature: string;
	bt_payload: string;
}
interface Gateway {
	webhookTesting: { sampleNotification(kind: string, id: string): Promise<Sample> };
	webhookNotification: { parse(signature: string, payload: string): Promise<{ kind: string }>; verify(challenge: string): string };
}
// The SDK ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const braintreeSdk = require('braintree') as { BraintreeGateway: new (config: object) => Gateway; Environment: { Sandbox: unknown } };

function gateway(keys = KEYS) {
	return new braintreeSdk.BraintreeGateway({ environment: braintreeSdk.Environment.Sandbox, ...keys });
}

function form(fields: Sample): string {
	return new URLSearchParams({ bt_signature: fields.bt_signature, bt_payload: fields.bt_payload }).toString();
}

function trigger(credentials: Record<string, string> = KEYS, parameters = {}) {
	return triggerHarness(BraintreePaymentTrigger, { credential: new PaymentEventsBraintreeApi(), credentials, parameters });
}

describe('Braintree Payment Trigger: deliveries', () => {
	it('turns a notification the generator signed into one canonical event with the raw payload', async () => {
		const result = await trigger().deliver({ body: settledForm, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
		expect(result).toMatchObject({ status: 200, started: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			id: 'braintree:transaction_settled:my_id:2026-01-01T00:00:00.000Z',
			providerEventType: 'transaction_settled',
			kind: 'payment',
			status: 'succeeded',
			amount: { minor: 10000, value: '100.00', currency: 'USD', exponent: 2 },
			payment: { id: 'my_id', method: 'us_bank_account', last4: '1234' },
		});
		expect(result.items[0].raw).toBe(settledForm.toString('utf8'));
	});

	it('accepts what the SDK signs now, as the SDK itself parses it', async () => {
		const sample = await gateway().webhookTesting.sampleNotification('dispute_opened', 'dp_oracle');
		const parsed = await gateway().webhookNotification.parse(sample.bt_signature, sample.bt_payload);
		expect(parsed.kind).toBe('dispute_opened');
		const result = await trigger().deliver({ body: form(sample) });
		expect(result.items).toEqual([expect.objectContaining({ kind: 'dispute', status: 'disputed', payment: { id: 'dp_oracle' } })]);
	});

	it('accepts the payload without its trailing newline and a signature among several public keys, as the SDK does', async () => {
		const payload = disputed.bt_payload.replace(/\n$/, '');
		expect(payload).not.toBe(disputed.bt_payload);
		const signature = `someone_elses_public_key|0000000000000000000000000000000000000000&${disputed.bt_signature}`;
		await expect(gateway().webhookNotification.parse(signature, payload)).resolves.toBeDefined();
		expect((await trigger().deliver({ body: form({ bt_signature: signature, bt_payload: payload }) })).started).toBe(true);
	});

	it.each([
		[
			'a tampered payload',
			() => form({ ...disputed, bt_payload: Buffer.from(Buffer.from(disputed.bt_payload, 'base64').toString().replace('250.0', '950.0')).toString('base64') }),
		],
		['a notification signed with other keys', async () => form(await gateway({ ...KEYS, privateKey: 'another_private_key' }).webhookTesting.sampleNotification('check', ''))],
		['a signature for another public key', () => form({ ...disputed, bt_signature: disputed.bt_signature.replace('integration_public_key', 'other_public_key') })],
		['no bt_signature', () => `bt_payload=${encodeURIComponent(disputed.bt_payload)}`],
	])('answers %s with 401 and starts nothing', async (_case, body) => {
		const node = trigger();
		expect(await node.deliver({ body: await body() })).toMatchObject({ status: 401, started: false, items: [] });
		expect(node.warnings.join('\n')).not.toContain(KEYS.privateKey);
	});

	it('acknowledges a repeat of the same signed delivery (Braintree retrying) without running again', async () => {
		const node = trigger();
		const body = form(disputed);
		expect((await node.deliver({ body })).started).toBe(true);
		const fetched = node.requests.length;
		expect(await node.deliver({ body })).toMatchObject({ status: 200, started: false, body: '' });
		expect(node.requests).toHaveLength(fetched);
	});

	it('refuses deliveries while the credential has no private key', async () => {
		const node = trigger({ merchantId: KEYS.merchantId, publicKey: KEYS.publicKey });
		expect(await node.deliver({ body: settledForm })).toMatchObject({ status: 401, started: false });
		expect(node.warnings[0]).toContain('no Private Key');
	});

	it('answers the check notification (Control Panel test) with 200 and no execution', async () => {
		const sample = await gateway().webhookTesting.sampleNotification('check', '');
		expect(await trigger().deliver({ body: form(sample) })).toMatchObject({ status: 200, started: false });
	});
});

describe('Braintree Payment Trigger: challenge', () => {
	it("answers the GET challenge with '<public key>|<HMAC>', like the SDK's verify and its test vector", async () => {
		const result = await trigger().deliver({ body: '', query: { bt_challenge: challenge.bt_challenge }, webhookName: 'setup' });
		expect(result).toMatchObject({ status: 200, started: false, body: challenge.expected_response });
		expect(gateway().webhookNotification.verify(challenge.bt_challenge)).toBe(challenge.expected_response);
	});

	it.each([
		['a challenge that is not 20–32 hex digits', { bt_challenge: `${challenge.bt_challenge}zz` }, 400],
		['a challenge long enough to be a payload', { bt_challenge: 'a'.repeat(33) }, 400],
		['a GET without a challenge', {}, 401],
	])('refuses %s', async (_case, query, status) => {
		expect(await trigger().deliver({ body: '', query, webhookName: 'setup' })).toMatchObject({ status, started: false });
	});

	it('does not answer a challenge without the key pair', async () => {
		const result = await trigger({ merchantId: KEYS.merchantId }).deliver({ body: '', query: { bt_challenge: challenge.bt_challenge }, webhookName: 'setup' });
		expect(result).toMatchObject({ status: 401, started: false });
	});

	it('treats a POST that also carries bt_challenge as a delivery, not a handshake', async () => {
		const result = await trigger().deliver({ body: settledForm, query: { bt_challenge: challenge.bt_challenge } });
		expect(result).toMatchObject({ status: 200, started: true });
	});
});
