import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisClient, redisClient } from './redis-client';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');
/** What BullMQ's queues and workers connect with. */
export const BULL_CONNECTION = Symbol('BULL_CONNECTION');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BULL_CONNECTION) private readonly bull: ConnectionOptions,
  ) {}

  // Global modules shut down after the others, so the queues and workers have closed by now.
  async onApplicationShutdown(): Promise<void> {
    const clients = [this.redis, ...(this.bull instanceof Cluster ? [this.bull] : [])];
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}

/**
 * A general-purpose client for our own keys (health, heartbeats, the limiter, the leader lock),
 * and what BullMQ connects with: options on a single Redis (each queue and worker opens its own
 * connections), one shared cluster client on a Redis Cluster (workers duplicate it to block).
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        redisClient(config, { keyPrefix: `${config.queuePrefix}:`, maxRetriesPerRequest: 2, connectTimeout: 5000 }),
    },
    {
      provide: BULL_CONNECTION,
      inject: [APP_CONFIG],
      // Workers block on Redis; BullMQ requires ioredis to retry forever rather than fail a command.
      useFactory: (config: AppConfig): ConnectionOptions =>
        config.redisClusterNodes
          ? redisClient(config, { maxRetriesPerRequest: null })
          : { ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: null },
    },
    RedisCloser,
  ],
  exports: [REDIS, BULL_CONNECTION],
})
export class RedisModule {}
