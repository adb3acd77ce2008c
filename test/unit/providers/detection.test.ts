import { PROVIDERS } from '../../../nodes/providers/index';
import { PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';
import { samplesIn } from './otherProviderSamples';

const claimants = (body: unknown) => PROVIDERS.filter((adapter) => adapter.detect({ body, headers: {} })).map((a) => a.id);

describe('auto-detection across all providers', () => {
	it('registers each provider once', () => {
		const ids = PROVIDERS.map((adapter) => adapter.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	// The shared samples are all deliveries as the providers send them, except Mollie's fetched payment.
	it.each(samplesIn(SHARED_FIXTURES).filter(([, name]) => name !== 'mollie/payment_resource_fetched_after_webhook.json'))(
		'%s: %s is claimed by exactly its own adapter',
		(dir, _name, body) => {
			expect(claimants(body)).toEqual([dir]);
		},
	);

	// Project samples also hold API responses that complete thin notifications: no adapter may claim
	// those, and a delivery is claimed by its own adapter only.
	it.each(samplesIn(PROJECT_FIXTURES))('%s: %s is claimed by its own adapter or none', (dir, _name, body) => {
		expect([[], [dir]]).toContainEqual(claimants(body));
	});
});
