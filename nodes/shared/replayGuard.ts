import { createHash } from 'node:crypto';

const REMEMBER_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 50_000;

/** Deliveries handled in the last 24 hours, by trigger node and content. */
const handled = new Map<string, number>();
/** Deliveries being handled now: a copy arriving meanwhile is a repeat too. */
const inProgress = new Set<string>();

/** What identifies a delivery: the node, the signed bytes, and what was signed beside them (headers, fetched state). */
export function deliveryKey(node: string, rawBody: Buffer, signature: string): string {
	return `${node}\n${createHash('sha256').update(rawBody).update('\n').update(signature).digest('base64')}`;
}

/** Claims a delivery for handling; false when it was handled in the last 24 hours or is being handled now. */
export function claimDelivery(key: string, now = Date.now()): boolean {
	const expires = handled.get(key);
	if ((expires !== undefined && expires > now) || inProgress.has(key)) return false;
	inProgress.add(key);
	return true;
}

/**
 * Ends the handling of a claimed delivery. Only a delivery handled successfully is remembered, so that the
 * provider's retry after a failure (a fetch that failed, say) is handled again.
 */
export function finishDelivery(key: string, succeeded: boolean, now = Date.now()): void {
	inProgress.delete(key);
	if (!succeeded) return;
	handled.delete(key);
	handled.set(key, now + REMEMBER_MS);
	for (const [oldest, until] of handled) {
		if (handled.size <= MAX_ENTRIES && until > now) break;
		handled.delete(oldest);
	}
}
