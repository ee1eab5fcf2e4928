import { createConnection } from 'mysql2/promise';
import Redis from 'ioredis';
import { plantCanary } from './canary';
import { TEST_DATABASE_PREFIX, TEST_MYSQL_URL, TEST_REDIS_URL } from './test-env';

/** Fails fast when MySQL or Redis is not there, and clears databases left by interrupted runs. */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const mysql = await createConnection({ uri: TEST_MYSQL_URL });
  const [rows] = await mysql.query(`SHOW DATABASES LIKE '${TEST_DATABASE_PREFIX}%'`);
  for (const row of rows as Record<string, string>[]) {
    await mysql.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  }
  await mysql.end();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.ping();
  redis.disconnect();
  await plantCanary();
}
