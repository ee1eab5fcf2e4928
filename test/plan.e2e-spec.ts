import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { DateTime } from 'luxon';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  publishedPieces,
} from './support/factories';
import { eventually, postsOf, waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

interface PlanEntry {
  groupId: string;
  step: number;
  dueAt: string;
  predictedAt: string | null;
  moves: string[];
  skipped: string | null;
}

const MINUTE = 60_000;

describe('plan preview: what a launch will do, before it is done', () => {
  let t: TestApp;
  let planner: RequestWith;
  const wecom = new FakeWecom();
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', PLAN_SYNC_MAX_POSTS: '80' });
    planner = t.as(await createKey(t, 'planner'));
    await wecom.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  it('warns before a launch of other runs ahead in the same groups, of a piece they got this week, of steps already due, and of an empty audience', async () => {
    const channelId = (await ChannelFactory.create(t, 'console')).id;
    const tag = `warn-${Date.now()}`;
    const [first, second] = [
      await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null, minGapMinutes: 'off' }),
      await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null, minGapMinutes: 'off' }),
    ];
    const [sentPiece, laterPiece] = await publishedPieces(t.as(await createKey(t, 'editor')), ['这周发过', '以后再发']);
    // The first group got one piece just now; another run still has a post ahead in both.
    const earlier = await CampaignFactory.create(planner, [sentPiece], [{ after: 'PT0S' }]);
    const sent = await planner
      .post(`/v1/campaigns/${earlier.id}/runs`)
      .send({ audience: { groupIds: [first.id] } })
      .expect(201);
    await waitForPosts(planner, sent.body.id, (posts) => posts.every((p) => p.status === 'sent'));
    const ahead = await CampaignFactory.create(planner, [laterPiece], [{ day: 5, at: '10:00' }]);
    await planner
      .post(`/v1/campaigns/${ahead.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);

    const campaign = await CampaignFactory.create(
      planner,
      [sentPiece, laterPiece],
      [{ after: 'PT0S' }, { day: 1, at: '09:00' }],
    );
    const startAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const plan = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [tag] }, startAt, catchUp: 'spread' })
      .expect(200);
    const byCode = Object.fromEntries((plan.body.summary.warnings as { code: string }[]).map((w) => [w.code, w]));
    expect(byCode.overlap).toMatchObject({ groups: 2, posts: 2, runs: 1 });
    expect(byCode.recently_sent).toMatchObject({ groups: 1 });
    expect(byCode.overdue).toMatchObject({ groups: 2, posts: 4 });
    expect(byCode.no_groups).toBeUndefined();
    expect(second.id).toBeDefined();

    const empty = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [`nobody-${Date.now()}`] } })
      .expect(200);
    expect(empty.body.summary.warnings).toEqual([expect.objectContaining({ code: 'no_groups', groups: 0 })]);
  });

  it('predicts each post’s send time within seconds of the real one, names the rule that moved it, and writes nothing', async () => {
    const channelId = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } })).id;
    const tag = `plan-${Date.now()}`;
    const group = async (overrides: Record<string, unknown>) => {
      const key = `plan-key-${++serial}-${Date.now()}`;
      wecom.keys.add(key);
      return GroupFactory.create(t, channelId, {
        address: key,
        tags: [tag],
        quietHours: null,
        minGapMinutes: 'off',
        ...overrides,
      });
    };
    // Quiet hours that contain now, for groups on UTC.
    const hour = DateTime.utc().hour;
    const quiet = `${String(hour).padStart(2, '0')}:00-${String((hour + 2) % 24).padStart(2, '0')}:00`;
    // 30 groups in three zones: quiet hours containing now for every group on UTC; a 30-minute gap
    // on three in Shanghai, a daily cap of 1 on three in Berlin; two more in Shanghai with a
    // 10-minute gap have just been sent a post by another run.
    const groups: { id: string }[] = [];
    for (let i = 0; i < 10; i++) groups.push(await group({ timezone: 'UTC', quietHours: quiet }));
    for (let i = 0; i < 10; i++) {
      groups.push(await group({ timezone: 'Asia/Shanghai', ...(i < 3 ? { minGapMinutes: 30 } : {}) }));
    }
    for (let i = 0; i < 10; i++)
      groups.push(await group({ timezone: 'Europe/Berlin', ...(i < 3 ? { dailyCap: 1 } : {}) }));
    const busyGroups = [
      await group({ timezone: 'Asia/Shanghai', minGapMinutes: 10 }),
      await group({ timezone: 'Asia/Shanghai', minGapMinutes: 10 }),
    ];
    groups.push(...busyGroups);
    const busy = busyGroups[0];
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二']);
    // Another run already sent to the last group: the plan counts it against the gap.
    const earlier = await CampaignFactory.create(planner, content.slice(0, 1), [{ after: 'PT0S' }]);
    const other = await planner
      .post(`/v1/campaigns/${earlier.id}/runs`)
      .send({ audience: { groupIds: busyGroups.map((g) => g.id) } });
    await waitForPosts<PostView>(planner, other.body.id, (all) => all.every((p) => p.status === 'sent'));
    // …and has finished: a run completing while the plan is made would change the tables compared below.
    await eventually(async () => {
      const status = (await planner.get(`/v1/runs/${other.body.id}`).expect(200)).body.status as string;
      return status === 'completed' ? status : undefined;
    });

    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }, { after: 'PT0S' }]);
    const body = { audience: { tags: [tag] } };
    const checksum = async () => {
      const mysql = await createConnection({ uri: t.config.databaseUrl });
      const [rows] = await mysql.query('CHECKSUM TABLE posts, runs, run_groups, post_deferrals, post_attempts');
      await mysql.end();
      return JSON.stringify(rows);
    };
    const redis = new Redis(t.config.redisUrl);
    // Every key but the request budgets the API keeps for each key and route (counting a request is not a write of the plan).
    const keys = async () =>
      (await redis.keys(`${t.config.queuePrefix}:*`))
        .filter((key) => !/:\{[0-9a-f]{64}:default\}:(hits|blocked)$/.test(key))
        .sort()
        .join(',');
    let plan;
    try {
      const before = [await checksum(), await keys()];
      plan = await planner.post(`/v1/campaigns/${campaign.id}/plan`).send(body).expect(200);
      expect([await checksum(), await keys()]).toEqual(before);
    } finally {
      await redis.quit();
    }
    const entries = plan.body.entries as PlanEntry[];
    expect(plan.body.summary).toMatchObject({ posts: 64, groups: 32, skipped: 0 });
    expect(plan.body.summary.groupsMovedBy).toMatchObject({
      'quiet hours': 10,
      'minimum gap': 5,
      'daily cap': 3,
    });
    for (const entry of entries) {
      const moved = Date.parse(entry.predictedAt!) - Date.parse(entry.dueAt) > 5000;
      expect({ ...entry, named: moved === entry.moves.length > 0 || !moved }).toMatchObject({ named: true });
    }

    const run = await planner.post(`/v1/campaigns/${campaign.id}/runs`).send(body).expect(201);
    // Settled: sent, or held by a rule of its own (not only waiting for the post before it).
    const settled = (p: PostView) =>
      p.status === 'sent' || (p.notBefore !== null && !!p.deferReason && !p.deferReason.startsWith('waits for post'));
    // All but the busy groups' second posts, which wait for their first (held by the gap).
    const SETTLED = 62;
    let seen: PostView[] = [];
    const posts = await eventually(
      async () => {
        const all = await postsOf<PostView>(planner, run.body.id);
        seen = all;
        return all.length === 64 && all.filter(settled).length >= SETTLED ? all : undefined;
      },
      30_000,
      200,
      () =>
        `${seen.filter(settled).length} of ${seen.length} settled; waiting: ${seen
          .filter((p) => !settled(p))
          .map((p) => `${p.status} ${p.deferReason ?? ''}`)
          .join(' | ')}`,
    );
    const compared = posts.filter(settled).map((p) => {
      const entry = entries.find((e) => e.groupId === p.groupId && e.step === p.step)!;
      const real = Date.parse(p.sentAt ?? p.notBefore!);
      return {
        group: p.groupId,
        step: p.step,
        miss: Math.abs(real - Date.parse(entry.predictedAt!)),
        why: p.deferReason,
      };
    });
    const within = compared.filter((c) => c.miss <= 5000);
    expect(within.length / compared.length).toBeGreaterThanOrEqual(0.95);
    const quietEnd = entries.find((e) => e.groupId === groups[0].id && e.step === 0)!;
    expect(quietEnd.moves).toEqual([`quiet hours ${quiet}`]);
    expect(Date.parse(quietEnd.predictedAt!) - Date.now()).toBeGreaterThan(0);
    const gapped = entries.find((e) => e.groupId === busy.id && e.step === 0)!;
    expect(gapped.moves).toEqual(['minimum gap of 10 min']);
    expect(Date.parse(gapped.predictedAt!) - Date.now()).toBeLessThanOrEqual(10 * MINUTE);
  }, 90_000);

  it('renders each step for each group as its channel will send it, and names what the provider will split', async () => {
    const editor = t.as(await createKey(t, 'editor'));
    const textChannel = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } }))
      .id;
    const markdownChannel = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url } })).id;
    const tag = `render-${Date.now()}`;
    const onText = await GroupFactory.create(t, textChannel, { tags: [tag] });
    const onMarkdown = await GroupFactory.create(t, markdownChannel, { tags: [tag] });
    const short = await ContentFactory.create(editor, 'custom', { title: '短文', fields: { text: '你好' } });
    const long = await ContentFactory.create(editor, 'custom', { title: '长文', fields: { text: '长'.repeat(1000) } });
    for (const piece of [short, long]) await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
    const campaign = await CampaignFactory.create(planner, [short.id, long.id], [{ after: 'PT0S' }, { after: 'PT1H' }]);
    const plan = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [tag] } })
      .expect(200);
    const problems = (groupId: string, step: number) =>
      (plan.body.entries as (PlanEntry & { problems: string[] })[]).find(
        (e) => e.groupId === groupId && e.step === step,
      )!.problems;
    expect(problems(onText.id, 0)).toEqual([]);
    // 1,000 characters of three bytes: over WeCom's 2,048 bytes for text, under its 4,096 for markdown.
    expect(problems(onText.id, 1)).toEqual([
      '3000 bytes exceeds wecom text limit of 2048 bytes; it will be split into several messages',
    ]);
    expect(problems(onMarkdown.id, 1)).toEqual([]);
    expect(plan.body.summary.withProblems).toBe(1);
  });

  it('makes a plan of more posts than PLAN_SYNC_MAX_POSTS as a job: 202, then the plan from GET /v1/plans/:id', async () => {
    const channelId = (await ChannelFactory.create(t, 'console')).id;
    const tag = `job-${Date.now()}`;
    await GroupFactory.bulk(t, channelId, tag, 41);
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二']);
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }, { after: 'PT1H' }]);
    const accepted = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [tag] } })
      .expect(202);
    expect(accepted.body).toEqual({ id: expect.any(String), status: 'pending' });
    expect(accepted.headers.location).toBe(`/v1/plans/${accepted.body.id}`);
    const done = await eventually(async () => {
      const job = await planner.get(`/v1/plans/${accepted.body.id}`);
      return job.status === 200 ? job.body : undefined;
    });
    expect(done).toMatchObject({ id: accepted.body.id, status: 'done', plan: { summary: { posts: 82, groups: 41 } } });
    expect(done.plan.entries).toHaveLength(82);
    await planner.get('/v1/plans/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('refuses a plan for a campaign that cannot launch, naming the problem', async () => {
    const response = await planner
      .post('/v1/campaigns/00000000-0000-4000-8000-000000000000/plan')
      .send({ audience: { tags: ['x'] } });
    expect(response.status).toBe(404);
  });
});
