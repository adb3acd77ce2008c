import { channelFailure, isSuccess, text } from './common';
import { ChannelError, type ChannelAdapter, type ChannelResponse, type RenderedMessage } from './types';

/** Slack's three characters to escape in message text (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/**
 * Block Kit for a confirmation: a header with the subject, a section with the text, and the facts as section fields
 * (https://api.slack.com/reference/block-kit/blocks: a section takes at most 10 fields of 2000 characters and a text of
 * 3000, a header 150 characters of plain text).
 */
export function slackBlocks(message: RenderedMessage): unknown[] {
	const blocks: unknown[] = [];
	if (message.subject) blocks.push({ type: 'header', text: { type: 'plain_text', text: cut(message.subject, 150) } });
	blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(message.text), 3000) } });
	const facts = message.facts ?? [];
	for (let start = 0; start < facts.length; start += 10) {
		blocks.push({
			type: 'section',
			fields: facts.slice(start, start + 10).map((fact) => ({
				type: 'mrkdwn',
				text: cut(`*${slackEscape(fact.name)}*\n${slackEscape(fact.value)}`, 2000),
			})),
		});
	}
	return blocks;
}

/**
 * Slack error codes (answered with HTTP 200 and `ok: false`) that say "later" rather than "never". `fatal_error` is left
 * out on purpose: Slack says part of the operation may have succeeded, so sending again could post twice.
 */
const TRANSIENT = new Set([
	'ratelimited',
	'rate_limited',
	'message_limit_exceeded',
	'internal_error',
	'request_timeout',
	'service_unavailable',
	'team_added_to_org',
]);

/** The ChannelError for a Slack error code, retryable when the status or the code says so. */
export function slackFailure(provider: string, response: ChannelResponse, code: string | undefined, detail?: string): ChannelError {
	const failure = channelFailure(provider, response, code && detail ? `${code}: ${detail}` : code, code);
	if (failure.details.retryable || !code || !TRANSIENT.has(code)) return failure;
	return new ChannelError(failure.message, { ...failure.details, retryable: true });
}

// https://docs.slack.dev/reference/methods/chat.postMessage
export const slack: ChannelAdapter = {
	id: 'slack',
	displayName: 'Slack',
	kind: 'chat',
	address: 'chat',
	credentialType: 'paymentEventsSlackApi',
	hosts: { live: 'https://slack.com' },
	addressSetting: 'channel',
	settings: {
		channel: {
			displayName: 'Default Channel',
			description:
				'The channel ID (C…) or user ID (U…) to post to when the recipient has no Slack ID of their own. The app must be a member of the channel.',
			placeholder: 'C123ABC456',
		},
	},

	async send(delivery, tools) {
		const channel = delivery.to || delivery.settings.channel || '';
		if (!channel) {
			throw new ChannelError('Slack: no channel: the recipient has no Slack ID and no Default Channel is set', {
				retryable: false,
				code: 'no_channel',
			});
		}
		const response = await tools.request({
			method: 'POST',
			url: '/api/chat.postMessage',
			// Without the charset Slack accepts the JSON but warns `missing_charset` (https://api.slack.com/web#posting_json).
			headers: { 'content-type': 'application/json; charset=utf-8' },
			body: { channel, text: slackEscape(delivery.message.text), blocks: slackBlocks(delivery.message) },
		});
		// Slack answers most errors with HTTP 200 and { ok: false, error } (https://api.slack.com/web#responses),
		// rate limits with HTTP 429 and Retry-After (https://api.slack.com/apis/rate-limits).
		const body = (typeof response.body === 'object' && response.body ? response.body : {}) as {
			ok?: boolean;
			error?: string;
			ts?: string;
			response_metadata?: { messages?: string[] };
		};
		if (!isSuccess(response) || body.ok !== true) {
			throw slackFailure('Slack', response, text(body.error), body.response_metadata?.messages?.join('; '));
		}
		return { providerMessageId: text(body.ts), providerStatus: 'ok' };
	},
};
