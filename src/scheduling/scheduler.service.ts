import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IntervalLoop } from '../common/interval-loop';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ChannelType } from '../channels/channel-types';
import { REDIS } from '../redis/redis.module';
import { OPEN_POST_STATUSES_SQL } from './post.entity';
import { PostQueues } from './post-queues';

const LEADER_KEY = 'scheduler:leader';
const BATCH = 2000;
const MAX_BATCHES_PER_TICK = 25;
/** Every this many ticks, look for posts whose job Redis lost. */
const RECOVERY_EVERY_TICKS = 5;
/** A queued post this far past its time without a job has lost it. */
const RECOVERY_GRACE_MS = 5000;

/** Extends the lease only while this process still holds it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

interface DueRow {
  id: string;
  channelType: ChannelType;
  readyAt: Date;
}

/**
 * About once a second, one leader at a time: start runs whose time came, move posts due within the
 * horizon into their queues (job id = post id), re-enqueue posts whose job was lost, close
 * finished runs. It only enqueues; workers do the sending.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private readonly instance = randomUUID();
  private readonly loop: IntervalLoop;
  private ticks = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: PostQueues,
  ) {
    this.loop = new IntervalLoop(
      () => this.tick(),
      config.schedulerTickMs,
      (e) => this.logger.error(`scheduler tick failed: ${e.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.redis
      .eval(
        `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
        1,
        LEADER_KEY,
        this.instance,
      )
      .catch(() => 0);
  }

  async tick(): Promise<void> {
    if (!(await this.lead())) return;
    this.ticks++;
    await this.dataSource.query(`UPDATE runs SET status = 'running' WHERE status = 'scheduled' AND start_at <= NOW(3)`);
    await this.enqueueDue();
    if (this.ticks % RECOVERY_EVERY_TICKS === 0) {
      await this.recoverLostJobs();
      await this.completeRuns();
    }
  }

  private async lead(): Promise<boolean> {
    const leaseMs = String(Math.max(3000, this.config.schedulerTickMs * 3));
    if ((await this.redis.set(LEADER_KEY, this.instance, 'PX', leaseMs, 'NX')) === 'OK') return true;
    return Number(await this.redis.eval(RENEW, 1, LEADER_KEY, this.instance, leaseMs)) === 1;
  }

  private async enqueueDue(): Promise<void> {
    const horizon = new Date(Date.now() + this.config.schedulerHorizonMs);
    for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
      const due = (await this.dataSource.query(
        `SELECT p.id, p.channel_type AS channelType, COALESCE(p.not_before, p.due_at) AS readyAt
         FROM posts p JOIN runs r ON r.id = p.run_id
         WHERE p.status = 'scheduled' AND p.due_at <= ? AND r.status IN ('scheduled', 'running')
         ORDER BY p.due_at, p.step LIMIT ${BATCH}`,
        [horizon],
      )) as DueRow[];
      if (due.length === 0) return;
      // Queued first, then the jobs: a job never finds its post still "scheduled"; a crash in
      // between leaves queued posts without a job, which recovery finds.
      await this.dataSource.query(`UPDATE posts SET status = 'queued' WHERE status = 'scheduled' AND id IN (?)`, [
        due.map((p) => p.id),
      ]);
      await this.queues.enqueue(due);
      if (due.length < BATCH) return;
    }
  }

  private async recoverLostJobs(): Promise<void> {
    // A queued post of a run that was paused or cancelled follows its run: its job will not take it.
    await this.dataSource.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.status = r.status, p.claimed_at = NULL
       WHERE p.status = 'queued' AND r.status IN ('paused', 'cancelled')`,
    );
    // A worker died holding a post whose run was paused or cancelled since: the post follows its run.
    await this.dataSource.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.status = r.status, p.claimed_at = NULL
       WHERE p.status = 'sending' AND p.channel_type <> 'external' AND r.status IN ('paused', 'cancelled')
         AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND`,
      [this.config.claimLeaseMs * 1000],
    );
    const stale = (await this.dataSource.query(
      `SELECT id, channel_type AS channelType, status, COALESCE(not_before, due_at) AS readyAt FROM posts
       WHERE (status = 'queued' AND COALESCE(not_before, due_at) < NOW(3) - INTERVAL ? MICROSECOND)
          OR (status = 'sending' AND channel_type <> 'external' AND claimed_at < NOW(3) - INTERVAL ? MICROSECOND)
       ORDER BY due_at LIMIT 1000`,
      [RECOVERY_GRACE_MS * 1000, this.config.claimLeaseMs * 1000],
    )) as (DueRow & { status: string })[];
    if (stale.length === 0) return;
    const present = await Promise.all(stale.map((p) => this.queues.has(p)));
    const lost = stale.filter((_, i) => !present[i]);
    if (lost.length === 0) return;
    this.logger.warn(`re-enqueueing ${lost.length} post(s) whose job was lost`);
    await this.queues.enqueue(lost.map((p) => ({ ...p, readyAt: new Date() })));
  }

  private async completeRuns(): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs r SET status = 'completed', finished_at = NOW(3)
       WHERE r.status = 'running' AND NOT EXISTS (
         SELECT 1 FROM posts p WHERE p.run_id = r.id AND p.status IN (${OPEN_POST_STATUSES_SQL}))`,
    );
  }
}
