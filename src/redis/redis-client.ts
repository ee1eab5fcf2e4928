import Redis, { Cluster, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-options';

/** A single Redis or a Redis Cluster: both speak the commands the service uses. */
export type RedisClient = Redis | Cluster;

export type RedisTarget = Pick<AppConfig, 'redisUrl' | 'redisClusterNodes'>;

/**
 * A client for REDIS_URL, or for the cluster REDIS_CLUSTER_NODES names (REDIS_URL then gives only
 * the user, password and TLS every node shares). `options` apply to each node's connection;
 * `keyPrefix` is the client's.
 */
export function redisClient(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  const { keyPrefix, ...node } = options;
  const fromUrl = redisOptionsFromUrl(target.redisUrl);
  if (!target.redisClusterNodes) return new Redis({ ...fromUrl, ...options });
  const { username, password, tls } = fromUrl;
  return new Cluster(target.redisClusterNodes, {
    keyPrefix,
    redisOptions: { username, password, tls, ...node },
    // A command waits in the client while the cluster moves a slot or a replica takes over.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 500,
    ...(options.lazyConnect ? { lazyConnect: true } : {}),
  });
}

/** Where the service's Redis is, for messages: `host:port` or the cluster's seed nodes. */
export function redisWhere(target: RedisTarget): string {
  if (target.redisClusterNodes) return target.redisClusterNodes.map((n) => `${n.host}:${n.port}`).join(',');
  const { host, port } = redisOptionsFromUrl(target.redisUrl);
  return `${host}:${port}`;
}

/**
 * BullMQ's prefix for one queue. On a cluster every key of a queue must hash to one slot, and
 * queues spread best over the masters when each has a slot of its own: `{groupcast:delivery}`.
 * A QUEUE_PREFIX that already holds a hash tag is used as it is.
 */
export function queuePrefix(config: Pick<AppConfig, 'queuePrefix' | 'redisClusterNodes'>, queue: string): string {
  if (!config.redisClusterNodes || /\{[^}]+\}/.test(config.queuePrefix)) return config.queuePrefix;
  return `{${config.queuePrefix}:${queue}}`;
}

/** Deletes every key under a prefix: its own (`prefix:…`) and its queues' (`{prefix:queue}…` on a cluster). */
export async function deleteKeysUnder(prefix: string, target: RedisTarget): Promise<number> {
  const redis = redisClient(target);
  let deleted = 0;
  try {
    for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
      const keys = [...(await node.keys(`${prefix}:*`)), ...(await node.keys(`{${prefix}:*`))];
      // One key at a time: on a cluster the keys of one node still lie in many slots.
      await Promise.all(keys.map((key) => node.del(key)));
      deleted += keys.length;
    }
  } finally {
    await redis.quit();
  }
  return deleted;
}
