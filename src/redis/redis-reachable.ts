import Redis from 'ioredis';
import { RedisTarget, redisWhere } from './redis-client';
import { redisOptionsFromUrl } from './redis-options';

/** How long a starting process waits for Redis before it gives up. */
const REACH_WITHIN_MS = 20_000;

/** Why Redis at one address cannot serve yet, or undefined when it can. */
async function problemAt(target: RedisTarget, node?: { host: string; port: number }): Promise<string | undefined> {
  const probe = new Redis({
    ...redisOptionsFromUrl(target.redisUrl),
    ...(node ?? {}),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    if (!node) return undefined;
    const info = await probe.cluster('INFO');
    return /cluster_state:ok/.test(info) ? undefined : `the cluster at ${node.host}:${node.port} is not ok`;
  } catch (error) {
    return (error as Error).message;
  } finally {
    probe.disconnect();
  }
}

/**
 * Resolves once Redis answers PING (on a cluster: once a seed node answers and says the cluster
 * is ok); rejects, naming the variable, if it has not within 20 seconds, so that a process never
 * hangs at start behind an unreachable Redis.
 */
export async function assertRedisReachable(target: RedisTarget, withinMs = REACH_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last = '';
  while (Date.now() < deadline) {
    const nodes = target.redisClusterNodes ?? [undefined];
    for (const node of nodes) {
      const problem = await problemAt(target, node);
      if (problem === undefined) return;
      last = problem;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const variable = target.redisClusterNodes ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL';
  throw new Error(
    `${variable}: no answer from Redis at ${redisWhere(target)} within ${Math.round(withinMs / 1000)}s (${last})`,
  );
}
