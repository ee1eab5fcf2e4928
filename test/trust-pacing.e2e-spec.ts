import { CampaignFactory, GroupFactory, planningSetup } from './support/factories';
import { eventually, postsOf, waitForPosts } from './support/poll';
import { ServiceProcess } from './support/service-process';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const OFF = { quietHours: 'off', minGapMinutes: 'off', dailyCap: 'off', promoCap: 'off' };
const minutes = (ms: number) => ms / 60_000;
const byGroupOf = (posts: PostView[]) => [
  ...posts.reduce((m, p) => m.set(p.groupId, [...(m.get(p.groupId) ?? []), p]), new Map<string, PostView[]>()).values(),
];

describe('trust: safe by default, one post at a time per group', () => {
  let serial = 0;

  describe('with the shipped global policy, in the api process alone (nothing is sent)', () => {
    let t: TestApp;
    let planner: RequestWith;
    let content: string[];
    let channelId: string;

    beforeAll(async () => {
      t = await createTestApp({}, { shippedPolicy: true });
      ({ planner, content, channelId } = await planningSetup(t, ['一', '二', '三']));
    });
    afterAll(() => t.close());

    const launch = async (body: Record<string, unknown>, steps = 3) => {
      const tag = `pacing-${++serial}`;
      const group = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
      const campaign = await CampaignFactory.create(
        planner,
        content.slice(0, steps),
        Array(steps).fill({ after: 'PT0S' }),
      );
      return {
        group,
        response: await planner.post(`/v1/campaigns/${campaign.id}/runs`).send({ audience: { tags: [tag] }, ...body }),
      };
    };

    it('ships quiet hours 23:00-07:00, a 10-minute gap, 6 posts a day and 1 promotional; both can be removed', async () => {
      expect((await planner.get('/v1/policies').expect(200)).body).toEqual({
        quietHours: '23:00-07:00',
        minGapMinutes: 10,
        dailyCap: 6,
        promoCap: 1,
        blackoutDates: [],
      });
      const group = await GroupFactory.create(t, channelId, {
        quietHours: 'off',
        minGapMinutes: 'off',
        dailyCap: 'off',
        promoCap: 3,
      });
      expect((await planner.get(`/v1/groups/${group.id}`).expect(200)).body).toMatchObject({
        quietHours: 'off',
        minGapMinutes: 'off',
        dailyCap: 'off',
        promoCap: 3,
      });
      const inherit = await planner
        .patch(`/v1/groups/${group.id}`)
        .send({ dailyCap: null, promoCap: null })
        .expect(200);
      expect(inherit.body).toMatchObject({ dailyCap: null, promoCap: null });
    });

    it.each([
      ['quietHours', '08:00-08:00', 'must start and end at different times (use "off" for no quiet hours)'],
      ['quietHours', '8:00-9:00', 'must be HH:mm-HH:mm, e.g. 23:00-07:00, or "off"'],
      ['dailyCap', 'none', 'must be a whole number from 1 to 1000, "off", or null'],
      ['minGapMinutes', 2000, 'must be a whole number from 0 to 1440, "off", or null'],
    ])('refuses a group %s of %j naming the field', async (field, value, message) => {
      const response = await t.admin
        .post('/v1/groups')
        .send(GroupFactory.body(channelId, { [field]: value }))
        .expect(400);
      expect(response.body.details).toEqual([{ field, message }]);
    });

    it('stores a time zone in its canonical spelling and refuses one that is not a zone', async () => {
      const group = await GroupFactory.create(t, channelId, { timezone: 'asia/shanghai' });
      expect(group).toMatchObject({ timezone: 'Asia/Shanghai' });
      const bad = await t.admin
        .post('/v1/groups')
        .send(GroupFactory.body(channelId, { timezone: 'Mars/Olympus' }))
        .expect(400);
      expect(bad.body.details).toEqual([
        { field: 'timezone', message: 'must be an IANA time zone such as Asia/Shanghai' },
      ]);
    });

    it('refuses a start more than a minute in the past unless the launch says how to catch up', async () => {
      const startAt = new Date(Date.now() - 30 * 60_000).toISOString();
      const { response } = await launch({ startAt });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([
        {
          field: 'startAt',
          message:
            'is 30 min in the past: say catchUp "spread" (overdue steps go one at a time, spaced by each group\'s gap) or "skip" (overdue steps are skipped)',
        },
      ]);
      const skipped = await launch({ startAt, catchUp: 'skip' });
      expect(skipped.response.status).toBe(201);
      const posts = await waitForPosts<PostView>(planner, skipped.response.body.id, () => true);
      expect(posts.map((p) => [p.status, p.error])).toEqual(
        Array(3).fill(['skipped', 'overdue at launch (catchUp: skip)']),
      );
    });

    it('takes maxLatenessMinutes when a run resumes: posts later than that are skipped', async () => {
      const { response } = await launch({
        startAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        catchUp: 'spread',
      });
      const runId = response.body.id as string;
      await planner.post(`/v1/runs/${runId}/pause`).expect(200);
      const resumed = await planner.post(`/v1/runs/${runId}/resume`).send({ maxLatenessMinutes: 2 }).expect(200);
      expect(resumed.body).toMatchObject({ status: 'running', maxLatenessMinutes: 2, catchUp: 'spread' });
      const posts = await waitForPosts<PostView>(planner, runId, () => true);
      expect(posts.map((p) => [p.status, p.error])).toEqual(
        Array(3).fill(['skipped', 'later than the run allows after a pause']),
      );
      const bad = await planner.post(`/v1/runs/${runId}/resume`).send({ maxLatenessMinutes: -1 }).expect(400);
      expect(bad.body.details[0].field).toBe('maxLatenessMinutes');
    });
  });

  describe('delivered by two worker processes with 100 posts in flight each', () => {
    let t: TestApp;
    let planner: RequestWith;
    let content: string[];
    let channelId: string;
    const workers: ServiceProcess[] = [];

    beforeAll(async () => {
      t = await createTestApp({ ROLE: 'api' }, { shippedPolicy: true });
      ({ planner, content, channelId } = await planningSetup(t, ['早报', '科普', '晒图']));
      const env = {
        ROLE: 'worker',
        DATABASE_URL: t.config.databaseUrl,
        REDIS_URL: t.config.redisUrl,
        QUEUE_PREFIX: t.config.queuePrefix,
        LOG_LEVEL: 'info',
        SCHEDULER_TICK_MS: '100',
        WORKER_CONCURRENCY: '100',
      };
      for (let i = 0; i < 2; i++) workers.push(new ServiceProcess(env));
      await Promise.all(workers.map((w) => w.waitFor(/worker \S+ ready/, 30_000)));
    }, 60_000);
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await t.close();
    });

    /** 20 groups with `policy`, and three campaigns of one step each launched to them for the same instant; returns once `done` holds. */
    async function threeRunsAtOnce(policy: Record<string, unknown>, done: (byGroup: PostView[][]) => boolean) {
      const tag = `herd-${++serial}`;
      const rows = Array.from({ length: 20 }, (_, i) =>
        GroupFactory.body(channelId, { address: `${tag}-${i}`, tags: [tag], ...OFF, ...policy }),
      );
      await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
      const startAt = new Date(Date.now() + 3000).toISOString();
      const runs: string[] = [];
      for (const piece of content) {
        const campaign = await CampaignFactory.create(planner, [piece], [{ after: 'PT0S' }]);
        runs.push(
          (
            await planner
              .post(`/v1/campaigns/${campaign.id}/runs`)
              .send({ audience: { tags: [tag] }, startAt })
              .expect(201)
          ).body.id,
        );
      }
      let posts: PostView[] = [];
      return eventually(
        async () => {
          posts = (await Promise.all(runs.map((runId) => postsOf<PostView>(planner, runId)))).flat();
          const byGroup = byGroupOf(posts);
          return byGroup.length === 20 && done(byGroup) ? byGroup : undefined;
        },
        30_000,
        200,
        () => `posts did not settle: ${JSON.stringify(posts.map((p) => [p.status, p.deferReason]))}`,
      );
    }

    const sentOf = (group: PostView[]) => group.filter((p) => p.status === 'sent');
    const heldOf = (group: PostView[]) => group.filter((p) => p.status === 'queued');

    it('sends one post per group when three runs are due at the same instant and the daily cap is 1', async () => {
      const capped = (group: PostView[]) =>
        group.filter((p) => p.deferReason === 'daily cap of 1 reached').length === 1;
      const byGroup = await threeRunsAtOnce({ dailyCap: 1 }, (groups) =>
        groups.every((g) => sentOf(g).length >= 1 && capped(g) && heldOf(g).length === 2),
      );
      for (const group of byGroup) expect(sentOf(group)).toHaveLength(1);
    }, 60_000);

    it('releases posts held by quiet hours one at a time, spaced by the gap, not all in the second they end', async () => {
      // Quiet hours from this minute to the next, in UTC: the three steps due now wait for their end.
      const now = new Date();
      const hhmm = (d: Date) => d.toISOString().slice(11, 16);
      const quietHours = `${hhmm(now)}-${hhmm(new Date(now.getTime() + 60_000))}`;
      const quietEnd = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
      const tag = `quiet-${++serial}`;
      const group = await GroupFactory.create(t, channelId, {
        tags: [tag],
        timezone: 'Etc/UTC',
        ...OFF,
        quietHours,
        minGapMinutes: 1,
      });
      const campaign = await CampaignFactory.create(planner, content, Array(3).fill({ after: 'PT0S' }));
      const run = (
        await planner
          .post(`/v1/campaigns/${campaign.id}/runs`)
          .send({ audience: { groupIds: [group.id] } })
          .expect(201)
      ).body.id as string;
      const posts = await waitForPosts<PostView>(
        planner,
        run,
        (all) =>
          all.filter((p) => p.status === 'sent').length === 1 &&
          all.filter((p) => p.deferReason === 'minimum gap of 1 min').length === 1,
        90_000,
      );
      const [first, second] = [...posts].sort((a, b) => a.step - b.step);
      expect(new Date(first.sentAt!).getTime()).toBeGreaterThanOrEqual(quietEnd.getTime());
      expect(minutes(new Date(second.notBefore!).getTime() - new Date(first.sentAt!).getTime())).toBeGreaterThanOrEqual(
        1,
      );
      const history = (await planner.get(`/v1/posts/${first.id}`).expect(200)).body.deferrals as { reason: string }[];
      expect(history.map((d) => d.reason)).toContain(`quiet hours ${quietHours}`);
    }, 120_000);

    it('keeps the minimum gap between posts of different runs due at the same instant', async () => {
      const apart = (group: PostView[]) => {
        const [sent] = sentOf(group);
        return (
          !!sent &&
          heldOf(group).every(
            (p) =>
              p.notBefore !== null && minutes(new Date(p.notBefore).getTime() - new Date(sent.sentAt!).getTime()) >= 1,
          )
        );
      };
      const byGroup = await threeRunsAtOnce({ minGapMinutes: 1 }, (groups) =>
        groups.every((g) => heldOf(g).length === 2 && apart(g)),
      );
      for (const group of byGroup) expect(sentOf(group)).toHaveLength(1);
    }, 60_000);
  });
});
