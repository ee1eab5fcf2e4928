import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { databaseName } from '../../src/database/typeorm-options';
import { TEST_MYSQL_URL, TEST_REDIS_URL } from './test-env';

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const mysql = await createConnection({ uri: TEST_MYSQL_URL });
  await mysql.query(`DROP DATABASE IF EXISTS \`${databaseName(databaseUrl)}\``);
  await mysql.end();
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}
