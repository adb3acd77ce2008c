import fs from 'node:fs';
import path from 'node:path';

import { PROVIDERS } from '../../nodes/providers/index';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The rows of the README table under `heading` whose header starts with `firstColumn`, by their first cell. */
function tableRows(heading: string, firstColumn: string): Map<string, string[]> {
	const section = readme.slice(readme.indexOf(heading));
	const table = section.slice(section.indexOf(`| ${firstColumn} |`), section.indexOf('\n\n', section.indexOf(`| ${firstColumn} |`)));
	const rows = table
		.split('\n')
		.slice(2)
		.map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
	return new Map(rows.map((cells) => [cells[0], cells]));
}

describe('README', () => {
	const rows = tableRows('### Payment triggers', 'Trigger');
	const sources = PROVIDERS.filter((provider) => provider.webhook);

	it.each(sources.map((provider) => [provider.displayName, provider] as const))(
		'describes the %s trigger, with automatic registration exactly when the node registers itself',
		(name, provider) => {
			const row = rows.get(name);
			expect(row).toBeDefined();
			expect(row![2].startsWith('automatic')).toBe(Boolean(provider.webhook!.subscription));
		},
	);

	it('lists no trigger the package does not have', () => {
		expect([...rows.keys()].sort()).toEqual(sources.map((provider) => provider.displayName).sort());
	});

	it.each(PROVIDERS.map((provider) => [provider.displayName, provider] as const))(
		'says which triggers start a workflow from %s',
		(name, provider) => {
			const row = tableRows('### Payment sources', 'Source').get(name);
			expect(row).toBeDefined();
			const kinds = [provider.webhook && 'webhook', provider.poll && 'polling'].filter(Boolean).join(' + ');
			expect(row![3]).toBe(kinds || '— (Payment Normalize only)');
		},
	);
});
