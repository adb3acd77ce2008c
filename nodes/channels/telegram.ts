import { channelFailure, isSuccess, text } from './common';
import { ChannelError, type ChannelAdapter, type ChannelResponse } from './types';

/** The bot token travels in the URL path, so it is masked in anything that could carry the URL. */
function masked(message: string, token: string): string {
	return token ? message.split(token).join('***') : message;
}

// https://core.telegram.org/bots/api#sendmessage
export const telegram: ChannelAdapter = {
	id: 'telegram',
	displayName: 'Telegram',
	kind: 'chat',
	address: 'chat',
	credentialType: 'paymentEventsTelegramApi',
	hosts: { live: 'https://api.telegram.org' },

	async send(delivery, tools) {
		const token = tools.credentials.accessToken ?? '';
		let response: ChannelResponse;
		try {
			response = await tools.request({
				method: 'POST',
				url: `/bot${token}/sendMessage`,
				body: { chat_id: delivery.to, text: delivery.message.text },
			});
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			throw new ChannelError(`Telegram: request failed: ${masked(reason, token)}`, { retryable: true });
		}
		// Errors: { ok: false, error_code, description, parameters: { retry_after } } (https://core.telegram.org/bots/api#making-requests)
		const body = response.body as
			| { ok?: boolean; result?: { message_id?: number }; error_code?: number; description?: string; parameters?: { retry_after?: number } }
			| undefined;
		if (!isSuccess(response) || body?.ok !== true) {
			const description = text(body?.description);
			const failure = channelFailure('Telegram', response, description && masked(description, token), text(body?.error_code));
			const retryAfter = body?.parameters?.retry_after;
			if (failure.details.retryAfterMs !== undefined || typeof retryAfter !== 'number') throw failure;
			throw new ChannelError(failure.message, { ...failure.details, retryAfterMs: retryAfter * 1000 });
		}
		return { providerMessageId: text(body.result?.message_id), providerStatus: 'sent' };
	},
};
