import { randomUUID } from 'node:crypto';
import { OwnMariadb } from '../test/support/own-servers';
import { ADMIN_KEY } from '../test/support/test-env';
import { Figure, LoadResult, load, report } from './report';
import { Stack, round } from './support/stack';

const GROUPS = 10_000;
const STEPS = 5;
const TARGET_ROWS = 5_000_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * The read routes an operator's screens poll, on a posts table of 50,000 rows and again once the
 * bench has grown it to 5,000,000 (the other posts copied from the first run into past weeks, as a
 * long-lived installation's history): the list of a run's posts and a week of the calendar. On a
 * MariaDB of the bench's own with a 2 GB buffer pool, as a server for a table this size would
 * have (the shared one keeps its 128 MB, and is not the bench's to change).
 */
export async function scale(): Promise<Figure[]> {
  const mariadb = await new OwnMariadb({ bufferPool: '2G' }).start();
  const stack = await Stack.start({
    workers: 0,
    env: { API_RATE_LIMIT_PER_MINUTE: '100000000', DATABASE_URL: `${mariadb.url}/gc_bench_scale` },
  }).catch(async (error: unknown) => {
    await mariadb.stop();
    throw error;
  });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/g/${i}` },
      tags: ['scale'],
    }));
    const startAt = new Date(Date.now() + 30 * 86_400_000);
    const runId = await stack.launch(
      await stack.campaign(Array.from({ length: STEPS }, (_, i) => ({ day: i, at: '08:00' }))),
      { tags: ['scale'] },
      startAt,
    );
    const week = `from=${new Date(startAt.getTime() - 86_400_000).toISOString()}&to=${new Date(startAt.getTime() + 6 * 86_400_000).toISOString()}`;
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const measure = async (rows: number): Promise<LoadResult[]> => [
      await load(`GET /v1/posts?runId=… at ${rows.toLocaleString('en')} rows`, {
        url: `${stack.base}/v1/posts?runId=${runId}`,
        headers,
      }),
      await load(`GET /v1/calendar?tag=… at ${rows.toLocaleString('en')} rows`, {
        url: `${stack.base}/v1/calendar?tag=scale&${week}`,
        headers,
      }),
    ];
    const small = await measure(await stack.count('SELECT COUNT(*) FROM posts'));

    // Grow the table with copies of the run's posts, one past week per copy, under other run ids.
    const grown = performance.now();
    const columns = 'step, stage, group_id, channel_type, content_id, revision, promotional, status';
    for (let copy = 1; (await stack.count('SELECT COUNT(*) FROM posts')) < TARGET_ROWS; copy++) {
      await stack.mysql.query(
        `INSERT INTO posts (id, run_id, due_at, ${columns})
         SELECT UUID(), ?, due_at - INTERVAL ? SECOND, ${columns} FROM posts WHERE run_id = ?`,
        [randomUUID(), (copy * WEEK_MS) / 1000 + 60 * 86_400, runId],
      );
    }
    const rows = await stack.count('SELECT COUNT(*) FROM posts');
    console.log(`grew posts to ${rows} rows in ${Math.round((performance.now() - grown) / 1000)} s`);
    const large = await measure(rows);

    const figures: Figure[] = large.map((r, i) => ({
      benchmark: 'scale',
      figure: r.name.replace(/ at .*/, ` at ${rows.toLocaleString('en')} rows: p99`),
      value: r.p99Ms,
      unit: `ms (${r.requestsPerSecond} req/s)`,
      baseline: small[i].p99Ms,
      ratio: round(r.p99Ms / small[i].p99Ms, 2),
      target: '≤ 1.5× the p99 at 50,000 rows',
      met: r.p99Ms <= 1.5 * small[i].p99Ms && r.non2xx === 0 && r.errors === 0,
    }));
    return report(
      'scale',
      [...small, ...large].map((r) => ({
        route: r.name,
        'req/s': r.requestsPerSecond,
        'p50 ms': r.p50Ms,
        'p99 ms': r.p99Ms,
        'non-2xx': r.non2xx,
      })),
      figures,
    );
  } finally {
    await stack.stop();
    await mariadb.stop();
  }
}
