import fs from 'node:fs';
import path from 'node:path';

import { PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

function parsedOrText(content: string): unknown {
	try {
		return JSON.parse(content);
	} catch {
		return content;
	}
}

/**
 * Every sample in the fixture folders except those of `own` providers, as its provider delivers it:
 * JSON parsed, form and XML bodies as text. For detect() tests: an adapter must not claim them.
 */
export function otherProviderSamples(own: string[]): Array<[string, unknown]> {
	const samples: Array<[string, unknown]> = [];
	for (const root of [SHARED_FIXTURES, PROJECT_FIXTURES]) {
		if (!fs.existsSync(root)) continue;
		for (const dir of fs.readdirSync(root)) {
			const folder = path.join(root, dir);
			if (own.includes(dir) || dir === 'test-vectors' || !fs.statSync(folder).isDirectory()) continue;
			for (const file of fs.readdirSync(folder)) {
				if (!/\.(json|txt|xml)$/.test(file) || !fs.statSync(path.join(folder, file)).isFile()) continue;
				const content = fs.readFileSync(path.join(folder, file), 'utf8');
				samples.push([`${dir}/${file}`, file.endsWith('.json') ? parsedOrText(content) : content]);
			}
		}
	}
	return samples;
}
