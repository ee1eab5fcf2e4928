import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RedisClient } from '../redis/redis-client';
import { REDIS } from '../redis/redis.module';
import { HEARTBEAT_KEY, Heartbeat } from '../system/heartbeat';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    try {
      const started = Date.now();
      await this.redis.ping();
      const raw = await this.redis.get(HEARTBEAT_KEY);
      const beat = raw ? (JSON.parse(raw) as Heartbeat) : undefined;
      return session.up({ latencyMs: Date.now() - started, lastWorkerHeartbeat: beat?.at ?? null });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
