import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { DomainError } from '../common/domain-error';
import { jsonChunks } from '../common/streamed-json';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisClient } from '../redis/redis-client';
import { REDIS } from '../redis/redis.module';
import { LaunchRunDto, PlanDto, PlanJobDto, PlanPageQuery } from './dto/campaign.dto';
import { PlanInput, PlanPreview } from './plan-preview.service';

/** A job as kept: who asked (their key's places), and whether its plan is stored apart, gzipped. */
type KeptJob = PlanJobDto & { owner?: string; stored?: boolean };

/** How long a plan made as a job can be fetched. */
const KEPT_MS = 3600_000;

/** Takes a place among a key's kept plans if one is free: 0, or how long until the next frees up. */
const TAKE_PLACE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  return math.max(1, oldest - now)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 0
`;

/**
 * Plans of more posts than PLAN_SYNC_MAX_POSTS are made after the request answers 202 and kept,
 * gzipped, in Redis for an hour for `GET /v1/plans/:id`, a few per API key; smaller ones answer at
 * once. No plan covers more posts than PLAN_MAX_POSTS: a larger audience is planned a page of
 * groups at a time.
 */
@Injectable()
export class PlanJobs implements OnModuleDestroy {
  private readonly logger = new Logger(PlanJobs.name);
  /** Plans being made now: a stopping process finishes them before its Redis closes. */
  private readonly making = new Set<Promise<void>>();

  constructor(
    private readonly preview: PlanPreview,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(
    campaignId: string,
    dto: LaunchRunDto,
    paging: PlanPageQuery,
    keyId: string,
  ): Promise<{ plan: PlanDto } | { job: PlanJobDto }> {
    const now = new Date();
    const input = this.page(await this.preview.prepare(campaignId, dto), paging);
    const page = { page: paging.page, pageSize: paging.pageSize ?? null, totalGroups: input.total };
    if (input.groups.length * input.steps.length <= this.config.planSyncMaxPosts) {
      return { plan: { ...page, ...(await this.preview.compute(input, dto, now)) } };
    }
    const job: PlanJobDto = { id: randomUUID(), status: 'pending' };
    const wait = Number(
      await this.redis.eval(TAKE_PLACE, 1, quotaKey(keyId), Date.now(), this.config.planJobsPerKey, KEPT_MS, job.id),
    );
    if (wait > 0) {
      throw DomainError.tooMany(
        `this key already has ${this.config.planJobsPerKey} plans kept (each for an hour): fetch them from GET /v1/plans/:id and drop them with DELETE /v1/plans/:id, or wait`,
        wait,
      );
    }
    await this.keep({ ...job, owner: keyId });
    const making = this.preview
      .compute(input, dto, now)
      .then((plan) => this.store({ ...job, owner: keyId }, { ...page, ...plan }))
      .catch((error: Error) => {
        this.logger.error(`plan ${job.id}: ${error.message}`);
        return this.keep({ ...job, owner: keyId, status: 'failed', error: error.message });
      })
      .catch((error: Error) => this.logger.error(`plan ${job.id} could not be kept: ${error.message}`))
      .finally(() => this.making.delete(making));
    this.making.add(making);
    return { job };
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.making);
  }

  /** The job as JSON text, its plan streamed from the gzipped copy. */
  async get(id: string): Promise<{ status: PlanJobDto['status']; body: Readable }> {
    const job = await this.kept(id);
    const { stored, owner: _, ...shown } = job;
    if (!stored) return { status: job.status, body: Readable.from([JSON.stringify(shown)]) };
    const body = await this.redis.getBuffer(bodyKey(id));
    if (!body) throw DomainError.notFound('plan', id);
    const head = JSON.stringify(shown).slice(0, -1);
    const plan = Readable.from([body]).pipe(createGunzip());
    return {
      status: job.status,
      body: Readable.from(
        (async function* () {
          yield `${head},"plan":`;
          for await (const part of plan) yield part as Buffer;
          yield '}';
        })(),
      ),
    };
  }

  /** Drops a kept plan, freeing its place among its key's. */
  async remove(id: string): Promise<void> {
    const job = await this.kept(id);
    await this.redis.del(key(id));
    await this.redis.del(bodyKey(id));
    if (job.owner) await this.redis.zrem(quotaKey(job.owner), id);
  }

  private async kept(id: string): Promise<KeptJob> {
    const kept = await this.redis.get(key(id));
    if (!kept) throw DomainError.notFound('plan', id);
    return JSON.parse(kept) as KeptJob;
  }

  /** The page of groups asked for, in id order; the whole audience when it fits in one plan. */
  private page(input: PlanInput, paging: PlanPageQuery): PlanInput & { total: number } {
    const total = input.groups.length;
    const steps = Math.max(1, input.steps.length);
    const max = this.config.planMaxPosts;
    if (paging.pageSize === undefined) {
      if (total * steps > max) {
        const fits = Math.max(1, Math.floor(max / steps));
        throw DomainError.invalid([
          {
            field: 'audience',
            message: `would plan ${total * steps} posts (${total} groups × ${steps} steps), more than the ${max} one plan may hold: plan a page of groups at a time (?pageSize=${fits}&page=1, then page=2…)`,
          },
        ]);
      }
      return { ...input, total };
    }
    if (paging.pageSize * steps > max) {
      throw DomainError.invalid([
        {
          field: 'pageSize',
          message: `${paging.pageSize} groups × ${steps} steps is more than the ${max} posts one plan may hold: at most ${Math.max(1, Math.floor(max / steps))}`,
        },
      ]);
    }
    const sorted = [...input.groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const start = (paging.page - 1) * paging.pageSize;
    return { ...input, groups: sorted.slice(start, start + paging.pageSize), total };
  }

  private async store(job: KeptJob, plan: PlanDto): Promise<void> {
    const { entries, ...head } = plan;
    const parts: Buffer[] = [];
    const gzip = createGzip();
    gzip.on('data', (part: Buffer) => parts.push(part));
    await pipeline(Readable.from(jsonChunks(head, 'entries', entries)), gzip);
    await this.redis.set(bodyKey(job.id), Buffer.concat(parts), 'PX', KEPT_MS);
    await this.keep({ ...job, status: 'done', stored: true });
  }

  private async keep(job: KeptJob): Promise<void> {
    await this.redis.set(key(job.id), JSON.stringify(job), 'PX', KEPT_MS);
  }
}

const key = (id: string) => `plan:${id}`;
const bodyKey = (id: string) => `plan:${id}:body`;
const quotaKey = (keyId: string) => `plans-of:${keyId}`;
