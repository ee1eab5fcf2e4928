import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Cluster } from 'ioredis';
import { RedisClient } from '../redis/redis-client';

/**
 * API keys' request budgets counted in Redis, so that every api process spends from the same one.
 * While Redis cannot answer, each process counts on its own rather than refusing every request.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(SharedThrottlerStorage.name);
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private warned = false;

  constructor(redis: RedisClient) {
    // Its keys carry a hash tag, so a key's hits and block stay in one slot of a cluster.
    this.shared =
      redis instanceof Cluster ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageRedisService(redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      this.warned = false;
      return record;
    } catch (error) {
      if (!this.warned) {
        this.logger.warn(`request budgets counted in this process only while Redis fails: ${(error as Error).message}`);
        this.warned = true;
      }
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
