import { channelFailure, isSuccess, text } from './common';
import { ChannelError, type ChannelAdapter, type RenderedMessage } from './types';

const escapeHtml = (value: string) =>
	value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paragraph = (value: string) => `<p>${escapeHtml(value).replace(/\r?\n/g, '<br>')}</p>`;

/** The message's HTML body: the text, then the facts as "<b>name</b>: value" lines. */
export function teamsHtml(message: RenderedMessage): string {
	const facts = (message.facts ?? []).map((fact) => `<b>${escapeHtml(fact.name)}</b>: ${escapeHtml(fact.value)}`);
	return `${paragraph(message.text)}${facts.length ? `<p>${facts.join('<br>')}</p>` : ''}`;
}

// https://learn.microsoft.com/en-us/graph/api/channel-post-messages?view=graph-rest-1.0
export const teams: ChannelAdapter = {
	id: 'teams',
	displayName: 'Microsoft Teams (Graph API)',
	kind: 'chat',
	address: 'none',
	credentialType: 'paymentEventsMicrosoftTeamsOAuth2Api',
	hosts: { global: 'https://graph.microsoft.com' },
	settings: {
		teamId: {
			displayName: 'Team ID',
			description: 'The ID of the team (GET /me/joinedTeams, or the groupId in a link to the channel)',
			placeholder: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b',
			required: true,
		},
		channelId: {
			displayName: 'Channel ID',
			description: 'The ID of the channel in that team (GET /teams/{team-id}/channels, or from a link to the channel)',
			placeholder: '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2',
			required: true,
		},
	},

	async send(delivery, tools) {
		const teamId = delivery.settings.teamId ?? '';
		const channelId = delivery.settings.channelId ?? '';
		if (!teamId || !channelId) {
			throw new ChannelError('Microsoft Teams: set the Team ID and the Channel ID to post to', { retryable: false, code: 'no_channel' });
		}
		const response = await tools.request({
			method: 'POST',
			url: `/v1.0/teams/${encodeURIComponent(teamId)}/channels/${encodeURIComponent(channelId)}/messages`,
			body: {
				...(delivery.message.subject ? { subject: delivery.message.subject } : {}),
				body: { contentType: 'html', content: teamsHtml(delivery.message) },
			},
		});
		// Errors: { error: { code, message, innerError } } (https://learn.microsoft.com/en-us/graph/errors),
		// throttling: 429 with Retry-After (https://learn.microsoft.com/en-us/graph/throttling)
		if (!isSuccess(response)) {
			const error = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
			throw channelFailure('Microsoft Teams', response, text(error?.message), text(error?.code));
		}
		const body = response.body as { id?: string };
		return { providerMessageId: text(body.id) };
	},
};
