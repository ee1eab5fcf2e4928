import { CampaignFactory, ChannelFactory, createKey, publishedPieces } from './support/factories';
import { waitForPosts } from './support/poll';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { eventually } from './support/poll';
import { ServiceProcess } from './support/service-process';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { OwnMariadb, OwnRedis, OwnRedisCluster } from './support/own-servers';
import { TEST_REDIS_CLUSTER_NODES, redisEnv } from './support/test-env';

const GROUPS = 200;
const STEPS = 5;
const CONCURRENCY = 16;

/** How long the database stays down: long enough for every worker call in flight to fail. */
/** The outage lasts until the worker's scheduler has failed this many ticks (100 ms apart) against the dead database. */
const OUTAGE_TICKS = 30;

// Every fault is done to a Redis and a MariaDB this file starts for itself, never to the shared ones.
describe('faults: every post is sent after a worker crash, a Redis flush and a database outage', () => {
  // When the suite runs on a Redis Cluster, so does this file, on a cluster of its own.
  const redis = TEST_REDIS_CLUSTER_NODES ? new OwnRedisCluster() : new OwnRedis();
  const mariadb = new OwnMariadb();
  let t: TestApp;
  let planner: RequestWith;
  let campaignId: string;
  let workerEnv: Record<string, string>;
  const workers: ServiceProcess[] = [];
  const receiver = new FakeWebhookReceiver();
  const seen = new Map<string, number>();

  const startWorker = async (env: Record<string, string> = {}) => {
    const worker = new ServiceProcess({ ...workerEnv, ...env });
    workers.push(worker);
    await worker.waitFor(/worker \S+ ready/);
    return worker;
  };

  beforeAll(async () => {
    await Promise.all([receiver.start(), redis.start(), mariadb.start()]);
    const original = receiver['answer'].bind(receiver);
    receiver['answer'] = (request) => {
      const id = String(request.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      return original(request);
    };
    t = await createTestApp({ ROLE: 'api', DATABASE_URL: `${mariadb.url}/gc_test_faults`, ...redis.env });
    workerEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'PATH')),
      ROLE: 'worker',
      DATABASE_URL: t.config.databaseUrl,
      ...redisEnv(t.config),
      ALLOW_PRIVATE_TARGETS: 'true',
      LOG_LEVEL: 'info',
      SCHEDULER_TICK_MS: '100',
      CLAIM_LEASE_MS: '3000',
      RETRY_BASE_MS: '100',
      WORKER_CONCURRENCY: String(CONCURRENCY),
    };
    planner = t.as(await createKey(t, 'planner'));
    const channel = await ChannelFactory.create(t, 'webhook', { config: { timeoutMs: 2000 } });
    receiver.secret = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
    const rows = Array.from({ length: GROUPS }, (_, i) => ({
      name: `故障群 ${i}`,
      channelId: channel.id,
      address: { url: `${receiver.url}/hooks/${i}`, secret: receiver.secret },
      timezone: 'Asia/Shanghai',
      tags: ['faults'],
    }));
    await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二', '三', '四', '五']);
    campaignId = (await CampaignFactory.create(planner, content, Array(STEPS).fill({ after: 'PT0S' }))).id;
    await startWorker();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close();
    await Promise.all([receiver.stop(), redis.stop(), mariadb.stop()]);
  }, 90_000);

  /** Launches 1,000 posts and returns once `fraction` of them have reached the receiver. */
  async function launchAndWait(fraction: number) {
    const before = new Set(seen.keys());
    const run = await planner
      .post(`/v1/campaigns/${campaignId}/runs`)
      .send({ audience: { tags: ['faults'] } })
      .expect(201);
    expect(run.body.postCount).toBe(GROUPS * STEPS);
    await eventually(
      async () =>
        [...seen.keys()].filter((id) => !before.has(id)).length >= GROUPS * STEPS * fraction ? true : undefined,
      60_000,
    );
    return run.body.id as string;
  }

  async function outcome(runId: string, withinMs = 150_000) {
    let last = '';
    await eventually(
      async () => {
        const stats = (await planner.get(`/v1/runs/${runId}/stats`)).body as {
          byStage?: Record<string, Record<string, number>>;
        };
        last = JSON.stringify(stats.byStage);
        const sent = Object.values(stats.byStage ?? {}).reduce((n, s) => n + (s.sent ?? 0), 0);
        return sent === GROUPS * STEPS ? true : undefined;
      },
      withinMs,
      250,
      () => `posts by stage and status: ${last}`,
    );
    const posts = await waitForPosts<{ id: string; status: string }>(planner, runId, () => true);
    const ids = posts.map((p) => p.id);
    return {
      sent: ids.filter((id) => receiver.accepted.has(id)).length,
      lost: ids.filter((id) => !receiver.accepted.has(id)).length,
      doubled: ids.filter((id) => (seen.get(id) ?? 0) > 1).length,
    };
  }

  it('loses nothing when the worker is killed mid-run; only posts in flight may go twice', async () => {
    const runId = await launchAndWait(0.3);
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;
    await startWorker();
    const result = await outcome(runId);
    console.log(`SIGKILL: ${JSON.stringify(result)}`);
    expect(result.sent).toBe(GROUPS * STEPS);
    expect(result.lost).toBe(0);
    expect(result.doubled).toBeLessThanOrEqual(CONCURRENCY);
  }, 180_000);

  it('sends every post exactly once when Redis is flushed mid-run', async () => {
    const runId = await launchAndWait(0.3);
    await redis.flush();
    const result = await outcome(runId);
    console.log(`Redis flushed: ${JSON.stringify(result)}`);
    expect(result).toEqual({ sent: GROUPS * STEPS, lost: 0, doubled: 0 });
  }, 180_000);

  it('answers 503 while MariaDB is down and sends everything within seconds once it is back, without a restart', async () => {
    // The shipped claim lease: posts a worker had claimed when the database went away must come back
    // because the worker gives its claims back, not because a minute-long lease ran out.
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await startWorker({ CLAIM_LEASE_MS: '60000' });
    const runId = await launchAndWait(0.3);
    const logged = workers.map((w) => w.stdout.length);
    await mariadb.kill();
    const during = await planner.get(`/v1/posts?runId=${runId}`);
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect((await t.http.get('/health')).status).toBe(503);
    const failedTicks = () =>
      workers.reduce((n, w, i) => n + (w.stdout.slice(logged[i] ?? 0).match(/scheduler tick failed/g)?.length ?? 0), 0);
    await eventually(async () => (failedTicks() >= OUTAGE_TICKS ? true : undefined), 60_000);
    await mariadb.start();
    const result = await outcome(runId, 30_000);
    console.log(`MariaDB outage: ${JSON.stringify(result)}`);
    expect(result.sent).toBe(GROUPS * STEPS);
    expect(result.lost).toBe(0);
    expect(result.doubled).toBeLessThanOrEqual(CONCURRENCY);
  }, 240_000);
});
