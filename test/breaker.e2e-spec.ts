import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { eventually, waitForPosts } from './support/poll';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

describe('a group that keeps failing is paused, and the others carry on', () => {
  let t: TestApp;
  let planner: RequestWith;
  const wecom = new FakeWecom();
  const receiver = new FakeWebhookReceiver();

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', RETRY_BASE_MS: '50' });
    planner = t.as(await createKey(t, 'planner'));
    await wecom.start();
    await receiver.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await receiver.stop();
  });

  it('pauses a group after three failed sends with the provider’s reason, delivers to 20 others meanwhile, and sends what it held in order on resume', async () => {
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } });
    const tag = `breaker-${Date.now()}`;
    const group = async (key: string) =>
      GroupFactory.create(t, channel.id, { address: key, tags: [tag], quietHours: null, minGapMinutes: 'off' });
    const removedKey = `removed-${Date.now()}`;
    const removed = await group(removedKey);
    for (let i = 0; i < 20; i++) {
      const key = `working-${i}-${Date.now()}`;
      wecom.keys.add(key);
      await group(key);
    }
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二', '三', '四']);
    const campaign = await CampaignFactory.create(planner, content, Array(4).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    const of = (posts: PostView[]) => posts.filter((p) => p.groupId === removed.id).sort((a, b) => a.step - b.step);
    const posts = await waitForPosts<PostView>(
      planner,
      run.body.id,
      (all) => all.filter((p) => p.status === 'sent').length === 80 && of(all)[3]?.holdCode === 'group_inactive',
    );
    expect(of(posts).map((p) => [p.status, p.errorCode])).toEqual([
      ['failed', '93000'],
      ['failed', '93000'],
      ['failed', '93000'],
      ['queued', null],
    ]);
    const paused = (await t.admin.get(`/v1/groups/${removed.id}`).expect(200)).body;
    expect(paused).toMatchObject({ status: 'paused', consecutiveFailures: 3 });
    expect(paused.pausedReason).toMatch(/^3 sends failed in a row; last: 93000: .*invalid webhook url/);
    expect(of(posts)[3].deferReason).toBe(`group is paused: ${paused.pausedReason}`);

    // The robot is back; resuming sends the held post at once, not at its next look a minute later.
    wecom.keys.add(removedKey);
    const resumed = await planner.post(`/v1/groups/${removed.id}/resume`).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null, consecutiveFailures: 0 });
    const resumedAt = Date.now();
    const last = await eventually(async () => {
      const held = of((await planner.get(`/v1/posts?runId=${run.body.id}&pageSize=100`).expect(200)).body.items)[3];
      return held.status === 'sent' ? held : undefined;
    });
    expect(Date.parse(last.sentAt!) - resumedAt).toBeLessThan(10_000);
    expect(wecom.received.filter((r) => r.query.get('key') === removedKey)).toHaveLength(4);
  });

  it('counts failures only in a row, and pauses only the group whose receiver answers 410 Gone', async () => {
    const channel = await ChannelFactory.create(t, 'webhook', { config: { breakerFailures: 2 } });
    const tag = `gone-${Date.now()}`;
    const gone = await GroupFactory.create(t, channel.id, {
      address: { url: `${receiver.url}/hook` },
      tags: [tag],
      quietHours: null,
      minGapMinutes: 'off',
    });
    receiver.secret = gone.signingSecret!;
    receiver.next({ status: 500, body: 'down' }, { status: 500, body: 'down' }, { status: 500, body: 'down' });
    receiver.next({ status: 500, body: 'down' }, { status: 500, body: 'down' });
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['甲', '乙', '丙']);
    const campaign = await CampaignFactory.create(planner, content, Array(3).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] } })
      .expect(201);
    // The first post fails after its five attempts (one failure in a row); the second goes through
    // and ends the row.
    const posts = await waitForPosts<PostView>(planner, run.body.id, (all) =>
      all.some((p) => p.step === 1 && p.status === 'sent'),
    );
    expect(posts.find((p) => p.step === 0)).toMatchObject({ status: 'failed' });
    await waitForPosts<PostView>(planner, run.body.id, (all) => all.every((p) => p.status !== 'queued'));
    expect((await t.admin.get(`/v1/groups/${gone.id}`).expect(200)).body).toMatchObject({
      status: 'active',
      consecutiveFailures: 0,
    });
    // A 410 is this group's receiver gone: its post fails, the group is paused, the channel and its
    // other group carry on.
    const other = await GroupFactory.create(t, channel.id, {
      address: { url: `${receiver.url}/hook-2`, secret: gone.signingSecret },
      quietHours: null,
      minGapMinutes: 'off',
    });
    receiver.next({ status: 410, body: 'gone' });
    const campaign2 = await CampaignFactory.create(planner, content.slice(0, 1), [{ after: 'PT0S' }]);
    const first = await planner
      .post(`/v1/campaigns/${campaign2.id}/runs`)
      .send({ audience: { groupIds: [gone.id] } })
      .expect(201);
    const [failed] = await waitForPosts<PostView & { error: string }>(planner, first.body.id, (all) =>
      all.every((p) => p.status === 'failed'),
    );
    expect(failed).toMatchObject({ errorCode: '410', error: 'the receiver is gone (410)' });
    expect((await t.admin.get(`/v1/groups/${gone.id}`).expect(200)).body).toMatchObject({
      status: 'paused',
      pausedReason: '1 send failed in a row; last: 410: the receiver is gone (410)',
    });
    expect((await t.admin.get(`/v1/channels/${channel.id}`).expect(200)).body).toMatchObject({
      status: 'active',
      disabledReason: null,
    });
    const second = await planner
      .post(`/v1/campaigns/${campaign2.id}/runs`)
      .send({ audience: { groupIds: [other.id] } })
      .expect(201);
    await waitForPosts<PostView>(planner, second.body.id, (all) => all.every((p) => p.status === 'sent'));
  });

  it('holds every post of a channel disabled by hand, with the reason, and sends them when it is enabled', async () => {
    const channel = await ChannelFactory.create(t, 'webhook');
    const group = await GroupFactory.create(t, channel.id, {
      address: { url: `${receiver.url}/by-hand` },
      quietHours: null,
      minGapMinutes: 'off',
    });
    receiver.secret = group.signingSecret!;
    const refused = await planner.post(`/v1/channels/${channel.id}/disable`).send({}).expect(400);
    expect(refused.body.details).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const disabled = await planner
      .post(`/v1/channels/${channel.id}/disable`)
      .send({ reason: '机器人迁到新群，明天启用' })
      .expect(200);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: '机器人迁到新群，明天启用' });
    const content = await publishedPieces(t.as(await createKey(t, 'editor')), ['停']);
    const campaign = await CampaignFactory.create(planner, content, [{ after: 'PT0S' }]);
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { groupIds: [group.id] } })
      .expect(201);
    const held = `channel is disabled (${channel.name}): 机器人迁到新群，明天启用`;
    await waitForPosts<PostView>(planner, run.body.id, (all) =>
      all.every((p) => p.status === 'queued' && p.deferReason === held),
    );
    // Enabled again: it goes now, not at its next look a minute later.
    const enabled = await planner.post(`/v1/channels/${channel.id}/enable`).expect(200);
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null });
    await waitForPosts<PostView>(planner, run.body.id, (all) => all.every((p) => p.status === 'sent'), 20_000);
  });
});
