import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Statement, inTransaction, together } from '../database/mysql';
import { ClickRecorder } from '../links/click-recorder.service';
import { Metrics } from '../observability/metrics';
import { PostPurge } from '../posts/lifecycle/post-purge.service';
import { FINISHED_POST_STATUSES } from '../posts/post-status';

const DAY_MS = 86_400_000;
/**
 * A batch should hold its rows about this long; the batch size follows how long the last one held
 * them, starting small, so that a cold cache or a burst of other writes stays well under 100 ms.
 */
const BATCH_TARGET_MS = 30;
const BATCH_FIRST = 50;
const BATCH_MIN = 10;
const BATCH_MAX = 1000;

export interface SweepResult {
  purged: number;
  batches: number;
  /**
   * The longest any batch held its rows locked, ms: from its start to its COMMIT. InnoDB releases
   * a transaction's locks before its commit waits for the log to reach the disk.
   */
  longestLockMs: number;
  /** The longest any batch took, that wait for the disk included, ms. */
  longestBatchMs: number;
}

/**
 * Purges finished posts older than RETENTION_DAYS, with their attempts, deferrals and clicks, in
 * small batches on the scheduler's leader. Each batch is one short transaction that first adds the
 * posts' counts to post_rollups (run statistics, funnels and a routine's memory read them beside
 * the live rows), so summaries come out the same before and after. Between batches it waits as
 * long as the batch took, leaving the tables to delivery at least half the time.
 */
@Injectable()
export class Retention implements OnApplicationShutdown {
  private readonly logger = new Logger(Retention.name);
  private batchSize = BATCH_FIRST;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lifecycle: PostPurge,
    private readonly clicks: ClickRecorder,
    private readonly metrics: Metrics,
  ) {}

  /** A sweep in hand stops between batches (the timed jobs wait for it). */
  onApplicationShutdown(): void {
    this.stopping = true;
  }

  /**
   * Purges what is past retention at `now`, while `goOn()` holds (the lease); resolves when
   * nothing is left. `now` is a parameter so that tests can let half a year pass.
   */
  async sweep(now: Date, goOn: () => boolean = () => true): Promise<SweepResult> {
    const result: SweepResult = { purged: 0, batches: 0, longestLockMs: 0, longestBatchMs: 0 };
    if (this.config.retentionDays === 0) return result;
    const before = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    for (const status of FINISHED_POST_STATUSES) {
      for (;;) {
        if (this.stopping || !goOn()) return this.report(result);
        // Read without locks, oldest first along (status, due_at); the batch locks what it takes.
        const rows = (await this.dataSource.query(
          'SELECT id FROM posts WHERE status = ? AND due_at < ? AND updated_at < ? ORDER BY due_at LIMIT ?',
          [status, before, before, this.batchSize],
        )) as { id: string }[];
        if (rows.length === 0) break;
        const started = performance.now();
        let locked = 0;
        const purged = await inTransaction(this.dataSource, async (manager) => {
          const count = await this.purgeBatch(
            manager,
            rows.map((r) => r.id),
            before,
          );
          locked = performance.now() - started;
          return count;
        });
        const ms = performance.now() - started;
        this.metrics.retentionBatch.observe(locked / 1000);
        this.metrics.retentionPurged.inc(purged);
        result.purged += purged;
        result.batches += 1;
        result.longestLockMs = Math.max(result.longestLockMs, Math.round(locked));
        result.longestBatchMs = Math.max(result.longestBatchMs, Math.round(ms));
        this.batchSize =
          locked > BATCH_TARGET_MS
            ? Math.max(BATCH_MIN, Math.floor(this.batchSize / 2))
            : locked < BATCH_TARGET_MS / 2
              ? Math.min(BATCH_MAX, Math.ceil(this.batchSize * 1.25))
              : this.batchSize;
        if (purged === 0) break; // all of them were touched meanwhile; the next sweep looks again
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
    return this.report(result);
  }

  /** Locks what is still purgeable of the candidates, then rolls it up and deletes it in one round trip. */
  private async purgeBatch(manager: EntityManager, candidates: string[], before: Date): Promise<number> {
    const ids = await this.lifecycle.lockPurgeable(manager, candidates, before);
    if (ids.length === 0) return 0;
    const { sql, params } = together([
      rollup(ids),
      this.clicks.purgeStatement(ids),
      ...this.lifecycle.purgeStatements(ids),
    ]);
    await manager.query(sql, params);
    return ids.length;
  }

  private report(result: SweepResult): SweepResult {
    if (result.purged > 0) {
      this.logger.log(
        result,
        `purged ${result.purged} posts older than ${this.config.retentionDays} days in ${result.batches} batches (rows locked ${result.longestLockMs} ms at most, longest batch ${result.longestBatchMs} ms)`,
      );
    }
    return result;
  }
}

/**
 * Adds the posts' counts to post_rollups. Unique clicks count people per post, so they add up
 * across posts and across purges.
 */
function rollup(ids: string[]): Statement {
  return {
    sql: `INSERT INTO post_rollups (rollup_key, run_id, routine_id, content_id, group_id, stage, step, status,
         post_count, last_at, clicks, previews, unique_clicks)
       SELECT UNHEX(SHA1(CONCAT_WS('|', COALESCE(p.run_id, ''), COALESCE(p.routine_id, ''), COALESCE(p.content_id, ''),
           p.group_id, p.stage, p.step, p.status))),
         p.run_id, p.routine_id, p.content_id, p.group_id, p.stage, p.step, p.status,
         COUNT(*), MAX(COALESCE(p.sent_at, p.due_at)),
         COALESCE(SUM(c.clicks), 0), COALESCE(SUM(c.previews), 0), COALESCE(SUM(c.people), 0)
       FROM posts p
       LEFT JOIN (
         SELECT post_id, SUM(preview = 0) AS clicks, SUM(preview) AS previews,
           COUNT(DISTINCT IF(preview = 0, visitor, NULL)) AS people
         FROM clicks WHERE post_id IN (?) GROUP BY post_id
       ) c ON c.post_id = p.id
       WHERE p.id IN (?)
       GROUP BY p.run_id, p.routine_id, p.content_id, p.group_id, p.stage, p.step, p.status
       ON DUPLICATE KEY UPDATE post_count = post_count + VALUES(post_count), last_at = GREATEST(last_at, VALUES(last_at)),
         clicks = clicks + VALUES(clicks), previews = previews + VALUES(previews),
         unique_clicks = unique_clicks + VALUES(unique_clicks)`,
    params: [ids, ids],
  };
}
