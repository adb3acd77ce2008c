import fs from 'node:fs';
import path from 'node:path';

import { PROVIDERS } from '../../nodes/providers/index';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The rows of the README's trigger table, by their first cell. */
function triggerRows(): Map<string, string[]> {
	const section = readme.slice(readme.indexOf('### Payment triggers'));
	const table = section.slice(section.indexOf('| Trigger |'), section.indexOf('\n\n', section.indexOf('| Trigger |')));
	const rows = table
		.split('\n')
		.slice(2)
		.map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
	return new Map(rows.map((cells) => [cells[0], cells]));
}

describe('README', () => {
	const rows = triggerRows();
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
});
