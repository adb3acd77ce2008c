import { createHash } from 'node:crypto';

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type INodeCredentialTestResult,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { CHANNELS, channelById } from '../channels/index';
import { smtp, verifySmtpLogin } from '../channels/smtp';
import { ChannelError, type AddressKind, type ChannelAdapter, type ChannelTools } from '../channels/types';
import { parsePaymentEvent, type PaymentEvent } from '../core/event';
import { maskEmail, maskPhone, redactError } from '../core/redact';
import { text } from '../providers/common';
import { pause, secretsOf } from '../shared/providerApi';
import { requestTools } from '../shared/requestTools';
import { dispatch, type Job } from './dispatch';
import { renderConfirmation, type TemplateOverride } from './templates';

type AuditStatus = 'sent' | 'failed' | 'skipped-duplicate' | 'skipped-no-address' | 'skipped-quiet-hours';

/** What an attempt adds to the audit record, beside when, which event and which channel. */
interface AttemptFields {
	recipient: string;
	status: AuditStatus;
	attempt: number;
	providerMessageId?: string;
	templateId?: string;
	contentSha256?: string;
	errorCode?: string;
	error?: string;
}

type AuditRecord = AttemptFields & { time: string; eventId: string; channel: string; provider: string };

/** Channels that wake people up: quiet hours hold them back. */
const INTERRUPTING = new Set(['sms', 'push']);
const KINDS = ['sms', 'email', 'chat', 'push'] as const;

function settingName(channel: ChannelAdapter, setting: string): string {
	return `${channel.id}_${setting}`;
}

const channelSettingProperties: INodeProperties[] = CHANNELS.flatMap((channel) =>
	Object.entries(channel.settings ?? {}).map(
		([name, setting]): INodeProperties => ({
			displayName: `${channel.displayName}: ${setting.displayName}`,
			name: settingName(channel, name),
			type: 'string',
			default: '',
			...(setting.default ? { default: setting.default } : {}),
			placeholder: setting.placeholder,
			required: setting.required,
			description: setting.description,
			displayOptions: { show: { channels: [channel.id] } },
		}),
	),
);

function mask(address: AddressKind, value: string): string {
	if (address === 'email') return maskEmail(value);
	if (address === 'phone') return maskPhone(value);
	return value.length > 6 ? `${value.slice(0, 3)}…${value.slice(-2)}` : value;
}


/** The local time (HH:MM) in a time zone, to compare with quiet hours. */
function localTime(now: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}

function withinQuietHours(now: Date, start: string, end: string, timeZone: string): boolean {
	const time = localTime(now, timeZone);
	return start <= end ? time >= start && time < end : time >= start || time < end;
}

/** One client's confirmation while the rounds run. */
interface Pending {
	itemIndex: number;
	event: PaymentEvent;
	order: ChannelAdapter[];
	/** The next channel of `order` to try. */
	next: number;
	mode: string;
	recipient: IDataObject;
	options: IDataObject;
	templates: TemplateOverride[];
	locale?: string;
	timeZone?: string;
	name?: string;
	outcomes: IDataObject[];
	lastError?: { error: ChannelError; channel: ChannelAdapter };
	done: boolean;
	failed?: boolean;
}

function addressFor(client: Pending, channel: ChannelAdapter, settings: Record<string, string>): { to?: string; invalid?: string } {
	const { recipient, event, options } = client;
	if (channel.address === 'none') return { to: '' };
	if (channel.address === 'email') return { to: text(recipient.email) ?? event.customer?.email };
	if (channel.address === 'chat') return { to: text(recipient.chatId) ?? (channel.addressSetting && settings[channel.addressSetting] ? '' : undefined) };
	if (channel.address === 'push') return { to: text(recipient.pushUserId) ?? event.customer?.id };
	const raw = text(recipient.phone) ?? event.customer?.phone;
	if (!raw) return {};
	const phone = parsePhoneNumberFromString(raw, (text(options.defaultCountry)?.toUpperCase() as CountryCode) || undefined);
	return phone?.isValid() ? { to: phone.number } : { invalid: raw };
}

function quiet(client: Pending, channel: ChannelAdapter): boolean {
	const start = text(client.options.quietHoursStart);
	const end = text(client.options.quietHoursEnd);
	return Boolean(start && end && client.timeZone && INTERRUPTING.has(channel.kind) && withinQuietHours(new Date(), start, end, client.timeZone));
}

/**
 * Spaces a channel's requests at least 1/`perSecond` apart (0: no limit), measured from when the previous one really
 * left, so a late timer never lets two go out together and providers counting on arrival see an even stream.
 */
