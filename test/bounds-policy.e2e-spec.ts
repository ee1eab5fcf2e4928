import { ChannelFactory, GroupFactory, createKey } from './support/factories';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const SHIPPED = { quietHours: '23:00-07:00', minGapMinutes: 10, dailyCap: 6, promoCap: 1, blackoutDates: [] };
const RANGE = {
  minGapMinutes: 'must be a whole number from 0 to 1440, "off", or null',
  dailyCap: 'must be a whole number from 1 to 1000, "off", or null',
  promoCap: 'must be a whole number from 1 to 1000, "off", or null',
};
const HOLDS_ALL = '0 would hold every post for ever: use "off" for no cap, or pause the group to stop sending';
const HOLDS_PROMOS =
  '0 would hold every promotional post for ever: use "off" for no cap, or pause the group to stop sending';

describe('bounds: no policy can silently stop delivery', () => {
  let t: TestApp;
  let planner: RequestWith;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp({}, { shippedPolicy: true });
    planner = t.as(await createKey(t, 'planner'));
    channelId = (await ChannelFactory.create(t, 'console')).id;
  });
  afterAll(() => t.close());

  const BAD: [string, unknown, string][] = [
    ['dailyCap', -1, RANGE.dailyCap],
    ['dailyCap', 0, HOLDS_ALL],
    ['promoCap', 0, HOLDS_PROMOS],
    ['promoCap', -1, RANGE.promoCap],
    ['minGapMinutes', -1, RANGE.minGapMinutes],
    ['minGapMinutes', 1441, RANGE.minGapMinutes],
    ['dailyCap', 2.5, RANGE.dailyCap],
  ];

  it.each(BAD)(
    'refuses %s %p globally, with PUT and PATCH, and on a group, naming the field',
    async (field, value, message) => {
      const put = await planner
        .put('/v1/policies')
        .send({ ...SHIPPED, [field]: value })
        .expect(400);
      expect(put.body.details).toEqual([{ field, message }]);
      const patch = await planner
        .patch('/v1/policies')
        .send({ [field]: value })
        .expect(400);
      expect(patch.body.details).toEqual([{ field, message }]);
      expect((await planner.get('/v1/policies').expect(200)).body).toEqual(SHIPPED);

      const create = await t.admin
        .post('/v1/groups')
        .send(GroupFactory.body(channelId, { [field]: value }))
        .expect(400);
      expect(create.body.details).toEqual([{ field, message }]);
      const group = await GroupFactory.create(t, channelId);
      const update = await planner
        .patch(`/v1/groups/${group.id}`)
        .send({ [field]: value })
        .expect(400);
      expect(update.body.details).toEqual([{ field, message }]);
    },
  );

  it('refuses a blackout date that is not a date', async () => {
    const response = await planner
      .patch('/v1/policies')
      .send({ blackoutDates: ['2026-13-45'] })
      .expect(400);
    expect(response.body.details).toEqual([{ field: 'blackoutDates', message: 'each must be a date YYYY-MM-DD' }]);
  });

  it('PUT replaces the whole policy and names every field left out; PATCH changes only what it names', async () => {
    const partial = await planner.put('/v1/policies').send({ dailyCap: 3 }).expect(400);
    const required =
      'is required: PUT replaces the whole policy (null for none); PATCH changes only the fields it names';
    expect(partial.body.details).toEqual(
      ['quietHours', 'minGapMinutes', 'promoCap', 'blackoutDates'].map((field) => ({ field, message: required })),
    );
    expect((await planner.get('/v1/policies').expect(200)).body).toEqual(SHIPPED);

    const replaced = { quietHours: null, minGapMinutes: 'off', dailyCap: 4, promoCap: null, blackoutDates: null };
    expect((await planner.put('/v1/policies').send(replaced).expect(200)).body).toEqual({
      quietHours: null,
      minGapMinutes: null,
      dailyCap: 4,
      promoCap: null,
      blackoutDates: [],
    });
    expect((await planner.patch('/v1/policies').send({ promoCap: 2 }).expect(200)).body).toEqual({
      quietHours: null,
      minGapMinutes: null,
      dailyCap: 4,
      promoCap: 2,
      blackoutDates: [],
    });
    await planner.put('/v1/policies').send(SHIPPED).expect(200);
  });

  it('still takes "off" on a group for no cap and null to inherit', async () => {
    const group = await GroupFactory.create(t, channelId, { dailyCap: 'off', promoCap: 'off', minGapMinutes: 0 });
    const shown = (await planner.get(`/v1/groups/${group.id}`).expect(200)).body;
    expect(shown).toMatchObject({ dailyCap: 'off', promoCap: 'off', minGapMinutes: 0 });
  });
});
