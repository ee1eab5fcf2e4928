import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

/** How long a starting process waits for Redis before it gives up. */
const REACH_WITHIN_MS = 20_000;

/**
 * Resolves once Redis at `redisUrl` answers PING; rejects, naming REDIS_URL, if it has not within
 * 20 seconds, so that a process never hangs at start behind an unreachable Redis.
 */
export async function assertRedisReachable(redisUrl: string, withinMs = REACH_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last = '';
  while (Date.now() < deadline) {
    const probe = new Redis({
      ...redisOptionsFromUrl(redisUrl),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      last = (error as Error).message;
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { host, port } = redisOptionsFromUrl(redisUrl);
  throw new Error(
    `REDIS_URL: no answer from Redis at ${host}:${port} within ${Math.round(withinMs / 1000)}s (${last})`,
  );
}
