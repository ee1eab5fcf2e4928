import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelFactory, GroupFactory, createKey } from './support/factories';
import { fieldsOf } from './support/details';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

describe('groups', () => {
  let t: TestApp;
  let wecomId: string;
  let viewer: RequestWith;

  beforeAll(async () => {
    t = await createTestApp();
    wecomId = (await ChannelFactory.create(t, 'wecom')).id;
    viewer = t.as(await createKey(t, 'viewer'));
  });
  afterAll(() => t.close());

  const countGroups = async () =>
    Number((await t.app.get<DataSource>(getDataSourceToken()).query('SELECT COUNT(*) AS n FROM `groups`'))[0].n);

  it('creates a group from a plain robot key and never shows the key again', async () => {
    const key = '693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa';
    const created = await t.admin
      .post('/v1/groups')
      .send(GroupFactory.body(wecomId, { name: '杭州宝妈群', address: key }))
      .expect(201);
    expect(created.body).toMatchObject({
      name: '杭州宝妈群',
      channelId: wecomId,
      address: { key: '…5aaa' },
      timezone: 'Asia/Shanghai',
      quietHours: '22:30-07:30',
      memberCount: 320,
      type: 'product',
      vars: { persona: '小当家', city: '杭州' },
      tags: ['vip'],
      status: 'active',
    });
    const fetched = await viewer.get(`/v1/groups/${created.body.id}`).expect(200);
    expect(JSON.stringify(fetched.body)).not.toContain(key);
  });

  it.each([
    ['an unknown time zone', { timezone: 'China/Beijing' }, ['timezone']],
    ['quiet hours out of range', { quietHours: '25:00-07:00' }, ['quietHours']],
    ['quiet hours without an end', { quietHours: '22:00' }, ['quietHours']],
    ['a key with spaces', { address: 'not a key' }, ['address.key']],
    ['an address field the type does not have', { address: { key: 'abcdefgh1234', chatId: '1' } }, ['address.chatId']],
    ['an address of the wrong kind', { address: ['x'] }, ['address']],
    ['an unknown channel', { channelId: '00000000-0000-4000-8000-000000000000' }, ['channelId']],
    ['a variable that is not a string', { vars: { persona: 7 } }, ['vars.persona']],
    ['a bad variable name', { vars: { 'two words': 'x' } }, ['vars.two words']],
    ['an unknown group type', { type: 'vip' }, ['type']],
    ['an unknown field', { owner: 'me' }, ['owner']],
    ['a negative member count', { memberCount: -1 }, ['memberCount']],
  ])('refuses %s with 400 naming the field', async (_, overrides, fields) => {
    const before = await countGroups();
    const response = await t.admin.post('/v1/groups').send(GroupFactory.body(wecomId, overrides)).expect(400);
    expect(fieldsOf(response.body)).toEqual(fields);
    expect(await countGroups()).toBe(before);
  });

  it('accepts quiet hours that cross midnight and clears them with null', async () => {
    const group = await GroupFactory.create(t, wecomId, { quietHours: '23:00-06:30' });
    const cleared = await t.admin.patch(`/v1/groups/${group.id}`).send({ quietHours: null }).expect(200);
    expect(cleared.body.quietHours).toBeNull();
  });

  it('generates a webhook signing secret, shows it once, and replaces it when the URL changes', async () => {
    const webhookId = (await ChannelFactory.create(t, 'webhook')).id;
    const created = await GroupFactory.create(t, webhookId, {
      address: 'https://hooks.example.com/groupcast/abc123def456',
    });
    expect(created.signingSecret).toMatch(/^whsec_/);
    expect(created.address).toEqual({
      url: 'https://hooks.example.com/…f456',
      secret: `…${created.signingSecret!.slice(-4)}`,
    });
    const fetched = await t.admin.get(`/v1/groups/${created.id}`).expect(200);
    expect(JSON.stringify(fetched.body)).not.toContain(created.signingSecret);
    expect(fetched.body.signingSecret).toBeUndefined();
    const moved = await t.admin
      .patch(`/v1/groups/${created.id}`)
      .send({ address: { url: 'https://hooks.example.com/new-endpoint-999' } })
      .expect(200);
    expect(moved.body.signingSecret).toMatch(/^whsec_/);
    expect(moved.body.signingSecret).not.toBe(created.signingSecret);
  });

  it('wipes a DingTalk secret when the token is replaced without it', async () => {
    const dingtalkId = (await ChannelFactory.create(t, 'dingtalk')).id;
    const group = await GroupFactory.create(t, dingtalkId, {
      address: { accessToken: 'token0000aaaa', secret: 'SEC0123456789abcdef' },
    });
    expect(group.address).toEqual({ accessToken: '…aaaa', secret: '…cdef' });
    const replaced = await t.admin.patch(`/v1/groups/${group.id}`).send({ address: 'token1111bbbb' }).expect(200);
    expect(replaced.body.address).toEqual({ accessToken: '…bbbb' });
    const bad = await t.admin
      .patch(`/v1/groups/${group.id}`)
      .send({ address: { accessToken: 'token1111bbbb', secret: 'nope' } })
      .expect(400);
    expect(fieldsOf(bad.body)).toEqual(['address.secret']);
  });

  it('pauses and resumes a group with the reason shown', async () => {
    const group = await GroupFactory.create(t, wecomId);
    const paused = await t.admin.post(`/v1/groups/${group.id}/pause`).send({ reason: '群主要求暂停一周' }).expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: '群主要求暂停一周' });
    const resumed = await t.admin.post(`/v1/groups/${group.id}/resume`).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null });
    await t.admin.patch(`/v1/groups/${group.id}`).send({ status: 'archived' }).expect(200);
    await t.admin.post(`/v1/groups/${group.id}/pause`).send({}).expect(409);
  });

  describe('bulk import and listing', () => {
    let channelId: string;
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        GroupFactory.body(channelId, {
          name: `批量群 ${i}`,
          tags: [i % 2 === 0 ? 'even' : 'odd', ...(i % 100 === 0 ? ['hundred'] : [])],
          type: i % 3 === 0 ? 'learning' : 'product',
          timezone: i % 5 === 0 ? 'America/New_York' : 'Asia/Shanghai',
        }),
      );

    beforeAll(async () => {
      channelId = (await ChannelFactory.create(t, 'wecom')).id;
    });

    it('writes nothing when one row of 5,000 is bad, and lists every bad row by index and field', async () => {
      const before = await countGroups();
      const body = rows(5000);
      body[3456].timezone = 'Mars/Olympus';
      body[10] = { ...body[10], name: '' };
      body[4999].address = 'bad key!';
      const response = await t.admin.post('/v1/groups/bulk').send({ groups: body }).expect(400);
      expect(fieldsOf(response.body)).toEqual(
        ['groups[10].name', 'groups[3456].timezone', 'groups[4999].address.key'].sort(),
      );
      expect(await countGroups()).toBe(before);
    });

    it('checks a whole import without writing it: counts, and every bad row named', async () => {
      const before = await countGroups();
      const body: Record<string, unknown>[] = rows(50).map((row, i) => ({
        ...row,
        name: `试导入 ${i}`,
        address: `dry-${Date.now()}-${i}`,
      }));
      const dry = await t.admin.post('/v1/groups/bulk').send({ groups: body, dryRun: true }).expect(200);
      expect(dry.body).toEqual({ dryRun: true, count: 50, created: 50, updated: 0, unchanged: 0, groups: [] });
      body[7] = { ...body[7], timezone: 'Moon/Base' };
      body[31] = { ...body[31], name: '' };
      const bad = await t.admin
        .post('/v1/groups/bulk')
        .send({ groups: body, dryRun: true, mode: 'upsert' })
        .expect(400);
      expect(fieldsOf(bad.body)).toEqual(['groups[31].name', 'groups[7].timezone']);
      expect(await countGroups()).toBe(before);
    });

    it('imports 5,000 groups in one request', async () => {
      const response = await t.admin
        .post('/v1/groups/bulk')
        .send({ groups: rows(5000) })
        .expect(201);
      expect(response.body.count).toBe(5000);
      expect(response.body.groups[0]).toMatchObject({
        name: '批量群 0',
        channelId,
        status: 'active',
        address: { key: expect.stringMatching(/^…/) },
      });
      const listed = await viewer.get(`/v1/groups?channelId=${channelId}&pageSize=1`).expect(200);
      expect(listed.body.total).toBe(5000);
    });

    it('filters by tag, channel, status, type and name, with pages', async () => {
      const total = async (query: string) =>
        (await viewer.get(`/v1/groups?channelId=${channelId}&${query}`).expect(200)).body.total;
      expect(await total('tag=hundred')).toBe(50);
      expect(await total('tag=odd&type=learning')).toBe(833);
      expect(await total(`q=${encodeURIComponent('批量群 4999')}`)).toBe(1);
      const first = await viewer.get(`/v1/groups?channelId=${channelId}&tag=hundred&pageSize=20&page=3`).expect(200);
      const byName = Array.from({ length: 50 }, (_, i) => `批量群 ${i * 100}`).sort();
      expect(first.body.items.map((g: { name: string }) => g.name)).toEqual(byName.slice(40, 50));
      const someone = first.body.items[0].id;
      await t.admin.post(`/v1/groups/${someone}/pause`).send({}).expect(200);
      expect(await total('status=paused')).toBe(1);
    });

    it('names the groups a page shows by their ids, and lists every tag with its groups', async () => {
      const some = (await viewer.get(`/v1/groups?channelId=${channelId}&tag=hundred&pageSize=3`).expect(200)).body
        .items as { id: string; name: string }[];
      const named = await viewer.get(`/v1/groups?ids=${some.map((g) => g.id).join(',')}&pageSize=100`).expect(200);
      expect(named.body.items.map((g: { name: string }) => g.name)).toEqual(some.map((g) => g.name));
      const tags = (await viewer.get('/v1/groups/tags').expect(200)).body as { tag: string; groups: number }[];
      expect(tags.find((x) => x.tag === 'hundred')?.groups).toBe(50);
      expect(tags.find((x) => x.tag === 'even')?.groups).toBe(2500);
      expect(tags.map((x) => x.tag)).toEqual([...tags.map((x) => x.tag)].sort((a, b) => a.localeCompare(b)));
      const tooMany = Array.from({ length: 101 }, () => some[0].id).join(',');
      expect(fieldsOf((await viewer.get(`/v1/groups?ids=${tooMany}`).expect(400)).body)).toEqual(['ids']);
      expect(fieldsOf((await viewer.get(`/v1/groups?ids=${some[0].id},nope`).expect(400)).body)).toEqual(['ids']);
    });

    it.each([
      ['status=sleeping', 'status'],
      ['type=vip', 'type'],
      ['channelId=abc', 'channelId'],
      ['pageSize=500', 'pageSize'],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const response = await viewer.get(`/v1/groups?${query}`).expect(400);
      expect(fieldsOf(response.body)).toEqual([field]);
    });

    it('refuses an empty import and one over 5,000 rows', async () => {
      expect(fieldsOf((await t.admin.post('/v1/groups/bulk').send({ groups: [] }).expect(400)).body)).toEqual([
        'groups',
      ]);
      const tooMany = Array.from({ length: 5001 }, () => ({}));
      expect(fieldsOf((await t.admin.post('/v1/groups/bulk').send({ groups: tooMany }).expect(400)).body)).toContain(
        'groups',
      );
    });

    it('names rows that are not objects at all', async () => {
      const response = await t.admin
        .post('/v1/groups/bulk')
        .send({ groups: [null, 'row', [1]] })
        .expect(400);
      expect(response.body.details).toEqual(
        [0, 1, 2].map((i) => ({ field: `groups[${i}]`, message: 'must be an object' })),
      );
    });
  });
});

