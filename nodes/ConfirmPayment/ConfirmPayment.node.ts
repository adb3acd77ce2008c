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
import { secretsOf } from '../shared/providerApi';
import { channelTools } from './channelTools';
import { TemplateError, renderConfirmation, type TemplateOverride } from './templates';

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

const channelSettings: INodeProperties[] = CHANNELS.flatMap((channel) =>
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

async function pause(ms: number): Promise<void> {
	if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The local time (HH:MM) in a time zone, to compare with quiet hours. */
function localTime(now: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}

function withinQuietHours(now: Date, start: string, end: string, timeZone: string): boolean {
	const time = localTime(now, timeZone);
	return start <= end ? time >= start && time < end : time >= start || time < end;
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
			...channelSettings,
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
		const confirmations: INodeExecutionData[] = [];
		const audit: INodeExecutionData[] = [];
		const tools = new Map<string, { tools: ChannelTools; secrets: string[] }>();

		const toolsFor = async (channel: ChannelAdapter, itemIndex: number) => {
			let found = tools.get(channel.id);
			if (!found) {
				const credentials: ICredentialDataDecryptedObject = await this.getCredentials(channel.credentialType, itemIndex);
				found = { tools: channelTools(this, channel, credentials), secrets: secretsOf(credentials) };
				tools.set(channel.id, found);
			}
			return found;
		};

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				let event: PaymentEvent;
				try {
					event = parsePaymentEvent(items[itemIndex].json);
				} catch (error) {
					throw new NodeOperationError(this.getNode(), error as Error, {
						itemIndex,
						message: `Item ${itemIndex} is not a canonical payment event`,
						description: 'Put a Payment Normalize node or a payment trigger of this package before Confirm Payment.',
					});
				}
				const configured = (this.getNodeParameter('channels', itemIndex, []) as string[])
					.map((id) => channelById(id))
					.filter((channel): channel is ChannelAdapter => channel !== undefined);
				const order = channelOrder(configured, this.getNodeParameter('preferredChannels', itemIndex, ''));
				const mode = this.getNodeParameter('mode', itemIndex, 'first') as string;
				const recipient = this.getNodeParameter('recipient', itemIndex, {}) as IDataObject;
				const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
				const templates = ((this.getNodeParameter('templates', itemIndex, {}) as IDataObject).template ?? []) as TemplateOverride[];
				const maxAttempts = Number(options.maxAttempts ?? 3);
				const timeZone = text(recipient.timeZone);
				const locale = text(recipient.locale) ?? event.customer?.locale;

				const addressFor = (channel: ChannelAdapter): { to?: string; invalid?: string } => {
					if (channel.address === 'none') return { to: '' };
					if (channel.address === 'email') return { to: text(recipient.email) ?? event.customer?.email };
					if (channel.address === 'chat') return { to: text(recipient.chatId) };
					if (channel.address === 'push') return { to: text(recipient.pushUserId) ?? event.customer?.id };
					const raw = text(recipient.phone) ?? event.customer?.phone;
					if (!raw) return {};
					const phone = parsePhoneNumberFromString(raw, (text(options.defaultCountry)?.toUpperCase() as CountryCode) || undefined);
					return phone?.isValid() ? { to: phone.number } : { invalid: raw };
				};

				const outcomes: IDataObject[] = [];
				let lastError: ChannelError | undefined;
				let lastProvider: ChannelAdapter | undefined;
				for (const channel of order) {
					const record = (fields: AttemptFields) => {
						const entry: AuditRecord = { time: new Date().toISOString(), eventId: event.id, channel: channel.kind, provider: channel.id, ...fields };
						audit.push({ json: entry as unknown as IDataObject, pairedItem: { item: itemIndex } });
					};
					const { to, invalid } = addressFor(channel);
					if (invalid !== undefined) {
						record({ recipient: mask('phone', invalid), status: 'failed', attempt: 0, errorCode: 'invalid-address', error: 'not a possible phone number' });
						continue;
					}
					if (to === undefined) {
						record({ recipient: '', status: 'skipped-no-address', attempt: 0 });
						continue;
					}
					const shown = mask(channel.address, to);
					const quietStart = text(options.quietHoursStart);
					const quietEnd = text(options.quietHoursEnd);
					if (quietStart && quietEnd && INTERRUPTING.has(channel.kind) && timeZone && withinQuietHours(new Date(), quietStart, quietEnd, timeZone)) {
						record({ recipient: shown, status: 'skipped-quiet-hours', attempt: 0 });
						continue;
					}

					const key = `${event.id}|${channel.id}|${to}`;
					if (options.dedupe !== false) {
						const { processed } = await this.helpers.checkProcessedAndRecord([key], 'workflow', { mode: 'entries' });
						if (processed.length) {
							record({ recipient: shown, status: 'skipped-duplicate', attempt: 0 });
							outcomes.push({ channel: channel.kind, provider: channel.id, recipient: shown, status: 'duplicate' });
							if (mode === 'first') break;
							continue;
						}
					}

					let rendered;
					try {
						rendered = renderConfirmation(event, channel, { locale, timeZone, overrides: templates });
					} catch (error) {
						if (options.dedupe !== false) await this.helpers.removeProcessed([key], 'workflow', { mode: 'entries' });
						throw new NodeOperationError(this.getNode(), error as Error, { itemIndex, message: `Item ${itemIndex}: ${(error as Error).message}` });
					}
					const { tools: channelTools, secrets } = await toolsFor(channel, itemIndex);
					const delivery = {
						to,
						name: text(recipient.name) ?? event.customer?.name,
						message: rendered.message,
						idempotencyKey: createHash('sha256').update(key).digest('hex').slice(0, 32),
						settings: Object.fromEntries(
							Object.keys(channel.settings ?? {}).flatMap((name) => {
								const value = text(this.getNodeParameter(settingName(channel, name), itemIndex, ''));
								return value ? [[name, value]] : [];
							}),
						),
					};
					let sent = false;
					for (let attempt = 1; attempt <= maxAttempts; attempt++) {
						try {
							const result = await channel.send(delivery, channelTools);
							record({
								recipient: shown,
								status: 'sent',
								attempt,
								providerMessageId: result.providerMessageId,
								templateId: rendered.templateId,
								contentSha256: rendered.sha256,
							});
							outcomes.push({ channel: channel.kind, provider: channel.id, recipient: shown, status: 'sent', providerMessageId: result.providerMessageId, attempts: attempt });
							sent = true;
							break;
						} catch (caught) {
							const error =
								caught instanceof ChannelError
									? caught
									: new ChannelError(`${channel.displayName}: ${(caught as Error).message}`, { retryable: true, code: 'network' });
							const message = redactError(error, { secrets }).message;
							record({ recipient: shown, status: 'failed', attempt, templateId: rendered.templateId, contentSha256: rendered.sha256, errorCode: error.details.code, error: message });
							lastError = error;
							lastProvider = channel;
							if (!error.details.retryable || attempt === maxAttempts) break;
							await pause(Math.min(error.details.retryAfterMs ?? 500 * 2 ** (attempt - 1), 30_000));
						}
					}
					if (!sent && options.dedupe !== false) await this.helpers.removeProcessed([key], 'workflow', { mode: 'entries' });
					if (sent && mode === 'first') break;
				}

				const confirmed = outcomes.some((outcome) => outcome.status === 'sent' || outcome.status === 'duplicate');
				if (!confirmed && lastError) {
					throw new NodeApiError(this.getNode(), { message: lastError.message, code: lastError.details.code ?? '' } as JsonObject, {
						itemIndex,
						message: lastError.message,
						description: `No channel could confirm payment ${event.id}; the last one tried was ${lastProvider?.displayName}. The Audit output lists every attempt.`,
						httpCode: lastError.details.status ? String(lastError.details.status) : undefined,
					});
				}
				confirmations.push({
					json: { eventId: event.id, confirmed, outcomes, ...(confirmed ? {} : { reason: 'no channel had an address for the client' }) },
					pairedItem: { item: itemIndex },
				});
			} catch (caught) {
				const error = redactError(caught instanceof Error ? caught : new Error(String(caught)));
				if (this.continueOnFail()) {
					confirmations.push({ json: { error: error.message, errorType: error.name }, pairedItem: { item: itemIndex } });
					continue;
				}
				if (error instanceof NodeOperationError || error instanceof NodeApiError) throw error;
				if (error instanceof TemplateError) throw new NodeOperationError(this.getNode(), error, { itemIndex });
				throw new NodeOperationError(this.getNode(), error, { itemIndex });
			}
		}
		return [confirmations, audit];
	}
}
