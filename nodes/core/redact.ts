export const REDACTED = '[redacted]';

function passesLuhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

/** "4242 4242 4242 4242" → "**** 4242". Anything with fewer than 4 digits becomes "****". */
export function maskCardNumber(cardNumber: string): string {
	const digits = cardNumber.replace(/\D/g, '');
	return digits.length < 4 ? '****' : `**** ${digits.slice(-4)}`;
}

/**
 * The last four digits of a card number, whole or masked as providers send it ("************4242",
 * "XXXX-XXXX-XXXX-4242", "411111******1111"): the four digits it ends with, else undefined, so
 * nothing more than four digits is ever kept.
 */
export function cardLast4(cardNumber: unknown): string | undefined {
	return typeof cardNumber === 'string' ? /(\d{4})\s*$/.exec(cardNumber)?.[1] : undefined;
}

/** "jane.doe@example.com" → "j******e@example.com"; keeps the domain, which staff need to tell accounts apart. */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf('@');
	if (at < 1) return '***';
	const local = email.slice(0, at);
	const masked = local.length <= 2 ? `${local[0]}*` : `${local[0]}${'*'.repeat(local.length - 2)}${local.slice(-1)}`;
	return `${masked}${email.slice(at)}`;
}

/** "+1 415-555-2671" → "+* ***-***-2671": every digit but the last four hidden, formatting kept. */
export function maskPhone(phone: string): string {
	const total = phone.replace(/\D/g, '').length;
	let seen = 0;
	return phone.replace(/\d/g, (digit) => (++seen > total - 4 ? digit : '*'));
}

// 13–19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
const CARD_NUMBER = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const AUTHORIZATION = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const SECRET_ASSIGNMENT =
	/\b((?:api[_-]?key|access[_-]?token|refresh[_-]?token|client[_-]?secret|secret|password|passwd|token|signature|sig)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi;
const KNOWN_SECRET_FORMATS =
	/\b(?:sk|rk|pk|whsec)_(?:live|test)_[A-Za-z0-9]{8,}|\bwhsec_[A-Za-z0-9+/=]{16,}|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g;

export interface RedactTextOptions {
	/** Exact strings to remove wherever they appear: credentials' values, signing secrets. */
	secrets?: ReadonlyArray<string | undefined | null>;
	/** Mask email addresses too (default true). */
	maskEmails?: boolean;
}

/**
 * Makes free text safe for messages, errors and logs: known secrets, credential-looking values,
 * authorization headers and card numbers (Luhn-valid 13–19 digit runs) are removed or masked.
 */
export function redactText(text: string, options: RedactTextOptions = {}): string {
	let result = text;
	const secrets = (options.secrets ?? [])
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
		.sort((a, b) => b.length - a.length);
	for (const secret of secrets) {
		result = result.split(secret).join(REDACTED);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) result = result.split(encoded).join(REDACTED);
	}
	result = result
		.replace(AUTHORIZATION, (_match, scheme: string) => `${scheme} ${REDACTED}`)
		.replace(KNOWN_SECRET_FORMATS, REDACTED)
		.replace(SECRET_ASSIGNMENT, (_match, prefix: string) => `${prefix}${REDACTED}`)
		.replace(CARD_NUMBER, (match) => {
			const digits = match.replace(/\D/g, '');
			return passesLuhn(digits) ? maskCardNumber(digits) : match;
		});
	if (options.maskEmails ?? true) result = result.replace(EMAIL, maskEmail);
	return result;
}

/** Scrubs an error's message, description and stack in place (it keeps its class) and returns it. */
export function redactError<T>(error: T, options: RedactTextOptions = {}): T {
	if (error === null || typeof error !== 'object') return error;
	const target = error as Record<string, unknown>;
	for (const key of ['message', 'description', 'stack']) {
		if (typeof target[key] === 'string') {
			try {
				target[key] = redactText(target[key] as string, options);
			} catch {
				// a read-only property keeps its value; nothing better to do with it
			}
		}
	}
	return error;
}
