import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { CampaignsModule } from '../../src/campaigns/campaigns.module';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { DeliveryModule } from '../../src/delivery/delivery.module';
import { GroupsModule } from '../../src/groups/groups.module';
import { LinksModule } from '../../src/links/links.module';
import { LoggingModule } from '../../src/logging/logging.module';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { PostsModule } from '../../src/posts/posts.module';
import { ReportsModule } from '../../src/reports/reports.module';
import { QueuesModule } from '../../src/queues/queues.module';
import { RedisModule } from '../../src/redis/redis.module';
import { RoutinesModule } from '../../src/routines/routines.module';
import { TemplatesModule } from '../../src/templates/templates.module';
import { deleteRedisPrefix, dropDatabase, removeMediaCache } from './cleanup';
import { isolatedEnv } from './test-env';

export interface MediumContext {
  app: INestApplicationContext;
  config: AppConfig;
  db: DataSource;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * The services that own posts, runs and groups against the real MariaDB and Redis, on a database
 * and key prefix of their own, with no HTTP server, no worker and no tick: a test drives them.
 */
export async function createMediumContext(env: Record<string, string> = {}): Promise<MediumContext> {
  const config = loadConfig(isolatedEnv(env));
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      EventEmitterModule.forRoot(),
      LoggingModule,
      DatabaseModule,
      RedisModule,
      QueuesModule,
      ObservabilityModule,
      TemplatesModule,
      GroupsModule,
      PostsModule,
      CampaignsModule,
      RoutinesModule,
      LinksModule,
      ReportsModule,
      DeliveryModule,
    ],
  })
  class MediumModule {}
  const app = await NestFactory.createApplicationContext(MediumModule, { logger: false, abortOnError: false });
  await app.init();
  return {
    app,
    config,
    db: app.get(DataSource),
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      await dropDatabase(config.databaseUrl);
      await deleteRedisPrefix(config.queuePrefix, config);
      await removeMediaCache(config.mediaCacheDir);
    },
  };
}
