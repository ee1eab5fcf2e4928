import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsPort } from '../src/observability/metrics-port';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { ADMIN_KEY } from './support/test-env';
import { PostView } from './support/views';

/** The sum of a metric's samples whose labels include `labels`, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

describe('metrics and the queue board', () => {
  let t: TestApp;
  let planner: RequestWith;
  let editor: RequestWith;
  const wecom = new FakeWecom();

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', METRICS_PORT: '0' });
    planner = t.as(await createKey(t, 'planner'));
    editor = t.as(await createKey(t, 'editor'));
    await wecom.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  it('counts a run’s sends, its failure and its deferral, with latency and lateness, on /metrics for the admin key and open on METRICS_PORT', async () => {
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } });
    const tag = `metrics-${Date.now()}`;
    const working = `working-${Date.now()}`;
    wecom.keys.add(working);
    // Two steps to a group with a minimum gap: the second waits. Both steps to a removed robot fail.
    const paced = await GroupFactory.create(t, channel.id, {
      address: working,
      tags: [tag],
      quietHours: null,
      minGapMinutes: 10,
    });
    const removed = await GroupFactory.create(t, channel.id, {
      address: `removed-${Date.now()}`,
      tags: [tag],
      quietHours: null,
      minGapMinutes: 10,
    });
    const content = await publishedPieces(editor, ['早安', '科普']);
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }, { after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const of = (posts: PostView[], groupId: string, step: number) =>
      posts.find((p) => p.groupId === groupId && p.step === step);
    await waitForPosts<PostView>(
      planner,
      run.body.id,
      (all) =>
        of(all, paced.id, 0)?.status === 'sent' &&
        of(all, paced.id, 1)?.deferReason === 'minimum gap of 10 min' &&
        of(all, removed.id, 0)?.status === 'failed' &&
        of(all, removed.id, 1)?.status === 'failed',
    );

    await t.http.get('/metrics').expect(401);
    await editor.get('/metrics').expect(403);
    const text = (
      await t.admin
        .get('/metrics')
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
    const wecomSent = { status: 'sent', channel_type: 'wecom', stage: 'activate' };
    expect(sample(text, 'groupcast_post_transitions_total', wecomSent)).toBe(1);
    const failed = { status: 'failed', channel_type: 'wecom' };
    expect(sample(text, 'groupcast_post_transitions_total', { ...failed, stage: 'activate' })).toBe(1);
    expect(sample(text, 'groupcast_post_transitions_total', { ...failed, stage: 'educate' })).toBe(1);
    expect(
      sample(text, 'groupcast_post_deferrals_total', { reason: 'min_gap', channel_type: 'wecom' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'groupcast_provider_answers_total', { outcome: 'permanent', code: '93000' })).toBe(2);
    expect(sample(text, 'groupcast_provider_answers_total', { outcome: 'ok', channel_type: 'wecom' })).toBe(1);
    expect(sample(text, 'groupcast_send_latency_seconds_count', { channel_type: 'wecom' })).toBe(3);
    expect(sample(text, 'groupcast_send_lateness_seconds_count', { channel_type: 'wecom', stage: 'activate' })).toBe(1);
    // The lateness of a post sent at once lands in the small buckets, not the 6-hour one only.
    expect(sample(text, 'groupcast_send_lateness_seconds_bucket', { channel_type: 'wecom', le: '60' })).toBe(1);
    // The second step waits in Redis as a delayed job; the gauge reads it at scrape.
    expect(sample(text, 'groupcast_queue_jobs', { queue: 'posts.wecom', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'groupcast_scheduler_leader')).toBe(1);
    expect(sample(text, 'groupcast_scheduler_tick_seconds_count')).toBeGreaterThan(0);
    expect(
      sample(text, 'groupcast_http_request_duration_seconds_count', { route: '/v1/posts', method: 'GET' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'groupcast_http_request_duration_seconds_count', { route: '/metrics', status: '401' })).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // Every series the shipped Grafana dashboard reads is one the service serves.
    const dashboard = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'grafana', 'groupcast.json'), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const read = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((q) => q.expr.match(/\b(groupcast|process|nodejs)_\w+/g) ?? []),
    );
    const served = new Set(
      [...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
      ),
    );
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((name) => !served.has(name))).toEqual([]);

    const port = t.app.get(MetricsPort).port();
    const open = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(open.status).toBe(200);
    expect(sample(await open.text(), 'groupcast_post_transitions_total', wecomSent)).toBe(1);
  });

  it('shows every queue on Bull Board to the admin key only, read-only', async () => {
    const external = await ChannelFactory.create(t, 'external');
    const page = '/admin/queues';
    const refused = await t.http.get(page).expect(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Basic /);
    expect(refused.body.message).toMatch(/missing API key/);
    await editor.get(page).expect(403);
    expect((await t.admin.get(page).expect(200)).text).toContain('<html');
    // A browser asks for the key itself: HTTP Basic with the key as the password.
    await t.http.get(page).auth('admin', ADMIN_KEY).expect(200);
    await t.http.get(page).auth('admin', 'not-a-key-at-all-0000').expect(401);

    const api = await eventually(async () => {
      const response = await t.admin.get(`${page}/api/queues?page=1&jobsPerPage=10`).expect(200);
      return response.body as { queues: { name: string; readOnlyMode: boolean }[] };
    });
    const names = api.queues.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining(['system', 'posts.wecom', 'posts.webhook', `posts.external.${external.name}`]),
    );
    expect(api.queues.every((q) => q.readOnlyMode)).toBe(true);
    await editor.get(`${page}/api/queues`).expect(403);
  });

  it('makes no new series for odd spellings of a path or a method, and serves the console with a CSP that keeps it unframed', async () => {
    const spellings = [
      '/ADMIN/queues',
      '/Admin/Queues/',
      '/admin/QUEUES/x/y',
      '/aDmIn/qUeUeS',
      '/CONSOLE/',
      '/nowhere-1',
      '/nowhere-2',
    ];
    for (const path of spellings) await t.http.get(path);
    await t.http.get('/health/live');
    const text = (await t.admin.get('/metrics').expect(200)).text;
    const routes = new Set(
      [...text.matchAll(/^groupcast_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect([...routes].filter((r) => /admin/i.test(r))).toEqual(['/admin/queues']);
    expect([...routes].filter((r) => /console/i.test(r))).toEqual(['/console']);
    expect([...routes].filter((r) => /nowhere/.test(r))).toEqual([]);

    const page = await t.http.get('/console/').expect(200);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
  });

  it('sends the console compressed: brotli or gzip as the browser accepts, hashed files kept for a year, the page asked for again', async () => {
    const page = await t.http.get('/console/').set('Accept-Encoding', 'gzip, deflate, br').expect(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="\/console\/(assets\/[^"]+\.js)"/.exec(page.text)![1];
    const plain = await t.http.get(`/console/${script}`).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [accepted, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ]) {
      const sent = await t.http
        .get(`/console/${script}`)
        .set('Accept-Encoding', accepted)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(sent.headers['content-encoding']).toBe(encoding);
      expect(sent.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(sent.headers['vary']).toMatch(/Accept-Encoding/i);
      // What went over the wire is the compressed file, a fraction of the script.
      expect(Number(sent.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 2);
    }
  });
});
