import fs from 'node:fs';
import path from 'node:path';

/** Samples collected from providers' docs and SDKs: ../shared/fixtures (see its PROVENANCE.md). */
export const SHARED_FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');
/** Samples this project added, each cited in test/fixtures/SOURCES.md. */
export const PROJECT_FIXTURES = path.resolve(__dirname, '../../fixtures');

function locate(file: string): string {
	const shared = path.join(SHARED_FIXTURES, file);
	return fs.existsSync(shared) ? shared : path.join(PROJECT_FIXTURES, file);
}

export function fixtureBytes(file: string): Buffer {
	return fs.readFileSync(locate(file));
}

export function fixtureJson<T = Record<string, unknown>>(file: string): T {
	return JSON.parse(fixtureBytes(file).toString('utf8')) as T;
}
