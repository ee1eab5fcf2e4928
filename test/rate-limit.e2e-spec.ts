import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { waitForPosts } from './support/poll';
import { FakeWecom } from './support/providers/wecom';
import { TestApp, createTestApp } from './support/test-app';

describe('the provider rate limit per robot', () => {
  let t: TestApp;
  const wecom = new FakeWecom();

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    await wecom.start();
  });
  afterAll(async () => {
    await t.close();
    await wecom.stop();
  });

  it('sends 25 posts to one WeCom robot at most 20 in any rolling minute, deferring the rest and losing none', async () => {
    const key = 'shared-robot-key-0001';
    wecom.keys.add(key);
    const channel = await ChannelFactory.create(t, 'wecom', { config: { baseUrl: wecom.url, format: 'text' } });
    await GroupFactory.create(t, channel.id, { address: key, tags: ['one-robot'], quietHours: null });
    const planner = t.as(await createKey(t, 'planner'));
    const pieces = await publishedPieces(
      t.as(await createKey(t, 'editor')),
      Array.from({ length: 25 }, (_, i) => `限流 ${i}`),
    );
    const campaign = await CampaignFactory.create(planner, pieces, Array(25).fill({ after: 'PT0S' }));
    const run = await planner
      .post(`/v1/campaigns/${campaign.id}/runs`)
      .send({ audience: { tags: ['one-robot'] } })
      .expect(201);

    const posts = await waitForPosts<{ id: string; status: string; step: number }>(
      planner,
      run.body.id,
      (all) => all.length === 25 && all.every((p) => p.status === 'sent'),
      90_000,
    );
    const times = [...wecom.arrivals].sort((a, b) => a - b);
    expect(times).toHaveLength(25);
    for (const start of times)
      expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(20);
    // The first 20 went at once; the 21st waited for the robot, and so may the ones after it as the window slides.
    const limited: number[] = [];
    for (const post of posts) {
      const { deferrals } = (await planner.get(`/v1/posts/${post.id}`).expect(200)).body as {
        deferrals: { reason: string }[];
      };
      if (deferrals.some((d) => d.reason === 'provider rate limit for this address')) limited.push(post.step);
    }
    expect(limited[0]).toBe(20);
    expect(limited.every((step) => step >= 20)).toBe(true);
  }, 120_000);
});
