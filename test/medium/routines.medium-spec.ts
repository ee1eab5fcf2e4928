import { randomBytes } from 'node:crypto';
import { ContentService } from '../../src/content/content.service';
import { ChannelsService } from '../../src/groups/channels.service';
import { GroupsService } from '../../src/groups/groups.service';
import { PostCreation } from '../../src/posts/lifecycle/post-creation.service';
import { RoutineMaterializer } from '../../src/routines/routine-materializer.service';
import { RoutinesService } from '../../src/routines/routines.service';
import { exampleFields } from '../support/factories';
import { MediumContext, createMediumContext } from '../support/medium-context';

const DAY = 86_400_000;
const EDITOR = { keyId: 'medium-editor', role: 'editor' as const };

interface SlotPost {
  groupId: string;
  dueAt: Date;
  status: string;
  contentId: string | null;
  error: string | null;
}

/** Routines against MariaDB, with the clock handed to the materialiser: days pass in milliseconds. */
describe('routines: slots made into posts', () => {
  let ctx: MediumContext;
  let routines: RoutinesService;
  let materializer: RoutineMaterializer;
  let groups: GroupsService;
  let content: ContentService;
  let channelId: string;

  beforeAll(async () => {
    ctx = await createMediumContext({ SCHEDULER_HORIZON_MS: String(60 * 60_000) });
    routines = ctx.get(RoutinesService);
    materializer = ctx.get(RoutineMaterializer);
    groups = ctx.get(GroupsService);
    content = ctx.get(ContentService);
    channelId = (await ctx.get(ChannelsService).create({ name: 'robots', type: 'wecom' })).id;
  });
  afterAll(() => ctx.close());

  const tag = () => `t${randomBytes(4).toString('hex')}`;
  const group = (tags: string[], timezone = 'Asia/Shanghai') =>
    groups.create({ name: `群 ${tag()}`, channelId, address: `key-${randomBytes(8).toString('hex')}`, timezone, tags });
  const publish = async (kind: string, title: string, fields: Record<string, unknown>, tags: string[]) => {
    const piece = await content.create({ kind, title, fields, tags }, EDITOR);
    await content.publish(piece.id, {}, undefined);
    return piece.id;
  };
  const slotPosts = async (routineId: string): Promise<SlotPost[]> =>
    (await ctx.db.query(
      `SELECT group_id AS groupId, due_at AS dueAt, status, content_id AS contentId, error FROM posts
       WHERE routine_id = ? ORDER BY group_id, due_at`,
      [routineId],
    )) as SlotPost[];

  it('makes each group’s slot into one post at its local time, even when two leaders tick at once', async () => {
    const audience = tag();
    const [shanghai, singapore, berlin] = [
      await group([audience], 'Asia/Shanghai'),
      await group([audience], 'Asia/Singapore'),
      await group([audience], 'Europe/Berlin'),
    ];
    await publish('goodnight_poster', '晚安', exampleFields('goodnight_poster'), [audience]);
    const routine = await routines.create({
      name: '晚安',
      audience: { tags: [audience] },
      schedule: { every: 'day', at: '22:00' },
      source: { mode: 'pool', tag: audience },
    });
    // 21:30 in Shanghai and Singapore; 14:30 in Berlin: only the first two have a slot within the hour.
    const now = new Date('2030-01-10T13:30:00Z');
    await Promise.all([materializer.materialize(now), materializer.materialize(now)]);
    await materializer.materialize(new Date(now.getTime() + 1000));
    const posts = await slotPosts(routine.id);
    expect(posts.map((p) => [p.groupId, p.dueAt.toISOString(), p.status]).sort()).toEqual(
      [
        [shanghai.id, '2030-01-10T14:00:00.000Z', 'scheduled'],
        [singapore.id, '2030-01-10T14:00:00.000Z', 'scheduled'],
      ].sort(),
    );
    expect(posts.some((p) => p.groupId === berlin.id)).toBe(false);
  });

  it('gives each group a pool piece it has not had lately, and the week’s plan is what the days then bring', async () => {
    const audience = tag();
    const pool = tag();
    const [g1, g2, g3] = [await group([audience]), await group([audience]), await group([audience])];
    const pieces: string[] = [];
    for (const n of [1, 2, 3])
      pieces.push(await publish('goodnight_poster', `晚安 ${n}`, exampleFields('goodnight_poster'), [pool]));
    const start = new Date('2030-02-01T13:30:00Z'); // 21:30 in Shanghai: each day's slot is within the hour
    // History: g2 had piece 1 yesterday, g3 had pieces 1 and 2 in the last two days.
    const lifecycle = ctx.get(PostCreation);
    const past = (groupId: string, contentId: string, daysAgo: number) => ({
      id: `${randomBytes(4).toString('hex')}-0000-4000-8000-000000000000`,
      routineId: `past-${tag()}`,
      step: 0,
      stage: 'educate' as const,
      groupId,
      channelType: 'wecom' as const,
      contentId,
      revision: 1,
      promotional: false,
      dueAt: new Date(start.getTime() - daysAgo * DAY),
    });
    await lifecycle.createSlots([past(g2.id, pieces[0], 1), past(g3.id, pieces[0], 2), past(g3.id, pieces[1], 1)]);
    await ctx.db.query(`UPDATE posts SET status = 'sent', sent_at = due_at WHERE group_id IN (?)`, [[g2.id, g3.id]]);
    const routine = await routines.create({
      name: '晚安池',
      audience: { tags: [audience] },
      schedule: { every: 'day', at: '22:00' },
      source: { mode: 'pool', tag: pool, noRepeatDays: 2 },
    });
    const plan = await routines.plan(routine.id, { days: 7, page: 1, pageSize: 100 }, start);
    for (let day = 0; day < 7; day++) await materializer.materialize(new Date(start.getTime() + day * DAY));
    const made = await slotPosts(routine.id);
    const planned = plan.slots.map((s) => [s.groupId, new Date(s.dueAt).toISOString(), s.piece?.id ?? s.reason]);
    expect(made.map((p) => [p.groupId, p.dueAt.toISOString(), p.contentId ?? p.error])).toEqual(
      planned.sort((a, b) => (`${a[0]}${a[1]}` < `${b[0]}${b[1]}` ? -1 : 1)),
    );
    const byGroup = (id: string) => made.filter((p) => p.groupId === id).map((p) => pieces.indexOf(p.contentId!) + 1);
    expect(byGroup(g1.id)).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(byGroup(g2.id)).toEqual([2, 3, 1, 2, 3, 1, 2]);
    expect(byGroup(g3.id)).toEqual([3, 1, 2, 3, 1, 2, 3]);
  });

  it('sends the brief written for the slot’s date, not tomorrow’s, and skips a day without one, saying why', async () => {
    const audience = tag();
    const g = await group([audience]);
    const kind = 'morning_brief';
    const today = await publish(kind, '早报', { ...exampleFields(kind), date: '2030-03-01' }, []);
    const tomorrow = await publish(kind, '明天的早报', { ...exampleFields(kind), date: '2030-03-02' }, []);
    const routine = await routines.create({
      name: '早报',
      audience: { groupIds: [g.id] },
      schedule: { every: 'day', at: '08:00' },
      source: { mode: 'current', kind },
      endDate: '2030-03-03',
    });
    const morning = new Date('2030-02-28T23:30:00Z'); // 07:30 on 1 March in Shanghai
    await materializer.materialize(morning);
    expect((await slotPosts(routine.id)).map((p) => p.contentId)).toEqual([today]);
    await materializer.materialize(new Date(morning.getTime() + DAY));
    await materializer.materialize(new Date(morning.getTime() + 2 * DAY));
    await materializer.materialize(new Date(morning.getTime() + 3 * DAY));
    const posts = await slotPosts(routine.id);
    expect(posts.map((p) => [p.dueAt.toISOString(), p.status, p.contentId ?? p.error])).toEqual([
      ['2030-03-01T00:00:00.000Z', 'scheduled', today],
      ['2030-03-02T00:00:00.000Z', 'scheduled', tomorrow],
      ['2030-03-03T00:00:00.000Z', 'skipped', 'no morning_brief published for 2030-03-03'],
    ]);
  });

  it('makes no slot while paused, and an archived routine cannot be resumed', async () => {
    const audience = tag();
    await group([audience]);
    await publish('goodnight_poster', '晚安', exampleFields('goodnight_poster'), [audience]);
    const routine = await routines.create({
      name: '暂停',
      audience: { tags: [audience] },
      schedule: { every: 'day', at: '22:00' },
      source: { mode: 'pool', tag: audience, noRepeatDays: 0 },
    });
    await routines.pause(routine.id);
    await materializer.materialize(new Date(Date.now() + DAY));
    expect(await slotPosts(routine.id)).toEqual([]);
    await routines.archive(routine.id);
    await expect(routines.resume(routine.id)).rejects.toThrow(/archived/);
  });
});
