import Redis from 'ioredis';
import { Cluster } from 'ioredis';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually } from './support/poll';
import { leastLag } from './support/event-loop';
import { TEST_REDIS_TARGET } from './support/test-env';
import { redisClient } from '../src/redis/redis-client';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

/** `count` groups on a console channel of their own, tagged `tag`. */
async function groups(t: TestApp, tag: string, count: number): Promise<void> {
  await GroupFactory.bulk(t, (await ChannelFactory.create(t, 'console')).id, tag, count);
}

describe('bounds: plans have a size, a page and a quota', () => {
  let t: TestApp;
  let planner: RequestWith;
  let campaignId: string;
  const TAG = 'plan-bounds';

  beforeAll(async () => {
    t = await createTestApp({ PLAN_MAX_POSTS: '60', PLAN_SYNC_MAX_POSTS: '40', PLAN_JOBS_PER_KEY: '2' });
    planner = t.as(await createKey(t, 'planner'));
    await groups(t, TAG, 41);
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二']);
    campaignId = (await CampaignFactory.create(planner, content, [{ after: 'PT0S' }, { after: 'PT1H' }])).id;
  });
  afterAll(() => t.close());

  const plan = (query = '') =>
    planner.post(`/v1/campaigns/${campaignId}/plan${query}`).send({ audience: { tags: [TAG] } });

  it('refuses a plan of more posts than one may hold, saying how to ask for it a page at a time', async () => {
    const refused = await plan().expect(400);
    expect(refused.body.details).toEqual([
      {
        field: 'audience',
        message:
          'would plan 82 posts (41 groups × 2 steps), more than the 60 one plan may hold: plan a page of groups at a time (?pageSize=30&page=1, then page=2…)',
      },
    ]);
    const tooBig = await plan('?pageSize=31').expect(400);
    expect(tooBig.body.details).toEqual([
      { field: 'pageSize', message: '31 groups × 2 steps is more than the 60 posts one plan may hold: at most 30' },
    ]);
    const first = await plan('?pageSize=15&page=1').expect(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 15, totalGroups: 41, summary: { posts: 30, groups: 15 } });
    const last = await plan('?pageSize=15&page=3').expect(200);
    expect(last.body).toMatchObject({ page: 3, pageSize: 15, totalGroups: 41, summary: { posts: 22, groups: 11 } });
    const seen = new Set([...first.body.entries, ...last.body.entries].map((e: { groupId: string }) => e.groupId));
    expect(seen.size).toBe(26);
  });

  it('keeps a plan made as a job gzipped, two a key at a time, and frees a place when one is dropped', async () => {
    const redis: Redis | Cluster = redisClient(TEST_REDIS_TARGET);
    try {
      const jobs: string[] = [];
      for (let i = 0; i < 2; i++) jobs.push((await plan('?pageSize=30').expect(202)).body.id);
      const full = await plan('?pageSize=30').expect(429);
      expect(Number(full.headers['retry-after'])).toBeGreaterThan(3000);
      expect(full.body.message).toBe(
        'this key already has 2 plans kept (each for an hour): fetch them from GET /v1/plans/:id and drop them with DELETE /v1/plans/:id, or wait',
      );
      // Another key has places of its own.
      const other = t.as(await createKey(t, 'planner'));
      await other
        .post(`/v1/campaigns/${campaignId}/plan?pageSize=30`)
        .send({ audience: { tags: [TAG] } })
        .expect(202);

      const done = await eventually(async () => {
        const job = await planner.get(`/v1/plans/${jobs[0]}`);
        return job.status === 200 ? job.body : undefined;
      });
      expect(done).toMatchObject({
        id: jobs[0],
        status: 'done',
        plan: { page: 1, pageSize: 30, totalGroups: 41, summary: { posts: 60, groups: 30 } },
      });
      expect(done.plan.entries).toHaveLength(60);
      const stored = await redis.getBuffer(`${t.config.queuePrefix}:plan:${jobs[0]}:body`);
      expect(stored!.subarray(0, 2).toString('hex')).toBe('1f8b');
      expect(stored!.length).toBeLessThan(JSON.stringify(done.plan).length / 4);

      await planner.delete(`/v1/plans/${jobs[0]}`).expect(204);
      await planner.get(`/v1/plans/${jobs[0]}`).expect(404);
      await plan('?pageSize=30').expect(202);
    } finally {
      await redis.quit();
    }
  });
});

describe('bounds: plans keep the event loop free', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('holds its event loop less than 200 ms at a time while it plans 2,000 groups × 5 steps and while it lists a routine’s plan a page at a time', async () => {
    const planner = t.as(await createKey(t, 'planner'));
    await groups(t, 'busy', 2000);
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二', '三', '四', '五']);
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ after: 'PT1H' }));
    const scrape = () => t.admin.get('/metrics').expect(200);
    const plan = await leastLag(scrape, () =>
      planner
        .post(`/v1/campaigns/${campaign.id}/plan`)
        .send({ audience: { tags: ['busy'] } })
        .expect(200),
    );
    expect(plan.response.body.summary).toMatchObject({ posts: 10_000, groups: 2000 });
    expect(plan.lagMs).toBeLessThan(200);

    await t
      .as(await createKey(t, 'editor'))
      .post('/v1/content')
      .send({
        kind: 'custom',
        title: '晚安',
        tags: ['晚安池'],
        fields: { text: '晚安' },
      });
    const routine = await planner
      .post('/v1/routines')
      .send({
        name: '晚安',
        audience: { tags: ['busy'] },
        schedule: { every: 'day', at: '22:00' },
        source: { mode: 'pool', tag: '晚安池', kind: 'custom', noRepeatDays: 3 },
      })
      .expect(201);
    const page = await leastLag(scrape, () =>
      planner.get(`/v1/routines/${routine.body.id}/plan?days=31&page=20`).expect(200),
    );
    expect(page.response.body).toMatchObject({ page: 20, pageSize: 100, totalGroups: 2000 });
    expect(new Set(page.response.body.slots.map((s: { groupId: string }) => s.groupId)).size).toBe(100);
    expect(page.lagMs).toBeLessThan(200);
    await planner.get(`/v1/routines/${routine.body.id}/plan?pageSize=501`).expect(400);
  }, 60_000);
});
