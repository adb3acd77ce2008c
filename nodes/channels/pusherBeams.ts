import { channelFailure, isSuccess, text } from './common';
import { ChannelError, type ChannelAdapter, type Delivery, type ChannelTools, type SendResult } from './types';

/** One publish to the deliveries' users: the content is the first delivery's, as a batch shares its content. */
async function publish(deliveries: Delivery[], tools: ChannelTools): Promise<SendResult> {
	const { subject, text: body } = deliveries[0].message;
	const title = subject ?? '';
	const response = await tools.request({
		method: 'POST',
		url: `/publish_api/v1/instances/${encodeURIComponent(tools.credentials.instanceId ?? '')}/publishes/users`,
		body: {
			users: deliveries.map((delivery) => delivery.to),
			web: { notification: { title, body } },
			fcm: { notification: { title, body } },
			apns: { aps: { alert: { title, body } } },
		},
	});
	// Errors: { error, description } (https://pusher.com/docs/beams/reference/publish-api#error-responses)
	if (!isSuccess(response)) {
		const error = response.body as { error?: string; description?: string } | undefined;
		throw channelFailure('Pusher Beams', response, text(error?.description) ?? text(error?.error), text(error?.error));
	}
	return { providerMessageId: text((response.body as { publishId?: string }).publishId), providerStatus: 'accepted' };
}

// https://pusher.com/docs/beams/reference/publish-api#publishing-a-notification-to-users
export const pusherBeams: ChannelAdapter = {
	id: 'pusherBeams',
	displayName: 'Pusher Beams',
	kind: 'push',
	address: 'push',
	credentialType: 'paymentEventsPusherBeamsApi',
	hosts: { live: 'https://{instanceId}.pushnotifications.pusher.com' },

	send: (delivery, tools) => publish([delivery], tools),

	batch: {
		// Publish API: 1 to 1000 users per request.
		max: 1000,
		async send(deliveries, tools) {
			try {
				const result = await publish(deliveries, tools);
				return deliveries.map(() => result);
			} catch (error) {
				if (!(error instanceof ChannelError)) throw error;
				return deliveries.map(() => error);
			}
		},
	},
};
