import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { api } from './support/api';
import { PostView } from './support/views';

describe('a five-stage run through the scheduler and workers', () => {
  let t: TestApp;
  let planner: RequestWith;
  let editor: RequestWith;
  const receiver = new FakeWebhookReceiver();
  const arrivals: { id: string; group: string; stage: string; at: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', RETRY_BASE_MS: '50' });
    planner = t.as(await createKey(t, 'planner'));
    editor = t.as(await createKey(t, 'editor'));
    await receiver.start();
    const original = receiver['answer'].bind(receiver);
    receiver['answer'] = (request) => {
      const body = request.json as { data: { postId: string; stage: string; group: { id: string } } };
      arrivals.push({ id: body.data.postId, group: body.data.group.id, stage: body.data.stage, at: Date.now() });
      return original(request);
    };
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('sends every post once, in step order per group, each at its due time', async () => {
    const channel = await ChannelFactory.create(t, 'webhook');
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Shanghai'];
    const groups = [];
    for (const [i, timezone] of zones.entries()) {
      const group = await GroupFactory.create(t, channel.id, {
        address: `${receiver.url}/hook/${i}`,
        timezone,
        tags: ['five-stage'],
        quietHours: null,
      });
      groups.push(group);
    }
    receiver.secret = groups[0].signingSecret!;
    // Each group has its own secret; the receiver here checks one, so give all three the same.
    for (const g of groups.slice(1)) {
      await t.admin
        .patch(`/v1/groups/${g.id}`)
        .send({ address: { url: `${receiver.url}/hook/${g.id}`, secret: receiver.secret } })
        .expect(200);
    }
    const content = await publishedPieces(editor, ['激活', '教育', '需求', '情绪', '成交']);
    const timings = [{ after: 'PT1S' }, { after: 'PT1S' }, { after: 'PT1S' }, { after: 'PT1S' }, { after: 'PT1S' }];
    const campaign = await CampaignFactory.create(planner, content, timings);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['five-stage'] } })
      .expect(201);
    expect(run.body).toMatchObject({ status: 'running', postCount: 15 });

    const posts = await waitForPosts<PostView>(
      planner,
      run.body.id,
      (all) => all.length === 15 && all.every((p) => p.status === 'sent'),
    );
    expect(new Set(arrivals.map((a) => a.id)).size).toBe(15);
    expect(arrivals).toHaveLength(15);
    for (const group of groups) {
      const stages = arrivals.filter((a) => a.group === group.id).map((a) => a.stage);
      expect(stages).toEqual(['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close']);
    }
    for (const post of posts) {
      const arrived = arrivals.find((a) => a.id === post.id)!.at;
      const due = Date.parse(post.dueAt);
      expect(arrived).toBeGreaterThanOrEqual(due - 5);
      expect(arrived - due).toBeLessThan(1500);
    }
    const stats = await api(planner).runs.stats(run.body.id);
    expect(stats.byStage.close).toEqual({ sent: 3 });
    expect(stats.groups.map((g) => g.lastStage)).toEqual(['close', 'close', 'close']);
    const finished = await waitForRunStatus(planner, run.body.id, 'completed');
    expect(finished.finishedAt).toEqual(expect.any(String));
  });

  it('sends five steps due at one instant in order, each waiting in the worker for the one ahead rather than being put back', async () => {
    const channel = await ChannelFactory.create(t, 'webhook');
    const groups: { id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      groups.push(
        await GroupFactory.create(t, channel.id, {
          address: { url: `${receiver.url}/at-once/${i}`, secret: receiver.secret },
          tags: ['at-once'],
          quietHours: null,
          minGapMinutes: 'off',
        }),
      );
    }
    // Each answer takes a while, so the steps behind it are claimed while it is still in flight.
    receiver.next(...Array.from({ length: 15 }, () => ({ delayMs: 100 })));
    const content = await publishedPieces(editor, ['一', '二', '三', '四', '五']);
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['at-once'] } })
      .expect(201);
    const posts = await waitForPosts<PostView>(
      planner,
      run.body.id,
      (all) => all.length === 15 && all.every((p) => p.status === 'sent'),
    );
    const ours = arrivals.filter((a) => groups.some((g) => g.id === a.group));
    expect(ours).toHaveLength(15);
    for (const group of groups) {
      expect(ours.filter((a) => a.group === group.id).map((a) => a.stage)).toEqual([
        'activate',
        'educate',
        'trigger_need',
        'trigger_emotion',
        'close',
      ]);
    }
    const held: string[] = [];
    for (const post of posts) {
      const detail = await planner.get(`/v1/posts/${post.id}`).expect(200);
      held.push(...(detail.body.deferrals as { reason: string }[]).map((d) => d.reason));
    }
    expect(held).toEqual([]);
  });
});

async function waitForRunStatus(as: RequestWith, runId: string, status: string, timeoutMs = 10_000) {
  let run: { status: string; finishedAt: string | null } | undefined;
  return eventually(
    async () => {
      run = (await as.get(`/v1/runs/${runId}`).expect(200)).body as { status: string; finishedAt: string | null };
      return run.status === status ? run : undefined;
    },
    timeoutMs,
    100,
    () => `run ${runId} is ${run?.status}, not ${status}`,
  );
}
