import { exampleFields } from '../test/support/factories';
import { Figure, load, loadRows, report } from './report';
import { Stack, round } from './support/stack';

const GROUPS = 1_000;

/**
 * `GET /r/:code` under autocannon, 50 connections, 10 s: verify the code, find the link (the post
 * is rendered once, then cached), queue the click, answer 302. Baseline: a bare Nest route in the
 * same process. Afterwards every answered click must be in the clicks table.
 */
export async function links(): Promise<Figure[]> {
  const stack = await Stack.start({
    workers: 0,
    env: {
      API_RATE_LIMIT_PER_MINUTE: '100000000',
      PUBLIC_BASE_URL: 'https://go.example.com',
      LINK_SIGNING_KEY: 'bench-signing-key-of-at-least-32-characters',
    },
  });
  try {
    const channel = await stack.channel('webhook', { trackLinks: true });
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/g/${i}` },
      tags: ['links'],
    }));
    const piece = await stack.call<{ id: string }>('POST', '/v1/content', {
      kind: 'product_pick',
      title: '好物',
      fields: exampleFields('product_pick'),
    });
    await stack.call('POST', `/v1/content/${piece.id}/publish`, {});
    const campaign = await stack.call<{ id: string }>('POST', '/v1/campaigns', {
      name: 'links bench',
      steps: [{ stage: 'activate', contentId: piece.id, timing: { after: 'PT0S' } }],
    });
    const runId = await stack.launch(campaign.id, { tags: ['links'] }, new Date(Date.now() + 365 * 86_400_000));
    const page = await stack.call<{ items: { id: string }[] }>('GET', `/v1/posts?runId=${runId}&pageSize=1`);
    const preview = await stack.call<{ markdown: string }>('GET', `/v1/posts/${page.items[0].id}/preview`);
    const code = /\/r\/([A-Za-z0-9_-]{34})/.exec(preview.markdown)![1];

    const baseline = await load('GET /health/live (bare route)', { url: `${stack.base}/health/live` });
    const click = await load('GET /r/:code (302, click recorded)', {
      url: `${stack.base}/r/${code}`,
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.40' },
    });
    const answered = click.non2xx; // every answer is a 302
    await stack.until('SELECT COUNT(*) AS n FROM clicks', [], answered, 30_000);
    const recorded = await stack.count('SELECT COUNT(*) AS n FROM clicks');
    const ratio = round(click.requestsPerSecond / baseline.requestsPerSecond, 2);
    return report('links', loadRows(baseline, [baseline, click]), [
      {
        benchmark: 'links',
        figure: 'GET /r/:code at 50 connections',
        value: click.requestsPerSecond,
        unit: `req/s (p50 ${click.p50Ms} ms, p99 ${click.p99Ms} ms; bare route p99 ${baseline.p99Ms} ms)`,
        baseline: baseline.requestsPerSecond,
        ratio,
        target: '≥ 0.5× bare route, p99 ≤ 3× its p99',
        met: ratio >= 0.5 && click.p99Ms <= 3 * Math.max(1, baseline.p99Ms) && click.errors === 0,
      },
      {
        benchmark: 'links',
        figure: 'clicks recorded of clicks answered',
        value: recorded,
        unit: `rows (${answered} answered)`,
        target: 'every answered click (in-flight ones at the end may add a few)',
        met: recorded >= answered,
      },
    ]);
  } finally {
    await stack.stop();
  }
}
