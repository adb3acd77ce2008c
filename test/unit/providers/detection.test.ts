import fs from 'node:fs';
import path from 'node:path';

import { PROVIDERS } from '../../../nodes/providers/index';
import { PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

/** Every sample file of every provider folder, parsed as its provider delivers it. */
function samples(root: string): Array<[string, string, unknown]> {
	const result: Array<[string, string, unknown]> = [];
	for (const dir of fs.readdirSync(root)) {
		const folder = path.join(root, dir);
		if (dir === 'test-vectors' || !fs.statSync(folder).isDirectory()) continue;
		for (const file of fs.readdirSync(folder).filter((f) => /\.(json|txt|xml)$/.test(f))) {
			const content = fs.readFileSync(path.join(folder, file), 'utf8');
			let body: unknown = content;
			if (file.endsWith('.json')) {
				try {
					body = JSON.parse(content);
				} catch {
					body = content;
				}
			}
			result.push([dir, `${dir}/${file}`, body]);
		}
	}
	return result;
}

const claimants = (body: unknown) => PROVIDERS.filter((adapter) => adapter.detect({ body, headers: {} })).map((a) => a.id);

describe('auto-detection across all providers', () => {
	it('registers each provider once', () => {
		const ids = PROVIDERS.map((adapter) => adapter.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	// The shared samples are all deliveries as the providers send them, except Mollie's fetched payment.
	it.each(samples(SHARED_FIXTURES).filter(([, name]) => name !== 'mollie/payment_resource_fetched_after_webhook.json'))(
		'%s: %s is claimed by exactly its own adapter',
		(dir, _name, body) => {
			expect(claimants(body)).toEqual([dir]);
		},
	);

	// Project samples also hold API responses that complete thin notifications: no adapter may claim
	// those, and a delivery is claimed by its own adapter only.
	it.each(samples(PROJECT_FIXTURES))('%s: %s is claimed by its own adapter or none', (dir, _name, body) => {
		expect([[], [dir]]).toContainEqual(claimants(body));
	});
});
