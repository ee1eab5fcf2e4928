import { createConnection } from 'mysql2/promise';
import { redisClient } from '../../src/redis/redis-client';
import { plantCanary } from './canary';
import { TEST_DATABASE_PREFIX, TEST_MYSQL_URL, TEST_REDIS_TARGET } from './test-env';

/** Whether the process that made a test database (its pid is in the name) still runs. */
function ownerAlive(database: string): boolean {
  const pid = Number(database.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Fails fast when MySQL or Redis is not there, and clears databases left by interrupted runs:
 * only those whose process is gone, so a second `npm test` on the machine leaves the first alone.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const mysql = await createConnection({ uri: TEST_MYSQL_URL });
  const [rows] = await mysql.query(`SHOW DATABASES LIKE '${TEST_DATABASE_PREFIX}%'`);
  for (const database of (rows as Record<string, string>[]).map((row) => Object.values(row)[0])) {
    if (!ownerAlive(database)) await mysql.query(`DROP DATABASE IF EXISTS \`${database}\``);
  }
  await mysql.end();
  const redis = redisClient(TEST_REDIS_TARGET, { maxRetriesPerRequest: 1 });
  await redis.ping();
  redis.disconnect();
  // Held by test/run-tiers.ts across its two Jest runs, so the check at the end covers both.
  if (!process.env.GROUPCAST_CANARY_HELD) await plantCanary();
}