describe('holiday presets', () => {
  let t: TestApp;
  let planner: RequestWith;
  beforeAll(async () => {
    t = await createTestApp();
    planner = t.as(await createKey(t, 'planner'));
  });
  afterAll(() => t.close());

  it('lists a year’s statutory holidays with their 调休 working days from the library, and the shopping peaks', async () => {
    const year = (await planner.get('/v1/holidays?year=2026').expect(200)).body;
    expect(year.statutoryKnown).toBe(true);
    expect(year.presets.find((p: { name: string }) => p.name === '春节')).toMatchObject({
      id: 'spring_festival_2026',
      holidays: expect.arrayContaining(['2026-02-15', '2026-02-23']),
      workdays: ['2026-02-14', '2026-02-28'],
    });
    const far = (await planner.get('/v1/holidays?year=2099').expect(200)).body;
    expect(far).toMatchObject({ statutoryKnown: false });
    expect(far.presets.map((p: { name: string }) => p.name)).toEqual(['618', '双11', '双12']);
    expect(fieldsOf((await planner.get('/v1/holidays?year=soon').expect(400)).body)).toEqual(['year']);
  });

  it('blacks out a preset’s days off for a tag’s groups and leaves its 调休 working Saturday open, once', async () => {
    const channelId = (await ChannelFactory.create(t, 'console')).id;
    const tag = `holiday-${Date.now()}`;
    const own = await GroupFactory.create(t, channelId, { tags: [tag], blackoutDates: ['2026-03-08'] });
    await GroupFactory.create(t, channelId, { tags: [tag] });
    const applied = await planner
      .post('/v1/holidays/apply')
      .send({ presets: ['spring_festival_2026'], tag })
      .expect(200);
    expect(applied.body).toMatchObject({ groups: 2, unchanged: 0 });
    const group = (await planner.get(`/v1/groups/${own.id}`).expect(200)).body;
    expect(group.blackoutDates).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      '2026-03-08',
    ]);
    expect(group.blackoutDates).not.toContain('2026-02-14');
    const again = await planner
      .post('/v1/holidays/apply')
      .send({ presets: ['spring_festival_2026'], tag })
      .expect(200);
    expect(again.body).toMatchObject({ groups: 0, unchanged: 2 });
    const bad = await planner
      .post('/v1/holidays/apply')
      .send({ presets: ['christmas_2026'], tag })
      .expect(400);
    expect(fieldsOf(bad.body)).toEqual(['presets[0]']);
    expect(
      fieldsOf(
        (
          await planner
            .post('/v1/holidays/apply')
            .send({ presets: ['double11_2026'] })
            .expect(400)
        ).body,
      ),
    ).toEqual(['tag']);
  });
});
