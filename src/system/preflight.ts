import { createServer } from 'node:net';
import { AppConfig } from '../config/app-config';
import { assertDatabaseReachable, databaseExists } from '../database/prepare-database';
import { assertRedisReachable } from '../redis/redis-reachable';
import { redisClient } from '../redis/redis-client';
import { CLAIM_KEY, prefixTakenMessage } from './prefix-claim';

/** Refuses a port another process listens on, before anything is created for this start. */
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `PORT: ${port} is in use by another process; stop it or set PORT`
            : `PORT: cannot listen on ${port} (${error.message})`,
        ),
      ),
    );
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve()));
  });
}

/**
 * A QUEUE_PREFIX claimed on this Redis by an installation whose database is not this one: a
 * database that does not exist yet cannot be it, so the start is refused before creating one.
 * (When the database exists, PrefixClaim compares its installation with the claim.)
 */
async function assertPrefixFree(config: AppConfig): Promise<void> {
  const redis = redisClient(config, { keyPrefix: `${config.queuePrefix}:` });
  try {
    const owner = await redis.get(CLAIM_KEY);
    if (owner !== null && !(await databaseExists(config.databaseUrl)))
      throw new Error(prefixTakenMessage(config.queuePrefix, owner));
  } finally {
    redis.disconnect();
  }
}

/**
 * What must hold before a process creates or migrates anything: Redis and MySQL answer, the port
 * is free, and the queue prefix is not another installation's. A start that fails here leaves
 * nothing behind, and says why in one line.
 */
export async function preflight(config: AppConfig): Promise<void> {
  await assertRedisReachable(config);
  await assertDatabaseReachable(config.databaseUrl);
  if (config.role !== 'worker') await assertPortFree(config.port);
  await assertPrefixFree(config);
}
