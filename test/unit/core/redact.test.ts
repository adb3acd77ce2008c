import {
	cardLast4,
	maskCardNumber,
	maskEmail,
	maskPhone,
	redactError,
	redactText,
} from '../../../nodes/core/redact';

describe('masking', () => {
	it('keeps only the last four digits of a card number', () => {
		expect(maskCardNumber('4242 4242 4242 4242')).toBe('**** 4242');
		expect(maskCardNumber('5555-5555-5555-4444')).toBe('**** 4444');
		expect(maskCardNumber('12')).toBe('****');
		expect(cardLast4('378282246310005')).toBe('0005');
		expect(cardLast4('x1')).toBeUndefined();
	});

	it.each([
		['************4242', '4242'],
		['XXXX-XXXX-XXXX-4242', '4242'],
		['411111******1111', '1111'],
		['XXXX4444 ', '4444'],
		['4242XXXX', undefined],
		['', undefined],
		[undefined, undefined],
	])('cardLast4(%p) is %p', (masked, last4) => {
		expect(cardLast4(masked)).toBe(last4);
	});

	it('masks emails but keeps the domain', () => {
		expect(maskEmail('jane.doe@example.com')).toBe('j******e@example.com');
		expect(maskEmail('jo@example.com')).toBe('j*@example.com');
		expect(maskEmail('a@b.co')).toBe('a*@b.co');
		expect(maskEmail('not-an-email')).toBe('***');
	});

	it('masks every phone digit but the last four', () => {
		expect(maskPhone('+14155552671')).toBe('+*******2671');
		expect(maskPhone('+44 20 7946 0958')).toBe('+** ** **** 0958');
		expect(maskPhone('123')).toBe('123');
	});
});

describe('redactText', () => {
	it('masks Luhn-valid card numbers in free text, leaving other long numbers alone', () => {
		expect(redactText('card 4242424242424242 declined')).toBe('card **** 4242 declined');
		expect(redactText('card 4000 0566 5566 5556 declined')).toBe('card **** 5556 declined');
		// A 16-digit order number that fails the Luhn check stays readable.
		expect(redactText('order 4213321223242222 paid')).toBe('order 4213321223242222 paid');
	});

	it('removes the given secrets, also URL-encoded, longest first', () => {
		const secret = 'whk/s3cr3t+value=';
		const text = `signing with ${secret} failed; url=https://x.test/?k=${encodeURIComponent(secret)}`;
		const result = redactText(text, { secrets: [secret, undefined, 'ab'] });
		expect(result).not.toContain('s3cr3t');
		expect(result).toBe('signing with [redacted] failed; url=https://x.test/?k=[redacted]');
	});

	it('removes credential-looking values even when nobody listed them', () => {
		const text =
			'401 from api: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def api_key=SG.aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbb ' +
			'{"client_secret": "cs_123456"} key sk_live_51Habcdefghijkl and whsec_1234567890abcdefghij password=hunter22';
		const result = redactText(text);
		for (const leaked of ['eyJhbGciOiJIUzI1NiJ9', 'SG.aaaa', 'cs_123456', 'sk_live_51H', 'whsec_1234', 'hunter22']) {
			expect(result).not.toContain(leaked);
		}
		expect(result).toContain('Bearer [redacted]');
		expect(result).toContain('password=[redacted]');
	});

	it('masks email addresses unless asked not to', () => {
		expect(redactText('no phone for jane.doe@example.com')).toBe('no phone for j******e@example.com');
		expect(redactText('no phone for jane.doe@example.com', { maskEmails: false })).toBe(
			'no phone for jane.doe@example.com',
		);
	});
});

describe('redactError', () => {
	it('scrubs message and stack but keeps the error class', () => {
		class ProviderError extends Error {
			description = 'token=abcdef123456 rejected';
		}
		const error = new ProviderError('request with key sk_test_4eC39HqLyjWDarjtT1zdp7dc failed');
		const same = redactError(error, { secrets: ['abcdef123456'] });
		expect(same).toBe(error);
		expect(same).toBeInstanceOf(ProviderError);
		expect(same.message).toBe('request with key [redacted] failed');
		expect(same.stack).not.toContain('sk_test_4eC39HqLyjWDarjtT1zdp7dc');
		expect(same.description).toBe('token=[redacted] rejected');
	});

	it('passes non-objects through', () => {
		expect(redactError('plain')).toBe('plain');
		expect(redactError(undefined)).toBeUndefined();
	});
});
