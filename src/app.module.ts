import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisClient } from './redis/redis-client';
import { ApiKeyThrottlerGuard } from './auth/api-key-throttler.guard';
import { ApiKeyGuard } from './auth/api-key.guard';
import { SharedThrottlerStorage } from './auth/shared-throttler-storage';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { PrefixClaimModule } from './system/prefix-claim';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ContentModule } from './content/content.module';
import { PolicyModule } from './policy/policy.module';
import { PostsModule } from './posts/posts.module';
import { RoutinesModule } from './routines/routines.module';
import { ReportsModule } from './reports/reports.module';
import { LinksModule } from './links/links.module';
import { WelcomesModule } from './welcomes/welcomes.module';
import { WorkerModule } from './worker/worker.module';
import { DatabaseModule } from './database/database.module';
import { GroupsModule } from './groups/groups.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { ObservabilityModule } from './observability/observability.module';
import { QueuesModule } from './queues/queues.module';
import { REDIS, RedisModule } from './redis/redis.module';
import { TemplatesModule } from './templates/templates.module';

@Module({
  imports: [
    AuthModule,
    ContentModule,
    GroupsModule,
    CampaignsModule,
    PostsModule,
    PolicyModule,
    RoutinesModule,
    ReportsModule,
    LinksModule,
    WelcomesModule,
    HealthModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: RedisClient) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.apiRateLimitPerMinute }],
        errorMessage: 'rate limit exceeded; retry after the time in Retry-After',
        // Counted in Redis: a key's budget is the same however many api processes serve it.
        storage: new SharedThrottlerStorage(redis),
      }),
    }),
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
})
export class ApiModule {}

/** One codebase, three roles: the role decides which halves are loaded. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        PrefixClaimModule,
        QueuesModule,
        ObservabilityModule,
        TemplatesModule,
        ...(config.role === 'worker' ? [] : [ApiModule]),
        ...(config.role === 'api' ? [] : [WorkerModule]),
      ],
    };
  }
}
