import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { RedisClient } from '../redis/redis-client';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A process takes a fiftieth of a key's budget from Redis at a time: at least one request, at most MAX_LEASE. */
export const LEASE_SHARE = 50;
export const MAX_LEASE = 100;

/** Past this many keys held, the ones whose window and block are over are let go. */
const SWEEP_AT = 10_000;

/**
 * Takes `lease` requests of a key's window at once; the first of them must still be within the
 * limit, or the key is blocked for blockDuration. Answers [last request taken, window left ms,
 * block left ms]: a block leaves nothing taken.
 */
const LEASE_SCRIPT = `
local blockedFor = redis.call('PTTL', KEYS[2])
if blockedFor > 0 then return {0, redis.call('PTTL', KEYS[1]), blockedFor} end
local ttl, limit, blockDuration, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local taken = redis.call('INCRBY', KEYS[1], lease)
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft <= 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  windowLeft = ttl
end
if taken - lease >= limit then
  redis.call('SET', KEYS[2], 1, 'PX', blockDuration)
  return {0, windowLeft, blockDuration}
end
return {taken, windowLeft, 0}
`;

/** Requests `next`..`last` of the key's current window are this process's to admit. */
interface Lease {
  next: number;
  last: number;
  windowEndsAt: number;
  blockedUntil: number;
}

/**
 * API keys' request budgets counted in Redis, so that every api process spends from the same one.
 * Each process leases a fiftieth of a key's budget at a time (at most 100 requests, so that a
 * process given a smaller limit, during a rollout say, is not refused for the others' leases) and
 * admits from it without asking Redis again: no process admits a request past the limit, and a key
 * may be refused up to one lease per other process early. A key refused stays refused here until
 * its block ends, also without Redis. While Redis cannot answer, each process counts on its own
 * rather than refusing every request.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly local = new ThrottlerStorageService();
  private readonly leases = new Map<string, Lease>();
  private readonly leasing = new Map<string, Promise<ThrottlerStorageRecord>>();
  private warned = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly clock: () => number = Date.now,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // A hash tag keeps a key's hits and block in one slot of a cluster.
    const id = `{${key}:${throttlerName}}`;
    for (;;) {
      const held = this.fromLease(id, limit);
      if (held) return held;
      const inFlight = this.leasing.get(id);
      // Someone here is already asking for this key: what they get may do for this request too.
      if (inFlight) {
        await inFlight.catch(() => undefined);
        continue;
      }
      const leasing = this.lease(id, ttl, limit, blockDuration).finally(() => this.leasing.delete(id));
      this.leasing.set(id, leasing);
      try {
        const record = await leasing;
        this.warned = false;
        return record;
      } catch (error) {
        if (!this.warned) {
          this.logger.warn(
            `request budgets counted in this process only while Redis fails: ${(error as Error).message}`,
          );
          this.warned = true;
        }
        return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
      }
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }

  private fromLease(id: string, limit: number): ThrottlerStorageRecord | null {
    const lease = this.leases.get(id);
    if (!lease) return null;
    const now = this.clock();
    if (lease.blockedUntil > now) return blocked(limit, lease, now);
    if (lease.windowEndsAt <= now || lease.next > lease.last) return null;
    return admitted(lease.next++, lease, now);
  }

  /** Takes the next lease of this key from Redis, and the first request of it for the caller. */
  private async lease(id: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const size = Math.min(MAX_LEASE, Math.max(1, Math.floor(limit / LEASE_SHARE)));
    const [taken, windowLeft, blockLeft] = (await this.redis.eval(
      LEASE_SCRIPT,
      2,
      `${id}:hits`,
      `${id}:blocked`,
      ttl,
      limit,
      blockDuration,
      size,
    )) as [number, number, number];
    const now = this.clock();
    if (this.leases.size >= SWEEP_AT) this.sweep(now);
    const lease: Lease = {
      next: taken - size + 1,
      last: Math.min(taken, limit),
      windowEndsAt: now + Math.max(windowLeft, 0),
      blockedUntil: blockLeft > 0 ? now + blockLeft : 0,
    };
    this.leases.set(id, lease);
    return lease.blockedUntil > now ? blocked(limit, lease, now) : admitted(lease.next++, lease, now);
  }

  private sweep(now: number): void {
    for (const [id, lease] of this.leases)
      if (lease.windowEndsAt <= now && lease.blockedUntil <= now) this.leases.delete(id);
  }
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

function admitted(request: number, lease: Lease, now: number): ThrottlerStorageRecord {
  return {
    totalHits: request,
    timeToExpire: seconds(lease.windowEndsAt - now),
    isBlocked: false,
    timeToBlockExpire: 0,
  };
}

function blocked(limit: number, lease: Lease, now: number): ThrottlerStorageRecord {
  return {
    totalHits: limit + 1,
    timeToExpire: seconds(lease.windowEndsAt - now),
    isBlocked: true,
    timeToBlockExpire: seconds(lease.blockedUntil - now),
  };
}
