import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { fieldsOf } from './support/details';
import { ContentFactory } from './support/factories';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

describe('campaigns and launching runs', () => {
  let t: TestApp;
  let planner: RequestWith;
  let editor: RequestWith;
  let content: string[];
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp();
    planner = t.as(await createKey(t, 'planner'));
    editor = t.as(await createKey(t, 'editor'));
    content = await publishedPieces(editor, ['一', '二', '三', '四', '五']);
    channelId = (await ChannelFactory.create(t, 'console')).id;
  });
  afterAll(() => t.close());

  it('reports every problem of a campaign at once', async () => {
    const draft = (await ContentFactory.create(editor, 'custom')).id;
    const campaign = await planner
      .post('/v1/campaigns')
      .send({
        name: '乱序活动',
        steps: [
          { stage: 'trigger_need', contentId: content[0], timing: { day: 1, at: '08:00' } },
          { stage: 'activate', contentId: content[1], timing: { day: 0, at: '08:00' } },
          { stage: 'close', contentId: draft, timing: { after: 'PT1H' } },
          { stage: 'close', contentId: '00000000-0000-4000-8000-000000000000', timing: { day: 2, at: '09:00' } },
        ],
      })
      .expect(201);
    const report = await planner.post(`/v1/campaigns/${campaign.body.id}/validate`).expect(200);
    expect(report.body.valid).toBe(false);
    expect(report.body.problems).toEqual([
      { field: 'steps[1].stage', message: 'activate comes after trigger_need: stages never go backwards' },
      { field: 'steps[1].timing', message: 'falls before the previous step' },
      { field: 'steps[2].stage', message: 'a close step needs an educate step before it (or allowDirectClose)' },
      { field: 'steps[2].contentId', message: expect.stringContaining('is draft, not published') },
      { field: 'steps[3].stage', message: 'a close step needs an educate step before it (or allowDirectClose)' },
      { field: 'steps[3].contentId', message: expect.stringContaining('no content') },
    ]);
    const launch = await planner
      .post(`/v1/campaigns/${campaign.body.id}/runs`)
      .send({ audience: { tags: ['x'] } })
      .expect(400);
    expect(launch.body.details).toHaveLength(6);
    expect((await planner.get(`/v1/campaigns/${campaign.body.id}`)).body.status).toBe('draft');
  });

  it('refuses steps that are not objects, and writes no campaign', async () => {
    const before = (await planner.get('/v1/campaigns').expect(200)).body;
    const response = await planner
      .post('/v1/campaigns')
      .send({
        name: '坏步骤',
        steps: [{ stage: 'activate', contentId: content[0], timing: { day: 0, at: '08:00' } }, [], 'close'],
      })
      .expect(400);
    expect(fieldsOf(response.body)).toEqual(expect.arrayContaining(['steps']));
    expect((await planner.get('/v1/campaigns').expect(200)).body).toEqual(before);
  });

  it('lets a close step go first with allowDirectClose', async () => {
    const campaign = await CampaignFactory.create(planner, [content[0]], [{ after: 'PT0S' }], {
      allowDirectClose: true,
      steps: [{ stage: 'close', contentId: content[0], timing: { after: 'PT0S' } }],
    });
    expect((await planner.post(`/v1/campaigns/${campaign.id}/validate`).expect(200)).body).toEqual({
      valid: true,
      problems: [],
    });
  });

  it('activates a draft on launch, and then refuses changes', async () => {
    const group = await GroupFactory.create(t, channelId, { tags: ['launch-1'] });
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ day: 30, at: '08:00' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    expect(run.body).toMatchObject({ campaignId: campaign.id, status: 'running', postCount: 5, blackoutMode: 'shift' });
    expect((await planner.get(`/v1/campaigns/${campaign.id}`)).body.status).toBe('active');
    await planner.patch(`/v1/campaigns/${campaign.id}`).send({ name: 'x' }).expect(409);
  });

  it('returns the same run for a repeated Idempotency-Key', async () => {
    await GroupFactory.create(t, channelId, { tags: ['idem'] });
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ day: 30, at: '08:00' }));
    const send = () =>
      planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .set('Idempotency-Key', `launch-${campaign.id}`)
        .send({ audience: { tags: ['idem'] } });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    expect((await planner.get(`/v1/campaigns/${campaign.id}/runs`)).body).toHaveLength(1);
  });

  it('computes each group’s due times in its own zone, across the spring-forward gap', async () => {
    const ny = await GroupFactory.create(t, channelId, { timezone: 'America/New_York', tags: ['dst'] });
    const sh = await GroupFactory.create(t, channelId, { timezone: 'Asia/Shanghai', tags: ['dst'] });
    const campaign = await CampaignFactory.create(planner, content.slice(0, 2), [
      { day: 1, at: '02:30' },
      { after: 'PT90M' },
    ]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['dst'] }, startAt: '2026-03-07T17:00:00Z', catchUp: 'spread' })
      .expect(201);
    expect(run.body.status).toBe('running');
    const posts = (await planner.get(`/v1/posts?runId=${run.body.id}`).expect(200)).body.items as {
      groupId: string;
      step: number;
      dueAt: string;
    }[];
    const due = (group: string, step: number) => posts.find((p) => p.groupId === group && p.step === step)!.dueAt;
    expect(due(ny.id, 0)).toBe('2026-03-08T07:00:00.000Z'); // 02:30 does not exist that night: 03:00 EDT
    expect(due(ny.id, 1)).toBe('2026-03-08T08:30:00.000Z');
    expect(due(sh.id, 0)).toBe('2026-03-08T18:30:00.000Z'); // 02:30 on 9 March in Shanghai (day 0 is the 8th there)
  });

  it('launches 5,000 groups × 5 steps in one request', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      GroupFactory.body(channelId, { name: `大群 ${i}`, tags: ['big'] }),
    );
    await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ day: 60, at: '08:00' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['big'] } })
      .expect(201);
    expect(run.body.postCount).toBe(25_000);
    const page = await planner.get(`/v1/posts?runId=${run.body.id}&pageSize=1`).expect(200);
    expect(page.body.total).toBe(25_000);

    // Deep pages by position: the page after the 20,000th post, the same as counting from the start.
    const deep = await planner.get(`/v1/posts?runId=${run.body.id}&pageSize=100&page=200`).expect(200);
    const byCursor = await planner
      .get(`/v1/posts?runId=${run.body.id}&pageSize=100&after=${deep.body.next}`)
      .expect(200);
    const byOffset = await planner.get(`/v1/posts?runId=${run.body.id}&pageSize=100&page=201`).expect(200);
    expect(byCursor.body.items.map((p: { id: string }) => p.id)).toEqual(
      byOffset.body.items.map((p: { id: string }) => p.id),
    );
    expect(byCursor.body.total).toBeNull();
    const last = await planner.get(`/v1/posts?runId=${run.body.id}&pageSize=100&page=250`).expect(200);
    expect(last.body.items).toHaveLength(100);
    expect(last.body.next).toBeNull();
  });

  it('walks a run’s posts with next, each once in due order, and names after when it is not one', async () => {
    const rows = Array.from({ length: 23 }, (_, i) =>
      GroupFactory.body(channelId, { name: `翻页 ${i}`, tags: ['pages'] }),
    );
    await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    const campaign = await CampaignFactory.create(planner, content.slice(0, 3), [
      { day: 30, at: '08:00' },
      { day: 30, at: '08:00' },
      { day: 31, at: '20:00' },
    ]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['pages'] } })
      .expect(201);
    const seen: { id: string; dueAt: string; step: number }[] = [];
    const cursors: string[] = [];
    let pages = 0;
    for (let next: string | null = ''; next !== null; pages++) {
      const page = await planner
        .get(`/v1/posts?runId=${run.body.id}&pageSize=10${next ? `&after=${next}` : ''}`)
        .expect(200);
      seen.push(...(page.body.items as typeof seen));
      next = page.body.next as string | null;
      if (next) cursors.push(next);
    }
    expect(pages).toBe(7);
    expect(seen).toHaveLength(69);
    expect(new Set(seen.map((p) => p.id)).size).toBe(69);
    const order = seen.map((p) => `${p.dueAt}|${p.step}|${p.id}`);
    expect(order).toEqual([...order].sort());

    for (const after of ['not-a-cursor-at-all', Buffer.from('1.2.x').toString('base64url').padEnd(16, 'A')]) {
      const refused = await planner.get(`/v1/posts?runId=${run.body.id}&after=${after}`).expect(400);
      expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['after']);
    }
    const both = await planner.get(`/v1/posts?runId=${run.body.id}&page=2&after=${cursors[0]}`).expect(400);
    expect(both.body.details.map((d: { field: string }) => d.field)).toEqual(['after']);
  });

  it.each([
    [{ audience: { groupIds: ['00000000-0000-4000-8000-000000000000'] } }, ['audience.groupIds']],
    [{ audience: { tags: ['nobody-has-this-tag'] } }, ['audience']],
    [{ audience: { groupIds: ['not-a-uuid'] } }, ['audience.groupIds']],
    [{ audience: {}, startAt: 'tomorrow' }, ['startAt']],
    [{ audience: {}, blackoutMode: 'ignore' }, ['blackoutMode']],
    [{}, ['audience']],
  ])('refuses a launch with %j, naming the field', async (body, fields) => {
    const campaign = await CampaignFactory.create(planner, content, Array(5).fill({ day: 1, at: '08:00' }));
    const response = await planner.post(`/v1/campaigns/${campaign.id}/runs`).send(body).expect(400);
    expect(fieldsOf(response.body)).toEqual(fields);
  });

  it('leaves out groups that are not active', async () => {
    const active = await GroupFactory.create(t, channelId, { tags: ['mixed'] });
    const paused = await GroupFactory.create(t, channelId, { tags: ['mixed'] });
    await t.admin.post(`/v1/groups/${paused.id}/pause`).send({}).expect(200);
    const campaign = await CampaignFactory.create(planner, content.slice(0, 1), [{ day: 9, at: '09:00' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['mixed'] } })
      .expect(201);
    const posts = (await planner.get(`/v1/posts?runId=${run.body.id}`)).body.items as { groupId: string }[];
    expect(posts.map((p) => p.groupId)).toEqual([active.id]);
  });
});
