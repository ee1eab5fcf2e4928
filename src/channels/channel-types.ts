export const CHANNEL_TYPES = [
  'console',
  'webhook',
  'wecom',
  'dingtalk',
  'feishu',
  'slack',
  'telegram',
  'external',
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A limit on sends to one address: at most `limit` in any `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}
