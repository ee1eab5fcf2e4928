import { Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RedisClient } from '../redis/redis-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis.module';

/** Under QUEUE_PREFIX: the installation whose posts the queues carry. */
export const CLAIM_KEY = 'installation';

export const prefixTakenMessage = (prefix: string, owner: string) =>
  `QUEUE_PREFIX: ${prefix} is in use by another database (installation ${owner}) on this Redis; give each deployment its own QUEUE_PREFIX (or, if that database is gone for good, delete the Redis key ${prefix}:${CLAIM_KEY})`;

/**
 * Two deployments on one Redis with one QUEUE_PREFIX would take each other's jobs and drop them
 * as unknown posts. Each database has an installation id (made by its first migration); the
 * first process to start claims the prefix for it, and a process of another database refuses
 * to start.
 */
@Injectable()
export class PrefixClaim implements OnModuleInit {
  private readonly logger = new Logger(PrefixClaim.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const [row] = (await this.dataSource.query('SELECT id FROM installation LIMIT 1')) as { id: string }[];
    const claimed = await this.redis.set(CLAIM_KEY, row.id, 'NX');
    if (claimed === 'OK') {
      this.logger.log(`QUEUE_PREFIX ${this.config.queuePrefix} claimed for installation ${row.id}`);
      return;
    }
    const owner = await this.redis.get(CLAIM_KEY);
    if (owner !== null && owner !== row.id) {
      throw new Error(prefixTakenMessage(this.config.queuePrefix, owner));
    }
  }
}

@Module({ providers: [PrefixClaim] })
export class PrefixClaimModule {}
