import type { INodeProperties } from 'n8n-workflow';

export const CREDENTIAL_ICON = { light: 'file:paymentEvents.svg', dark: 'file:paymentEvents.dark.svg' } as const;

/** Every credential can point at another host: a proxy, or a local stand-in for the provider in tests. */
export const baseUrlOverride: INodeProperties = {
	displayName: 'Base URL Override',
	name: 'baseUrl',
	type: 'string',
	default: '',
	placeholder: 'https://proxy.example.com',
	description: "Leave empty to call the provider's own API. Set it to send the calls through a proxy.",
};

/** An OAuth2 setting the user does not choose: fixed by the provider. */
export function fixed(name: string, value: string): INodeProperties {
	return { displayName: name, name, type: 'hidden', default: value };
}

/** The Environment choice, matching the keys of the provider adapter's `api.hosts`; the first is the default. */
export function environment(hosts: Readonly<Record<string, string>>, names: Record<string, string>): INodeProperties {
	const values = Object.keys(hosts);
	return {
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: values.map((value) => ({ name: names[value] ?? value, value })),
		default: values[0],
	};
}

/**
 * The credential test's base URL, as an n8n expression over the same hosts the adapter calls:
 * the Base URL Override when set, else the host of the chosen environment.
 */
export function baseUrlExpression(hosts: Readonly<Record<string, string>>): string {
	const [[, fallback], ...others] = Object.entries(hosts);
	const chosen = others.reduceRight(
		(otherwise, [value, host]) => `($credentials.environment === ${JSON.stringify(value)} ? ${JSON.stringify(host)} : ${otherwise})`,
		JSON.stringify(fallback),
	);
	return `={{ $credentials.baseUrl || ${chosen} }}`;
}

/** The secret a provider signs its webhooks with; `webhookSecret` is the field name the adapters verify with. */
export function webhookSecret(description: string, displayName = 'Webhook Signing Secret'): INodeProperties {
	return {
		displayName,
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description,
	};
}
