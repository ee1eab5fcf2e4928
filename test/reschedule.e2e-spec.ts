import { DateTime } from 'luxon';
import { CampaignFactory, ChannelFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { fieldsOf } from './support/details';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const ZONE = 'Asia/Shanghai';

interface Post {
  id: string;
  groupId: string;
  step: number;
  dueAt: string;
  status: string;
}

describe('moving a post, or a step for all its groups, to another time', () => {
  let t: TestApp;
  let planner: RequestWith;
  let quiet: { id: string };
  let open: { id: string };
  let runId = '';
  const postsOf = async () =>
    (await planner.get(`/v1/posts?runId=${runId}&pageSize=100`).expect(200)).body.items as Post[];
  const localAt = (days: number, time: string) =>
    DateTime.now()
      .setZone(ZONE)
      .plus({ days })
      .set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)), second: 0, millisecond: 0 })
      .toISO()!;

  beforeAll(async () => {
    t = await createTestApp();
    planner = t.as(await createKey(t, 'planner'));
    const channelId = (await ChannelFactory.create(t, 'console')).id;
    const tag = `move-${Date.now()}`;
    quiet = await GroupFactory.create(t, channelId, { name: '夜里安静群', tags: [tag], quietHours: '22:00-08:00' });
    open = await GroupFactory.create(t, channelId, { name: '全天群', tags: [tag], quietHours: 'off' });
    const pieces = await publishedPieces(t.as(await createKey(t, 'editor')), ['第一步', '第二步']);
    const campaign = await CampaignFactory.create(planner, pieces, [
      { day: 2, at: '10:00' },
      { day: 3, at: '10:00' },
    ]);
    runId = (
      await planner
        .post(`/v1/campaigns/${campaign.id}/runs`)
        .send({ audience: { tags: [tag] } })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  it('moves one post, refusing a time in its group’s quiet hours unless forced, and never into the past', async () => {
    const post = (await postsOf()).find((p) => p.groupId === quiet.id && p.step === 0)!;
    const night = localAt(1, '23:30');
    const refused = await planner.post(`/v1/posts/${post.id}/reschedule`).send({ dueAt: night }).expect(422);
    expect(refused.body.details).toEqual([
      {
        field: 'dueAt',
        message: expect.stringMatching(
          /^夜里安静群: .* 23:30 \(Asia\/Shanghai\) is in quiet hours 22:00-08:00; it would wait until 08:00$/,
        ),
      },
    ]);
    expect((await planner.get(`/v1/posts/${post.id}`).expect(200)).body.dueAt).toBe(post.dueAt);

    const forced = await planner
      .post(`/v1/posts/${post.id}/reschedule`)
      .send({ dueAt: night, force: true })
      .expect(200);
    expect(forced.body).toMatchObject({ moved: 1, warnings: [{ groupName: '夜里安静群' }] });
    expect(Date.parse((await planner.get(`/v1/posts/${post.id}`).expect(200)).body.dueAt)).toBe(Date.parse(night));

    const tomorrowTen = localAt(1, '10:00');
    await planner.post(`/v1/posts/${post.id}/reschedule`).send({ dueAt: tomorrowTen }).expect(200);
    const moved = (await planner.get(`/v1/posts/${post.id}`).expect(200)).body;
    expect(moved).toMatchObject({ status: 'scheduled' });
    expect(Date.parse(moved.dueAt)).toBe(Date.parse(tomorrowTen));

    const past = await planner
      .post(`/v1/posts/${post.id}/reschedule`)
      .send({ dueAt: new Date(Date.now() - 60_000).toISOString(), force: true })
      .expect(400);
    expect(fieldsOf(past.body)).toEqual(['dueAt']);
  });

  it('moves a whole step for every group by the same time, or none of them', async () => {
    const before = (await postsOf()).filter((p) => p.step === 1);
    expect(before).toHaveLength(2);
    // Ten hours later is 20:00 local: fine for both.
    const moved = await planner.post(`/v1/runs/${runId}/steps/1/reschedule`).send({ byMinutes: 600 }).expect(200);
    expect(moved.body.moved).toBe(2);
    const after = (await postsOf()).filter((p) => p.step === 1);
    for (const post of after) {
      const was = before.find((p) => p.id === post.id)!;
      expect(Date.parse(post.dueAt) - Date.parse(was.dueAt)).toBe(600 * 60_000);
    }
    // Another three hours is 23:00: the quiet group refuses, and neither moves.
    const refused = await planner.post(`/v1/runs/${runId}/steps/1/reschedule`).send({ byMinutes: 180 }).expect(422);
    expect(refused.body.details.map((d: { message: string }) => d.message.split(':')[0])).toEqual(['夜里安静群']);
    expect((await postsOf()).filter((p) => p.step === 1).map((p) => p.dueAt)).toEqual(after.map((p) => p.dueAt));
  });

  it('leaves a post that is no longer waiting, and names bad input', async () => {
    const post = (await postsOf()).find((p) => p.groupId === open.id && p.step === 0)!;
    await planner.post(`/v1/posts/${post.id}/cancel`).send({}).expect(200);
    await planner
      .post(`/v1/posts/${post.id}/reschedule`)
      .send({ dueAt: localAt(2, '12:00') })
      .expect(409);
    for (const [body, field] of [
      [{ byMinutes: 0 }, 'byMinutes'],
      [{ byMinutes: 20_000 }, 'byMinutes'],
      [{ byMinutes: 'soon' }, 'byMinutes'],
    ] as const)
      expect(
        fieldsOf((await planner.post(`/v1/runs/${runId}/steps/1/reschedule`).send(body).expect(400)).body),
      ).toEqual([field]);
    expect(
      fieldsOf(
        (await planner.post(`/v1/runs/${runId}/steps/first/reschedule`).send({ byMinutes: 5 }).expect(400)).body,
      ),
    ).toEqual(['step']);
    expect(
      fieldsOf((await planner.post(`/v1/posts/${post.id}/reschedule`).send({ dueAt: 'tomorrow' }).expect(400)).body),
    ).toEqual(['dueAt']);
    await planner.post(`/v1/runs/${runId}/steps/7/reschedule`).send({ byMinutes: 5 }).expect(409);
    const viewer = t.as(await createKey(t, 'viewer'));
    await viewer.post(`/v1/runs/${runId}/steps/1/reschedule`).send({ byMinutes: 5 }).expect(403);
  });
});
