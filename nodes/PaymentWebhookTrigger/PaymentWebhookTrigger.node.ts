import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { PAYMENT_EVENT_SCHEMA_VERSION } from '../core/event';
import { redactText } from '../core/redact';
import { PAYMENT_STATUSES, type PaymentStatus } from '../core/status';
import { text } from '../providers/common';
import { receivedRequest } from '../shared/paymentTrigger';
import { secretsOf } from '../shared/providerApi';
import { claimDelivery, deliveryKey, finishDelivery } from '../shared/replayGuard';
import { authenticateRequest, CREDENTIAL_OF, type AuthenticationScheme } from './authentication';
import { eventFromPost, PostFieldError, readPost, statusWord, type AmountFormat, type MappingSettings } from './mapping';
import { MAPPED_FIELDS, PRESETS, presetOf, type MappedField, type Preset, type PresetName } from './presets';

const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

const FIELD_PARAMETERS: Readonly<Record<MappedField, { displayName: string; description: string }>> = {
	eventId: {
		displayName: 'Event ID Path',
		description: 'Where the post carries its unique ID (required). The same ID again within 24 hours is acknowledged and runs nothing',
	},
	amount: { displayName: 'Amount Path', description: 'Where the post carries the amount (required), in the Amount Format below' },
	currency: { displayName: 'Currency Path', description: 'Where the post carries the ISO 4217 code; empty or absent uses the Default Currency' },
	status: {
		displayName: 'Status Path',
		description: 'Where the post carries the status word (paid, pending, failed, …), turned into a canonical status by the Status Words',
	},
	kind: { displayName: 'Kind Path', description: 'Where the post says payment, refund or invoice; absent means payment' },
	occurredAt: {
		displayName: 'Occurred At Path',
		description: 'Where the post carries the time of the payment (ISO 8601 with a zone, or unix seconds); absent means now',
	},
	customerId: { displayName: 'Customer ID Path', description: "Where the post carries the customer's ID in the sending system" },
	customerEmail: { displayName: 'Customer Email Path', description: "Where the post carries the customer's email" },
	customerName: { displayName: 'Customer Name Path', description: "Where the post carries the customer's name" },
	customerPhone: { displayName: 'Customer Phone Path', description: "Where the post carries the customer's phone, kept as E.164 when it has a country code" },
	reference: { displayName: 'Reference Path', description: 'Where the post carries your reference: order, booking or invoice number' },
	description: { displayName: 'Description Path', description: 'Where the post carries a description of the payment' },
	invoiceNumber: { displayName: 'Invoice Number Path', description: 'Where the post carries the invoice number' },
	invoiceUrl: { displayName: 'Invoice URL Path', description: 'Where the post carries a link to the invoice' },
};

const STATUS_NAMES: Record<PaymentStatus, string> = {
	succeeded: 'Paid (Succeeded)',
	pending: 'Pending',
	failed: 'Failed',
	canceled: 'Canceled',
	refunded: 'Refunded',
	partially_refunded: 'Partially Refunded',
	partially_paid: 'Partially Paid',
	disputed: 'Disputed',
};

/**
 * One property per group of presets that share its default, so choosing a preset fills in its own default.
 * n8n shows the one whose preset is selected.
 */
function perPreset(property: INodeProperties, defaultOf: (preset: Preset) => string): INodeProperties[] {
	const groups = new Map<string, PresetName[]>();
	for (const name of PRESET_NAMES) groups.set(defaultOf(PRESETS[name]), [...(groups.get(defaultOf(PRESETS[name])) ?? []), name]);
	return [...groups].map(([value, presets]) => ({ ...property, default: value, displayOptions: { show: { preset: presets } } }));
}

function fieldProperties(field: MappedField): INodeProperties[] {
	const { displayName, description } = FIELD_PARAMETERS[field];
	return perPreset(
		{
			displayName,
			name: `${field}Path`,
			type: 'string',
			default: '',
			// A path into the post, not a value: n8n 1.x evaluates a trigger's expressions without the request.
			noDataExpression: true,
			required: field === 'eventId' || field === 'amount',
			description: `${description}. A path into the posted body, e.g. amount, data.object.amount, items[0].price.`,
		},
		(preset) => preset.paths[field],
	);
}

