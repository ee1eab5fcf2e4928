import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { LEASE_SHARE, MAX_LEASE, SharedThrottlerStorage } from '../../src/auth/shared-throttler-storage';
import { RedisClient, redisClient } from '../../src/redis/redis-client';
import { deleteRedisPrefix } from '../support/cleanup';
import { eventually } from '../support/poll';
import { TEST_REDIS_TARGET } from '../support/test-env';

const MINUTE = 60_000;

/** API keys' budgets in the real Redis, as two api processes (two storages) spend them. */
describe('request budgets leased from Redis', () => {
  const prefix = `gctest_throttle_${randomBytes(3).toString('hex')}`;
  let redis: RedisClient;
  const key = () => `key-${randomBytes(4).toString('hex')}`;
  const storage = (clock?: () => number) => new SharedThrottlerStorage(redis, clock);
  const hitsInRedis = async (k: string) => Number(await redis.get(`{${k}:default}:hits`));

  beforeAll(() => {
    redis = redisClient(TEST_REDIS_TARGET, { keyPrefix: `${prefix}:` });
  });
  afterAll(async () => {
    await redis.quit();
    await deleteRedisPrefix(prefix);
  });

  it('asks Redis once per lease of a fiftieth of the budget, not once per request', async () => {
    const k = key();
    const one = storage();
    const lease = 1200 / LEASE_SHARE;
    const first = await one.increment(k, MINUTE, 1200, MINUTE, 'default');
    expect(first).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(first.timeToExpire).toBe(60);
    expect(await hitsInRedis(k)).toBe(lease);
    for (let i = 1; i < lease; i++) await one.increment(k, MINUTE, 1200, MINUTE, 'default');
    expect(await hitsInRedis(k)).toBe(lease);
    const next = await one.increment(k, MINUTE, 1200, MINUTE, 'default');
    expect(next.totalHits).toBe(lease + 1);
    expect(await hitsInRedis(k)).toBe(2 * lease);
  });

  it('leases at most 100 requests however large the budget, so that a process with a smaller limit still gets its share', async () => {
    const k = key();
    await storage().increment(k, MINUTE, 1_000_000, MINUTE, 'default');
    expect(await hitsInRedis(k)).toBe(MAX_LEASE);
    expect(await storage().increment(k, MINUTE, 1200, MINUTE, 'default')).toMatchObject({ isBlocked: false });
  });

  it('never admits past the limit across processes, and refuses at most a lease per process early', async () => {
    const k = key();
    const [a, b] = [storage(), storage()];
    const limit = 10 * LEASE_SHARE; // leases of 10
    const records = await Promise.all(
      Array.from({ length: 2 * limit }, (_, i) => (i % 2 ? a : b).increment(k, MINUTE, limit, MINUTE, 'default')),
    );
    const admitted = records.filter((r) => !r.isBlocked);
    expect(admitted.length).toBeLessThanOrEqual(limit);
    expect(admitted.length).toBeGreaterThanOrEqual(limit - 2 * 10);
    // Every admitted request has a number of its own within the limit.
    expect(new Set(admitted.map((r) => r.totalHits)).size).toBe(admitted.length);
    expect(Math.max(...admitted.map((r) => r.totalHits))).toBeLessThanOrEqual(limit);
    // Both processes are refused now, with the time until the block ends.
    for (const s of [a, b]) {
      const refused = await s.increment(k, MINUTE, limit, MINUTE, 'default');
      expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    }
  });

  it('counts small budgets request by request: what one process spent, the other no longer has', async () => {
    const k = key();
    const [a, b] = [storage(), storage()];
    for (let i = 0; i < 3; i++) expect((await a.increment(k, MINUTE, 5, MINUTE, 'default')).isBlocked).toBe(false);
    for (let i = 0; i < 2; i++) expect((await b.increment(k, MINUTE, 5, MINUTE, 'default')).isBlocked).toBe(false);
    expect((await b.increment(k, MINUTE, 5, MINUTE, 'default')).isBlocked).toBe(true);
    expect((await a.increment(k, MINUTE, 5, MINUTE, 'default')).isBlocked).toBe(true);
  });

  it('admits again once the block ends, in the process that was refused and in the others', async () => {
    const k = key();
    const [a, b] = [storage(), storage()];
    const ttl = 300;
    for (let i = 0; i < 2; i++) await a.increment(k, ttl, 2, ttl, 'default');
    expect((await a.increment(k, ttl, 2, ttl, 'default')).isBlocked).toBe(true);
    expect((await b.increment(k, ttl, 2, ttl, 'default')).isBlocked).toBe(true);
    for (const s of [a, b])
      await eventually(async () => ((await s.increment(k, ttl, 2, ttl, 'default')).isBlocked ? undefined : true), 5000);
  });

  it('takes a new lease when the window ends, even with requests of the old one left', async () => {
    let now = Date.now();
    const k = key();
    const one = storage(() => now);
    await one.increment(k, MINUTE, 1200, MINUTE, 'default');
    now += MINUTE + 1;
    await redis.del(`{${k}:default}:hits`); // Redis's window ended with it
    expect((await one.increment(k, MINUTE, 1200, MINUTE, 'default')).totalHits).toBe(1);
    expect(await hitsInRedis(k)).toBe(1200 / LEASE_SHARE);
  });

  it('counts in the process alone while Redis cannot answer, still refusing past the limit', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const down = redisClient(
      { redisUrl: `redis://127.0.0.1:${port}` },
      { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null },
    );
    try {
      const alone = new SharedThrottlerStorage(down);
      const k = key();
      for (let i = 0; i < 2; i++)
        expect((await alone.increment(k, MINUTE, 2, MINUTE, 'default')).isBlocked).toBe(false);
      expect((await alone.increment(k, MINUTE, 2, MINUTE, 'default')).isBlocked).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});
