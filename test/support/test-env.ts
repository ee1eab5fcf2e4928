import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A Redis Cluster the service is tested on as well (`npm test` starts one): its nodes, comma-separated. */
export const TEST_REDIS_CLUSTER_NODES = process.env.TEST_REDIS_CLUSTER_NODES;
export const TEST_REDIS_TARGET = {
  redisUrl: TEST_REDIS_URL,
  redisClusterNodes: TEST_REDIS_CLUSTER_NODES?.split(',').map((node) => ({
    host: node.slice(0, node.lastIndexOf(':')),
    port: Number(node.slice(node.lastIndexOf(':') + 1)),
  })),
};
export const TEST_DATABASE_PREFIX = 'gc_test_';
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
/** Global rules that remove the shipped quiet hours, gap and caps: most tests send several posts in seconds. */
export const NO_GLOBAL_POLICY = {
  quietHours: null,
  minGapMinutes: null,
  dailyCap: null,
  promoCap: null,
  blackoutDates: [],
};

/** A database and a Redis prefix of its own, so test files run in parallel without meeting. */
export function isolatedEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
  return {
    ROLE: 'api',
    PORT: '0',
    DATABASE_URL: `${TEST_MYSQL_URL}/${TEST_DATABASE_PREFIX}${id}`,
    REDIS_URL: TEST_REDIS_URL,
    ...(TEST_REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES } : {}),
    QUEUE_PREFIX: `gctest_${id}`,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ALLOW_PRIVATE_TARGETS: 'true',
    ALLOW_CUSTOM_BASE_URLS: 'true',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    // Example pieces name pictures on hosts that do not exist here; the picture tests turn it on.
    MEDIA_CHECK: 'false',
    MEDIA_CACHE_DIR: join(tmpdir(), `gc-media-${id}`),
    // A started service makes its sealing key here rather than in the user's home.
    SECRETS_KEY_FILE: join(tmpdir(), `gc-media-${id}`, 'secrets-keys'),
    ...overrides,
  };
}

/** How a process of its own (a second worker, a consumer) reaches the Redis a test app uses, under its prefix. */
export function redisEnv(config: {
  redisUrl: string;
  queuePrefix: string;
  redisClusterNodes?: { host: string; port: number }[];
}): Record<string, string> {
  return {
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: config.queuePrefix,
    ...(config.redisClusterNodes
      ? { REDIS_CLUSTER_NODES: config.redisClusterNodes.map((n) => `${n.host}:${n.port}`).join(',') }
      : {}),
  };
}
