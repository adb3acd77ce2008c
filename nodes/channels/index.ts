import { brevo } from './brevo';
import { clicksend } from './clicksend';
import { googleChat } from './googleChat';
import { mailgun } from './mailgun';
import { messenger } from './messenger';
import { plivo } from './plivo';
import { pusherBeams } from './pusherBeams';
import { sendgrid } from './sendgrid';
import { slack } from './slack';
import { slackWebhook } from './slackWebhook';
import { smtp } from './smtp';
import { teams } from './teams';
import { teamsWebhook } from './teamsWebhook';
import { telegram } from './telegram';
import { twilio } from './twilio';
import { vonage } from './vonage';
import { whatsapp } from './whatsapp';
import { zoomChat } from './zoomChat';
import type { ChannelAdapter } from './types';

/** Every channel, in the order the node lists them: SMS, email, chat, push. */
export const CHANNELS: readonly ChannelAdapter[] = [
	twilio,
	plivo,
	clicksend,
	vonage,
	sendgrid,
	mailgun,
	brevo,
	smtp,
	slack,
	slackWebhook,
	teams,
	teamsWebhook,
	googleChat,
	telegram,
	whatsapp,
	messenger,
	zoomChat,
	pusherBeams,
];

export function channelById(id: string): ChannelAdapter | undefined {
	return CHANNELS.find((channel) => channel.id === id);
}

export type { ChannelAdapter } from './types';
