import fs from 'node:fs';
import path from 'node:path';

import { ProviderPayloadError } from '../../../nodes/providers/common';

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

/** The ProviderPayloadError `run` throws; fails the test when it throws nothing or something else. */
export function payloadError(run: () => unknown): ProviderPayloadError {
	try {
		run();
	} catch (error) {
		if (error instanceof ProviderPayloadError) return error;
		throw error;
	}
	throw new Error('expected a ProviderPayloadError');
}
