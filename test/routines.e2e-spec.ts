import { redisEnv } from './support/test-env';
import { DateTime } from 'luxon';
import {
  CampaignFactory,
  ChannelFactory,
  ContentFactory,
  GroupFactory,
  createKey,
  publishedPieces,
} from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { ServiceProcess } from './support/service-process';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const VALID = {
  name: '晚安海报',
  audience: { tags: ['晚安群'] },
  schedule: { every: 'day', at: '22:00' },
  source: { mode: 'pool', tag: '晚安', kind: 'goodnight_poster', noRepeatDays: 14 },
};

describe('routines over HTTP', () => {
  let t: TestApp;
  let planner: RequestWith;
  let viewer: RequestWith;
  let editor: RequestWith;
  const wecom = new FakeWecom();
  let channelId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    planner = t.as(await createKey(t, 'planner'));
    viewer = t.as(await createKey(t, 'viewer'));
    editor = t.as(await createKey(t, 'editor'));
    await wecom.start();
    channelId = (await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } })).id;
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  async function robotGroup(tag: string, overrides: Record<string, unknown> = {}) {
    const key = `routine-key-${++serial}-${Date.now()}`;
    wecom.keys.add(key);
    const group = await GroupFactory.create(t, channelId, {
      address: key,
      tags: [tag],
      quietHours: null,
      ...overrides,
    });
    return { ...group, key };
  }

  it.each<[string, Record<string, unknown>, string]>([
    ['a time that is not HH:mm', { schedule: { every: 'day', at: '8:00' } }, 'schedule.at'],
    ['a weekday out of range', { schedule: { every: 'week', at: '20:00', weekdays: [0, 8] } }, 'schedule.weekdays'],
    ['weekdays on a daily schedule', { schedule: { every: 'day', at: '20:00', weekdays: [1] } }, 'schedule.weekdays'],
    ['an unknown cadence', { schedule: { every: 'month', at: '20:00' } }, 'schedule.every'],
    ['an unknown kind', { source: { mode: 'current', kind: 'weather_report' } }, 'source.kind'],
    ['a pool without a tag', { source: { mode: 'pool' } }, 'source.tag'],
    ['an end before the start', { startDate: '2026-12-10', endDate: '2026-12-01' }, 'endDate'],
    ['a date that is not one', { startDate: '2026-02-30' }, 'startDate'],
    ['no audience', { audience: {} }, 'audience'],
    ['an unknown stage', { stage: 'upsell' }, 'stage'],
  ])('refuses %s, naming the field', async (_, change, field) => {
    const response = await planner
      .post('/v1/routines')
      .send({ ...VALID, ...change })
      .expect(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it.each([
    [
      { source: { mode: 'current', kind: 'custom' } },
      'source.kind',
      'kind custom has no date field: a current routine sends the piece dated for each local day (e.g. morning_brief); use mode pool for a kind without dates',
    ],
    [{ startDate: '9999-12-31' }, 'startDate', 'must be at most 731 days from now'],
    [{ endDate: '1970-01-01' }, 'endDate', 'is in the past: the routine would make no slot'],
  ])('refuses %j, which would never make a slot, naming the field', async (change, field, message) => {
    const response = await planner
      .post('/v1/routines')
      .send({ ...VALID, ...change })
      .expect(400);
    expect(response.body.details).toEqual([{ field, message }]);
    const made = await planner.post('/v1/routines').send(VALID).expect(201);
    const patched = await planner.patch(`/v1/routines/${made.body.id}`).send(change).expect(400);
    expect(patched.body.details).toEqual([{ field, message }]);
  });

  it('lets a planner create, change, pause, resume and archive a routine, and a viewer only read it', async () => {
    const created = await planner.post('/v1/routines').send(VALID).expect(201);
    expect(created.body).toMatchObject({ status: 'active', stage: 'educate', source: VALID.source });
    await viewer.post('/v1/routines').send(VALID).expect(403);
    await viewer.get(`/v1/routines/${created.body.id}`).expect(200);
    const id = created.body.id as string;
    const changed = await planner
      .patch(`/v1/routines/${id}`)
      .send({ schedule: { every: 'week', at: '21:30', weekdays: [5, 1] } });
    expect(changed.body.schedule).toEqual({ every: 'week', at: '21:30', weekdays: [1, 5] });
    await planner.post(`/v1/routines/${id}/pause`).expect(200);
    await planner.post(`/v1/routines/${id}/pause`).expect(409);
    await planner.post(`/v1/routines/${id}/resume`).expect(200);
    await planner.post(`/v1/routines/${id}/archive`).expect(200);
    await planner.post(`/v1/routines/${id}/resume`).expect(409);
    await planner.patch(`/v1/routines/${id}`).send({ name: 'again' }).expect(409);
    const listed = await viewer.get('/v1/routines?status=archived').expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(id);
    await viewer.get('/v1/routines/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('sends each group one post at its local time, with two schedulers ticking, and counts it against the daily cap', async () => {
    const tag = `daily-${Date.now()}`;
    const shanghai = await robotGroup(tag, { timezone: 'Asia/Shanghai' });
    const singapore = await robotGroup(tag, { timezone: 'Asia/Singapore' });
    const capped = await robotGroup(tag, { timezone: 'Asia/Shanghai', dailyCap: 2, minGapMinutes: 'off' });
    const [piece] = await publishedPieces(editor, ['晚安']);
    const pooled = await ContentFactory.create(editor, 'custom', {
      title: '晚安',
      fields: { text: '晚安' },
      tags: [tag],
    });
    await editor.post(`/v1/content/${pooled.id}/publish`).send({}).expect(200);
    // The slot: the next whole minute at least 20 s away, the same wall time in both UTC+8 zones.
    const due = DateTime.utc().plus({ seconds: 20 }).startOf('minute').plus({ minutes: 1 });
    const at = due.setZone('Asia/Shanghai').toFormat('HH:mm');
    const second = new ServiceProcess({
      ROLE: 'worker',
      DATABASE_URL: t.config.databaseUrl,
      ...redisEnv(t.config),
      ALLOW_PRIVATE_TARGETS: 'true',
      ALLOW_CUSTOM_BASE_URLS: 'true',
      SCHEDULER_TICK_MS: '100',
      LOG_LEVEL: 'info',
    });
    try {
      await second.waitFor(/worker \S+ ready/);
      // Two posts for the capped group today, before the routine's slot.
      const campaign = await CampaignFactory.create(planner, [piece, piece], [{ after: 'PT0S' }, { after: 'PT0S' }]);
      const run = await planner.post(`/v1/campaigns/${campaign.id}/runs`).send({ audience: { groupIds: [capped.id] } });
      await waitForPosts<PostView>(planner, run.body.id, (all) => all.every((p) => p.status === 'sent'));
      const routine = await planner
        .post('/v1/routines')
        .send({
          name: '晚安',
          audience: { tags: [tag] },
          schedule: { every: 'day', at },
          source: { mode: 'pool', tag },
        })
        .expect(201);
      const posts = await eventually(
        async () => {
          const page = await planner.get(`/v1/posts?routineId=${routine.body.id}&pageSize=100`).expect(200);
          const items = page.body.items as PostView[];
          const sent = items.filter((p) => p.status === 'sent').length;
          const held = items.filter((p) => p.deferReason === 'daily cap of 2 reached').length;
          return sent === 2 && held === 1 ? items : undefined;
        },
        100_000,
        200,
      );
      expect(posts.map((p) => p.dueAt)).toEqual(
        [due.toISO(), due.toISO(), due.toISO()].map((d) => new Date(d!).toISOString()),
      );
      for (const group of [shanghai, singapore]) {
        const arrivals = wecom.arrivals.filter((_, i) => wecom.received[i].query.get('key') === group.key);
        expect(arrivals).toHaveLength(1);
        // At the group's local time: not before it, and within seconds of it.
        expect(arrivals[0]).toBeGreaterThanOrEqual(due.toMillis());
        expect(arrivals[0] - due.toMillis()).toBeLessThan(5000);
      }
      const late = posts.find((p) => p.groupId === capped.id)!;
      expect(late.status).not.toBe('sent');
      expect(wecom.received.filter((r) => r.query.get('key') === capped.key)).toHaveLength(2);
    } finally {
      await second.stop();
    }
  }, 150_000);
});
