import { baseUrlExpression, environment } from '../../../credentials/shared';
import { apiBaseUrl, normalizePhone } from '../../../nodes/providers/common';
import { businesscentral } from '../../../nodes/providers/businesscentral';
import { gocardless } from '../../../nodes/providers/gocardless';

describe('provider API base URLs', () => {
	it('follows the credential environment, the first host being the default', () => {
		expect(apiBaseUrl({ environment: 'sandbox' }, gocardless.api!.hosts)).toBe('https://api-sandbox.gocardless.com');
		expect(apiBaseUrl({ environment: 'live' }, gocardless.api!.hosts)).toBe('https://api.gocardless.com');
		expect(apiBaseUrl({}, gocardless.api!.hosts)).toBe('https://api.gocardless.com');
	});

	it('fills placeholders from the credential, encoded', () => {
		expect(apiBaseUrl({ tenantId: 'contoso.onmicrosoft.com', bcEnvironment: 'Sandbox EU' }, businesscentral.api!.hosts)).toBe(
			'https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/Sandbox%20EU',
		);
	});

	it('prefers the Base URL Override, without its trailing slashes', () => {
		expect(apiBaseUrl({ environment: 'sandbox', baseUrl: 'http://127.0.0.1:4010//' }, gocardless.api!.hosts)).toBe(
			'http://127.0.0.1:4010',
		);
	});

	it('gives credential tests the same hosts, as an n8n expression', () => {
		expect(baseUrlExpression(gocardless.api!.hosts)).toBe(
			'={{ $credentials.baseUrl || ($credentials.environment === "sandbox" ? "https://api-sandbox.gocardless.com" : "https://api.gocardless.com") }}',
		);
		expect(baseUrlExpression({ live: 'https://api.mollie.com' })).toBe('={{ $credentials.baseUrl || "https://api.mollie.com" }}');
		expect(environment(gocardless.api!.hosts, { live: 'Live', sandbox: 'Sandbox' })).toMatchObject({
			name: 'environment',
			options: [
				{ name: 'Live', value: 'live' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'live',
		});
	});
});

describe('phone helper', () => {
	it('writes phones as E.164 with the payload country, and keeps what does not parse', () => {
		expect(normalizePhone('(415) 555-2671', 'us')).toBe('+14155552671');
		expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
		expect(normalizePhone('020 7946 0958')).toBe('020 7946 0958');
		expect(normalizePhone('  ')).toBeUndefined();
	});
});
