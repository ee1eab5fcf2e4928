import { CampaignFactory, GroupFactory, createKey, planningSetup } from './support/factories';
import { postsOf, waitForPosts } from './support/poll';
import { RequestWith, TestApp, createTestApp } from './support/test-app';
import { PostView } from './support/views';

describe('bounds: orders are the reporting shop’s own, and credited only where they can have come from', () => {
  let t: TestApp;
  let planner: RequestWith;
  let shop: RequestWith;
  let rival: RequestWith;
  let sent: PostView;
  let runId: string;
  let later: PostView[];

  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', SCHEDULER_TICK_MS: '100' });
    const setup = await planningSetup(t, ['一', '二']);
    planner = setup.planner;
    shop = t.as(await createKey(t, 'integration'));
    rival = t.as(await createKey(t, 'integration'));
    const group = await GroupFactory.create(t, setup.channelId, { quietHours: null, memberCount: 200 });
    const campaign = await CampaignFactory.create(planner, setup.content, [{ after: 'PT0S' }, { after: 'P1D' }]);
    runId = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { groupIds: [group.id] } })
        .expect(201)
    ).body.id;
    [sent] = await waitForPosts<PostView>(planner, runId, (all) => all[0]?.status === 'sent');
    later = await postsOf<PostView>(planner, runId);
  });
  afterAll(() => t.close());

  it('keeps one key’s order ids from another key: neither its record nor its amount is shown, and the other key’s own order stands apart', async () => {
    const order = { postId: sent.id, orderId: 'A-1001', amount: 299, currency: 'CNY' };
    const first = await shop.post('/v1/conversions').send(order).expect(201);
    await shop.post('/v1/conversions').send(order).expect(200);
    // Another shop numbering its orders the same way: its own record, nothing of the first in the answer.
    const other = await rival
      .post('/v1/conversions')
      .send({ ...order, amount: 5 })
      .expect(201);
    expect(other.body.id).not.toBe(first.body.id);
    // Ids aside (a random uuid may hold any digits), nothing in the answer says 299.
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const shown = JSON.stringify(other.body, (_, value: unknown) =>
      typeof value === 'string' && uuid.test(value) ? 'id' : value,
    );
    expect(shown).not.toContain('299');
    expect(other.body).not.toHaveProperty('reportedBy');
    const again = await rival
      .post('/v1/conversions')
      .send({ ...order, amount: 7 })
      .expect(409);
    expect(again.body.details).toEqual([
      { field: 'orderId', message: 'was reported already with amount 5; an order is counted once' },
    ]);
    const funnel = (await planner.get(`/v1/runs/${runId}/funnel`).expect(200)).body;
    expect(funnel.totals).toMatchObject({ conversions: 2, amount: 304 });
  });

  it('refuses the same order again in another currency', async () => {
    const order = { postId: sent.id, orderId: 'A-1002', amount: 100, currency: 'CNY' };
    await shop.post('/v1/conversions').send(order).expect(201);
    const changed = await shop
      .post('/v1/conversions')
      .send({ ...order, currency: 'USD' })
      .expect(409);
    expect(changed.body.details).toEqual([
      { field: 'orderId', message: 'was reported already with currency CNY; an order is counted once' },
    ]);
  });

  it('credits no order to a post not sent, or cancelled', async () => {
    const unsent = later.find((p) => p.status !== 'sent')!;
    const response = await shop
      .post('/v1/conversions')
      .send({ postId: unsent.id, orderId: 'A-2001', amount: 10 })
      .expect(422);
    expect(response.body.details).toEqual([
      {
        field: 'postId',
        message: `leads to a post that was not sent (it is ${unsent.status}): orders are credited to sent posts`,
      },
    ]);
    await planner.post(`/v1/posts/${unsent.id}/cancel`).expect(200);
    const cancelled = await shop
      .post('/v1/conversions')
      .send({ postId: unsent.id, orderId: 'A-2002', amount: 10 })
      .expect(422);
    expect(cancelled.body.details[0].message).toMatch(/it is cancelled/);
  });

  it.each([
    ['2999-01-01T00:00:00Z', 'is in the future'],
    ['2020-01-01T00:00:00Z', 'before the post was sent'],
  ])('refuses orderedAt %s naming it', async (orderedAt, message) => {
    const response = await shop
      .post('/v1/conversions')
      .send({ postId: sent.id, orderId: `A-3-${orderedAt}`, amount: 1, orderedAt })
      .expect(400);
    expect(response.body.details).toEqual([{ field: 'orderedAt', message: expect.stringContaining(message) }]);
  });
});
