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
