import { safeEqual, verifyHmac, type HashAlgorithm, type SignatureEncoding } from '../core/signature';
import { text } from '../providers/common';

export type AuthenticationScheme = 'hmac' | 'headerToken' | 'basicAuth' | 'none';

/** The credential each scheme reads; `none` has none. */
export const CREDENTIAL_OF: Readonly<Record<Exclude<AuthenticationScheme, 'none'>, string>> = {
	hmac: 'paymentEventsWebhookHmacApi',
	headerToken: 'paymentEventsWebhookTokenApi',
	basicAuth: 'paymentEventsWebhookBasicAuthApi',
};

export type AuthenticationResult = { ok: true } | { ok: false; reason: string };

const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha1', 'sha512'];
const ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64'];

function refused(reason: string): AuthenticationResult {
	return { ok: false, reason };
}

/** HMAC of the raw bytes, with the credential's header, algorithm, encoding and optional prefix ("sha256="). */
function verifySignature(rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>, credentials: Record<string, unknown>) {
	const secret = typeof credentials.secret === 'string' ? credentials.secret : '';
	const headerName = (text(credentials.headerName) ?? 'X-Signature').toLowerCase();
	const algorithm = (text(credentials.algorithm) ?? 'sha256') as HashAlgorithm;
	const encoding = (text(credentials.encoding) ?? 'hex') as SignatureEncoding;
	if (!secret) return refused('the HMAC credential has no secret');
	if (!HASH_ALGORITHMS.includes(algorithm) || !ENCODINGS.includes(encoding)) {
		return refused(`the HMAC credential names an unknown algorithm or encoding (${algorithm}, ${encoding})`);
	}
	let signature = headers[headerName]?.trim();
	if (!signature) return refused(`the ${headerName} header is missing`);
	const prefix = typeof credentials.prefix === 'string' ? credentials.prefix.trim() : '';
	if (prefix) {
		if (!signature.startsWith(prefix)) return refused(`the ${headerName} header does not start with the prefix "${prefix}"`);
		signature = signature.slice(prefix.length).trim();
	}
	return verifyHmac({ algorithm, key: secret, payload: rawBody, signature, encoding })
		? { ok: true as const }
		: refused(`the ${headerName} signature does not match the body`);
}

/** The token as "Bearer <token>" or bare, in the credential's header. */
function verifyToken(headers: Readonly<Record<string, string | undefined>>, credentials: Record<string, unknown>) {
	const token = typeof credentials.token === 'string' ? credentials.token : '';
	const headerName = (text(credentials.headerName) ?? 'Authorization').toLowerCase();
	if (!token) return refused('the header-token credential has no token');
	const value = headers[headerName]?.trim();
	if (!value) return refused(`the ${headerName} header is missing`);
	// Both forms are compared every time, so the time taken does not tell which one was tried.
	const bare = safeEqual(value, token);
	const bearer = safeEqual(value.replace(/^Bearer\s+/i, ''), token);
	return bare || bearer ? { ok: true as const } : refused(`the ${headerName} header does not carry the token`);
}

function verifyBasicAuth(headers: Readonly<Record<string, string | undefined>>, credentials: Record<string, unknown>) {
	const user = typeof credentials.user === 'string' ? credentials.user : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	if (!user || !password) return refused('the basic-auth credential has no user or no password');
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(headers.authorization ?? '');
	if (!match) return refused('the Authorization header carries no Basic credentials');
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return refused('the Basic credentials have no ":"');
	const userMatches = safeEqual(decoded.slice(0, colon), user);
	const passwordMatches = safeEqual(decoded.slice(colon + 1), password);
	return userMatches && passwordMatches ? { ok: true as const } : refused('wrong user or password');
}

/** Whether a post is from the sender the credential describes. The reasons name headers, never a secret or what was sent. */
export function authenticateRequest(
	scheme: AuthenticationScheme,
	request: { rawBody: Buffer; headers: Readonly<Record<string, string | undefined>> },
	credentials: Record<string, unknown>,
): AuthenticationResult {
	switch (scheme) {
		case 'none':
			return { ok: true };
		case 'hmac':
			return verifySignature(request.rawBody, request.headers, credentials);
		case 'headerToken':
			return verifyToken(request.headers, credentials);
		case 'basicAuth':
			return verifyBasicAuth(request.headers, credentials);
		default:
			return refused(`unknown authentication "${String(scheme)}"`);
	}
}
