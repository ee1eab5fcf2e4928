import { ChannelConfig, ChannelDefinition, RateLimit } from './adapter';

export const WINDOW_KEYS: Record<number, 'perSecond' | 'perMinute'> = { 1000: 'perSecond', 60_000: 'perMinute' };

/** The provider's limits per address, lowered where the channel's config asks for less. */
export function effectiveRateLimits(definition: ChannelDefinition, config: ChannelConfig): RateLimit[] {
  const limits = new Map(definition.rateLimits.map((l) => [l.windowMs, l.limit]));
  for (const [windowMs, key] of Object.entries(WINDOW_KEYS)) {
    const asked = config.rateLimit?.[key];
    if (asked !== undefined) limits.set(Number(windowMs), Math.min(asked, limits.get(Number(windowMs)) ?? asked));
  }
  return [...limits].map(([windowMs, limit]) => ({ limit, windowMs })).sort((a, b) => a.windowMs - b.windowMs);
}
