import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { ConnectionOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { queuePrefix } from '../redis/redis-client';
import { BULL_CONNECTION } from '../redis/redis.module';
import { ALL_QUEUES } from './queue-names';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG, BULL_CONNECTION],
      useFactory: (config: AppConfig, connection: ConnectionOptions) => ({
        prefix: config.queuePrefix,
        connection,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
    BullModule.registerQueueAsync(
      ...ALL_QUEUES.map((name) => ({
        name,
        inject: [APP_CONFIG],
        useFactory: (config: AppConfig) => ({ prefix: queuePrefix(config, name) }),
      })),
    ),
  ],
  exports: [BullModule],
})
export class QueuesModule {}
