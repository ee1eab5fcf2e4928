import { randomUUID } from 'node:crypto';
import { Metrics } from '../src/observability/metrics';
import { bulkInsert } from '../src/database/bulk-insert';
import { createMediumContext } from '../test/support/medium-context';
import { retentionFor } from '../test/support/medium-seed';
import { Figure, report } from './report';
import { percentile, round } from './support/stack';

const OLD_POSTS = 200_000;
const HOT_POSTS = 20_000;
const GROUPS = 2_000;
const DAY_MS = 86_400_000;
const TARGET_MS = 100;
const LOAD_MS = 10_000;

/**
 * Retention against a posts table holding 200,000 finished posts past RETENTION_DAYS (each with an
 * attempt, every other one with a click) and 20,000 live ones: the longest any purge batch held
 * rows locked (to its COMMIT: InnoDB releases a transaction's locks before the commit waits for
 * the log to reach the disk, which every commit on the server waits for, purge or not), and what
 * a writer updating live posts the whole time saw, against the same writer with no purge running.
 */
export async function retention(): Promise<Figure[]> {
  const ctx = await createMediumContext({ LOG_LEVEL: 'silent' });
  try {
    const runId = randomUUID();
    const groups = Array.from({ length: GROUPS }, () => randomUUID());
    const old = new Date(Date.now() - 200 * DAY_MS);
    const post = (i: number, status: string, dueAt: Date) => [
      randomUUID(),
      runId,
      i % 5,
      'educate',
      groups[i % GROUPS],
      'webhook',
      null,
      null,
      0,
      dueAt,
      status,
      dueAt,
    ];
    const columns = [
      'id',
      'run_id',
      'step',
      'stage',
      'group_id',
      'channel_type',
      'content_id',
      'revision',
      'promotional',
      'due_at',
      'status',
      'updated_at',
    ];
    const seeded = performance.now();
    const oldRows = Array.from({ length: OLD_POSTS }, (_, i) => post(i, 'sent', old));
    const hotRows = Array.from({ length: HOT_POSTS }, (_, i) => post(i, 'queued', new Date()));
    await ctx.db.transaction(async (manager) => {
      await bulkInsert(manager, 'posts', columns, [...oldRows, ...hotRows]);
      await bulkInsert(
        manager,
        'post_attempts',
        ['post_id', 'attempted_at', 'latency_ms', 'outcome'],
        oldRows.map((r) => [r[0], old, 40, 'ok']),
      );
      await bulkInsert(
        manager,
        'clicks',
        ['post_id', 'link_index', 'clicked_at', 'visitor', 'preview'],
        oldRows.filter((_, i) => i % 2 === 0).map((r, i) => [r[0], 0, old, String(i % 97).padEnd(32, '0'), 0]),
      );
    });
    console.log(`seeded ${OLD_POSTS + HOT_POSTS} posts in ${Math.round(performance.now() - seeded)} ms`);
    const hot = hotRows.map((r) => r[0] as string);

    /**
     * Updates live posts one after another, each in a transaction of its own, until `until`
     * resolves: how long each UPDATE took (a wait for a lock the purge holds would be in it) and
     * each COMMIT (its wait for the log to reach the disk), ms.
     */
    const writer = async (until: Promise<unknown>) => {
      const updates: number[] = [];
      const commits: number[] = [];
      let done = false;
      void until.then(() => (done = true));
      const runner = ctx.db.createQueryRunner();
      try {
        for (let i = 0; !done; i++) {
          await runner.query('START TRANSACTION');
          const started = performance.now();
          await runner.query('UPDATE posts SET not_before = NOW(3), attempts = attempts + 1 WHERE id = ?', [
            hot[(i * 7919) % hot.length],
          ]);
          const updated = performance.now();
          await runner.query('COMMIT');
          updates.push(updated - started);
          commits.push(performance.now() - updated);
        }
      } finally {
        await runner.release();
      }
      return { updates, commits };
    };

    const idle = await writer(new Promise((resolve) => setTimeout(resolve, LOAD_MS)));
    /** The server's count of row lock waits and their time (ms) since it started: read-only. */
    const lockWaits = async () => {
      const rows = (await ctx.db.query(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_row_lock_waits', 'Innodb_row_lock_time')",
      )) as { Variable_name: string; Value: string }[];
      const value = (name: string) => Number(rows.find((r) => r.Variable_name === name)?.Value ?? NaN);
      return { waits: value('Innodb_row_lock_waits'), ms: value('Innodb_row_lock_time') };
    };
    const waitsBefore = await lockWaits();
    const purge = retentionFor(ctx);
    const purgeStarted = performance.now();
    const sweeping = purge.sweep(new Date());
    const during = await writer(sweeping);
    const result = await sweeping;
    const waitsAfter = await lockWaits();
    const waited = { waits: waitsAfter.waits - waitsBefore.waits, ms: waitsAfter.ms - waitsBefore.ms };
    const buckets = (await ctx.get(Metrics).retentionBatch.get()).values
      .filter((v) => v.metricName?.endsWith('_bucket'))
      .map((v) => `≤${v.labels.le}s: ${v.value}`)
      .join(', ');
    console.log(`purge batches by duration (cumulative): ${buckets}`);
    const purgeMs = performance.now() - purgeStarted;
    const left = Number(
      ((await ctx.db.query('SELECT COUNT(*) AS n FROM posts WHERE run_id = ?', [runId])) as { n: string }[])[0].n,
    );
    const summary = ({ updates, commits }: { updates: number[]; commits: number[] }) => ({
      updates: updates.length,
      'update p50 ms': round(percentile(updates, 50), 1),
      'update p99 ms': round(percentile(updates, 99), 1),
      'update max ms': round(percentile(updates, 100), 1),
      'commit p99 ms': round(percentile(commits, 99), 1),
      'commit max ms': round(percentile(commits, 100), 1),
    });
    const rows = [
      { writer: 'no purge running', ...summary(idle) },
      { writer: 'while the purge runs', ...summary(during) },
    ];
    const longestUpdate = percentile(during.updates, 100);
    return report(
      'retention',
      rows,
      [
        {
          benchmark: 'retention',
          figure: `purge ${OLD_POSTS.toLocaleString('en')} posts past retention (with attempts and clicks): longest a batch held rows locked`,
          value: result.longestLockMs,
          unit: `ms (longest batch ${result.longestBatchMs} ms with its commit's wait for the disk; ${result.batches} batches, ${Math.round(result.purged / (purgeMs / 1000))} posts/s, ${left === HOT_POSTS ? 'live posts all kept' : `${left} left`})`,
          target: `≤ ${TARGET_MS} ms`,
          met: result.longestLockMs <= TARGET_MS && result.purged === OLD_POSTS && left === HOT_POSTS,
        },
        {
          benchmark: 'retention',
          figure: 'a writer updating live posts meanwhile: longest UPDATE',
          value: round(longestUpdate, 1),
          unit: `ms (p99 ${round(percentile(during.updates, 99), 1)}; its commits waited up to ${round(percentile(during.commits, 100), 1)} ms for the disk, ${round(percentile(idle.commits, 100), 1)} with no purge running)`,
          baseline: round(percentile(idle.updates, 100), 1),
          ratio: round(longestUpdate / percentile(idle.updates, 100), 2),
          target: `≤ ${TARGET_MS} ms`,
          met: longestUpdate <= TARGET_MS,
        },
        {
          benchmark: 'retention',
          figure: 'row lock waits on the server while the purge ran',
          value: waited.waits,
          unit: `waits (${waited.ms} ms in all; anything else on the server counts too)`,
          target: `≤ ${TARGET_MS} ms in all`,
          met: waited.ms <= TARGET_MS,
        },
      ],
      { result, purgeMs },
    );
  } finally {
    await ctx.close();
  }
}
