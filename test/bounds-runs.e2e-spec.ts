import { DateTime } from 'luxon';
import { CampaignFactory, ContentFactory, GroupFactory, createKey, planningSetup } from './support/factories';
import { postsOf } from './support/poll';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

/** UTC−5 … UTC+14, with the odd offsets. */
const ZONES = ['America/New_York', 'UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'Asia/Shanghai', 'Pacific/Kiritimati'];

describe('bounds: nothing of a run is due before it starts', () => {
  let t: TestApp;
  let planner: RequestWith;
  let content: string[];
  let channelId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp();
    ({ planner, content, channelId } = await planningSetup(t, ['一', '二', '三']));
  });
  afterAll(() => t.close());

  /** Groups in every zone, a campaign of day 0 08:00, 1 h later, day 1 08:00, and the next midnight in Shanghai. */
  async function setup() {
    const tag = `start-${++serial}`;
    const groups = new Map<string, string>();
    for (const timezone of ZONES)
      groups.set((await GroupFactory.create(t, channelId, { tags: [tag], timezone, quietHours: null })).id, timezone);
    const campaign = await CampaignFactory.create(planner, content, [
      { day: 0, at: '08:00' },
      { after: 'PT1H' },
      { day: 1, at: '08:00' },
    ]);
    const startAt = DateTime.now().setZone('Asia/Shanghai').plus({ days: 1 }).startOf('day');
    return { tag, groups, campaign, startAt: startAt.toISO()!, start: startAt.toMillis() };
  }

  // Midnight in Shanghai is 16:00 UTC the day before: 08:00 of that day has passed in New York (11:00),
  // UTC, Berlin (17:00) and Kathmandu (21:45), not in Shanghai or Kiritimati (06:00 the same day).
  const PASSED = ['America/New_York', 'UTC', 'Europe/Berlin', 'Asia/Kathmandu'];

  it('moves a day-0 step already past in a group’s zone to the start, says so in the plan and on the post, and the step after it follows', async () => {
    const { tag, groups, campaign, startAt, start } = await setup();
    const plan = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [tag] }, startAt })
      .expect(200);
    expect(plan.body.summary.groupsMovedBy).toEqual({ 'before the start': PASSED.length });
    for (const entry of plan.body.entries as { groupId: string; step: number; dueAt: string; moves: string[] }[]) {
      expect(Date.parse(entry.dueAt)).toBeGreaterThanOrEqual(start);
      const zone = groups.get(entry.groupId)!;
      const moved = entry.step === 0 && PASSED.includes(zone);
      expect(entry.moves).toEqual(
        moved ? [`day 0 at 08:00 had already passed in ${zone} at the start: due at the start instead`] : [],
      );
    }

    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, startAt })
      .expect(201);
    expect(run.body.status).toBe('scheduled');
    const posts = await postsOf<PostView>(planner, run.body.id);
    expect(posts).toHaveLength(ZONES.length * 3);
    expect(posts.filter((p) => Date.parse(p.dueAt) < start)).toEqual([]);
    for (const post of posts) {
      const zone = groups.get(post.groupId)!;
      if (post.step === 0) expect(Date.parse(post.dueAt) === start).toBe(PASSED.includes(zone));
      if (post.step === 1)
        expect(Date.parse(post.dueAt)).toBe(
          Date.parse(posts.find((p) => p.groupId === post.groupId && p.step === 0)!.dueAt) + 3_600_000,
        );
    }
    const moved = posts.find((p) => p.step === 0 && groups.get(p.groupId) === 'Europe/Berlin')!;
    const detail = await planner.get(`/v1/posts/${moved.id}`).expect(200);
    expect(detail.body.deferrals).toEqual([
      {
        at: expect.any(String),
        until: new Date(start).toISOString(),
        code: 'before_start',
        reason: 'day 0 at 08:00 had already passed in Europe/Berlin at the start: due at the start instead',
      },
    ]);
  });

  it('skips such a step instead when the run says catchUp: skip', async () => {
    const { tag, groups, campaign, startAt, start } = await setup();
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, startAt, catchUp: 'skip' })
      .expect(201);
    const posts = await postsOf<PostView>(planner, run.body.id);
    const skipped = posts.filter((p) => p.status === 'skipped');
    expect(skipped.map((p) => groups.get(p.groupId)).sort()).toEqual([...PASSED].sort());
    for (const post of skipped) {
      expect(post).toMatchObject({
        step: 0,
        error: `day 0 at 08:00 had already passed in ${groups.get(post.groupId)} at the start (catchUp: skip)`,
      });
    }
    expect(posts.filter((p) => Date.parse(p.dueAt) < start)).toEqual([]);
  });

  it('lets a run weeks ahead leave a pool routine’s slots alone: only what a group was sent counts as received', async () => {
    const editor = t.as(await createKey(t, 'editor'));
    const pool = `晚安池-${++serial}`;
    const pieces: string[] = [];
    for (const text of ['晚安一', '晚安二']) {
      const piece = await ContentFactory.create(editor, 'custom', { tags: [pool], fields: { text } });
      await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
      pieces.push(piece.id);
    }
    const tag = `pool-${serial}`;
    const group = await GroupFactory.create(t, channelId, { tags: [tag], timezone: 'Asia/Shanghai', quietHours: null });
    // Both pieces go to the group in 20 days, from a run already launched.
    const campaign = await CampaignFactory.create(planner, pieces, [
      { day: 20, at: '12:00' },
      { day: 20, at: '13:00' },
    ]);
    await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    const routine = await planner
      .post('/v1/routines')
      .send({
        name: '晚安',
        audience: { tags: [tag] },
        schedule: { every: 'day', at: '22:00' },
        source: { mode: 'pool', tag: pool, kind: 'custom', noRepeatDays: 14 },
      })
      .expect(201);
    const plan = await planner.get(`/v1/routines/${routine.body.id}/plan?days=7`).expect(200);
    const slots = plan.body.slots as { status: string; piece: { id: string } | null; reason: string | null }[];
    expect(slots.length).toBeGreaterThanOrEqual(6);
    expect(slots.slice(0, 2).map((s) => [s.status, s.piece?.id])).toEqual([
      ['planned', pieces[0]],
      ['planned', pieces[1]],
    ]);
    expect(slots[2].reason).toBe(
      `pool ${pool} (custom) is exhausted: this group received every piece in the last 14 days`,
    );
  });
});
