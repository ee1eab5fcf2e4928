import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { waitForPosts } from './support/poll';
import { TestApp, createTestApp } from './support/test-app';
import { isolatedEnv, redisEnv } from './support/test-env';
import { Job, Worker } from 'bullmq';
import { StartedApp, startApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { externalQueueName } from '../src/queues/queue-names';
import { queuePrefix, redisClient } from '../src/redis/redis-client';

/** A one-step campaign launched to the groups tagged `tag`, as a planner. */
async function launchOneStep(t: TestApp, tag: string) {
  const planner = t.as(await createKey(t, 'planner'));
  const [piece] = await publishedPieces(t.as(await createKey(t, 'editor')), ['外部消息']);
  const campaign = await CampaignFactory.create(planner, [piece], [{ after: 'PT0S' }]);
  const run = await planner
    .post(`/v1/campaigns/${campaign.id}/runs`)
    .send({ audience: { tags: [tag] } })
    .expect(201);
  return { planner, run };
}

describe('external adapters: the example consumer end to end', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
  });
  afterAll(() => t.close());

  it('records what the consumer returns or throws, and hands it no secret', async () => {
    const name = `crm-${Date.now()}`;
    const channel = await ChannelFactory.create(t, 'external', { name });
    const consumer = spawn(process.execPath, [join(__dirname, '..', 'examples', 'external-consumer.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...redisEnv(t.config),
        CHANNEL: name,
      },
    });
    let printed = '';
    consumer.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      for (const target of ['room-1', 'refuse', 'busy']) {
        await GroupFactory.create(t, channel.id, {
          name: `外部 ${target}`,
          address: target,
          tags: [name],
          quietHours: null,
        });
      }
      const { planner, run } = await launchOneStep(t, name);
      type View = {
        id: string;
        groupId: string;
        status: string;
        externalId: string | null;
        error: string | null;
        deferReason: string | null;
      };
      const posts = await waitForPosts<View>(
        planner,
        run.body.id,
        (all) =>
          all.some((p) => p.status === 'sent') &&
          all.some((p) => p.status === 'failed') &&
          all.some((p) => p.deferReason?.includes('rate limited') === true),
      );
      const groups = (await t.admin.get(`/v1/groups?channelId=${channel.id}`)).body.items as {
        id: string;
        name: string;
      }[];
      const of = (target: string) =>
        posts.find((p) => p.groupId === groups.find((g) => g.name === `外部 ${target}`)!.id)!;
      expect(of('room-1')).toMatchObject({ status: 'sent', externalId: `example-${of('room-1').id.slice(0, 8)}` });
      expect(of('refuse')).toMatchObject({ status: 'failed', error: 'target refuse does not exist' });
      expect(of('busy')).toMatchObject({
        holdCode: 'provider_rate',
        deferReason: 'external consumer rate limited: try again in a minute',
      });
      expect(['scheduled', 'queued']).toContain(of('busy').status);
      expect(printed).toContain('[外部 room-1] activate: 外部消息');
      const attempts = (await planner.get(`/v1/posts/${of('refuse').id}`)).body.attemptLog;
      expect(attempts).toEqual([expect.objectContaining({ outcome: 'permanent', code: 'Permanent' })]);
    } finally {
      consumer.kill('SIGTERM');
      await new Promise((resolve) => consumer.on('exit', resolve));
    }
  });
});

describe('external outcomes with two workers', () => {
  let t: TestApp;
  let second: StartedApp;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    second = await startApp(
      loadConfig(
        isolatedEnv({
          ROLE: 'worker',
          SCHEDULER_TICK_MS: '100',
          DATABASE_URL: t.config.databaseUrl,
          QUEUE_PREFIX: t.config.queuePrefix,
        }),
      ),
    );
  });
  afterAll(async () => {
    await second.app.close();
    await t.close();
  });

  it('reads each outcome back once: one attempt per post, however many workers look', async () => {
    const name = `twice-${Date.now()}`;
    const channel = await ChannelFactory.create(t, 'external', { name });
    for (let i = 0; i < 20; i++) {
      await GroupFactory.create(t, channel.id, {
        name: `外部 ${i}`,
        address: i < 2 ? `refuse-${i}` : `room-${i}`,
        tags: [name],
        quietHours: null,
      });
    }
    class Permanent extends Error {
      name = 'Permanent';
    }
    const queue = externalQueueName(name);
    const connection = redisClient(t.config, { maxRetriesPerRequest: null });
    const consumer = new Worker(
      queue,
      async (job: Job<{ postId: string; address: { target: string } }>) => {
        if (job.data.address.target.startsWith('refuse')) throw new Permanent('no such room');
        return { externalId: `crm-${job.data.postId.slice(0, 8)}` };
      },
      { connection, prefix: queuePrefix(t.config, queue), concurrency: 4 },
    );
    try {
      const { planner, run } = await launchOneStep(t, name);
      const posts = await waitForPosts<{ id: string; status: string }>(
        planner,
        run.body.id,
        (all) => all.length === 20 && all.every((p) => p.status === 'sent' || p.status === 'failed'),
      );
      expect(posts.filter((p) => p.status === 'failed')).toHaveLength(2);
      for (const post of posts) {
        const detail = (await planner.get(`/v1/posts/${post.id}`).expect(200)).body as {
          attemptLog: { outcome: string }[];
        };
        expect(detail.attemptLog.map((a) => a.outcome)).toEqual([post.status === 'sent' ? 'ok' : 'permanent']);
      }
    } finally {
      await consumer.close();
      await connection.quit();
    }
  });
});
