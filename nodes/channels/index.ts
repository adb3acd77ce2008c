import { twilio } from './twilio';
import type { ChannelAdapter } from './types';

/** Every channel, in the order the node lists them. */
export const CHANNELS: readonly ChannelAdapter[] = [twilio];

export function channelById(id: string): ChannelAdapter | undefined {
	return CHANNELS.find((channel) => channel.id === id);
}

export type { ChannelAdapter } from './types';
