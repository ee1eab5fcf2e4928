import { loadConfig } from '../config/app-config';
import { redisClient } from '../redis/redis-client';
import { HEARTBEAT_KEY } from '../system/heartbeat';

/**
 * Container health probe: `node dist/health/probe.js`. The API answers /health/live; a worker
 * counts as healthy while the heartbeat job it consumes keeps its key fresh in Redis.
 */
async function probe(): Promise<boolean> {
  const config = loadConfig(process.env);
  if (config.role !== 'worker') {
    const response = await fetch(`http://127.0.0.1:${config.port}/health/live`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  }
  const redis = redisClient(config, { keyPrefix: `${config.queuePrefix}:`, maxRetriesPerRequest: 1 });
  try {
    return (await redis.exists(HEARTBEAT_KEY)) === 1;
  } finally {
    redis.disconnect();
  }
}

probe().then(
  (healthy) => process.exit(healthy ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`unhealthy: ${String(error)}\n`);
    process.exit(1);
  },
);
