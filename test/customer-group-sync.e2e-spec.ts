import { AddressInfo } from 'node:net';
import request from 'supertest';
import { callbackSignature, sealPayload } from '../src/providers/wecom-customer/wecom-callback';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { GroupSyncs } from '../src/groups/sync/group-syncs.service';
import { FakeWecomCustomer, sendWecomCallback } from './support/providers/wecom-customer';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

interface SyncView {
  id: string;
  status: string;
  trigger: string;
  listed: number;
  created: number;
  updated: number;
  dismissed: number;
  error: string | null;
}

interface GroupView {
  id: string;
  name: string;
  status: string;
  tags: string[];
  memberCount: number | null;
  chatCreatedAt: string | null;
  dismissedAt: string | null;
  pausedReason: string | null;
}

const CALLBACK = { token: 'Tok3nOfTheCorp', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const CREATED = 1_780_000_000;

describe('WeCom customer groups kept in step with WeCom: sync, tag rules, callbacks', () => {
  let t: TestApp;
  let planner: RequestWith;
  const wecom = new FakeWecomCustomer('ww-corp-sync-01', 'corp-secret-sync-0123');
  let channelId: string;
  let base: string;
  const secrets = { ...CALLBACK, corpId: wecom.corpId };

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', CONFIRM_POLL_MS: '200' });
    planner = t.as(await createKey(t, 'planner'));
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await wecom.start();
    for (let i = 0; i < 250; i++) {
      const name = i % 10 === 0 ? `宝妈交流群 ${i}` : `会员群 ${i}`;
      wecom.chats.set(`wrSync${String(i).padStart(4, '0')}`, {
        name,
        owner: i % 2 === 0 ? 'zhangsan' : 'lisi',
        createTime: CREATED + i,
        members: 10 + (i % 50),
      });
    }
    channelId = (
      await ChannelFactory.create(t, 'wecom_customer_group', {
        config: {
          baseUrl: wecom.url,
          sync: {
            everyMinutes: 0,
            timezone: 'Asia/Shanghai',
            tagRules: [
              { nameContains: '宝妈', tag: '宝妈' },
              { owner: 'lisi', tag: '李四的群' },
              { nameContains: '新客', tag: '新客群' },
            ],
          },
        },
        credentials: {
          corpId: wecom.corpId,
          corpSecret: wecom.corpSecret,
          callbackToken: CALLBACK.token,
          encodingAesKey: CALLBACK.encodingAesKey,
        },
      })
    ).id;
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  const syncNow = async (): Promise<SyncView> => {
    const asked = await t.admin.post(`/v1/channels/${channelId}/sync`).expect(202);
    return eventually(async () => {
      const { body } = await planner.get(`/v1/channels/${channelId}/syncs`).expect(200);
      const sync = (body.items as SyncView[]).find((s) => s.id === asked.body.id);
      return sync && (sync.status === 'done' || sync.status === 'failed') ? sync : undefined;
    });
  };
  const groupsWith = async (query: string): Promise<{ total: number; items: GroupView[] }> =>
    (await planner.get(`/v1/groups?channelId=${channelId}&pageSize=100&${query}`).expect(200)).body;
  const named = async (name: string): Promise<GroupView> => {
    const { items } = await groupsWith(`q=${encodeURIComponent(name)}`);
    return items.find((g) => g.name === name)!;
  };
  const events = async () =>
    (await planner.get(`/v1/channels/${channelId}/events`).expect(200)).body.items as {
      kind: string;
      groupId: string | null;
      outcome: string;
    }[];

  it('imports 250 groups through the paged list with their owners, sizes, creation times and rule tags; 3 that left WeCom are archived as dismissed on the next sync', async () => {
    const first = await syncNow();
    expect(first).toMatchObject({
      status: 'done',
      trigger: 'api',
      listed: 250,
      created: 250,
      updated: 0,
      dismissed: 0,
    });
    expect(wecom.listPages).toBe(3);
    expect((await groupsWith('')).total).toBe(250);
    expect((await groupsWith(`tag=${encodeURIComponent('宝妈')}`)).total).toBe(25);
    expect((await groupsWith(`tag=${encodeURIComponent('李四的群')}`)).total).toBe(125);
    const sample = await named('宝妈交流群 20');
    expect(sample).toMatchObject({
      status: 'active',
      tags: ['宝妈'],
      memberCount: 30,
      chatCreatedAt: new Date((CREATED + 20) * 1000).toISOString(),
      dismissedAt: null,
    });

    // A group typed in by hand, whose owner the app cannot see: WeCom never listed it.
    const hand = await GroupFactory.create(t, channelId, {
      name: '手工录入群',
      address: { chatId: 'wrHand0001', sender: 'wangwu' },
    });
    // Three groups dismissed in WeCom, one renamed, one grown; nothing else changes.
    for (const id of ['wrSync0001', 'wrSync0002', 'wrSync0003']) wecom.chats.delete(id);
    wecom.chats.set('wrSync0004', { ...wecom.chats.get('wrSync0004')!, name: '宝妈团购群 4' });
    wecom.chats.set('wrSync0005', { ...wecom.chats.get('wrSync0005')!, members: 99 });
    const second = await syncNow();
    expect(second).toMatchObject({ status: 'done', listed: 247, created: 0, updated: 2, dismissed: 3 });
    const gone = await named('会员群 1');
    expect(gone).toMatchObject({
      status: 'archived',
      pausedReason: 'dismissed in WeCom',
      dismissedAt: expect.any(String),
    });
    expect(await named('宝妈团购群 4')).toMatchObject({ status: 'active', tags: ['宝妈'] });
    expect((await named('会员群 5')).memberCount).toBe(99);
    expect((await groupsWith('status=archived')).total).toBe(3);
    expect((await planner.get(`/v1/groups/${hand.id}`).expect(200)).body).toMatchObject({
      status: 'active',
      dismissedAt: null,
    });

    // A third sync with nothing changed in WeCom changes nothing here.
    expect(await syncNow()).toMatchObject({ listed: 247, created: 0, updated: 0, dismissed: 0 });
  });

  it('syncs a channel on its schedule: at once when it has never synced, then again each everyMinutes', async () => {
    const other = new FakeWecomCustomer('ww-corp-sync-02', 'corp-secret-sync-4567');
    await other.start();
    try {
      other.chats.set('wrSched0001', { name: '定时同步群', owner: 'wangwu', createTime: CREATED, members: 8 });
      const scheduled = await ChannelFactory.create(t, 'wecom_customer_group', {
        config: { baseUrl: other.url, sync: { everyMinutes: 60 } },
        credentials: { corpId: other.corpId, corpSecret: other.corpSecret },
      });
      const syncs = async () =>
        (await planner.get(`/v1/channels/${scheduled.id}/syncs`).expect(200)).body.items as SyncView[];
      const [first] = await eventually(async () => {
        const items = await syncs();
        return items[0]?.status === 'done' ? items : undefined;
      });
      expect(first).toMatchObject({ trigger: 'schedule', listed: 1, created: 1 });
      // Within the hour nothing more is due; an hour later (by the worker's clock) one is.
      const job = t.app.get(GroupSyncs);
      await job.runDue(new Date(Date.now() + 59 * 60_000));
      expect(await syncs()).toHaveLength(1);
      await job.runDue(new Date(Date.now() + 61 * 60_000));
      // The worker's own turn may be the one that runs it.
      const both = await eventually(async () => {
        const items = await syncs();
        return items.every((s) => s.status === 'done') ? items : undefined;
      });
      expect(both.map((s) => [s.trigger, s.listed])).toEqual([
        ['schedule', 1],
        ['schedule', 1],
      ]);
    } finally {
      await other.stop();
    }
  });

  it('says why a sync failed and changes nothing when WeCom refuses the list', async () => {
    wecom.next({ body: { errcode: 48002, errmsg: 'api forbidden' } });
    const before = (await groupsWith('')).total;
    const failed = await syncNow();
    expect(failed).toMatchObject({ status: 'failed', listed: 0, error: expect.stringContaining('api forbidden') });
    expect((await groupsWith('')).total).toBe(before);
    const robot = await ChannelFactory.create(t, 'wecom');
    const refused = await t.admin.post(`/v1/channels/${robot.id}/sync`).expect(400);
    expect(refused.body.details).toEqual([
      { field: 'id', message: 'a wecom channel cannot list its groups; only wecom_customer_group can' },
    ]);
  });

  it('answers WeCom’s URL check with the decrypted echostr, and refuses a check signed with another token', async () => {
    const echostr = sealPayload(secrets, '8734659912345');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = (signature: string) =>
      `/hooks/wecom/${channelId}?msg_signature=${signature}&timestamp=${timestamp}&nonce=42&echostr=${encodeURIComponent(echostr)}`;
    const good = await request(base).get(query(callbackSignature(CALLBACK.token, timestamp, '42', echostr)));
    expect({ status: good.status, text: good.text }).toEqual({ status: 200, text: '8734659912345' });
    const forged = await request(base).get(query(callbackSignature('another', timestamp, '42', echostr)));
    expect(forged.status).toBe(401);
  });

  it('applies a signed change once however often it arrives, refuses forged and stale ones, and a new group joins its evergreen run on day 0', async () => {
    const url = `${base}/hooks/wecom/${channelId}`;
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['新客欢迎']);
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['新客群'] }, evergreen: true })
      .expect(201);

    // A forged create (signed with another token) and a stale one change nothing.
    wecom.chats.set('wrForged001', { name: '新客伪造群', owner: 'zhangsan', createTime: CREATED, members: 2 });
    const create = { ToUserName: wecom.corpId, CreateTime: 1, MsgType: 'event', Event: 'change_external_chat' };
    const forged = await sendWecomCallback(
      url,
      { ...secrets, token: 'notTheToken' },
      { ...create, ChatId: 'wrForged001', ChangeType: 'create' },
    );
    expect(forged.status).toBe(401);
    const stale = await sendWecomCallback(
      url,
      secrets,
      { ...create, ChatId: 'wrForged001', ChangeType: 'create' },
      {
        timestamp: Math.floor(Date.now() / 1000) - 2 * 3600,
      },
    );
    expect(stale.status).toBe(401);
    expect((await groupsWith(`tag=${encodeURIComponent('新客群')}`)).total).toBe(0);

    // A group created in WeCom: read back, tagged by the rules, and in the evergreen run from its creation.
    wecom.chats.set('wrNew000001', { name: '新客福利群 1', owner: 'zhangsan', createTime: CREATED + 999, members: 3 });
    const createdAt = Date.now();
    const created = await sendWecomCallback(url, secrets, { ...create, ChatId: 'wrNew000001', ChangeType: 'create' });
    expect({ status: created.status, text: created.text }).toEqual({ status: 200, text: 'success' });
    const joined = await named('新客福利群 1');
    expect(joined).toMatchObject({ tags: ['新客群'], memberCount: 3, status: 'active' });
    const [post] = await waitForPosts<PostView & { groupId: string; step: number; dueAt: string }>(
      planner,
      run.body.id,
      (posts) => posts.some((p) => p.status === 'awaiting_confirmation'),
    );
    // Its first step (step 0, after PT0S) is due at its day 0: when the callback said it was created.
    expect({ groupId: post.groupId, step: post.step }).toEqual({ groupId: joined.id, step: 0 });
    expect(Date.parse(post.dueAt)).toBeGreaterThanOrEqual(createdAt - 1000);
    expect(Date.parse(post.dueAt)).toBeLessThanOrEqual(Date.now());
    expect(wecom.tasks.some((task) => task.chats.includes('wrNew000001'))).toBe(true);

    // Two members join: applied once, however often WeCom (or anyone) sends it again.
    wecom.chats.set('wrNew000001', { ...wecom.chats.get('wrNew000001')!, members: 5 });
    const joins = await sendWecomCallback(url, secrets, {
      ...create,
      ChatId: 'wrNew000001',
      ChangeType: 'update',
      UpdateDetail: 'add_member',
      JoinScene: 1,
      MemChangeCnt: 2,
    });
    expect(joins.status).toBe(200);
    expect((await named('新客福利群 1')).memberCount).toBe(5);
    wecom.chats.set('wrNew000001', { ...wecom.chats.get('wrNew000001')!, members: 7 });
    const again = await joins.replay();
    expect({ status: again.status, text: again.text }).toEqual({ status: 200, text: 'success' });
    expect((await named('新客福利群 1')).memberCount).toBe(5);
    const history = (await events()).filter((e) => e.groupId === joined.id);
    expect(history.map((e) => [e.kind, e.outcome])).toEqual([
      ['change_external_chat.update.add_member', 'add_member (+2, now 5): 新客福利群 1'],
      ['change_external_chat.create', 'created: 新客福利群 1'],
    ]);

    // Dismissed in WeCom: archived here, its history kept.
    const dismissed = await sendWecomCallback(url, secrets, {
      ...create,
      ChatId: 'wrNew000001',
      ChangeType: 'dismiss',
    });
    expect(dismissed.status).toBe(200);
    expect(await named('新客福利群 1')).toMatchObject({ status: 'archived', dismissedAt: expect.any(String) });
    expect((await events()).filter((e) => e.groupId === joined.id)).toHaveLength(3);
  });

  it('keeps a welcome piece as a WeCom welcome template: made at publication, edited with each new revision, deleted with the piece', async () => {
    const editor = t.as(await createKey(t, 'editor'));
    const created = await editor
      .post('/v1/content')
      .send({
        kind: 'welcome',
        title: '宝妈群欢迎语',
        fields: { greeting: '欢迎 %NICKNAME% 加入宝妈群！', rules: ['不发广告', '互相尊重'] },
        tags: ['宝妈'],
      })
      .expect(201);
    await editor.post(`/v1/content/${created.body.id}/publish`).send({}).expect(200);
    const groupId = (await named('宝妈交流群 20')).id;
    const uses = async () =>
      (await planner.get(`/v1/welcomes?groupId=${groupId}`).expect(200)).body.items as {
        templateId: string;
        revision: number;
        status: string;
        title: string;
      }[];
    const [first] = await uses();
    expect(first).toMatchObject({ revision: 1, status: 'active', title: '宝妈群欢迎语' });
    expect(wecom.welcomes.get(first.templateId)).toEqual({
      text: { content: '欢迎 %NICKNAME% 加入宝妈群！\n\n群规：\n1. 不发广告\n2. 互相尊重' },
    });

    await editor
      .patch(`/v1/content/${created.body.id}`)
      .send({ fields: { greeting: '欢迎 %NICKNAME%！先看群规哦', rules: ['不发广告'] }, version: 2 })
      .expect(200);
    await editor.post(`/v1/content/${created.body.id}/publish`).send({}).expect(200);
    const [second] = await uses();
    expect(second).toMatchObject({ templateId: first.templateId, revision: 2, status: 'active' });
    expect(wecom.welcomes.get(first.templateId)?.text.content).toBe(
      '欢迎 %NICKNAME%！先看群规哦\n\n群规：\n1. 不发广告',
    );

    await editor.post(`/v1/content/${created.body.id}/archive`).send({}).expect(200);
    expect(wecom.welcomes.has(first.templateId)).toBe(false);
    expect(await uses()).toEqual([]);
  });

  it('has no callback URL for a channel without callback secrets, nor for one that does not exist', async () => {
    const plain = await ChannelFactory.create(t, 'wecom_customer_group', {
      config: { baseUrl: wecom.url, sync: { everyMinutes: 0 } },
      credentials: { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
    });
    const sent = await sendWecomCallback(`${base}/hooks/wecom/${plain.id}`, secrets, { Event: 'change_external_chat' });
    expect(sent.status).toBe(404);
    const nowhere = await sendWecomCallback(`${base}/hooks/wecom/9b2f1c9e-0000-4000-8000-000000000000`, secrets, {});
    expect(nowhere.status).toBe(404);
  });

  it('refuses a sync rule without a condition, and a time zone that does not exist, naming the field', async () => {
    const refused = await t.admin
      .post('/v1/channels')
      .send({
        name: `wecom-sync-bad-${Date.now()}`,
        type: 'wecom_customer_group',
        config: { sync: { timezone: 'Mars/Olympus', tagRules: [{ tag: '全部' }] } },
        credentials: { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
      })
      .expect(400);
    expect(refused.body.details).toEqual(
      expect.arrayContaining([
        { field: 'config.sync.timezone', message: 'must be an IANA time zone, e.g. Asia/Shanghai' },
        { field: 'config.sync.tagRules[0]', message: expect.stringContaining('2') },
      ]),
    );
  });
});
