import { createHash, createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

export interface VerifyHmacOptions {
	algorithm: HashAlgorithm;
	key: string | Buffer;
	payload: string | Buffer;
	/** As received (header value etc.); undefined/null/empty → false. */
	signature: string | null | undefined;
	encoding: SignatureEncoding;
}

export interface VerifyRsaSha256Options {
	/** PEM public key, PEM X.509 certificate, or an already parsed KeyObject. */
	publicKey: string | Buffer | KeyObject;
	payload: string | Buffer;
	/** Base64 (RSASSA-PKCS1-v1_5 with SHA-256). */
	signature: string | null | undefined;
}

function toBuffer(value: string | Buffer): Buffer {
	return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function isNonEmpty(value: unknown): value is string | Buffer {
	return (typeof value === 'string' || Buffer.isBuffer(value)) && value.length > 0;
}

/** Raw digest, e.g. Braintree's HMAC key is SHA1(private key) as 20 raw bytes. */
export function hash(algorithm: HashAlgorithm, data: string | Buffer): Buffer {
	return createHash(algorithm).update(toBuffer(data)).digest();
}

export function hmac(
	algorithm: HashAlgorithm,
	key: string | Buffer,
	payload: string | Buffer,
	encoding: SignatureEncoding,
): string {
	return createHmac(algorithm, toBuffer(key)).update(toBuffer(payload)).digest(encoding);
}

/**
 * Constant-time comparison that never throws. Both sides are hashed first so timingSafeEqual always
 * gets equal-length inputs; the time taken then depends only on the lengths, not on where they differ.
 */
export function safeEqual(a: string | Buffer | null | undefined, b: string | Buffer | null | undefined): boolean {
	if (!isNonEmpty(a) || !isNonEmpty(b)) return false;
	const bufA = toBuffer(a);
	const bufB = toBuffer(b);
	const digestsEqual = timingSafeEqual(hash('sha256', bufA), hash('sha256', bufB));
	return digestsEqual && bufA.length === bufB.length;
}

/**
 * Hex signatures are compared case-insensitively. Base64 ones must match exactly: no trimming,
 * no missing padding, no base64url, no alternative encodings of the final bits.
 * An empty key is rejected, since anyone can compute an HMAC with an empty key.
 */
export function verifyHmac({ algorithm, key, payload, signature, encoding }: VerifyHmacOptions): boolean {
	if (!isNonEmpty(key) || typeof signature !== 'string' || signature.length === 0) return false;
	if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return false;
	const expected = hmac(algorithm, key, payload, encoding);
	const received = encoding === 'hex' ? signature.toLowerCase() : signature;
	return safeEqual(received, expected);
}

/**
 * Verifies the signature only: certificate validity dates and chains are not checked (callers that fetch
 * certificates must decide which ones they trust). Returns false, never throws, on malformed input.
 */
export function verifyRsaSha256({ publicKey, payload, signature }: VerifyRsaSha256Options): boolean {
	if (typeof signature !== 'string' || signature.length === 0) return false;
	try {
		const key = typeof publicKey === 'object' && !Buffer.isBuffer(publicKey) ? publicKey : createPublicKey(publicKey);
		if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') return false;
		const signatureBytes = Buffer.from(signature, 'base64');
		if (signatureBytes.length === 0) return false;
		return verify('sha256', toBuffer(payload), key, signatureBytes);
	} catch {
		return false;
	}
}

const CRC32_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (IEEE 802.3, as zlib), unsigned. */
export function crc32(data: string | Buffer): number {
	const bytes = toBuffer(data);
	let crc = 0xffffffff;
	for (let i = 0; i < bytes.length; i++) crc = CRC32_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

const NUMERIC_TIMESTAMP = /^\d+(\.\d+)?$/;
// A zone designator is required: JavaScript reads zone-less ISO date-times as local time.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function timestampToMs(timestamp: number | string | Date): number {
	if (timestamp instanceof Date) return timestamp.getTime();
	if (typeof timestamp === 'number') return timestamp * 1000;
	if (typeof timestamp !== 'string') return NaN;
	if (NUMERIC_TIMESTAMP.test(timestamp)) return Number(timestamp) * 1000;
	if (ISO_TIMESTAMP.test(timestamp)) return Date.parse(timestamp);
	return NaN;
}

/**
 * True when `timestamp` lies within `toleranceSeconds` of `now`, in either direction (boundary included).
 * Numbers and numeric strings are unix seconds; strings may also be ISO 8601 with a zone. Anything invalid → false.
 */
export function isWithinTolerance(
	timestamp: number | string | Date,
	toleranceSeconds: number,
	now: Date = new Date(),
): boolean {
	if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) return false;
	const timestampMs = timestampToMs(timestamp);
	const nowMs = now instanceof Date ? now.getTime() : NaN;
	if (!Number.isFinite(timestampMs) || !Number.isFinite(nowMs)) return false;
	return Math.abs(nowMs - timestampMs) <= toleranceSeconds * 1000;
}
