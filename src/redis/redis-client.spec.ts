import { Cluster } from 'ioredis';
import { queuePrefix, redisClient, redisWhere } from './redis-client';

describe('Redis on one server or a cluster', () => {
  const cluster = [
    { host: '10.0.0.1', port: 7000 },
    { host: '10.0.0.2', port: 7001 },
  ];

  it('gives each queue a hash tag of its own on a cluster, and leaves the prefix alone on one server', () => {
    expect(queuePrefix({ queuePrefix: 'groupcast' }, 'posts.webhook')).toBe('groupcast');
    expect(queuePrefix({ queuePrefix: 'groupcast', redisClusterNodes: cluster }, 'posts.webhook')).toBe(
      '{groupcast:posts.webhook}',
    );
    // An operator's own hash tag wins: every queue then shares its slot.
    expect(queuePrefix({ queuePrefix: '{gc}', redisClusterNodes: cluster }, 'posts.webhook')).toBe('{gc}');
  });

  it('makes a cluster client with the URL’s password on every node, and says where it points', () => {
    const client = redisClient(
      { redisUrl: 'redis://:s%40cret@ignored:6379', redisClusterNodes: cluster },
      { keyPrefix: 'gc:', lazyConnect: true },
    );
    try {
      expect(client).toBeInstanceOf(Cluster);
      expect((client as Cluster).options.redisOptions).toMatchObject({ password: 's@cret' });
      expect((client as Cluster).options.keyPrefix).toBe('gc:');
    } finally {
      client.disconnect();
    }
    expect(redisWhere({ redisUrl: 'redis://cache:6380', redisClusterNodes: cluster })).toBe(
      '10.0.0.1:7000,10.0.0.2:7001',
    );
    expect(redisWhere({ redisUrl: 'redis://cache:6380' })).toBe('cache:6380');
  });
});
