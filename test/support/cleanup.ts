import { Cluster } from 'ioredis';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { databaseName } from '../../src/database/typeorm-options';
import { RedisTarget, redisClient } from '../../src/redis/redis-client';
import { TEST_REDIS_TARGET } from './test-env';

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

/** Deletes a test's keys: its own (`prefix:…`) and its queues' (`{prefix:queue}…` on a cluster). */
export async function deleteRedisPrefix(prefix: string, target: RedisTarget = TEST_REDIS_TARGET): Promise<void> {
  const redis = redisClient(target);
  try {
    for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
      const keys = [...(await node.keys(`${prefix}:*`)), ...(await node.keys(`{${prefix}:*`))];
      // One key at a time: on a cluster the keys of one node still lie in many slots.
      await Promise.all(keys.map((key) => node.del(key)));
    }
  } finally {
    await redis.quit();
  }
}

/** Removes a picture cache directory a test made (only one named gc-media-…). */
export async function removeMediaCache(dir: string): Promise<void> {
  if (basename(dir).startsWith('gc-media-')) await rm(dir, { recursive: true, force: true });
}
