import { CampaignFactory, GroupFactory, planningSetup } from './support/factories';
import { eventually, postsOf } from './support/poll';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const STEPS = 5;

describe('evergreen runs: each group starts at its own day 0', () => {
  let t: TestApp;
  let planner: RequestWith;
  let channelId: string;
  let runId: string;
  const tag = `evergreen-${Date.now()}`;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    const setup = await planningSetup(t, ['一', '二', '三', '四', '五']);
    planner = setup.planner;
    channelId = setup.channelId;
    const campaign = await CampaignFactory.create(planner, setup.content, Array(STEPS).fill({ after: 'PT1S' }));
    const group = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, evergreen: true })
      .expect(201);
    runId = run.body.id;
    await postsOfGroup(group.id, (posts) => posts.some((p) => p.status === 'sent'));
  });
  afterAll(() => t.close());

  /** Polls the run's posts to one group until `done` holds. */
  function postsOfGroup(groupId: string, done: (posts: PostView[]) => boolean, timeoutMs = 30_000) {
    let posts: PostView[] = [];
    return eventually(
      async () => {
        posts = (await postsOf<PostView>(planner, runId)).filter((p) => p.groupId === groupId);
        return done(posts) ? posts.sort((a, b) => a.step - b.step) : undefined;
      },
      timeoutMs,
      100,
      () => JSON.stringify(posts.map((p) => [p.step, p.status, p.error])),
    );
  }

  it('takes in a group created with the tag after launch, which then gets all five stages in order from its own start', async () => {
    const joinedAt = Date.now();
    const late = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    const posts = await postsOfGroup(late.id, (all) => all.length === STEPS && all.every((p) => p.status === 'sent'));
    expect(posts.map((p) => p.stage)).toEqual(['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close']);
    expect(Date.parse(posts[0].dueAt)).toBeGreaterThanOrEqual(joinedAt);
    const sent = posts.map((p) => Date.parse(p.sentAt!));
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    // Still running once every post so far is sent: the run keeps watching its tag.
    expect((await planner.get(`/v1/runs/${runId}`).expect(200)).body).toMatchObject({
      status: 'running',
      evergreen: true,
      postCount: 2 * STEPS,
    });
  });

  it('cancels the rest, with the reason, for a group that loses the tag mid-way', async () => {
    const leaving = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    await postsOfGroup(leaving.id, (all) => all.some((p) => p.status === 'sent'));
    await t.admin
      .patch(`/v1/groups/${leaving.id}`)
      .send({ tags: ['elsewhere'] })
      .expect(200);
    const posts = await postsOfGroup(leaving.id, (all) => all.some((p) => p.status === 'cancelled'));
    const after = await postsOfGroup(leaving.id, (all) => all.every((p) => ['sent', 'cancelled'].includes(p.status)));
    expect(after.filter((p) => p.status === 'cancelled').length).toBeGreaterThan(0);
    expect(after.filter((p) => p.status === 'sent').length).toBeLessThan(STEPS);
    for (const p of posts.filter((post) => post.status === 'cancelled')) {
      expect(p.error).toBe('left the run: lost its tags or was archived');
    }
  });

  it('takes back a group that gets its tag again, which carries on where it stopped and gets every stage once', async () => {
    const group = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    await postsOfGroup(group.id, (all) => all.some((p) => p.status === 'sent'));
    await t.admin
      .patch(`/v1/groups/${group.id}`)
      .send({ tags: ['elsewhere'] })
      .expect(200);
    await postsOfGroup(group.id, (all) => all.some((p) => p.status === 'cancelled'));
    const board = async () =>
      (
        (await planner.get(`/v1/runs/${runId}/groups?pageSize=100`).expect(200)).body.items as {
          groupId: string;
          status: string;
        }[]
      ).find((g) => g.groupId === group.id)!;
    expect((await board()).status).toBe('left');
    await t.admin
      .patch(`/v1/groups/${group.id}`)
      .send({ tags: [tag] })
      .expect(200);
    const posts = await postsOfGroup(group.id, (all) => all.every((p) => p.status === 'sent'));
    expect(posts.map((p) => p.stage)).toEqual(['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close']);
    expect((await board()).status).toBe('done');
  });

  it('lets a planner take a group out, and never takes it in twice', async () => {
    const removed = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    await postsOfGroup(removed.id, (all) => all.length === STEPS);
    await planner.post(`/v1/runs/${runId}/groups/${removed.id}/remove`).expect(200);
    await planner.post(`/v1/runs/${runId}/groups/${removed.id}/remove`).expect(409);
    const posts = await postsOfGroup(removed.id, (all) => all.every((p) => ['sent', 'cancelled'].includes(p.status)));
    expect(posts.some((p) => p.error === 'removed from the run by a planner')).toBe(true);
    // A newcomer joining proves the enrolment ran again after the removal; the removed group stays out.
    const witness = await GroupFactory.create(t, channelId, { tags: [tag], quietHours: null });
    await postsOfGroup(witness.id, (all) => all.length === STEPS);
    expect((await postsOfGroup(removed.id, () => true)).length).toBe(STEPS);
  });

  it('refuses an evergreen run without tags to watch', async () => {
    const { content } = await planningSetup(t, ['一']);
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }]);
    const group = await GroupFactory.create(t, channelId, { tags: [`x-${Date.now()}`] });
    const response = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] }, evergreen: true })
      .expect(400);
    expect(response.body.details).toEqual([{ field: 'audience.tags', message: expect.stringContaining('evergreen') }]);
  });
});
