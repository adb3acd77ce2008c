import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import type { PaymentEvent } from '../core/event';
import { redactError } from '../core/redact';
import { text } from '../providers/common';
import type { ProviderAdapter, ProviderWebhook, WebhookRequest, WebhookTools } from '../providers/types';
import { callProviderApi, credentialFields, statusOf } from './providerApi';
import { normalizePayload } from './providerPayload';
import { claimDelivery, deliveryKey, finishDelivery } from './replayGuard';

/** An adapter a trigger can be built from. */
export type WebhookAdapter = ProviderAdapter & { webhook: ProviderWebhook; api: NonNullable<ProviderAdapter['api']> };

/** Canonical meanings a user filters on, independent of each provider's event names. */
export const PAYMENT_MEANINGS: Record<string, { name: string; matches: (event: PaymentEvent) => boolean }> = {
	succeeded: { name: 'Payment Succeeded', matches: (e) => e.kind === 'payment' && e.status === 'succeeded' },
	pending: { name: 'Payment Pending', matches: (e) => e.status === 'pending' },
	failed: { name: 'Payment Failed', matches: (e) => e.status === 'failed' },
	canceled: { name: 'Payment Canceled', matches: (e) => e.status === 'canceled' },
	refunded: {
		name: 'Refunded (Fully or Partly)',
		matches: (e) => e.kind === 'refund' || e.status === 'refunded' || e.status === 'partially_refunded',
	},
	invoicePaid: { name: 'Invoice Paid', matches: (e) => e.kind === 'invoice' && e.status === 'succeeded' },
	invoicePartiallyPaid: { name: 'Invoice Partially Paid', matches: (e) => e.status === 'partially_paid' },
	disputed: { name: 'Disputed', matches: (e) => e.kind === 'dispute' || e.status === 'disputed' },
};

interface TriggerStaticData extends IDataObject {
	subscriptionId?: string;
	/** The signing secret the provider issued when the node registered its endpoint. */
	secret?: string;
}

function lowerCaseHeaders(headers: Record<string, unknown>): Record<string, string | undefined> {
	const result: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
	}
	return result;
}

/** A webhook request as it arrived: its exact bytes (what providers sign), headers in lower case, and its query. */
export async function receivedRequest(context: IWebhookFunctions): Promise<Omit<WebhookRequest, 'url'>> {
	const req = context.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & {
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
	};
	if (!Buffer.isBuffer(req.rawBody)) await req.readRawBody?.();
	return {
		rawBody: Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0),
		headers: lowerCaseHeaders(req.headers),
		query: Object.fromEntries(Object.entries(req.query ?? {}).map(([name, value]) => [name, text(value)])),
	};
}

function bodyOf(rawBody: Buffer): unknown {
	const content = rawBody.toString('utf8');
	try {
		return JSON.parse(content);
	} catch {
		return content;
	}
}

/**
 * The secrets `verify` gets: the credential's text fields, with the secret the provider issued when the node registered
 * its endpoint in place of the field it stands for (that endpoint is the one posting here). Lists required fields still missing.
 */
function secretsFor(
	webhook: ProviderWebhook,
	credentials: ICredentialDataDecryptedObject,
	stored: TriggerStaticData,
): { secrets: Record<string, string>; missing: string[] } {
	const secrets = credentialFields(credentials);
	const field = webhook.subscription?.secretField;
	if (field && stored.secret) secrets[field] = stored.secret;
	const missing = Object.entries(webhook.secretFields)
		.filter(([name]) => !secrets[name])
		.map(([, displayName]) => displayName);
	return { secrets, missing };
}

function missingSecretsMessage(adapter: WebhookAdapter, missing: string[]): string {
	const registers = adapter.webhook.subscription?.secretField;
	return (
		`${adapter.displayName} deliveries cannot be verified: the credential has no ${missing.join(', ')}. ` +
		(registers && missing.length === 1 && adapter.webhook.secretFields[registers] === missing[0]
			? 'It is filled in when the node registers its webhook on publishing; or paste it into the credential.'
			: 'Paste it into the credential; deliveries are refused (401) until then.')
	);
}

