import { CampaignFactory, ContentFactory, createKey, planningSetup } from './support/factories';
import { DateTime } from 'luxon';
import { eventually, postsOf, waitForPosts } from './support/poll';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

interface BoardRow {
  groupId: string;
  status: string;
  lastSent: { stage: string } | null;
  next: { stage: string; status: string } | null;
  counts: Record<string, number>;
}

interface CalendarEntry {
  postId: string | null;
  status: string;
  stage: string;
  localDate: string;
  title: string | null;
}

const GROUPS = 50;

describe('the run board and the calendar, against the posts table', () => {
  let t: TestApp;
  let planner: RequestWith;
  let viewer: RequestWith;
  let runId: string;
  let groupIds: string[];
  const tag = `board-${Date.now()}`;
  const from = new Date(Date.now() - 3600_000);

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    const setup = await planningSetup(t, ['一', '二', '三']);
    planner = setup.planner;
    viewer = t.as(await createKey(t, 'viewer'));
    const rows = Array.from({ length: GROUPS }, (_, i) => ({
      name: `看板群 ${String(i).padStart(2, '0')}`,
      channelId: setup.channelId,
      address: `board-${tag}-${i}`,
      timezone: 'Asia/Shanghai',
      quietHours: 'off',
      minGapMinutes: 'off',
      tags: [tag],
    }));
    const imported = await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    groupIds = imported.body.groups.map((g: { id: string }) => g.id);
    // Two steps now; the third thirty days on, at 08:00 in each group's zone.
    const campaign = await CampaignFactory.create(planner, setup.content, [
      { after: 'PT0S' },
      { after: 'PT0S' },
      { day: 30, at: '08:00' },
    ]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    runId = run.body.id;
    await waitForPosts<PostView>(planner, runId, (all) => all.filter((p) => p.status === 'sent').length === 2 * GROUPS);
    await planner.post(`/v1/runs/${runId}/groups/${groupIds[0]}/remove`).expect(200);
  }, 120_000);
  afterAll(() => t.close());

  it('shows where each group stands, and its counts match the posts table', async () => {
    const posts = await postsOf<PostView>(planner, runId);
    const board: BoardRow[] = [];
    for (let page = 1; board.length < GROUPS; page++) {
      const response = await viewer.get(`/v1/runs/${runId}/groups?pageSize=20&page=${page}`).expect(200);
      expect(response.body.total).toBe(GROUPS);
      board.push(...response.body.items);
    }
    for (const row of board) {
      const own = posts.filter((p) => p.groupId === row.groupId);
      const counts = own.reduce<Record<string, number>>((c, p) => ({ ...c, [p.status]: (c[p.status] ?? 0) + 1 }), {});
      expect(row.counts).toEqual(counts);
    }
    const removed = board.find((r) => r.groupId === groupIds[0])!;
    expect(removed).toMatchObject({ status: 'left', counts: { sent: 2, cancelled: 1 }, next: null });
    const others = board.filter((r) => r.groupId !== groupIds[0]);
    expect(
      new Set(others.map((r) => JSON.stringify([r.status, r.lastSent?.stage, r.next?.stage, r.next?.status]))),
    ).toEqual(new Set([JSON.stringify(['in_progress', 'educate', 'trigger_need', 'scheduled'])]));
    const educated = await viewer.get(`/v1/runs/${runId}/groups?stage=educate&status=in_progress&pageSize=100`);
    expect(educated.body.total).toBe(GROUPS - 1);
    expect((await viewer.get(`/v1/runs/${runId}/groups?status=done`)).body.total).toBe(0);
  });

  it('draws every post of the window by group and local day, as the posts table has them', async () => {
    const to = new Date(from.getTime() + 31 * 86_400_000);
    const query = `from=${from.toISOString()}&to=${to.toISOString()}&tag=${tag}&pageSize=200`;
    const calendar = await viewer.get(`/v1/calendar?${query}`).expect(200);
    expect(calendar.body.total).toBe(GROUPS);
    const posts = await postsOf<PostView>(planner, runId);
    const entries = calendar.body.groups.flatMap((g: { days: { entries: CalendarEntry[] }[] }) =>
      g.days.flatMap((d) => d.entries),
    ) as CalendarEntry[];
    const tally = (statuses: string[]) =>
      statuses.reduce<Record<string, number>>((c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }), {});
    expect(tally(entries.map((e) => e.status))).toEqual(tally(posts.map((p) => p.status)));
    const first = calendar.body.groups.find((g: { groupId: string }) => g.groupId === groupIds[1]);
    expect(first.days.map((d: { date: string; entries: CalendarEntry[] }) => [d.date, d.entries.length])).toEqual([
      [expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 2],
      [expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 1],
    ]);
    expect(first.days[1].entries[0]).toMatchObject({ stage: 'trigger_need', status: 'scheduled', title: '三' });
    // The first two steps fall due at the same instant: every group lists them in the campaign's order.
    const firstDays = calendar.body.groups.map((g: { days: { entries: CalendarEntry[] }[] }) =>
      g.days[0].entries.map((e) => e.title).join(''),
    );
    expect(new Set(firstDays)).toEqual(new Set(['一二']));
  });

  /** A published poster with the tag, and a daily routine that sends from the tag's pool. */
  const poolRoutine = async (title: string, audience: object, at: string): Promise<string> => {
    const editor = t.as(await createKey(t, 'editor'));
    const poster = await ContentFactory.create(editor, 'custom', { title, fields: { text: title }, tags: [tag] });
    await editor.post(`/v1/content/${poster.id}/publish`).send({}).expect(200);
    const routine = await planner
      .post('/v1/routines')
      .send({ name: title, audience, schedule: { every: 'day', at }, source: { mode: 'pool', tag, noRepeatDays: 0 } })
      .expect(201);
    return routine.body.id;
  };

  it('shows a routine’s slots still to come as planned, with the piece each will send', async () => {
    await poolRoutine('晚安', { tags: [tag] }, '21:00');
    const start = new Date(Date.now() + 86_400_000);
    const to = new Date(start.getTime() + 3 * 86_400_000);
    const calendar = await viewer
      .get(`/v1/calendar?from=${start.toISOString()}&to=${to.toISOString()}&groupId=${groupIds[1]}`)
      .expect(200);
    const planned = calendar.body.groups[0].days.flatMap((d: { entries: CalendarEntry[] }) =>
      d.entries.filter((e) => e.postId === null),
    );
    expect(planned).toHaveLength(3);
    for (const entry of planned) expect(entry).toMatchObject({ status: 'planned', title: '晚安', stage: 'educate' });
  });

  it('shows a routine slot once when it has just been made into a post', async () => {
    // Within the scheduler's horizon: the tick makes the slot a post at once.
    const at = DateTime.utc().setZone('Asia/Shanghai').plus({ minutes: 3 }).toFormat('HH:mm');
    const routineId = await poolRoutine('午安', { groupIds: [groupIds[2]] }, at);
    const window = `from=${new Date().toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
    const slots = async () => {
      const calendar = await viewer.get(`/v1/calendar?${window}&groupId=${groupIds[2]}`).expect(200);
      return (calendar.body.groups[0].days as { entries: (CalendarEntry & { routineId: string | null })[] }[])
        .flatMap((d) => d.entries)
        .filter((e) => e.routineId === routineId);
    };
    // Asked before the tick and again after it: the slot is planned, then a post, never both.
    expect((await slots()).length).toBe(1);
    await eventually(async () => {
      const page = await planner.get(`/v1/posts?routineId=${routineId}`).expect(200);
      return page.body.items.length === 1 || undefined;
    }, 10_000);
    const [entry] = await slots();
    expect(await slots()).toHaveLength(1);
    expect(entry.postId).not.toBeNull();
  });

  it('gives one group’s timeline with the rules that move its posts', async () => {
    const to = new Date(from.getTime() + 86_400_000);
    const timeline = await viewer
      .get(`/v1/groups/${groupIds[1]}/timeline?from=${from.toISOString()}&to=${to.toISOString()}`)
      .expect(200);
    expect(timeline.body.policy).toMatchObject({ quietHours: null, minGapMinutes: 0 });
    const entries = timeline.body.days.flatMap(
      (d: { entries: (CalendarEntry & { runId: string | null })[] }) => d.entries,
    );
    expect(
      entries.filter((e: { runId: string | null }) => e.runId === runId).map((e: CalendarEntry) => e.status),
    ).toEqual(['sent', 'sent']);
  });

  it.each([
    ['no group or tag', `from=${new Date().toISOString()}&to=${new Date(Date.now() + 1000).toISOString()}`, 'groupId'],
    ['a window over 31 days', `from=2026-01-01T00:00:00Z&to=2026-02-02T00:00:00Z&tag=x`, 'to'],
    ['an end before the start', `from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z&tag=x`, 'to'],
    ['a start that is not an instant', `from=yesterday&to=2026-01-01T00:00:00Z&tag=x`, 'from'],
  ])('refuses a calendar with %s, naming the field', async (_, query, field) => {
    const response = await viewer.get(`/v1/calendar?${query}`).expect(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
