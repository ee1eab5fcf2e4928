import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis.module';
import { LaunchRunDto, PlanDto, PlanJobDto } from './dto/campaign.dto';
import { PlanPreview } from './plan-preview.service';

/** How long a plan made as a job can be fetched. */
const KEPT_MS = 3600_000;

/**
 * Plans of more posts than PLAN_SYNC_MAX_POSTS are made after the request answers 202, and kept
 * in Redis for an hour for `GET /v1/plans/:id`; smaller ones answer at once.
 */
@Injectable()
export class PlanJobs {
  private readonly logger = new Logger(PlanJobs.name);

  constructor(
    private readonly preview: PlanPreview,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(campaignId: string, dto: LaunchRunDto): Promise<{ plan: PlanDto } | { job: PlanJobDto }> {
    const now = new Date();
    const input = await this.preview.prepare(campaignId, dto);
    if (input.groups.length * input.steps.length <= this.config.planSyncMaxPosts) {
      return { plan: await this.preview.compute(input, dto, now) };
    }
    const job: PlanJobDto = { id: randomUUID(), status: 'pending' };
    await this.keep(job);
    void this.preview.compute(input, dto, now).then(
      (plan) => this.keep({ ...job, status: 'done', plan }),
      (error: Error) => {
        this.logger.error(`plan ${job.id}: ${error.message}`);
        return this.keep({ ...job, status: 'failed', error: error.message });
      },
    );
    return { job };
  }

  async get(id: string): Promise<PlanJobDto> {
    const kept = await this.redis.get(key(id));
    if (!kept) throw DomainError.notFound('plan', id);
    return JSON.parse(kept) as PlanJobDto;
  }

  private async keep(job: PlanJobDto): Promise<void> {
    await this.redis.set(key(job.id), JSON.stringify(job), 'PX', KEPT_MS);
  }
}

const key = (id: string) => `plan:${id}`;
