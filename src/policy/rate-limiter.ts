import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client';
import { createHash } from 'node:crypto';
import { RateLimit } from '../providers/adapter';
import { REDIS } from '../redis/redis.module';

/**
 * Sliding-window log per address and window, all windows checked and taken in one step:
 * a send is allowed only if every window has room, so "20 a minute" holds for any minute.
 * Returns 0 when the send may go, else the milliseconds until it may.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= limit then
    local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
    wait = math.max(wait, oldest + window - now)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return 0
`;

/** Windows are kept this much longer than the provider's, so that network and clock skew never tip a robot over. */
const SAFETY_MARGIN_MS = 1000;

@Injectable()
export class RateLimiter {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  /**
   * Takes a slot for a send to `robot` under every limit, or says how long to wait. `robot` names
   * what the provider counts (a robot key, a bot's chat), whatever channel or group uses it.
   */
  async take(robot: string, limits: RateLimit[], sendId: string): Promise<number> {
    if (limits.length === 0) return 0;
    // Keys name the robot by a hash, so no secret (a robot key) ever lands in Redis.
    const who = createHash('sha256').update(robot).digest('base64url').slice(0, 22);
    // One hash tag for a robot's windows: the script touches them together, so on Redis Cluster they share a slot.
    const keys = limits.map((l) => `ratelimit:{${who}}:${l.windowMs}`);
    const args = [sendId, ...limits.flatMap((l) => [String(l.limit), String(l.windowMs + SAFETY_MARGIN_MS)])];
    return Number(await this.redis.eval(TAKE, keys.length, ...keys, ...args));
  }
}
