import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { bulkInsert } from '../../database/bulk-insert';
import { PostQueues, QueuedPost } from '../post-queues';
import { LIVE, S, STOPPED_RUN } from './post-sql';
import { NewPost } from './post-types';

const DUE_BATCH = 2000;
const MAX_DUE_BATCHES = 25;

/** New posts written and queued: a run's and an enrolment's, a routine's slots, what the tick finds due, and posts whose job was lost. */
@Injectable()
export class PostCreation {
  private readonly logger = new Logger(PostCreation.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: PostQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** New posts: scheduled, or skipped with a reason; those due before `queueBefore` are queued and returned for `enqueue`. */
  async create(manager: EntityManager, posts: NewPost[], queueBefore: Date): Promise<NewPost[]> {
    const queued = new Set(posts.filter((p) => !p.skipped && p.dueAt <= queueBefore));
    await this.insert(manager, posts, queued, false);
    return [...queued];
  }

  /**
   * A routine's slots, scheduled or skipped with the reason. A slot already written (a second
   * tick, a second leader) stays as it is: one post per routine, group and slot.
   */
  async createSlots(posts: NewPost[]): Promise<void> {
    await this.insert(this.dataSource.manager, posts, new Set(), true);
  }

  private async insert(manager: EntityManager, posts: NewPost[], queued: Set<NewPost>, slots: boolean) {
    const status = (p: NewPost) => (p.skipped ? S.Skipped : queued.has(p) ? S.Queued : S.Scheduled);
    const columns = ['id', 'run_id', 'routine_id', 'step', 'stage', 'group_id', 'channel_type', 'content_id'];
    await bulkInsert(
      manager,
      'posts',
      [...columns, 'revision', 'promotional', 'due_at', 'status', 'error'],
      posts.map((p) => [
        p.id,
        p.runId ?? null,
        p.routineId ?? null,
        p.step,
        p.stage,
        p.groupId,
        p.channelType,
        p.contentId,
        p.revision,
        p.promotional,
        p.dueAt,
        status(p),
        p.skipped?.reason ?? null,
      ]),
      { keepExisting: slots },
    );
    const moved = posts.filter((p) => p.moved);
    if (moved.length === 0) return;
    const now = new Date();
    await bulkInsert(
      manager,
      'post_deferrals',
      ['post_id', 'deferred_at', 'until', 'code', 'reason'],
      moved.map((p) => [p.id, now, p.dueAt, p.moved!.code, p.moved!.reason.slice(0, 300)]),
    );
  }

  /** Jobs for posts written as queued. If Redis fails here they stay queued without a job, and `recover` finds them. */
  async enqueue(queued: NewPost[]): Promise<void> {
    await this.queues.enqueue(queued.map((p) => ({ id: p.id, channelType: p.channelType, readyAt: p.dueAt })));
  }

  /** Scheduled posts of live runs due before `horizon` become queued, then get their jobs. */
  async queueDue(horizon: Date): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_DUE_BATCHES; batch++) {
      const due = (await this.dataSource.query(
        `SELECT p.id, p.channel_type AS channelType, COALESCE(p.not_before, p.due_at) AS readyAt
         FROM posts p LEFT JOIN runs r ON r.id = p.run_id
         WHERE p.status = '${S.Scheduled}' AND p.due_at <= ? AND ${LIVE}
         ORDER BY p.due_at, p.step LIMIT ${DUE_BATCH}`,
        [horizon],
      )) as QueuedPost[];
      if (due.length === 0) return total;
      // Queued first, then the jobs: a job never finds its post still scheduled; a crash in
      // between leaves queued posts without a job, which `recover` finds.
      await this.dataSource.query(
        `UPDATE posts SET status = '${S.Queued}' WHERE status = '${S.Scheduled}' AND id IN (?)`,
        [due.map((p) => p.id)],
      );
      await this.queues.enqueue(due);
      total += due.length;
      if (due.length < DUE_BATCH) return total;
    }
    return total;
  }

  /**
   * Queued posts of stopped runs follow their run; so do posts a dead worker held. Queued posts
   * long past their time and lapsed claims whose job Redis lost get a new job. Returns how many.
   */
  async recover(graceMs: number): Promise<number> {
    const leaseUs = this.config.claimLeaseMs * 1000;
    await this.dataSource.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.status = r.status, p.claimed_at = NULL
       WHERE r.status IN (${STOPPED_RUN}) AND (p.status = '${S.Queued}' OR (p.status = '${S.Sending}'
         AND p.channel_type <> 'external' AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND))`,
      [leaseUs],
    );
    const stale = (await this.dataSource.query(
      `SELECT id, channel_type AS channelType, COALESCE(not_before, due_at) AS readyAt FROM posts
       WHERE (status = '${S.Queued}' AND COALESCE(not_before, due_at) < NOW(3) - INTERVAL ? MICROSECOND)
          OR (status = '${S.Sending}' AND channel_type <> 'external' AND claimed_at < NOW(3) - INTERVAL ? MICROSECOND)
       ORDER BY due_at LIMIT 1000`,
      [graceMs * 1000, leaseUs],
    )) as QueuedPost[];
    if (stale.length === 0) return 0;
    const present = await Promise.all(stale.map((p) => this.queues.has(p)));
    const lost = stale.filter((_, i) => !present[i]);
    if (lost.length === 0) return 0;
    this.logger.warn(`re-enqueueing ${lost.length} post(s) whose job was lost`);
    await this.queues.enqueue(lost.map((p) => ({ ...p, readyAt: new Date() })));
    return lost.length;
  }
}
