import { ChannelFactory, GroupFactory } from './support/factories';
import { TestApp, createTestApp } from './support/test-app';

interface ImportResult {
  count: number;
  created: number;
  updated: number;
  unchanged: number;
  groups: {
    id: string;
    name: string;
    externalId: string | null;
    address: Record<string, string>;
    signingSecret?: string;
  }[];
}

describe('trust: one chat, one group', () => {
  let t: TestApp;
  let wecom: { id: string };
  let otherWecom: { id: string };

  const total = async () => (await t.admin.get('/v1/groups?pageSize=1').expect(200)).body.total as number;
  const rows = (n: number, prefix: string, extra: (i: number) => Record<string, unknown> = () => ({})) =>
    Array.from({ length: n }, (_, i) => ({
      name: `${prefix} 群 ${i}`,
      channelId: wecom.id,
      address: `${prefix}-robot-key-${i}`,
      timezone: 'Asia/Shanghai',
      ...extra(i),
    }));

  beforeAll(async () => {
    t = await createTestApp();
    wecom = await ChannelFactory.create(t, 'wecom');
    otherWecom = await ChannelFactory.create(t, 'wecom');
  });
  afterAll(() => t.close());

  it('refuses a second group for the same robot, on the same channel or another, with 409 naming the group that has it', async () => {
    const first = await GroupFactory.create(t, wecom.id, { name: '杭州宝妈群', address: 'the-one-robot-key' });
    for (const channelId of [wecom.id, otherWecom.id]) {
      const again = await t.admin
        .post('/v1/groups')
        .send(GroupFactory.body(channelId, { address: { key: 'the-one-robot-key' } }))
        .expect(409);
      expect(again.body.details).toEqual([
        { field: 'address', message: `names the chat of group ${first.id} (杭州宝妈群)` },
      ]);
    }
    const other = await GroupFactory.create(t, wecom.id);
    const moved = await t.admin.patch(`/v1/groups/${other.id}`).send({ address: 'the-one-robot-key' }).expect(409);
    expect(moved.body.details[0].field).toBe('address');
  });

  it('treats two spellings of one webhook URL as one chat', async () => {
    const hook = await ChannelFactory.create(t, 'webhook');
    await GroupFactory.create(t, hook.id, { address: { url: 'https://hooks.example.com/a?b=1' } });
    await t.admin
      .post('/v1/groups')
      .send(GroupFactory.body(hook.id, { address: { url: 'HTTPS://HOOKS.example.com:443/a?b=1' } }))
      .expect(409);
  });

  it('imports 200 groups once; importing them again is a 409 that writes nothing, and upsert reports them unchanged', async () => {
    const before = await total();
    const batch = rows(200, 'import');
    const first = (await t.admin.post('/v1/groups/bulk').send({ groups: batch }).expect(201)).body as ImportResult;
    expect({ count: first.count, created: first.created, updated: first.updated, unchanged: first.unchanged }).toEqual({
      count: 200,
      created: 200,
      updated: 0,
      unchanged: 0,
    });
    expect(await total()).toBe(before + 200);

    const again = await t.admin.post('/v1/groups/bulk').send({ groups: batch }).expect(409);
    expect(again.body.details).toHaveLength(200);
    expect(again.body.details[0]).toEqual({
      field: 'groups[0].address',
      message: `names the chat of group ${first.groups[0].id} (import 群 0)`,
    });
    expect(await total()).toBe(before + 200);

    const upsert = (await t.admin.post('/v1/groups/bulk').send({ groups: batch, mode: 'upsert' }).expect(201))
      .body as ImportResult;
    expect({ created: upsert.created, updated: upsert.updated, unchanged: upsert.unchanged }).toEqual({
      created: 0,
      updated: 0,
      unchanged: 200,
    });
    expect(upsert.groups.map((g) => g.id)).toEqual(first.groups.map((g) => g.id));
    expect(await total()).toBe(before + 200);
  });

  it('upserts: changed rows update their group, new rows create one, fields left out stay', async () => {
    const batch = rows(20, 'upsert', (i) => ({ tags: ['老客'], memberCount: 100 + i }));
    const first = (await t.admin.post('/v1/groups/bulk').send({ groups: batch }).expect(201)).body as ImportResult;
    const next = [
      ...batch.slice(0, 5).map((row) => ({
        name: `${row.name}（改名）`,
        channelId: row.channelId,
        address: row.address,
        timezone: row.timezone,
      })),
      ...batch.slice(5),
      ...rows(3, 'upsert-new'),
    ];
    const result = (await t.admin.post('/v1/groups/bulk').send({ groups: next, mode: 'upsert' }).expect(201))
      .body as ImportResult;
    expect({
      count: result.count,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
    }).toEqual({ count: 23, created: 3, updated: 5, unchanged: 15 });
    const renamed = (await t.admin.get(`/v1/groups/${first.groups[0].id}`).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'upsert 群 0（改名）', tags: ['老客'], memberCount: 100 });
  });

  it('upserts by externalId (a new robot key for a known group) and keeps a webhook secret a row leaves out', async () => {
    const [created] = (
      (
        await t.admin
          .post('/v1/groups/bulk')
          .send({ groups: [{ ...rows(1, 'crm')[0], externalId: 'CRM-0001' }] })
          .expect(201)
      ).body as ImportResult
    ).groups;
    const moved = (
      (
        await t.admin
          .post('/v1/groups/bulk')
          .send({
            mode: 'upsert',
            groups: [{ ...rows(1, 'crm')[0], address: 'crm-robot-key-moved', externalId: 'CRM-0001' }],
          })
          .expect(201)
      ).body as ImportResult
    ).groups[0];
    expect(moved.id).toBe(created.id);
    expect(created.address.key).toBe('…ey-0');
    expect(moved.address.key).toBe('…oved');

    const hook = await ChannelFactory.create(t, 'webhook');
    const row = {
      name: '回调群',
      channelId: hook.id,
      address: { url: 'https://receiver.example.com/groupcast' },
      timezone: 'Asia/Shanghai',
    };
    const made = (
      (
        await t.admin
          .post('/v1/groups/bulk')
          .send({ groups: [row] })
          .expect(201)
      ).body as ImportResult
    ).groups[0];
    expect(made.signingSecret).toMatch(/^whsec_/);
    const upserted = (
      await t.admin
        .post('/v1/groups/bulk')
        .send({ mode: 'upsert', groups: [row] })
        .expect(201)
    ).body as ImportResult;
    expect(upserted.unchanged).toBe(1);
    expect(upserted.groups[0].signingSecret).toBeUndefined();
    expect(upserted.groups[0].address.secret).toBe(made.address.secret);
  });

  it('names rows of one import that are the same chat or the same externalId (400, nothing written)', async () => {
    const before = await total();
    const [a, b] = rows(2, 'twice');
    const response = await t.admin
      .post('/v1/groups/bulk')
      .send({
        groups: [
          a,
          b,
          { ...b, name: 'copy' },
          { ...rows(1, 'id-a')[0], externalId: 'X-1' },
          { ...rows(1, 'id-b')[0], externalId: 'X-1' },
        ],
      })
      .expect(400);
    expect(response.body.details).toEqual([
      { field: 'groups[2].address', message: 'names the same chat as groups[1]' },
      { field: 'groups[4].externalId', message: "is the same as groups[3]'s" },
    ]);
    expect(await total()).toBe(before);
  });
});
