import { DateTime } from 'luxon';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { waitForPosts } from './support/poll';
import { eventually } from './support/poll';
import { FakeWebhookReceiver } from './support/providers/webhook-receiver';
import { FakeWecom } from './support/providers/wecom';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

const settled = (posts: PostView[]) => posts.every((p) => !['scheduled', 'queued', 'sending'].includes(p.status));

describe('delivery: outcomes, run control and policy', () => {
  let t: TestApp;
  let planner: RequestWith;
  let content: string[];
  const wecom = new FakeWecom();
  const receiver = new FakeWebhookReceiver();
  let wecomChannel: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100', RETRY_BASE_MS: '50', MAX_ATTEMPTS: '3' });
    planner = t.as(await createKey(t, 'planner'));
    content = await publishedPieces(t.as(await createKey(t, 'editor')), ['一', '二', '三', '四', '五']);
    await wecom.start();
    await receiver.start();
    wecomChannel = (
      await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, timeoutMs: 300, format: 'text' } })
    ).id;
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
    await receiver.stop();
  });

  /** A group on the WeCom fake with a working key, and a run of `steps` posts to it, `gap` apart. */
  async function runTo(
    groupOverrides: Record<string, unknown>,
    steps = 1,
    gap = 'PT0S',
    launch: Record<string, unknown> = {},
  ) {
    const key = `robot-key-${++serial}-${Date.now()}`;
    wecom.keys.add(key);
    const tag = `delivery-${serial}`;
    const group = await GroupFactory.create(t, wecomChannel, {
      address: key,
      tags: [tag],
      quietHours: null,
      ...groupOverrides,
    });
    const campaign = await CampaignFactory.create(planner, content.slice(0, steps), Array(steps).fill({ after: gap }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: [tag] }, ...launch })
      .expect(201);
    return { key, group, runId: run.body.id as string };
  }

  /** Waits until a post to another group, due at `at`, is sent: by then any post due earlier had its chance to go. */
  async function witness(at: number): Promise<void> {
    const { runId } = await runTo({}, 1, 'PT0S', { startAt: new Date(at).toISOString() });
    await waitForPosts<PostView>(planner, runId, (all) => all.every((p) => p.status === 'sent'));
  }

  const attemptsOf = async (postId: string) =>
    (await planner.get(`/v1/posts/${postId}`).expect(200)).body.attemptLog.map((a: { outcome: string }) => a.outcome);

  it('retries a 5xx and then sends', async () => {
    wecom.next({ status: 502, body: 'bad gateway' });
    const { runId } = await runTo({});
    const [post] = await waitForPosts<PostView>(planner, runId, settled);
    expect(post).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await attemptsOf(post.id)).toEqual(['transient', 'ok']);
  });

  it('fails a bad key at once with the provider’s reason, and the retry endpoint sends it again', async () => {
    const { key, runId } = await runTo({});
    wecom.keys.delete(key);
    // The run was launched with the key known; remove it before the worker gets there.
    const [post] = await waitForPosts<PostView>(planner, runId, settled);
    expect(post).toMatchObject({ status: 'failed', attempts: 1, errorCode: '93000' });
    expect(post.error).toContain('invalid webhook url');
    // The run completes with its only post failed; retrying must open it again.
    await eventually(async () =>
      (await planner.get(`/v1/runs/${runId}`).expect(200)).body.status === 'completed' ? true : undefined,
    );
    wecom.keys.add(key);
    await planner.post(`/v1/posts/${post.id}/retry`).expect(200);
    const [again] = await waitForPosts<PostView>(planner, runId, settled);
    expect(again).toMatchObject({ status: 'sent' });
    await planner.post(`/v1/posts/${post.id}/retry`).expect(409);
  });

  it('marks a post unconfirmed when a robot took the request and did not answer', async () => {
    wecom.next({ delayMs: 1000 });
    const { runId } = await runTo({});
    const [post] = await waitForPosts<PostView>(planner, runId, settled);
    expect(post).toMatchObject({ status: 'unconfirmed', attempts: 1, errorCode: 'ambiguous' });
    await planner.post(`/v1/posts/${post.id}/mark-sent`).expect(200);
    expect((await planner.get(`/v1/posts/${post.id}`)).body.status).toBe('sent');
  });

  it('retries a signed webhook that did not answer, and the receiver keeps one copy', async () => {
    const channel = await ChannelFactory.create(t, 'webhook', { config: { timeoutMs: 300 } });
    const group = await GroupFactory.create(t, channel.id, {
      address: `${receiver.url}/hooks/retry`,
      tags: ['webhook-retry'],
      quietHours: null,
    });
    receiver.secret = group.signingSecret!;
    const campaign = await CampaignFactory.create(planner, content.slice(0, 1), [{ after: 'PT0S' }]);
    receiver.next({ delayMs: 1000 });
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['webhook-retry'] } })
      .expect(201);
    const [post] = await waitForPosts<PostView>(planner, run.body.id, settled);
    expect(post).toMatchObject({ status: 'sent', attempts: 2 });
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === post.id)).toHaveLength(2);
    expect([...receiver.accepted.keys()].filter((id) => id === post.id)).toHaveLength(1);
  });

  it('sends nothing while paused and everything, in order, after resuming', async () => {
    const { key, runId } = await runTo({}, 3, 'PT1S');
    await planner.post(`/v1/runs/${runId}/pause`).expect(200);
    const paused = await waitForPosts<PostView>(planner, runId, (all) => all.every((p) => p.status === 'paused'));
    const lastDue = Math.max(...paused.map((p) => Date.parse(p.dueAt)));
    await witness(lastDue + 500);
    expect(wecom.received.filter((r) => r.query.get('key') === key)).toHaveLength(0);
    await planner.post(`/v1/runs/${runId}/resume`).expect(200);
    const posts = await waitForPosts<PostView>(planner, runId, settled);
    expect(posts.map((p) => p.status)).toEqual(['sent', 'sent', 'sent']);
    const order = [...posts].sort((a, b) => Date.parse(a.sentAt!) - Date.parse(b.sentAt!)).map((p) => p.step);
    expect(order).toEqual([0, 1, 2]);
  });

  it('skips posts later than maxLatenessMinutes after a pause', async () => {
    const { runId } = await runTo({}, 2, 'PT1S', { maxLatenessMinutes: 0 });
    await planner.post(`/v1/runs/${runId}/pause`).expect(200);
    const paused = await waitForPosts<PostView>(planner, runId, (all) => all.every((p) => p.status === 'paused'));
    const lastDue = Math.max(...paused.map((p) => Date.parse(p.dueAt)));
    await witness(lastDue + 100);
    await planner.post(`/v1/runs/${runId}/resume`).expect(200);
    const posts = await waitForPosts<PostView>(planner, runId, settled);
    expect(posts.map((p) => p.status)).toEqual(['skipped', 'skipped']);
  });

  it('sends nothing after cancel, even with jobs already in Redis', async () => {
    const { key, runId } = await runTo({}, 3, 'PT1S');
    await waitForPosts<PostView>(planner, runId, (all) => all.every((p) => p.status === 'queued'));
    await planner.post(`/v1/runs/${runId}/cancel`).expect(200);
    const posts = await waitForPosts<PostView>(planner, runId, settled);
    expect(posts.map((p) => p.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const lastDue = Math.max(...posts.map((p) => Date.parse(p.dueAt)));
    await witness(lastDue + 500);
    expect(wecom.received.filter((r) => r.query.get('key') === key)).toHaveLength(0);
    expect((await planner.get(`/v1/runs/${runId}`)).body.status).toBe('cancelled');
    await planner.post(`/v1/runs/${runId}/resume`).expect(409);
  });

  describe('policy', () => {
    const waitForReason = (runId: string, index: number, reason: string) =>
      waitForPosts<PostView>(planner, runId, (all) => all[index]?.deferReason === reason);

    it('defers a post in quiet hours that cross midnight to the window’s end, the next local day', async () => {
      // A fixed-offset zone where it is now 23:xx, so that 23:00-01:00 holds "now" and crosses midnight.
      const offset = ((23 - new Date().getUTCHours() + 36) % 24) - 12;
      const zone = offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
      const { runId } = await runTo({ quietHours: '23:00-01:00', timezone: zone });
      const [post] = await waitForPosts<PostView>(planner, runId, (all) => all[0].deferReason !== null);
      expect(post.status).toBe('queued');
      expect(post).toMatchObject({ holdCode: 'quiet_hours', deferReason: 'quiet hours 23:00-01:00' });
      const end = DateTime.fromISO(post.notBefore!).setZone(zone);
      expect(end.toFormat('HH:mm')).toBe('01:00');
      expect(end.toISODate()).toBe(DateTime.now().setZone(zone).plus({ days: 1 }).toISODate());
    });

    it('keeps the minimum gap between two posts to a group', async () => {
      const { runId } = await runTo({ minGapMinutes: 30 }, 2, 'PT0S');
      const posts = await waitForPosts<PostView>(
        planner,
        runId,
        (all) => all[0].status === 'sent' && all[1].holdCode === 'min_gap',
      );
      const gap = Date.parse(posts[1].notBefore!) - Date.parse(posts[0].sentAt!);
      expect(gap).toBeGreaterThanOrEqual(30 * 60_000);
      expect(gap).toBeLessThan(30 * 60_000 + 5000);
    });

    it('holds posts past the daily cap until the next local day', async () => {
      const { runId } = await runTo({ dailyCap: 1, timezone: 'Europe/Berlin' }, 2, 'PT0S');
      const posts = await waitForReason(runId, 1, 'daily cap of 1 reached');
      expect(posts[0].status).toBe('sent');
      const next = DateTime.fromISO(posts[1].notBefore!).setZone('Europe/Berlin');
      expect(next.toFormat('HH:mm')).toBe('00:00');
      expect(next.toISODate()).toBe(DateTime.now().setZone('Europe/Berlin').plus({ days: 1 }).toISODate());
    });

    it('holds promotional posts past the promotional cap but lets others through', async () => {
      const key = `robot-key-promo-${Date.now()}`;
      wecom.keys.add(key);
      await GroupFactory.create(t, wecomChannel, { address: key, tags: ['promo'], quietHours: null, promoCap: 1 });
      const campaign = await planner
        .post('/v1/campaigns')
        .send({
          name: 'promo',
          steps: [
            { stage: 'educate', contentId: content[0], timing: { after: 'PT0S' } },
            { stage: 'trigger_need', contentId: content[1], timing: { after: 'PT0S' } },
            { stage: 'close', contentId: content[2], timing: { after: 'PT0S' } },
          ],
        })
        .expect(201);
      const run = await planner
        .post(`/v1/campaigns/${campaign.body.id}/runs`)
        .send({ audience: { tags: ['promo'] } })
        .expect(201);
      const posts = await waitForReason(run.body.id, 2, 'promotional cap of 1 reached');
      expect(posts.map((p) => p.status)).toEqual(['sent', 'sent', 'queued']);
    });

    it('skips or shifts a post due on a blackout date, as the run says', async () => {
      const today = DateTime.now().setZone('Asia/Shanghai').toISODate()!;
      const skipped = await runTo({ blackoutDates: [today] }, 1, 'PT0S', { blackoutMode: 'skip' });
      const [post] = await waitForPosts<PostView>(planner, skipped.runId, settled);
      expect(post).toMatchObject({ status: 'skipped', error: `${today} is a blackout date` });
      const shifted = await runTo({ blackoutDates: [today] }, 1, 'PT0S', { blackoutMode: 'shift' });
      const [moved] = await waitForReason(shifted.runId, 0, `${today} is a blackout date: shifted`);
      expect(DateTime.fromISO(moved.notBefore!).setZone('Asia/Shanghai').toISODate()).toBe(
        DateTime.fromISO(today).plus({ days: 1 }).toISODate(),
      );
    });

    it('applies global defaults to groups that set none', async () => {
      await planner.patch('/v1/policies').send({ dailyCap: 1 }).expect(200);
      try {
        const { runId } = await runTo({}, 2);
        const posts = await waitForReason(runId, 1, 'daily cap of 1 reached');
        expect(posts.map((p) => p.status)).toEqual(['sent', 'queued']);
      } finally {
        await planner.patch('/v1/policies').send({ dailyCap: null }).expect(200);
      }
    });
  });
});
