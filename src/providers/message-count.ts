import { ChannelConfig, WireParts } from './adapter';

/** Most messages with text one post may become on a channel, unless its config says otherwise. */
export const DEFAULT_MAX_MESSAGES = 4;

/**
 * The messages with text a post becomes (a text split in three is three; a photo with its caption
 * is one): what the daily and promotional caps count. Pictures and cards that go with the text
 * add none; a post is at least one.
 */
export function textMessages(parts: WireParts): number {
  if ('refused' in parts) return 1;
  return Math.max(1, parts.filter((part) => part.text !== undefined).length);
}

export const maxMessages = (config: ChannelConfig): number => config.maxMessages ?? DEFAULT_MAX_MESSAGES;

/** Why a post of `count` messages may not go on a channel that allows `max`, or undefined. */
export function tooManyMessages(count: number, max: number, where: string): string | undefined {
  return count > max
    ? `becomes ${count} messages on ${where}, more than the ${max} one post may be there: shorten it or make it several pieces`
    : undefined;
}
