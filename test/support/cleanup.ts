import Redis from 'ioredis';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { databaseName } from '../../src/database/typeorm-options';
import { TEST_REDIS_URL } from './test-env';

/** Drops the database a DATABASE_URL names, on the server that URL names. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const server = new URL(databaseUrl);
  if (server.protocol !== 'mysql:' && server.protocol !== 'mariadb:') return; // a URL the service refused: it created nothing
  server.pathname = '/';
  server.protocol = 'mysql:';
  const mysql = await createConnection({ uri: server.toString() });
  await mysql.query(`DROP DATABASE IF EXISTS \`${databaseName(databaseUrl)}\``);
  await mysql.end();
}

export async function deleteRedisPrefix(prefix: string, redisUrl = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

/** Removes a picture cache directory a test made (only one named gc-media-…). */
export async function removeMediaCache(dir: string): Promise<void> {
  if (basename(dir).startsWith('gc-media-')) await rm(dir, { recursive: true, force: true });
}
