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
 * attempt, every other one with a click) and 20,000 live ones: the purge's longest batch (the
 * longest any of its transactions held rows locked), and what a writer updating live posts the
 * whole time saw, against the same writer with no purge running.
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

    /** Updates live posts one after another until `until` resolves; each update's time, ms. */
    const writer = async (until: Promise<unknown>) => {
      const times: number[] = [];
      let done = false;
      void until.then(() => (done = true));
      for (let i = 0; !done; i++) {
        const started = performance.now();
        await ctx.db.query('UPDATE posts SET not_before = NOW(3), attempts = attempts + 1 WHERE id = ?', [
          hot[(i * 7919) % hot.length],
        ]);
        times.push(performance.now() - started);
      }
      return times;
    };

    const idle = await writer(new Promise((resolve) => setTimeout(resolve, LOAD_MS)));
    const purge = retentionFor(ctx);
    const purgeStarted = performance.now();
    const sweeping = purge.sweep(new Date());
    const during = await writer(sweeping);
    const result = await sweeping;
    const buckets = (await ctx.get(Metrics).retentionBatch.get()).values
      .filter((v) => v.metricName?.endsWith('_bucket'))
      .map((v) => `≤${v.labels.le}s: ${v.value}`)
      .join(', ');
    console.log(`purge batches by duration (cumulative): ${buckets}`);
    const purgeMs = performance.now() - purgeStarted;
    const left = Number(
      ((await ctx.db.query('SELECT COUNT(*) AS n FROM posts WHERE run_id = ?', [runId])) as { n: string }[])[0].n,
    );
    const summary = (times: number[]) => ({
      updates: times.length,
      'p50 ms': round(percentile(times, 50), 1),
      'p99 ms': round(percentile(times, 99), 1),
      'max ms': round(percentile(times, 100), 1),
    });
    const rows = [
      { writer: 'no purge running', ...summary(idle) },
      { writer: 'while the purge runs', ...summary(during) },
    ];
    return report(
      'retention',
      rows,
      [
        {
          benchmark: 'retention',
          figure: `purge ${OLD_POSTS.toLocaleString('en')} posts past retention (with attempts and clicks): longest batch`,
          value: result.longestBatchMs,
          unit: `ms (${result.batches} batches, ${Math.round(result.purged / (purgeMs / 1000))} posts/s, ${left === HOT_POSTS ? 'live posts all kept' : `${left} left`})`,
          target: `≤ ${TARGET_MS} ms`,
          met: result.longestBatchMs <= TARGET_MS && result.purged === OLD_POSTS && left === HOT_POSTS,
        },
        {
          benchmark: 'retention',
          figure: 'a writer updating live posts meanwhile: p99',
          value: round(percentile(during, 99), 1),
          unit: 'ms',
          baseline: round(percentile(idle, 99), 1),
          ratio: round(percentile(during, 99) / percentile(idle, 99), 2),
          target: `max ≤ ${TARGET_MS} ms`,
          met: percentile(during, 100) <= TARGET_MS,
        },
      ],
      { result, purgeMs },
    );
  } finally {
    await ctx.close();
  }
}
