import { exampleFields } from '../test/support/factories';
import { ADMIN_KEY } from '../test/support/test-env';
import { Figure, LoadResult, load, loadRows, report } from './report';
import { Stack, round } from './support/stack';

const POSTS_IN_RUN = 10_000;

/**
 * autocannon, 50 connections, 10 s a route, against the api process; the baseline is a bare Nest
 * route in the same process (/health/live: routing only, no auth, no I/O).
 */
export async function api(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 0, env: { API_RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, POSTS_IN_RUN, (i) => ({
      address: { url: `https://hooks.example.com/g/${i}` },
      tags: ['api'],
    }));
    const startAt = new Date(Date.now() + 365 * 86_400_000);
    const runId = await stack.launch(await stack.campaign([{ day: 1, at: '08:00' }]), { tags: ['api'] }, startAt);
    const week = {
      from: new Date(startAt.getTime() - 86_400_000).toISOString(),
      to: new Date(startAt.getTime() + 6 * 86_400_000).toISOString(),
    };
    const piece = await stack.call<{ id: string }>('POST', '/v1/content', {
      kind: 'morning_brief',
      title: '早报',
      fields: exampleFields('morning_brief'),
    });
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };

    const baseline = await load('GET /health/live (bare route)', { url: `${stack.base}/health/live` });
    const routes: LoadResult[] = [
      await load(`GET /v1/posts?runId=… (${POSTS_IN_RUN} in the run)`, {
        url: `${stack.base}/v1/posts?runId=${runId}`,
        headers,
      }),
      await load('GET /v1/calendar?tag=… (50 groups, a week)', {
        url: `${stack.base}/v1/calendar?tag=api&from=${week.from}&to=${week.to}`,
        headers,
      }),
      await load('POST /v1/content', {
        url: `${stack.base}/v1/content`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          kind: 'morning_brief',
          title: '早报',
          fields: exampleFields('morning_brief'),
          tags: ['bench'],
        }),
      }),
      await load('POST /v1/content/:id/preview', {
        url: `${stack.base}/v1/content/${piece.id}/preview`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          format: 'markdown',
          group: { name: '杭州宝妈群', timezone: 'Asia/Shanghai', vars: { persona: '小当家' } },
        }),
      }),
    ];
    const ratio = (r: LoadResult) => round(r.requestsPerSecond / baseline.requestsPerSecond, 2);
    // Writes do more than reads (validation, a revision, an audit row): their floor is lower.
    const floor = (r: LoadResult) => (r.name === 'POST /v1/content' ? 0.3 : 0.5);
    return report(
      'api',
      loadRows(baseline, [baseline, ...routes]),
      routes.map((r) => ({
        benchmark: 'api',
        figure: r.name,
        value: r.requestsPerSecond,
        unit: `req/s (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; bare p99 ${baseline.p99Ms} ms)`,
        baseline: baseline.requestsPerSecond,
        ratio: ratio(r),
        target: `≥ ${floor(r)}× bare route${floor(r) === 0.5 ? ', p99 ≤ 3× its p99' : ''}`,
        met:
          ratio(r) >= floor(r) &&
          (floor(r) !== 0.5 || r.p99Ms <= 3 * baseline.p99Ms) &&
          r.non2xx === 0 &&
          r.errors === 0,
      })),
    );
  } finally {
    await stack.stop();
  }
}