function rateLimited(tools: ChannelTools, perSecond: number): ChannelTools {
	if (!(perSecond > 0)) return tools;
	const spacingMs = 1000 / perSecond;
	let last = -Infinity;
	let queue = Promise.resolve();
	const slot = async () => {
		// On the ideal timeline, so timer delays do not add up over a long send.
		const target = Math.max(last + spacingMs, Date.now());
		await pause(target - Date.now());
		last = target;
	};
	return {
		...tools,
		request: async (request) => {
			const turn = queue.then(slot);
			queue = turn;
			await turn;
			return await tools.request(request);
		},
	};
}

/** The channels to try, in the client's order of preference (ids or kinds), else the node's order. */
function channelOrder(configured: ChannelAdapter[], preferred: unknown): ChannelAdapter[] {
	const wanted = (Array.isArray(preferred) ? preferred : String(preferred ?? '').split(','))
		.map((value) => String(value).trim().toLowerCase())
		.filter(Boolean);
	if (wanted.length === 0) return configured;
	const ordered: ChannelAdapter[] = [];
	for (const choice of wanted) {
		for (const channel of configured) {
			if ((channel.id.toLowerCase() === choice || channel.kind === choice) && !ordered.includes(channel)) ordered.push(channel);
		}
	}
	return ordered;
}

