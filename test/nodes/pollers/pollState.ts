import type { IDataObject } from 'n8n-workflow';

import type { WebhookTools } from '../../../nodes/providers/types';

/** How far behind the present a poll that finds nothing new moves the cursor: ProviderPoll.settleMs's default. */
export const SETTLE_MS = 10 * 60 * 1000;

/** What `ProviderPoll.read` gets besides the response: the page token it answers (none for a first page) and the poll's tools. */
export function readContext(page?: string, credentials: Record<string, string> = {}): { page: string | undefined; tools: WebhookTools } {
	const tools = { now: new Date(), switches: {}, credentials } as unknown as WebhookTools;
	return { page, tools };
}

/**
 * The records with a change remembered at the cursor's time. The poller stores each change as
 * `<record key>#<fingerprint of what it emitted>`; the tests check which records, and check the rest by what the next poll does.
 */
export function recordsAtCursor(staticData: IDataObject): string[] {
	return (staticData.atCursor as string[]).map((change) => change.slice(0, change.lastIndexOf('#')));
}

/** That a poll run since `before` found nothing new and moved the cursor up to the present less SETTLE_MS, forgetting the changes at the old one. */
export function expectSettled(staticData: IDataObject, before: number): void {
	const cursor = Date.parse(String(staticData.cursor));
	expect(cursor).toBeGreaterThanOrEqual(before - SETTLE_MS);
	expect(cursor).toBeLessThanOrEqual(Date.now() - SETTLE_MS);
	expect(staticData.atCursor).toEqual([]);
}
