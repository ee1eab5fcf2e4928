import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { dropDatabase } from '../../src/database/prepare-database';
import { RedisTarget, deleteKeysUnder } from '../../src/redis/redis-client';
import { TEST_REDIS_TARGET } from './test-env';

export { dropDatabase };

/** Deletes a test's keys: its own (`prefix:…`) and its queues' (`{prefix:queue}…` on a cluster). */
export async function deleteRedisPrefix(prefix: string, target: RedisTarget = TEST_REDIS_TARGET): Promise<void> {
  await deleteKeysUnder(prefix, target);
}

/** Removes a picture cache directory a test made (only one named gc-media-…). */
export async function removeMediaCache(dir: string): Promise<void> {
  if (basename(dir).startsWith('gc-media-')) await rm(dir, { recursive: true, force: true });
}