export class ConfirmPayment implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Confirm Payment',
		name: 'confirmPayment',
		icon: { light: 'file:confirmPayment.svg', dark: 'file:confirmPayment.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ ($parameter["channels"] || []).join(" → ") }}',
		description: "Confirms each payment to the client on their preferred channel, with fallback and an audit record per attempt",
		defaults: { name: 'Confirm Payment' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Confirmations', 'Audit'],
		usableAsTool: true,
		credentials: [...new Set(CHANNELS.map((channel) => channel.credentialType))].map((name) => ({
			name,
			required: true,
			// SMTP has no HTTP request to test a login with: the node logs in without sending.
			...(name === smtp.credentialType ? { testedBy: 'smtpLogin' } : {}),
			displayOptions: { show: { channels: CHANNELS.filter((channel) => channel.credentialType === name).map((c) => c.id) } },
		})),
		properties: [
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'multiOptions',
				options: CHANNELS.map((channel) => ({ name: channel.displayName, value: channel.id, description: `${channel.kind}` })),
				default: [],
				required: true,
				description: 'The channels this node may use, in the default order of preference',
			},
			{
				displayName: "Client's Preferred Channels",
				name: 'preferredChannels',
				type: 'string',
				default: '',
				placeholder: 'e.g. whatsapp, sms, email',
				description:
					'The client\'s order of preference: channel IDs or kinds (sms, email, chat, push), comma-separated or a list from an expression. Empty: the order of Channels.',
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'First That Succeeds', value: 'first', description: 'Try the channels in order until one accepts the message' },
					{ name: 'All', value: 'all', description: 'Send on every channel' },
				],
				default: 'first',
			},
			{
				displayName: 'Recipient',
				name: 'recipient',
				type: 'collection',
				placeholder: 'Add field',
				default: {},
				description: "Where the client is reached; by default the event's customer",
				options: [
					{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '', description: 'Chat, channel or user ID for chat channels' },
					{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'name@email.com' },
					{ displayName: 'Locale', name: 'locale', type: 'string', default: '', placeholder: 'es-ES' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
					{ displayName: 'Push User ID', name: 'pushUserId', type: 'string', default: '' },
					{ displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'Europe/Madrid' },
				],
			},
			...channelSettingProperties,
			{
				displayName: 'Templates',
				name: 'templates',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add template',
				default: {},
				description:
					'Handlebars templates replacing the built-in ones, per channel (or kind) and language. They see the payment event and the helpers money, date, maskEmail and maskPhone.',
				options: [
					{
						displayName: 'Template',
						name: 'template',
						values: [
							{
								displayName: 'Channel',
								name: 'channel',
								type: 'options',
								options: [
									...KINDS.map((kind) => ({ name: `Every ${kind.toUpperCase()} channel`, value: kind })),
									...CHANNELS.map((channel) => ({ name: channel.displayName, value: channel.id })),
								],
								default: 'sms',
							},
							{ displayName: 'HTML', name: 'html', type: 'string', typeOptions: { rows: 4 }, default: '' },
							{ displayName: 'Locale', name: 'locale', type: 'string', default: '', placeholder: 'en (empty: every language)' },
							{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
							{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', placeholder: 'Hi {{firstName}}, we received {{money amount}}.' },
						],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 50 },
						default: 5,
						description: 'Messages in flight at once per provider (providers with a batch API get whole batches instead)',
					},
					{
						displayName: 'Default Country',
						name: 'defaultCountry',
						type: 'string',
						default: '',
						placeholder: 'US',
						description: 'For phone numbers written without a country code (ISO 3166 two-letter code)',
					},
					{
						displayName: 'Max Attempts',
						name: 'maxAttempts',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10 },
						default: 3,
						description: 'Attempts per channel when the provider is rate limiting or failing temporarily',
					},
					{
						displayName: 'Quiet Hours End',
						name: 'quietHoursEnd',
						type: 'string',
						default: '',
						placeholder: '08:00',
					},
					{
						displayName: 'Quiet Hours Start',
						name: 'quietHoursStart',
						type: 'string',
						default: '',
						placeholder: '21:00',
						description: "From this local time of the recipient SMS and push wait: they are skipped and other channels used",
					},
					{
						displayName: 'Rate Limit',
						name: 'rateLimit',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: "Requests per second at most, per provider, to stay under the provider's limit (0: no limit)",
					},
					{
						displayName: 'Skip Duplicates',
						name: 'dedupe',
						type: 'boolean',
						default: true,
						description: 'Whether a confirmation already sent for the same event, channel and recipient is skipped (n8n remembers them per workflow)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async smtpLogin(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await verifySmtpLogin(credential.data ?? {});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const confirmations: Array<INodeExecutionData | undefined> = new Array(items.length);
		const audit: INodeExecutionData[] = [];
		const shared = this.getNodeParameter('options', 0, {}) as IDataObject;
		const maxAttempts = Number(shared.maxAttempts ?? 3);
		const secrets = new Map<ChannelAdapter, string[]>();
		const tools = new Map<ChannelAdapter, ChannelTools>();
		const toolsFor = async (channel: ChannelAdapter): Promise<ChannelTools> => {
			if (!tools.has(channel)) {
				const credentials: ICredentialDataDecryptedObject = await this.getCredentials(channel.credentialType, 0);
				secrets.set(channel, secretsOf(credentials));
				tools.set(channel, rateLimited(requestTools(this, channel, credentials), Number(shared.rateLimit ?? 0)));
			}
			return tools.get(channel)!;
		};
		const failItem = (itemIndex: number, caught: unknown) => {
			const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
			if (!this.continueOnFail()) {
				if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
				throw new NodeOperationError(this.getNode(), error, { itemIndex });
			}
			confirmations[itemIndex] = { json: { error: error.message, errorType: error.name }, pairedItem: { item: itemIndex } };
		};

		const pending: Pending[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				pending.push(prepare(this, itemIndex, items[itemIndex].json));
			} catch (error) {
				failItem(itemIndex, error);
			}
		}

		// Rounds: each client's next channel, all sent together (batched per provider where it can), until each is
		// confirmed (mode First) or out of channels.
		for (;;) {
			const jobs: Array<Job & { pending: Pending; key: string; shown: string; templateId: string; sha256: string }> = [];
			for (const client of pending) {
				while (!client.done && client.next < client.order.length) {
					const channel = client.order[client.next++];
					const record = (fields: AttemptFields) => recordAudit(audit, client, channel, fields);
					const settings = channelSettings(this, channel, client.itemIndex);
					const { to, invalid } = addressFor(client, channel, settings);
					if (invalid !== undefined) {
						record({ recipient: mask('phone', invalid), status: 'failed', attempt: 0, errorCode: 'invalid-address', error: 'not a possible phone number' });
						continue;
					}
					if (to === undefined) {
						record({ recipient: '', status: 'skipped-no-address', attempt: 0 });
						continue;
					}
					const shown = mask(channel.address, to);
					if (quiet(client, channel)) {
						record({ recipient: shown, status: 'skipped-quiet-hours', attempt: 0 });
						continue;
					}
					const key = `${client.event.id}|${channel.id}|${to}`;
					if (client.options.dedupe !== false) {
						const { processed } = await this.helpers.checkProcessedAndRecord([key], 'workflow', { mode: 'entries' });
						if (processed.length) {
							record({ recipient: shown, status: 'skipped-duplicate', attempt: 0 });
							client.outcomes.push({ channel: channel.kind, provider: channel.id, recipient: shown, status: 'duplicate' });
							if (client.mode === 'first') client.done = true;
							continue;
						}
					}
					let rendered;
					try {
						rendered = renderConfirmation(client.event, channel, { locale: client.locale, timeZone: client.timeZone, overrides: client.templates });
					} catch (error) {
						if (client.options.dedupe !== false) await this.helpers.removeProcessed([key], 'workflow', { mode: 'entries' });
						client.done = true;
						failItem(client.itemIndex, new NodeOperationError(this.getNode(), error as Error, {
							itemIndex: client.itemIndex,
							message: `Item ${client.itemIndex}: ${(error as Error).message}`,
						}));
						client.failed = true;
						break;
					}
					jobs.push({
						itemIndex: client.itemIndex,
						channel,
						pending: client,
						key,
						shown,
						templateId: rendered.templateId,
						sha256: rendered.sha256,
						delivery: {
							to,
							name: client.name,
							message: rendered.message,
							idempotencyKey: createHash('sha256').update(key).digest('hex').slice(0, 32),
							settings,
						},
					});
					break;
				}
			}
			if (jobs.length === 0) break;
			const jobOf = new Map<Job, (typeof jobs)[number]>(jobs.map((job) => [job, job]));
			const attempts = await dispatch(jobs, toolsFor, {
				maxAttempts,
				concurrency: Number(shared.concurrency ?? 5),
				onAttempt: ({ job, attempt, result, error }) => {
					const { pending: client, shown, templateId, sha256 } = jobOf.get(job)!;
					recordAudit(audit, client, job.channel, {
						recipient: shown,
						status: result ? 'sent' : 'failed',
						attempt,
						providerMessageId: result?.providerMessageId,
						templateId,
						contentSha256: sha256,
						errorCode: error?.details.code,
						error: error ? redactError(error, { secrets: secrets.get(job.channel) ?? [] }).message : undefined,
					});
				},
			});
			for (const { job, attempt, result, error } of attempts) {
				const { pending: client, shown, key } = jobOf.get(job)!;
				if (result) {
					client.outcomes.push({ channel: job.channel.kind, provider: job.channel.id, recipient: shown, status: 'sent', providerMessageId: result.providerMessageId, attempts: attempt });
					if (client.mode === 'first') client.done = true;
					continue;
				}
				client.lastError = { error: error!, channel: job.channel };
				// Not sent: a later run may try this channel again.
				if (client.options.dedupe !== false) await this.helpers.removeProcessed([key], 'workflow', { mode: 'entries' });
			}
		}

		for (const client of pending) {
			if (client.failed) continue;
			const confirmed = client.outcomes.some((outcome) => outcome.status === 'sent' || outcome.status === 'duplicate');
			if (!confirmed && client.lastError) {
				const { error, channel } = client.lastError;
				const message = redactError(error, { secrets: secrets.get(channel) ?? [] }).message;
				failItem(
					client.itemIndex,
					new NodeApiError(this.getNode(), { message, code: error.details.code ?? '' } as JsonObject, {
						itemIndex: client.itemIndex,
						message,
						description: `No channel could confirm payment ${client.event.id}; the last one tried was ${channel.displayName}. The Audit output lists every attempt.`,
						httpCode: error.details.status ? String(error.details.status) : undefined,
					}),
				);
				continue;
			}
			confirmations[client.itemIndex] = {
				json: {
					eventId: client.event.id,
					confirmed,
					outcomes: client.outcomes,
					...(confirmed ? {} : { reason: 'no channel had an address for the client' }),
				},
				pairedItem: { item: client.itemIndex },
			};
		}
		return [confirmations.filter((item): item is INodeExecutionData => item !== undefined), audit];
	}
}

/** Reads an item and the node's parameters for it into what the rounds need. */
function prepare(context: IExecuteFunctions, itemIndex: number, json: IDataObject): Pending {
	let event: PaymentEvent;
	try {
		event = parsePaymentEvent(json);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), error as Error, {
			itemIndex,
			message: `Item ${itemIndex} is not a canonical payment event`,
			description: 'Put a Payment Normalize node or a payment trigger of this package before Confirm Payment.',
		});
	}
	const configured = (context.getNodeParameter('channels', itemIndex, []) as string[])
		.map((id) => channelById(id))
		.filter((channel): channel is ChannelAdapter => channel !== undefined);
	const recipient = context.getNodeParameter('recipient', itemIndex, {}) as IDataObject;
	return {
		itemIndex,
		event,
		order: channelOrder(configured, context.getNodeParameter('preferredChannels', itemIndex, '')),
		next: 0,
		mode: context.getNodeParameter('mode', itemIndex, 'first') as string,
		recipient,
		options: context.getNodeParameter('options', itemIndex, {}) as IDataObject,
		templates: ((context.getNodeParameter('templates', itemIndex, {}) as IDataObject).template ?? []) as TemplateOverride[],
		locale: text(recipient.locale) ?? event.customer?.locale,
		timeZone: text(recipient.timeZone),
		name: text(recipient.name) ?? event.customer?.name,
		outcomes: [],
		done: false,
	};
}

function channelSettings(context: IExecuteFunctions, channel: ChannelAdapter, itemIndex: number): Record<string, string> {
	return Object.fromEntries(
		Object.keys(channel.settings ?? {}).flatMap((name) => {
			const value = text(context.getNodeParameter(settingName(channel, name), itemIndex, ''));
			return value ? [[name, value]] : [];
		}),
	);
}

function recordAudit(audit: INodeExecutionData[], client: Pending, channel: ChannelAdapter, fields: AttemptFields) {
	const entry: AuditRecord = { time: new Date().toISOString(), eventId: client.event.id, channel: channel.kind, provider: channel.id, ...fields };
	audit.push({ json: entry as unknown as IDataObject, pairedItem: { item: client.itemIndex } });
}
