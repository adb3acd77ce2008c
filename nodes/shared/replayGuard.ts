import { createHash } from 'node:crypto';

const REMEMBER_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 50_000;

/** Deliveries accepted in the last 24 hours, by trigger node and content: the same signed bytes twice is a replay. */
const accepted = new Map<string, number>();

function keyOf(node: string, rawBody: Buffer, signature: string): string {
	return `${node}\n${createHash('sha256').update(rawBody).update('\n').update(signature).digest('base64')}`;
}

/**
 * Records a verified delivery and tells whether the same one was accepted before. `signature` is whatever
 * the provider signed beside the body (headers), so a provider's retry with a fresh signature is not a replay.
 */
export function isReplay(node: string, rawBody: Buffer, signature: string, now = Date.now()): boolean {
	const key = keyOf(node, rawBody, signature);
	const expires = accepted.get(key);
	if (expires !== undefined && expires > now) return true;
	accepted.delete(key);
	accepted.set(key, now + REMEMBER_MS);
	if (accepted.size > MAX_ENTRIES) {
		for (const [oldest, until] of accepted) {
			if (accepted.size <= MAX_ENTRIES && until > now) break;
			accepted.delete(oldest);
		}
	}
	return false;
}
