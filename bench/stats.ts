import { ADMIN_KEY } from '../test/support/test-env';
import { Figure, report } from './report';
import { Stack, percentile, round } from './support/stack';

const GROUPS = 20_000;
const STEPS = 5;
const REQUESTS = 30;
const TARGET_MS = 200;

/**
 * GET /v1/runs/:id/stats on a run of 100,000 posts, one request at a time; the baseline is the
 * same two aggregates sent one after the other straight to MySQL with mysql2 in the same run.
 */
export async function stats(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 0, env: { API_RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/s/${i}` },
      tags: ['stats'],
    }));
    const timings = Array.from({ length: STEPS }, (_, i) => ({ day: i + 1, at: '08:00' }));
    const runId = await stack.launch(
      await stack.campaign(timings),
      { tags: ['stats'] },
      new Date(Date.now() + 30 * 86_400_000),
    );
    const api: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      let started = performance.now();
      const response = await fetch(`${stack.base}/v1/runs/${runId}/stats`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      const body = (await response.json()) as { groups: unknown[] };
      if (!response.ok || body.groups.length !== GROUPS)
        throw new Error(`stats answered ${response.status} with ${body.groups?.length} groups`);
      api.push(performance.now() - started);
      started = performance.now();
      await stack.mysql.query(
        'SELECT status, stage, COUNT(*) AS n FROM posts WHERE run_id = ? GROUP BY status, stage',
        [runId],
      );
      await stack.mysql.query(
        `SELECT group_id AS groupId, SUM(status = 'sent') AS sent, SUM(status IN ('scheduled', 'queued', 'sending', 'paused')) AS open,
                MAX(IF(status = 'sent', step, NULL)) AS lastSentStep FROM posts WHERE run_id = ? GROUP BY group_id ORDER BY group_id`,
        [runId],
      );
      raw.push(performance.now() - started);
    }
    const p50 = round(percentile(api, 50), 1);
    const p99 = round(percentile(api, 99), 1);
    const baseline = round(percentile(raw, 50), 1);
    return report(
      'stats',
      [
        {
          what: `GET /v1/runs/:id/stats (${GROUPS * STEPS} posts)`,
          'p50 ms': p50,
          'p99 ms': p99,
          'max ms': round(Math.max(...api), 1),
        },
        {
          what: 'the same aggregate through mysql2 (baseline)',
          'p50 ms': baseline,
          'p99 ms': round(percentile(raw, 99), 1),
          'max ms': round(Math.max(...raw), 1),
        },
      ],
      [
        {
          benchmark: 'stats',
          figure: `run stats at ${GROUPS * STEPS} posts, p99`,
          value: p99,
          unit: 'ms',
          baseline,
          ratio: round(p50 / baseline, 2),
          target: `< ${TARGET_MS} ms`,
          met: p99 < TARGET_MS,
        },
      ],
    );
  } finally {
    await stack.stop();
  }
}
