import fs from 'node:fs';
import path from 'node:path';

import { PROJECT_FIXTURES, SHARED_FIXTURES } from './fixtures';

/** [provider folder, "folder/file", body as delivered (JSON parsed; form and XML as text), exact bytes]. */
export type Sample = [string, string, unknown, Buffer];

/** Every payload sample in a fixture root, one provider per folder. */
export function samplesIn(root: string): Sample[] {
	const samples: Sample[] = [];
	if (!fs.existsSync(root)) return samples;
	for (const dir of fs.readdirSync(root)) {
		const folder = path.join(root, dir);
		if (dir === 'test-vectors' || !fs.statSync(folder).isDirectory()) continue;
		for (const file of fs.readdirSync(folder)) {
			if (!/\.(json|txt|xml)$/.test(file) || !fs.statSync(path.join(folder, file)).isFile()) continue;
			const bytes = fs.readFileSync(path.join(folder, file));
			let body: unknown = bytes.toString('utf8');
			if (file.endsWith('.json')) {
				try {
					body = JSON.parse(body as string);
				} catch {
					// a .json file that is not JSON is delivered as text
				}
			}
			samples.push([dir, `${dir}/${file}`, body, bytes]);
		}
	}
	return samples;
}

/**
 * Every sample except those of `own` providers, as [name, body, bytes]: for detect() tests, an adapter
 * must not claim them.
 */
export function otherProviderSamples(own: string[]): Array<[string, unknown, Buffer]> {
	return [...samplesIn(SHARED_FIXTURES), ...samplesIn(PROJECT_FIXTURES)]
		.filter(([dir]) => !own.includes(dir))
		.map(([, name, body, bytes]) => [name, body, bytes]);
}
