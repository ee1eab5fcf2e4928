import { DateTime } from 'luxon';
import { Confirmations } from '../src/delivery/confirmations.service';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { FakeWecomCustomer } from './support/providers/wecom-customer';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const DEADLINE_MS = 4000;

describe('WeCom customer groups: mass messages their owners confirm', () => {
  let t: TestApp;
  let planner: RequestWith;
  const wecom = new FakeWecomCustomer('ww-corp-0001', 'corp-secret-0123456789');
  let channelId: string;
  let content: string[];

  beforeAll(async () => {
    t = await createTestApp({
      ROLE: 'all',
      SCHEDULER_TICK_MS: '100',
      CONFIRM_POLL_MS: '200',
      CONFIRM_DEADLINE_MS: String(DEADLINE_MS),
    });
    planner = t.as(await createKey(t, 'planner'));
    await wecom.start();
    channelId = (
      await ChannelFactory.create(t, 'wecom_customer_group', {
        config: { baseUrl: wecom.url },
        credentials: { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
      })
    ).id;
    content = await publishedPieces(t.as(await createKey(t, 'editor')), ['客户群通知']);
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  const group = (chatId: string, tag: string, sender = 'zhangsan') =>
    GroupFactory.create(t, channelId, {
      address: { chatId, sender },
      tags: [tag],
      quietHours: null,
      minGapMinutes: 'off',
    });
  const launch = async (tag: string, options: object = {}) => {
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }]);
    return (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: [tag] }, ...options })
        .expect(201)
    ).body.id as string;
  };

  it('holds a group’s next post to the next window of WeCom’s receive cap, in the plan and in the run alike, and a post WeCom refused for the cap waits rather than fails', async () => {
    const daily = await ChannelFactory.create(t, 'wecom_customer_group', {
      config: { baseUrl: wecom.url, receiveCap: 'daily1' },
      credentials: { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
    });
    const tag = `cap-${Date.now()}`;
    const capped = (chatId: string, groupTag = tag) =>
      GroupFactory.create(t, daily.id, {
        address: { chatId, sender: 'qianba' },
        tags: [groupTag],
        quietHours: null,
        minGapMinutes: 'off',
        dailyCap: 'off',
        promoCap: 'off',
      });
    await capped('wrOgQhDgAAdaily1');
    wecom.confirmAfterMs.set('wrOgQhDgAAdaily1', 0);
    const first = await launch(tag);
    await waitForPosts<PostView>(planner, first, (all) => all[0]?.status === 'sent');

    // WeCom counts by Beijing's day: the next post can go at its next midnight.
    const midnight = DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days: 1 }).toMillis();
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }]);
    const plan = await planner
      .post(`/v1/campaigns/${campaign.id}/plan`)
      .send({ audience: { tags: [tag] } })
      .expect(200);
    const [entry] = plan.body.entries as { predictedAt: string; moves: string[] }[];
    expect(entry.moves).toEqual(["WeCom's receive cap of 1 a day reached"]);
    expect(Date.parse(entry.predictedAt)).toBe(midnight);
    expect(plan.body.summary).toMatchObject({ heldByReceiveCap: 1, groupsMovedBy: { "WeCom's receive cap": 1 } });

    const second = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: [tag] } })
        .expect(201)
    ).body.id as string;
    const [held] = await waitForPosts<PostView>(planner, second, (all) => all[0]?.holdCode === 'receive_cap');
    expect(held).toMatchObject({ status: 'queued', deferReason: entry.moves[0] });
    expect(Math.abs(Date.parse(held.notBefore!) - midnight)).toBeLessThan(1500);
    await planner.post(`/v1/runs/${second}/cancel`).send({}).expect(200);

    // A group over its cap by sends groupcast did not make: WeCom reports status 3, and the post waits.
    await capped('wrOgQhDgAAstaff', `${tag}-staff`);
    wecom.confirmAfterMs.set('wrOgQhDgAAstaff', 0);
    wecom.overCap.add('wrOgQhDgAAstaff');
    const third = await launch(`${tag}-staff`);
    const [refused] = await waitForPosts<PostView>(planner, third, (all) => all[0]?.holdCode === 'receive_cap');
    expect(refused).toMatchObject({
      status: expect.stringMatching(/^(scheduled|queued)$/),
      externalId: null,
      deferReason: "WeCom's receive cap of 1 a day reached: WeCom did not deliver it (send status 3)",
    });
    expect(Math.abs(Date.parse(refused.notBefore!) - midnight)).toBeLessThan(1500);
    await planner.post(`/v1/runs/${third}/cancel`).send({}).expect(200);
  });

  it('makes a test send only when asked for the owner’s task knowingly, and says the owner must confirm it', async () => {
    const tag = `test-send-${Date.now()}`;
    const target = await group('wrOgQhDgAAtestsend', tag, 'sunqi');
    const tasks = wecom.tasks.length;
    const refused = await t.admin
      .post(`/v1/channels/${channelId}/test-send`)
      .send({ groupId: target.id, text: '测试' })
      .expect(400);
    expect(refused.body.details).toEqual([
      {
        field: 'ownerTask',
        message:
          'a test send here is a real mass-message task that sunqi must confirm in WeCom, and it counts against the group’s monthly receive cap: send ownerTask: true to create it',
      },
    ]);
    expect(wecom.tasks.length).toBe(tasks);
    const sent = await t.admin
      .post(`/v1/channels/${channelId}/test-send`)
      .send({ groupId: target.id, text: '测试', ownerTask: true })
      .expect(200);
    expect(sent.body).toEqual({
      outcome: 'awaiting_confirmation',
      externalId: expect.any(String),
      reason: 'WeCom showed the group’s owner a task: the group gets the message only when they confirm it',
    });
    expect(wecom.tasks.length).toBe(tasks + 1);
  });

  it('waits for the owner: sent when confirmed, withdrawn and expired at the deadline when not', async () => {
    const tag = `customer-${Date.now()}`;
    const confirmed = await group('wrOgQhDgAAconfirm', tag);
    const ignored = await group('wrOgQhDgAAignored', tag, 'lisi');
    wecom.confirmAfterMs.set('wrOgQhDgAAconfirm', 1500);
    const runId = await launch(tag);
    const waiting = await waitForPosts<PostView>(planner, runId, (all) =>
      all.every((p) => p.status === 'awaiting_confirmation'),
    );
    // The inbox: what staff still have to confirm.
    const inbox = await planner.get('/v1/posts?status=awaiting_confirmation&pageSize=100').expect(200);
    expect(inbox.body.items.map((p: PostView) => p.id).sort()).toEqual(waiting.map((p) => p.id).sort());
    const [task] = wecom.tasks.filter((x) => x.chats.includes('wrOgQhDgAAconfirm'));
    expect(task.body).toMatchObject({
      chat_type: 'group',
      sender: 'zhangsan',
      text: { content: expect.stringContaining('客户群通知') },
    });

    const posts = await waitForPosts<PostView>(
      planner,
      runId,
      (all) => all.every((p) => p.status === 'sent' || p.status === 'expired'),
      DEADLINE_MS + 10_000,
    );
    const of = (id: string) => posts.find((p) => p.groupId === id)!;
    expect(of(confirmed.id)).toMatchObject({ status: 'sent', externalId: task.msgid });
    expect(Math.abs(Date.parse(of(confirmed.id).sentAt!) - (task.createdAt + 1500))).toBeLessThan(1000);
    expect(of(ignored.id)).toMatchObject({ status: 'expired', errorCode: 'not_confirmed' });
    expect(of(ignored.id).error).toContain('lisi did not confirm it');
    const ignoredTask = wecom.tasks.find((x) => x.chats.includes('wrOgQhDgAAignored'))!;
    // The deadline (4 s here) came before the first reminder of the schedule (30 min).
    expect(ignoredTask).toMatchObject({ reminders: 0, cancelled: true });
    expect(task).toMatchObject({ reminders: 0, cancelled: false });
  });

  it('withdraws the owner’s task when the run is cancelled, and fetches a new token once when the old one expired', async () => {
    const tag = `cancel-${Date.now()}`;
    await group('wrOgQhDgAAcancel', tag);
    const tokensBefore = wecom.tokenRequests;
    wecom.expireTokens();
    const runId = await launch(tag);
    const [post] = await waitForPosts<PostView>(planner, runId, (all) => all[0]?.status === 'awaiting_confirmation');
    expect(wecom.tokenRequests).toBe(tokensBefore + 1);
    await planner.post(`/v1/runs/${runId}/cancel`).send({}).expect(200);
    const cancelled = await eventually(async () => {
      const view = (await planner.get(`/v1/posts/${post.id}`).expect(200)).body as PostView;
      return view.status === 'cancelled' ? view : undefined;
    });
    expect(cancelled.error).toContain('withdrawn');
    expect(wecom.tasks.find((x) => x.msgid === post.externalId)).toMatchObject({ cancelled: true });
  });

  it('gives a run’s posts the confirmation deadline the run names', async () => {
    const tag = `deadline-${Date.now()}`;
    await group('wrOgQhDgAAshort', `${tag}-short`);
    await group('wrOgQhDgAAlong', `${tag}-long`);
    const short = await launch(`${tag}-short`);
    const long = await launch(`${tag}-long`, { confirmDeadlineMinutes: 30 });
    expect((await planner.get(`/v1/runs/${long}`).expect(200)).body.confirmDeadlineMinutes).toBe(30);
    await waitForPosts<PostView>(planner, short, (all) => all[0]?.status === 'expired', DEADLINE_MS + 10_000);
    const [waiting] = await waitForPosts<PostView>(planner, long, () => true);
    expect(waiting.status).toBe('awaiting_confirmation');
    expect(wecom.tasks.find((x) => x.chats.includes('wrOgQhDgAAlong'))).toMatchObject({
      reminders: 0,
      cancelled: false,
    });
    await planner
      .post(`/v1/campaigns/00000000-0000-4000-8000-000000000000/runs`)
      .send({ audience: { tags: [tag] }, confirmDeadlineMinutes: 1 })
      .expect(400)
      .expect((r) => expect(r.body.details.map((d: { field: string }) => d.field)).toContain('confirmDeadlineMinutes'));
    await planner.post(`/v1/runs/${long}/cancel`).send({}).expect(200);
  });

  it('combines one owner’s posts due together into one mass message, and shows who still has tasks to confirm', async () => {
    const tag = `owner-${Date.now()}`;
    const chats = ['wrOgQhDgAAwangwu1', 'wrOgQhDgAAwangwu2', 'wrOgQhDgAAwangwu3'];
    const wangwu = await Promise.all(chats.map((chatId) => group(chatId, tag, 'wangwu')));
    const zhaoliu = await group('wrOgQhDgAAzhaoliu', tag, 'zhaoliu');
    const runId = await launch(tag);
    const waiting = await waitForPosts<PostView>(planner, runId, (all) =>
      all.every((p) => p.status === 'awaiting_confirmation'),
    );
    // wangwu gets one task for their three groups; zhaoliu one of their own.
    const tasks = wecom.tasks.filter((x) => x.sender === 'wangwu' || x.sender === 'zhaoliu');
    expect(tasks.map((x) => [x.sender, [...x.chats].sort()]).sort()).toEqual([
      ['wangwu', [...chats].sort()],
      ['zhaoliu', ['wrOgQhDgAAzhaoliu']],
    ]);
    const of = (id: string) => waiting.find((p) => p.groupId === id)!;
    const wangwuTask = tasks.find((x) => x.sender === 'wangwu')!;
    for (const g of wangwu) expect(of(g.id).externalId).toBe(wangwuTask.msgid);
    expect(of(zhaoliu.id).externalId).not.toBe(wangwuTask.msgid);
    // The owners' inbox, and each owner's posts.
    const owners = (await planner.get('/v1/posts/owners').expect(200)).body as {
      owner: string;
      posts: number;
      groups: number;
      channelId: string;
    }[];
    expect(
      owners
        .filter((o) => o.owner === 'wangwu' || o.owner === 'zhaoliu')
        .map((o) => [o.owner, o.posts, o.groups])
        .sort(),
    ).toEqual([
      ['wangwu', 3, 3],
      ['zhaoliu', 1, 1],
    ]);
    const mine = await planner.get('/v1/posts?status=awaiting_confirmation&owner=wangwu&pageSize=100').expect(200);
    expect(mine.body.items.map((p: PostView) => p.groupId).sort()).toEqual(wangwu.map((g) => g.id).sort());
    await planner.get('/v1/posts?owner=wang%20wu').expect(400);
    // Nobody confirms: the shared task is withdrawn, and all its posts expire.
    const posts = await waitForPosts<PostView>(
      planner,
      runId,
      (all) => all.every((p) => p.status === 'expired'),
      DEADLINE_MS + 10_000,
    );
    expect(posts).toHaveLength(4);
    expect(wangwuTask).toMatchObject({ reminders: 0, cancelled: true });
  });

  it('sends one owner’s post to 1,200 of their groups as one task, WeCom’s limit being 2,000', async () => {
    const tag = `big-${Date.now()}`;
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      name: `大客户群 ${i}`,
      channelId,
      address: { chatId: `wrBig${tag.slice(-6)}${String(i).padStart(5, '0')}`, sender: 'zhengshi' },
      timezone: 'Asia/Shanghai',
      tags: [tag],
      minGapMinutes: 'off',
    }));
    await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    const runId = await launch(tag, { confirmDeadlineMinutes: 1440 });
    await waitForPosts<PostView>(
      planner,
      runId,
      (all) => all.length === 1200 && all.every((p) => p.status === 'awaiting_confirmation'),
      60_000,
    );
    const tasks = wecom.tasks.filter((x) => x.sender === 'zhengshi');
    expect(tasks.map((x) => x.chats.length)).toEqual([1200]);
    await planner.post(`/v1/runs/${runId}/cancel`).send({}).expect(200);
    await waitForPosts<PostView>(planner, runId, (all) => all.every((p) => p.status === 'cancelled'), 60_000);
    expect(tasks[0].cancelled).toBe(true);
  }, 90_000);

  it('reminds an owner on the channel’s schedule, once per task however many groups it names, never in their quiet hours and never a fourth time', async () => {
    // The owners' quiet hours this time: from 100 to 150 minutes from now, in Beijing.
    const beijing = DateTime.now().setZone('Asia/Shanghai');
    const quietHours = `${beijing.plus({ minutes: 100 }).toFormat('HH:mm')}-${beijing.plus({ minutes: 150 }).toFormat('HH:mm')}`;
    const scheduled = await ChannelFactory.create(t, 'wecom_customer_group', {
      config: { baseUrl: wecom.url, reminders: { afterMinutes: [30, 120, 360], quietHours } },
      credentials: { corpId: wecom.corpId, corpSecret: wecom.corpSecret },
    });
    const tag = `remind-${Date.now()}`;
    for (const chatId of ['wrOgQhDgAAremind1', 'wrOgQhDgAAremind2'])
      await GroupFactory.create(t, scheduled.id, {
        address: { chatId, sender: 'zhoujiu' },
        tags: [tag],
        quietHours: null,
        minGapMinutes: 'off',
      });
    const runId = await launch(tag, { confirmDeadlineMinutes: 1440 });
    const waiting = await waitForPosts<PostView>(planner, runId, (all) =>
      all.every((p) => p.status === 'awaiting_confirmation'),
    );
    const task = wecom.tasks.find((x) => x.msgid === waiting[0].externalId)!;
    expect(task.chats).toHaveLength(2);
    const made = Date.parse(waiting[0].awaitingSince!);
    const confirmations = t.app.get(Confirmations);
    const after = async (minutes: number) => {
      await confirmations.reconcile(new Date(made + minutes * 60_000));
      return task.reminders;
    };
    expect(await after(29)).toBe(0);
    expect(await after(31)).toBe(1);
    expect(await after(121)).toBe(1); // the second is due, but the owner is in quiet hours
    expect(await after(151)).toBe(2);
    expect(await after(361)).toBe(3);
    expect(await after(900)).toBe(3);
    // Asked to remind now: the task has had its three.
    expect((await planner.post('/v1/owners/zhoujiu/remind').expect(200)).body).toEqual({ reminded: 0, spent: 1 });
    expect(task.reminders).toBe(3);
    await planner.post(`/v1/runs/${runId}/cancel`).send({}).expect(200);
  });

  it('shows each owner’s figures: tasks waiting, confirmed on time or late, expired, and how long they take', async () => {
    // Reminders at any hour here: the late task must get its first one whatever the time in Beijing.
    await t.admin
      .patch(`/v1/channels/${channelId}`)
      .send({ config: { baseUrl: wecom.url, reminders: { quietHours: 'off' } } })
      .expect(200);
    const tag = `figures-${Date.now()}`;
    const one = async (n: number, options: object = {}) => {
      const chatId = `wrOgQhDgAAfig${n}`;
      await group(chatId, `${tag}-${n}`, 'wuyi');
      return { chatId, runId: await launch(`${tag}-${n}`, options) };
    };
    const long = { confirmDeadlineMinutes: 1440 };
    const [onTime1, onTime2, late, expired, waiting] = [
      await one(1),
      await one(2),
      await one(3, long),
      await one(4),
      await one(5, long),
    ];
    wecom.confirmAfterMs.set(onTime1.chatId, 0);
    wecom.confirmAfterMs.set(onTime2.chatId, 300);
    for (const { runId } of [onTime1, onTime2])
      await waitForPosts<PostView>(planner, runId, (all) => all[0]?.status === 'sent');
    await waitForPosts<PostView>(planner, expired.runId, (all) => all[0]?.status === 'expired', DEADLINE_MS + 10_000);
    // The late one is confirmed after its first reminder.
    const [pending] = await waitForPosts<PostView>(
      planner,
      late.runId,
      (all) => all[0]?.status === 'awaiting_confirmation',
    );
    const made = Date.parse(pending.awaitingSince!);
    const confirmations = t.app.get(Confirmations);
    await confirmations.reconcile(new Date(made + 31 * 60_000));
    wecom.confirmAfterMs.set(late.chatId, 0);
    await confirmations.reconcile(new Date(made + 45 * 60_000));
    await waitForPosts<PostView>(planner, late.runId, (all) => all[0]?.status === 'sent');

    const { body } = await planner.get('/v1/owners').expect(200);
    const wuyi = (body.items as { owner: string }[]).find((o) => o.owner === 'wuyi');
    expect(wuyi).toEqual({
      owner: 'wuyi',
      tasks: 5,
      waiting: 1,
      onTime: 2,
      late: 1,
      expired: 1,
      medianMinutesToConfirm: expect.any(Number),
      oldestWaitingSince: expect.any(String),
    });
    const detail = (await planner.get('/v1/owners/wuyi?days=7').expect(200)).body;
    expect(detail.days).toEqual([
      {
        date: DateTime.now().setZone('Asia/Shanghai').toISODate(),
        tasks: 5,
        waiting: 1,
        onTime: 2,
        late: 1,
        expired: 1,
      },
    ]);
    await planner.get('/v1/owners/wu%20yi').expect(400);
    // Reminded now of the one task still waiting, outside the schedule.
    const waitingTask = wecom.tasks.find((x) => x.chats.includes(waiting.chatId))!;
    const before = waitingTask.reminders;
    expect((await planner.post('/v1/owners/wuyi/remind').expect(200)).body).toEqual({ reminded: 1, spent: 0 });
    expect(waitingTask.reminders).toBe(before + 1);
    await planner.post(`/v1/runs/${waiting.runId}/cancel`).send({}).expect(200);
    // The late task was confirmed: its run may have finished already (409), or still be closing.
    const closed = await planner.post(`/v1/runs/${late.runId}/cancel`).send({});
    expect([200, 409]).toContain(closed.status);
  });
});