/** Live unless the credential's environment is a sandbox or test one; unknown without an environment. */
function livemodeOf(credentials: ICredentialDataDecryptedObject): boolean | undefined {
	const environment = text(credentials.environment);
	return environment === undefined ? undefined : !/sandbox|test/i.test(environment);
}

function switchesOf(context: IWebhookFunctions | IHookFunctions, webhook: ProviderWebhook): Record<string, boolean> {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return Object.fromEntries(Object.keys(webhook.switches ?? {}).map((name) => [name, options[name] === true]));
}

function toolsFor(
	context: IWebhookFunctions | IHookFunctions,
	adapter: WebhookAdapter,
	credentials: ICredentialDataDecryptedObject,
): WebhookTools {
	return {
		now: new Date(),
		credentials: credentialFields(credentials),
		switches: switchesOf(context, adapter.webhook),
		callApi: async (request) => await callProviderApi(context, adapter, request),
		fetchText: async (url, options = {}) =>
			String(
				await context.helpers.httpRequest({
					url,
					method: options.method ?? 'GET',
					body: options.body,
					headers: options.headers,
					json: false,
					encoding: 'text',
				}),
			),
	};
}

function modeOf(context: IWebhookFunctions | IHookFunctions, adapters: readonly WebhookAdapter[]): WebhookAdapter {
	if (adapters.length === 1) return adapters[0];
	const mode = context.getNodeParameter('mode', adapters[0].id) as string;
	return adapters.find((adapter) => adapter.id === mode) ?? adapters[0];
}

function selectedEventTypes(context: IWebhookFunctions | IHookFunctions): string[] {
	return (context.getNodeParameter('providerEvents', []) as string[]).filter(Boolean);
}

function eventProperties(adapters: readonly WebhookAdapter[]): INodeProperties[] {
	const modes = adapters.length > 1;
	const properties: INodeProperties[] = [];
	if (modes) {
		properties.push({
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			noDataExpression: true,
			options: adapters.map((adapter) => ({ name: adapter.displayName, value: adapter.id })),
			default: adapters[0].id,
		});
	}
	for (const adapter of adapters) {
		const show = modes ? { displayOptions: { show: { mode: [adapter.id] } } } : {};
		const { authentication, subscription, setup } = adapter.webhook;
		properties.push({
			displayName:
				`Verification: ${authentication}. ` +
				(subscription
					? 'The node registers its webhook URL when the workflow is published and removes it when unpublished.'
					: `Register the production webhook URL above ${setup ?? `in your ${adapter.displayName} account`}.`),
			name: `notice_${adapter.id}`,
			type: 'notice',
			default: '',
			...show,
		});
		properties.push({
			displayName: 'Provider Events',
			name: 'providerEvents',
			type: 'multiOptions',
			options: Object.entries(adapter.events).map(([value, known]) => ({ name: value, value, description: known.description })),
			default: [],
			description: `The ${adapter.displayName} event types to listen to; none selected means all of them`,
			...show,
		});
	}
	properties.push({
		displayName: 'Payment Events',
		name: 'events',
		type: 'multiOptions',
		options: Object.entries(PAYMENT_MEANINGS).map(([value, meaning]) => ({ name: meaning.name, value })),
		default: [],
		description: 'Which payment events start the workflow, whatever the provider calls them; none selected means all',
	});
	const switches = adapters.flatMap((adapter) =>
		Object.entries(adapter.webhook.switches ?? {}).map(
			([name, option]): INodeProperties => ({
				displayName: option.displayName,
				name,
				type: 'boolean',
				default: false,
				description: option.description,
				...(modes ? { displayOptions: { show: { '/mode': [adapter.id] } } } : {}),
			}),
		),
	);
	const currency = adapters.some((adapter) => adapter.needsAccountCurrency);
	properties.push({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...(currency
				? [
						{
							displayName: 'Account Currency',
							name: 'accountCurrency',
							type: 'string',
							default: '',
							placeholder: 'USD',
							description: 'The currency of the merchant account, for payloads that do not state it',
						} satisfies INodeProperties,
					]
				: []),
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: "Whether to keep the provider's payload in each event's raw field",
			},
			...switches,
		],
	});
	return properties;
}

