import { createHash } from 'node:crypto';

import Handlebars from 'handlebars';

import type { PaymentEvent } from '../core/event';
import { maskEmail, maskPhone } from '../core/redact';
import type { ChannelKind, RenderedMessage } from '../channels/types';

/** A user's template for a channel kind (or one channel) and a language; empty fields keep the default. */
export interface TemplateOverride {
	channel: string;
	locale: string;
	subject?: string;
	text?: string;
	html?: string;
}

/** A template that would not render: names the template, the field and what went wrong. */
export class TemplateError extends Error {
	override name = 'TemplateError';
}

type Parts = Required<Pick<RenderedMessage, 'text'>> & { subject?: string; html?: string };

/**
 * The built-in confirmations, per kind and language. The SMS fits one 160-character segment for ordinary names and
 * references; email has subject, text and HTML; chat gets a title and the facts card.
 */
const DEFAULTS: Record<string, Record<ChannelKind, Parts>> = {
	en: {
		sms: { text: '{{#if firstName}}Hi {{firstName}}, w{{else}}W{{/if}}e {{verb}} {{money amount}}{{#if reference}} (ref {{reference}}){{/if}}. Thank you!' },
		email: {
			subject: '{{title}}: {{money amount}}',
			text: '{{#if firstName}}Hi {{firstName}},{{else}}Hello,{{/if}}\n\nWe {{verb}} {{money amount}}{{#if reference}} for {{reference}}{{/if}} on {{date occurredAt}}.{{#if payment.last4}} Card ending {{payment.last4}}.{{/if}}{{#if amountDue}}\nStill due: {{money amountDue}}.{{/if}}\n\nThank you!',
			html: '<p>{{#if firstName}}Hi {{firstName}},{{else}}Hello,{{/if}}</p><p>We {{verb}} <strong>{{money amount}}</strong>{{#if reference}} for {{reference}}{{/if}} on {{date occurredAt}}.{{#if payment.last4}} Card ending {{payment.last4}}.{{/if}}</p>{{#if amountDue}}<p>Still due: {{money amountDue}}.</p>{{/if}}<p>Thank you!</p>',
		},
		chat: { subject: '{{title}}', text: '{{title}}: {{money amount}}{{#if customer.name}} from {{customer.name}}{{/if}}{{#if reference}} ({{reference}}){{/if}}' },
		push: { subject: '{{title}}', text: 'We {{verb}} {{money amount}}{{#if reference}} ({{reference}}){{/if}}. Thank you!' },
	},
	es: {
		sms: { text: '{{#if firstName}}Hola {{firstName}}, h{{else}}H{{/if}}emos recibido tu pago de {{money amount}}{{#if reference}} (ref {{reference}}){{/if}}. ¡Gracias!' },
		email: {
			subject: 'Pago recibido: {{money amount}}',
			text: '{{#if firstName}}Hola {{firstName}}:{{else}}Hola:{{/if}}\n\nHemos recibido tu pago de {{money amount}}{{#if reference}} para {{reference}}{{/if}} el {{date occurredAt}}.{{#if amountDue}}\nPendiente: {{money amountDue}}.{{/if}}\n\n¡Gracias!',
			html: '<p>{{#if firstName}}Hola {{firstName}}:{{else}}Hola:{{/if}}</p><p>Hemos recibido tu pago de <strong>{{money amount}}</strong>{{#if reference}} para {{reference}}{{/if}} el {{date occurredAt}}.</p>{{#if amountDue}}<p>Pendiente: {{money amountDue}}.</p>{{/if}}<p>¡Gracias!</p>',
		},
		chat: { subject: 'Pago recibido', text: 'Pago recibido: {{money amount}}{{#if customer.name}} de {{customer.name}}{{/if}}{{#if reference}} ({{reference}}){{/if}}' },
		push: { subject: 'Pago recibido', text: 'Hemos recibido tu pago de {{money amount}}. ¡Gracias!' },
	},
};

const TITLES: Record<string, string> = { refund: 'Refund sent', invoice: 'Invoice payment received', payment: 'Payment received' };

function languageOf(locale: string | undefined): string {
	const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0];
	return language in DEFAULTS ? language : 'en';
}

interface Environment {
	handlebars: typeof Handlebars;
	compiled: Map<string, HandlebarsTemplateDelegate>;
}

/** Per locale and time zone: formatters and compiled templates are built once, not per message (mass sends). */
const environments = new Map<string, Environment>();

