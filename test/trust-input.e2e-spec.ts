import { DataSource } from 'typeorm';
import { toErrorBody } from '../src/common/http-exception.filter';
import { ChannelFactory, ContentFactory, GroupFactory, createKey, publishedPieces } from './support/factories';
import { fieldsOf } from './support/details';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

/** A JSON body as text, for what JSON.stringify would not write (a lone surrogate escape). */
const raw = (request: ReturnType<RequestWith['post']>, json: string) =>
  request.set('Content-Type', 'application/json').send(json);

describe('trust: ordinary input never answers 500 or stalls the process', () => {
  let t: TestApp;
  let editor: RequestWith;
  let planner: RequestWith;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_FAILURES_PER_MINUTE: '20' });
    editor = t.as(await createKey(t, 'editor'));
    planner = t.as(await createKey(t, 'planner'));
    channelId = (await ChannelFactory.create(t, 'console')).id;
  });
  afterAll(() => t.close());

  describe('tags that differ only by case, spaces or Unicode normalisation are one tag', () => {
    const spellings = ['VIP', 'vip', 'vip ', ' 新 客 ', '新 客', 'caf\u00e9', 'cafe\u0301'];

    it('on a group, a bulk import and a group update', async () => {
      const group = await GroupFactory.create(t, channelId, { tags: spellings });
      expect((await t.admin.get(`/v1/groups/${group.id}`).expect(200)).body.tags).toEqual(['VIP', '新 客', 'café']);
      const rows = [0, 1].map((i) => GroupFactory.body(channelId, { address: `tags-${i}`, tags: spellings }));
      const imported = await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
      expect(imported.body.groups[1].tags).toEqual(['VIP', '新 客', 'café']);
      await t.admin
        .patch(`/v1/groups/${group.id}`)
        .send({ tags: ['Vip', 'VIP'] })
        .expect(200);
      const listed = await t.admin.get(`/v1/groups?tag=${encodeURIComponent(' vip ')}`).expect(200);
      expect(listed.body.items.map((g: { id: string }) => g.id)).toContain(group.id);
    });

    it('on content create and update, without a false "slug is taken"', async () => {
      const piece = await ContentFactory.create(editor, 'morning_brief', { tags: spellings });
      const patched = await editor
        .patch(`/v1/content/${piece.id}`)
        .set('If-Match', `"${piece.version}"`)
        .send({ tags: ['Daily', 'daily ', 'DAILY'] })
        .expect(200);
      expect(patched.body.tags).toEqual(['Daily']);
    });
  });

  it.each([
    [
      'content fields',
      () => raw(editor.post('/v1/content'), `{"kind":"custom","title":"t","fields":{"text":"bad \\ud800 text"}}`),
      'fields.text',
    ],
    [
      'a title',
      () => raw(editor.post('/v1/content'), `{"kind":"custom","title":"\\udc00","fields":{"text":"ok"}}`),
      'title',
    ],
    [
      'group vars',
      () =>
        raw(
          t.admin.post('/v1/groups'),
          `{"name":"g","channelId":"${channelId}","address":"x","timezone":"Asia/Shanghai","vars":{"city":"\\ud83d"}}`,
        ),
      'vars.city',
    ],
  ])('answers 400 naming the field for a lone UTF-16 surrogate in %s', async (_, send, field) => {
    const response = await send().expect(400);
    expect(response.body.details).toEqual([
      { field, message: 'contains a lone UTF-16 surrogate: not valid Unicode text' },
    ]);
  });

  describe('durations and start times are bounded', () => {
    let content: string[];
    beforeAll(async () => {
      content = await publishedPieces(editor, ['一', '二']);
    });

    it.each(['P8000Y', 'PT99999999999H', 'P1000Y', 'P367D'])(
      'refuses after: %s already in a draft, naming the step',
      async (after) => {
        const steps = [
          { stage: 'activate', contentId: content[0], timing: { day: 0, at: '08:00' } },
          { stage: 'educate', contentId: content[1], timing: { after } },
        ];
        const problem = { field: 'steps[1].timing', message: 'after must be at most 366 days (P366D)' };
        const draft = await planner.post('/v1/campaigns').send({ name: 'long', steps }).expect(400);
        expect(draft.body.details).toEqual([problem]);
      },
    );

    it.each([
      [{ day: 0 }, 'must be { day, at } or { after }, nothing else'],
      [{ day: 1, at: '8am' }, 'at must be HH:mm, e.g. 08:00'],
      [{ after: 'PT1H', extra: true }, 'must be { day, at } or { after }, nothing else'],
      ['tomorrow', 'must be { day, at } or { after }'],
    ])('refuses timing %j in a draft and in an update, naming the step', async (timing, message) => {
      const steps = [{ stage: 'activate', contentId: content[0], timing }];
      const created = await planner.post('/v1/campaigns').send({ name: 'timing', steps }).expect(400);
      expect(created.body.details).toEqual([{ field: 'steps[0].timing', message }]);
      const good = [{ stage: 'activate', contentId: content[0], timing: { day: 0, at: '08:00' } }];
      const draft = await planner.post('/v1/campaigns').send({ name: 'timing', steps: good }).expect(201);
      const updated = await planner.patch(`/v1/campaigns/${draft.body.id}`).send({ steps }).expect(400);
      expect(updated.body.details).toEqual([{ field: 'steps[0].timing', message }]);
    });

    it.each([
      ['9999-12-31T00:00:00Z', 'must be at most 731 days from now'],
      ['2026-12-01T08:00:00', 'must be a date and time with an offset, e.g. 2026-11-24T08:00:00+08:00 or …Z'],
      ['2026-12-01', 'must be a date and time with an offset, e.g. 2026-11-24T08:00:00+08:00 or …Z'],
    ])('refuses startAt %s naming the field', async (startAt, message) => {
      const campaign = await planner
        .post('/v1/campaigns')
        .send({ name: 'start', steps: [{ stage: 'activate', contentId: content[0], timing: { day: 0, at: '08:00' } }] })
        .expect(201);
      const response = await planner
        .post(`/v1/campaigns/${campaign.body.id}/runs`)
        .send({ audience: { tags: ['nobody'] }, startAt })
        .expect(400);
      expect(response.body.details).toEqual([{ field: 'startAt', message }]);
    });
  });

  describe('huge bodies are refused before validation, and the process keeps answering', () => {
    it.each([
      [
        '400,000 tags',
        () => ({ ...ContentFactory.body('custom'), tags: Array.from({ length: 400_000 }, (_, i) => `t${i}`) }),
        413,
      ],
      [
        '250,000 unknown keys in fields',
        () => ({
          ...ContentFactory.body('custom'),
          fields: Object.fromEntries(Array.from({ length: 250_000 }, (_, i) => [`k${i}`, 1])),
        }),
        413,
      ],
      [
        '20,000 tags (under the byte limit)',
        () => ({ ...ContentFactory.body('custom'), tags: Array.from({ length: 20_000 }, (_, i) => `${i % 10}`) }),
        400,
      ],
      [
        '5,000 unknown keys (under the byte limit)',
        () => ({
          ...ContentFactory.body('custom'),
          fields: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1])),
        }),
        400,
      ],
    ])('%s', async (_, body, status) => {
      const sent = editor.post('/v1/content').send(body());
      const health = t.http.get('/health/live');
      const [response, live] = await Promise.all([sent, health]);
      expect(response.status).toBe(status);
      expect(live.status).toBe(200);
    });

    it('takes a 5,000-row bulk import above the general body limit', async () => {
      const groups = Array.from({ length: 5_000 }, (_, i) =>
        GroupFactory.body(channelId, { address: `bulk-${i}`, name: `大批量导入的群 ${i}`.padEnd(60, '。') }),
      );
      expect(Buffer.byteLength(JSON.stringify({ groups }))).toBeGreaterThan(512 * 1024);
      const response = await t.admin.post('/v1/groups/bulk').send({ groups }).expect(201);
      expect(response.body.created).toBe(5_000);
    }, 60_000);
  });

  it('answers a null for any field of an update with a 400 naming it, or takes it where null means none', async () => {
    const document = (await t.http.get('/docs/openapi.json').expect(200)).body as {
      components: {
        schemas: Record<
          string,
          { properties: Record<string, { nullable?: boolean; oneOf?: { nullable?: boolean }[] }> }
        >;
      };
    };
    const piece = await ContentFactory.create(editor, 'morning_brief');
    const [published] = await publishedPieces(editor, ['null patch']);
    const group = await GroupFactory.create(t, channelId);
    const campaign = await planner
      .post('/v1/campaigns')
      .send({
        name: 'null patch',
        steps: [{ stage: 'activate', contentId: published, timing: { day: 0, at: '08:00' } }],
      })
      .expect(201);
    const routine = await planner
      .post('/v1/routines')
      .send({
        name: 'null patch',
        audience: { tags: ['vip'] },
        schedule: { every: 'day', at: '22:00' },
        source: { mode: 'current', kind: 'morning_brief' },
      })
      .expect(201);
    const targets: [string, string, RequestWith][] = [
      ['UpdateChannelDto', `/v1/channels/${channelId}`, t.admin],
      ['UpdateGroupDto', `/v1/groups/${group.id}`, t.admin],
      ['UpdateContentDto', `/v1/content/${piece.id}`, editor],
      ['UpdateCampaignDto', `/v1/campaigns/${campaign.body.id}`, planner],
      ['UpdateRoutineDto', `/v1/routines/${routine.body.id}`, planner],
    ];
    const taken: string[] = [];
    for (const [schema, url, as] of targets) {
      const fields = Object.keys(document.components.schemas[schema].properties);
      expect(fields.length).toBeGreaterThan(2);
      for (const field of fields) {
        const before = (await as.get(url).expect(200)).body as { version?: number };
        const body = { version: before.version, [field]: null };
        const response = await as.patch(url).send(body);
        const where = `${schema}.${field} → ${response.status} ${response.text.slice(0, 200)}`;
        expect({ where, status: response.status === 400 || response.status === 200 }).toEqual({ where, status: true });
        if (response.status === 400)
          expect({ where, fields: fieldsOf(response.body) }).toEqual({ where, fields: [field] });
        else taken.push(`${schema}.${field}`);
      }
    }
    // Only what the schema says may be null (none, off, inherit) is taken as such.
    expect(
      taken.every((name) => {
        const [schema, field] = name.split('.');
        const property = document.components.schemas[schema].properties[field];
        // OpenAPI 3.0 says a choice is nullable in its first branch.
        return property.nullable === true || property.oneOf?.[0]?.nullable === true;
      }),
    ).toBe(true);
  });

  it('answers 503 when a query outlives the statement time limit', async () => {
    const limited = await createTestApp({ DB_STATEMENT_TIMEOUT_MS: '300' });
    try {
      const error = await limited.app
        .get(DataSource)
        .query('SELECT SLEEP(3)')
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(toErrorBody(error)?.statusCode).toBe(503);
    } finally {
      await limited.close();
    }
  });

  it('throttles a client that keeps presenting unknown keys, without asking the database each time', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await t.as(`gck_guess_${i}`).get('/v1/groups')).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
    const throttled = await t.as('gck_guess_again').get('/v1/groups').expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(fieldsOf(throttled.body)).toEqual([]);
    await t.admin.get('/v1/groups').expect(200);
  });
});