const AUTHENTICATION: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	default: 'hmac',
	options: [
		{ name: 'HMAC Signature', value: 'hmac', description: 'The sender signs the raw body with a shared secret (best)' },
		{ name: 'Header Token', value: 'headerToken', description: 'The sender puts a shared token in a header (Zapier, Pabbly)' },
		{ name: 'Basic Auth', value: 'basicAuth', description: 'The sender posts with a user and password' },
		{ name: 'None', value: 'none', description: 'Anyone who knows the URL can start the workflow' },
	],
};

export class PaymentWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Webhook Trigger',
		name: 'paymentWebhookTrigger',
		icon: { light: 'file:paymentWebhookTrigger.svg', dark: 'file:paymentWebhookTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["preset"] === "custom" ? "any system" : $parameter["preset"] }}',
		description: `Starts the workflow when any system posts a payment (JSON or a form): authenticated, mapped to one canonical payment event (schema v${PAYMENT_EVENT_SCHEMA_VERSION})`,
		defaults: { name: 'Payment Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: (Object.entries(CREDENTIAL_OF) as Array<[AuthenticationScheme, string]>).map(([scheme, name]) => ({
			name,
			required: true,
			displayOptions: { show: { authentication: [scheme] } },
		})),
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Preset',
				name: 'preset',
				type: 'options',
				noDataExpression: true,
				options: PRESET_NAMES.map((name) => ({ name: PRESETS[name].name, value: name })),
				default: 'custom',
				description: 'Fills in the field paths, source name and authentication that suit the sending tool',
			},
			...PRESET_NAMES.map(
				(name): INodeProperties => ({
					displayName: PRESETS[name].setup,
					name: `notice_${name}`,
					type: 'notice',
					default: '',
					displayOptions: { show: { preset: [name] } },
				}),
			),
			...perPreset(AUTHENTICATION, (preset) => preset.authentication),
			{
				displayName:
					'Anyone who knows this URL can start the workflow and make it record a payment. Choose HMAC Signature, Header Token or Basic Auth unless the URL never leaves a private network.',
				name: 'noticeNoAuthentication',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			...perPreset(
				{
					displayName: 'Source Name',
					name: 'sourceName',
					type: 'string',
					default: '',
					noDataExpression: true,
					required: true,
					description:
						'The provider the events carry (their ID is the source name, a colon and the event ID): lower-case letters, digits, "-" and "_", starting with a letter or digit',
				},
				(preset) => preset.source,
			),
			...fieldProperties('eventId'),
			...fieldProperties('amount'),
			{
				displayName: 'Amount Format',
				name: 'amountFormat',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Decimal With a Point (E.g. 49.90)', value: 'decimal' },
					{ name: 'Decimal With a Comma (E.g. 49,90)', value: 'decimalComma' },
					{ name: 'Minor Units (E.g. 4990 Cents)', value: 'minor' },
				],
				default: 'decimal',
				description:
					'How the amount is written. No thousands separators; more decimals than the currency has (2 for USD, 0 for JPY, 3 for KWD) are refused. A JSON number is read exactly as written.',
			},
			...fieldProperties('currency'),
			{
				displayName: 'Default Currency',
				name: 'defaultCurrency',
				type: 'string',
				noDataExpression: true,
				default: '',
				placeholder: 'USD',
				description: 'ISO 4217 code for posts that send no currency; empty refuses them',
			},
			...fieldProperties('status'),
			{
				displayName: 'Status Words',
				name: 'statusWords',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Status Word',
				default: {},
				description:
					'Your own status words, on top of the built-in ones: paid, succeeded, success, completed, captured → paid; pending, processing → pending; failed, declined, error → failed; refunded; partially_paid, partial; canceled, cancelled, voided. Case, spaces and hyphens are ignored.',
				options: [
					{
						displayName: 'Word',
						name: 'words',
						values: [
							{ displayName: 'Word', name: 'word', type: 'string', default: '', placeholder: 'bezahlt' },
							{
								displayName: 'Status',
								name: 'status',
								type: 'options',
								options: PAYMENT_STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })),
								default: 'succeeded',
							},
						],
					},
				],
			},
			...(['kind', 'occurredAt', 'customerId', 'customerEmail', 'customerName', 'customerPhone', 'reference', 'description', 'invoiceNumber', 'invoiceUrl'] as const).flatMap(
				fieldProperties,
			),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Default Status',
						name: 'defaultStatus',
						type: 'options',
						options: PAYMENT_STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })),
						default: 'succeeded',
						description: 'The status of posts that send none (e.g. a system that posts only paid bookings); without it they are refused',
					},
					{
						displayName: 'Include Raw Payload',
						name: 'includeRaw',
						type: 'boolean',
						default: true,
						description: "Whether to keep the posted body in the event's raw field",
					},
					{
						displayName: 'Live Mode',
						name: 'livemode',
						type: 'boolean',
						default: true,
						description: 'Whether these are real payments rather than tests',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/** Publishing fails on a setting every post would trip over, rather than refusing each post. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const preset = presetOf(this.getNodeParameter('preset', 'custom'));
				sourceNameOf(this, preset);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const { rawBody, headers } = await receivedRequest(this);
		const preset = presetOf(this.getNodeParameter('preset', 'custom'));
		const scheme = this.getNodeParameter('authentication', preset.authentication) as AuthenticationScheme;

		let credentials: IDataObject = {};
		if (scheme !== 'none') {
			try {
				credentials = (await this.getCredentials(CREDENTIAL_OF[scheme])) ?? {};
			} catch {
				credentials = {};
			}
		}
		const authenticated = authenticateRequest(scheme, { rawBody, headers }, credentials);
		if (!authenticated.ok) {
			this.logger.warn(`Payment Webhook Trigger refused a post (401): ${redactText(authenticated.reason, { secrets: secretsOf(credentials) })}`);
			if (scheme === 'basicAuth') res.setHeader('WWW-Authenticate', 'Basic realm="Payment Webhook Trigger"');
			res.status(401).end();
			return { noWebhookResponse: true };
		}

		const source = sourceNameOf(this, preset);
		let event;
		try {
			event = eventFromPost(readPost(rawBody, headers['content-type']), settingsOf(this, preset, source));
		} catch (caught) {
			if (!(caught instanceof PostFieldError)) throw new NodeOperationError(this.getNode(), caught as Error);
			const error = redactText(caught.message, { secrets: secretsOf(credentials) });
			this.logger.warn(`Payment Webhook Trigger refused a post (400): ${error}`);
			res.status(400).json({ error, field: caught.field });
			return { noWebhookResponse: true };
		}

		// The event ID is what a sender repeats when it retries (Zapier replays a step with the same data).
		const delivery = deliveryKey(`${this.getWorkflow().id}:${this.getNode().id}`, Buffer.from(event.id), 'event-id');
		// Answered here, before the workflow runs: n8n's own answer for an on-received trigger with data is its first item.
		res.status(200).json({ received: true });
		if (!claimDelivery(delivery)) return { noWebhookResponse: true };
		finishDelivery(delivery, true);
		return { noWebhookResponse: true, workflowData: [[{ json: event as unknown as IDataObject }]] };
	}
}

function sourceNameOf(context: IWebhookFunctions | IHookFunctions, preset: Preset): string {
	const source = text(context.getNodeParameter('sourceName', preset.source)) ?? preset.source;
	if (!SOURCE_NAME.test(source)) {
		throw new NodeOperationError(
			context.getNode(),
			`Source Name "${source}" is not usable: use lower-case letters, digits, "-" and "_", starting with a letter or digit (e.g. webhook, my-erp)`,
		);
	}
	return source;
}

function settingsOf(context: IWebhookFunctions, preset: Preset, source: string): MappingSettings {
	const paths = Object.fromEntries(
		MAPPED_FIELDS.map((field) => [field, (text(context.getNodeParameter(`${field}Path`, preset.paths[field])) ?? '')]),
	) as Record<MappedField, string>;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const rows = ((context.getNodeParameter('statusWords', {}) as IDataObject).words ?? []) as IDataObject[];
	const statusWords: Record<string, PaymentStatus> = {};
	for (const row of rows) {
		const word = text(row.word);
		if (word && PAYMENT_STATUSES.includes(row.status as PaymentStatus)) statusWords[statusWord(word)] = row.status as PaymentStatus;
	}
	const defaultStatus = options.defaultStatus as PaymentStatus | undefined;
	return {
		source,
		paths,
		amountFormat: context.getNodeParameter('amountFormat', 'decimal') as AmountFormat,
		defaultCurrency: text(context.getNodeParameter('defaultCurrency', '')),
		defaultStatus: defaultStatus && PAYMENT_STATUSES.includes(defaultStatus) ? defaultStatus : undefined,
		statusWords,
		livemode: options.livemode !== false,
		includeRaw: options.includeRaw !== false,
	};
}