function environmentFor(locale: string, timeZone: string | undefined): Environment {
	const key = `${locale}|${timeZone ?? ''}`;
	let environment = environments.get(key);
	if (environment) return environment;
	const handlebars = Handlebars.create();
	const moneyFormats = new Map<string, Intl.NumberFormat>();
	const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
	// Money from its exact decimal string, in the client's locale, with the currency's own number of decimals.
	handlebars.registerHelper('money', (money: PaymentEvent['amount'] | undefined) => {
		if (!money) return '';
		const formatKey = `${money.currency}:${money.exponent}`;
		let format = moneyFormats.get(formatKey);
		if (!format) {
			format = new Intl.NumberFormat(locale, {
				style: 'currency',
				currency: money.currency,
				minimumFractionDigits: money.exponent,
				maximumFractionDigits: money.exponent,
			});
			moneyFormats.set(formatKey, format);
		}
		return format.format(money.value as unknown as number);
	});
	handlebars.registerHelper('date', (value: string | undefined) => (value ? dates.format(new Date(value)) : ''));
	handlebars.registerHelper('maskEmail', (value: string | undefined) => (value ? maskEmail(value) : ''));
	handlebars.registerHelper('maskPhone', (value: string | undefined) => (value ? maskPhone(value) : ''));
	environment = { handlebars, compiled: new Map() };
	if (environments.size > 100) environments.clear();
	environments.set(key, environment);
	return environment;
}

/** What templates see: the event without its raw payload, plus words the defaults use. Optional objects are present, so `#if` works. */
function contextOf(event: PaymentEvent): Record<string, unknown> {
	const visible: Partial<PaymentEvent> = { ...event };
	delete visible.raw;
	const kind = event.kind === 'refund' || event.status === 'refunded' ? 'refund' : event.kind === 'invoice' ? 'invoice' : 'payment';
	return {
		customer: {},
		invoice: {},
		payment: {},
		...visible,
		firstName: event.customer?.name?.split(/\s+/)[0],
		title: TITLES[kind],
		verb: kind === 'refund' ? 'refunded' : 'received your payment of',
	};
}

/** The expression a Handlebars strict-mode error points at (`line:column`), e.g. `customer.name`. */
function fieldAt(template: string, message: string): string | undefined {
	const position = /- (\d+):(\d+)$/.exec(message);
	if (!position) return undefined;
	const line = template.split('\n')[Number(position[1]) - 1] ?? '';
	return /^\{*\s*([^\s}]+)/.exec(line.slice(Number(position[2])))?.[1];
}

export interface Rendered {
	message: RenderedMessage;
	/** Which template made it, for the audit: `<channel or kind>.<language>[.custom]`. */
	templateId: string;
	/** SHA-256 of the rendered content, for the audit. */
	sha256: string;
}

/** Renders the confirmation of an event for one channel, from the user's template where one matches, else the default. */
export function renderConfirmation(
	event: PaymentEvent,
	channel: { id: string; kind: ChannelKind },
	options: { locale?: string; timeZone?: string; overrides?: TemplateOverride[] },
): Rendered {
	const locale = options.locale ?? event.customer?.locale ?? 'en';
	const language = languageOf(locale);
	const custom = (options.overrides ?? []).find(
		(template) =>
			(template.channel === channel.id || template.channel === channel.kind) &&
			(template.locale === '' || template.locale === '*' || languageOf(template.locale) === language),
	);
	const defaults = DEFAULTS[language][channel.kind];
	const templateId = `${custom ? custom.channel : channel.kind}.${language}${custom ? '.custom' : ''}`;
	const { handlebars, compiled } = environmentFor(locale, options.timeZone);
	const context = contextOf(event);
	const render = (part: keyof Parts): string | undefined => {
		const source = custom?.[part] || defaults[part];
		if (!source) return undefined;
		try {
			const cacheKey = `${part}\n${source}`;
			let template = compiled.get(cacheKey);
			if (!template) {
				template = handlebars.compile(source, { strict: true, noEscape: part !== 'html' });
				if (compiled.size > 500) compiled.clear();
				compiled.set(cacheKey, template);
			}
			return template(context).trim();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const field = fieldAt(source, message);
			throw new TemplateError(
				`Template "${templateId}" (${part}): ${field ? `the field "${field}" is missing from the event` : message}`,
			);
		}
	};
	const message: RenderedMessage = {
		subject: render('subject'),
		text: render('text') ?? '',
		html: channel.kind === 'email' ? render('html') : undefined,
		facts: [
			{ name: 'Amount', value: String(handlebars.helpers.money(event.amount)) },
			...(event.reference ? [{ name: 'Reference', value: event.reference }] : []),
			{ name: 'Date', value: String(handlebars.helpers.date(event.occurredAt)) },
			{ name: 'Status', value: event.crmStatus },
		],
		templateParameters: [String(context.firstName ?? event.customer?.name ?? ''), String(handlebars.helpers.money(event.amount)), event.reference ?? ''],
	};
	const sha256 = createHash('sha256').update(JSON.stringify([message.subject, message.text, message.html])).digest('hex');
	return { message, templateId, sha256 };
}