/** Builds the trigger node of one webhook source (several adapters become the node's modes, e.g. PayPal REST and IPN). */
export function createPaymentTrigger(
	sources: readonly ProviderAdapter[],
	node: { name: string; displayName: string; icon: `file:${string}.svg` },
): new () => INodeType {
	const adapters = sources.map((adapter) => {
		if (!adapter.webhook || !adapter.api) throw new Error(`${adapter.displayName} has no webhook or API to build a trigger from`);
		return adapter as WebhookAdapter;
	});
	const [first] = adapters;
	const credentialTypes = [...new Set(adapters.map((adapter) => adapter.api.credentialType))];
	const acceptsGet = adapters.some((adapter) => adapter.webhook.acceptsGet);

	const description: INodeTypeDescription = {
		displayName: node.displayName,
		name: node.name,
		icon: { light: node.icon, dark: node.icon },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") || "all payment events" }}',
		description: `Starts the workflow when ${first.displayName} reports a payment, after verifying the delivery`,
		defaults: { name: node.displayName },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialTypes.map((name) => ({
			name,
			required: true,
			...(adapters.length > 1
				? { displayOptions: { show: { mode: adapters.filter((a) => a.api.credentialType === name).map((a) => a.id) } } }
				: {}),
		})),
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
			...(acceptsGet ? [{ name: 'setup' as const, httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' }] : []),
		],
		properties: eventProperties(adapters),
	};

	async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const adapter = modeOf(this, adapters);
		const res = this.getResponseObject();
		const request: WebhookRequest = { ...(await receivedRequest(this)), url: this.getNodeWebhookUrl('default') ?? '' };
		const refuse = (reason: string): IWebhookResponseData => {
			this.logger.warn(`${node.displayName} refused a delivery: ${reason}`);
			res.status(401).end();
			return { noWebhookResponse: true };
		};
		const acknowledge = (): IWebhookResponseData => ({ webhookResponse: adapter.webhook.acknowledgement ?? '' });

		const credentials = await this.getCredentials(adapter.api.credentialType);
		const stored = this.getWorkflowStaticData('node') as TriggerStaticData;
		const { secrets, missing } = secretsFor(adapter.webhook, credentials, stored);
		const tools = toolsFor(this, adapter, credentials);

		const reply = await adapter.webhook.handshake?.(request, secrets, tools);
		if (reply) {
			res.status(reply.status);
			for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
			if (reply.body === undefined) res.end();
			else if (typeof reply.body === 'string') res.send(reply.body);
			else res.json(reply.body);
			return { noWebhookResponse: true };
		}
		if (this.getWebhookName() !== 'default') return refuse('not a handshake, and deliveries are posted');
		if (missing.length) return refuse(missingSecretsMessage(adapter, missing));
		const verification = await adapter.webhook.verify(request, secrets, tools);
		if (!verification.ok) return refuse(verification.reason);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const selected = selectedEventTypes(this);
		const meanings = (this.getNodeParameter('events', []) as string[]).map((name) => PAYMENT_MEANINGS[name]).filter(Boolean);
		const signed = [...adapter.webhook.signatureHeaders.map((name) => request.headers[name] ?? ''), verification.replayKey ?? ''];
		const delivery = deliveryKey(`${this.getWorkflow().id}:${this.getNode().id}`, request.rawBody, signed.join('\n'));
		if (!claimDelivery(delivery)) {
			if (adapter.webhook.signsEachAttempt) return refuse('the same signed delivery was already accepted (replay)');
			// The provider retries with the very same bytes when it missed the first answer: acknowledge it, run nothing.
			return acknowledge();
		}

		let events: PaymentEvent[];
		let handled = false;
		try {
			events = await normalizePayload(
				{ body: bodyOf(request.rawBody), headers: request.headers, rawBody: request.rawBody },
				{
					source: adapter.id,
					receivedAt: new Date(),
					includeRaw: options.includeRaw !== false,
					nonPaymentEvents: 'skip',
					accountCurrency: text(options.accountCurrency),
					eventTypes: selected.length ? new Set(selected) : undefined,
					livemode: livemodeOf(credentials),
				},
				async (_adapter, completion) => await callProviderApi(this, adapter, completion, { action: 'fetch' }),
			);
			handled = true;
		} catch (caught) {
			const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
			throw new NodeOperationError(this.getNode(), error, {
				message: `${error.name}: ${error.message}`,
				description: `The ${adapter.displayName} delivery was verified but could not be read; it was answered with an error so ${adapter.displayName} retries it.`,
			});
		} finally {
			finishDelivery(delivery, handled);
		}
		const wanted = meanings.length ? events.filter((event) => meanings.some((meaning) => meaning.matches(event))) : events;
		if (wanted.length === 0) return acknowledge();
		return { ...acknowledge(), workflowData: [wanted.map((event) => ({ json: event as unknown as IDataObject }))] };
	}

	const webhookMethods: INodeType['webhookMethods'] = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const adapter = modeOf(this, adapters);
				const subscription = adapter.webhook.subscription;
				const stored = this.getWorkflowStaticData('node') as TriggerStaticData;
				const credentials = await this.getCredentials(adapter.api.credentialType);
				// Publishing fails on a secret the user must provide; one the registration issues may still be missing.
				const issued = subscription?.secretField && adapter.webhook.secretFields[subscription.secretField];
				const missing = secretsFor(adapter.webhook, credentials, stored).missing.filter((name) => name !== issued);
				if (missing.length) throw new NodeOperationError(this.getNode(), missingSecretsMessage(adapter, missing));
				if (!subscription) return true;
				const found = await subscription.find(toolsFor(this, adapter, credentials), this.getNodeWebhookUrl('default') ?? '');
				if (!found) return false;
				const fieldSet = subscription.secretField && text(credentials[subscription.secretField]);
				const secret = found.secret ?? stored.secret;
				if (subscription.secretOnlyAtCreation && !fieldSet && !secret) {
					// An endpoint whose secret the node never saw cannot be verified: replace it.
					await subscription.delete(toolsFor(this, adapter, credentials), found.id);
					return false;
				}
				stored.subscriptionId = found.id;
				if (secret) stored.secret = secret;
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const adapter = modeOf(this, adapters);
				const subscription = adapter.webhook.subscription;
				if (!subscription) return true;
				const selected = selectedEventTypes(this);
				const credentials = await this.getCredentials(adapter.api.credentialType);
				const created = await subscription.create(
					toolsFor(this, adapter, credentials),
					this.getNodeWebhookUrl('default') ?? '',
					selected.length ? selected : Object.keys(adapter.events),
				);
				const stored = this.getWorkflowStaticData('node') as TriggerStaticData;
				stored.subscriptionId = created.id;
				if (created.secret) stored.secret = created.secret;
				else delete stored.secret;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const adapter = modeOf(this, adapters);
				const stored = this.getWorkflowStaticData('node') as TriggerStaticData;
				const id = stored.subscriptionId;
				if (adapter.webhook.subscription && id) {
					try {
						const credentials = await this.getCredentials(adapter.api.credentialType);
						await adapter.webhook.subscription.delete(toolsFor(this, adapter, credentials), id);
					} catch (caught) {
						const error = caught instanceof NodeApiError ? caught : new NodeOperationError(this.getNode(), caught as Error);
						if (statusOf(error) !== 404) throw error;
					}
				}
				delete stored.subscriptionId;
				delete stored.secret;
				return true;
			},
		},
	};

	return class PaymentTrigger implements INodeType {
		description = description;

		webhookMethods = webhookMethods;

		webhook = webhook;
	};
}
