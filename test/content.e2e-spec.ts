import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ContentFactory, SEED_KINDS, createKey, exampleFields } from './support/factories';
import { fieldsOf } from './support/details';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('content library', () => {
  let t: TestApp;
  let editor: RequestWith;
  let viewer: RequestWith;

  beforeAll(async () => {
    t = await createTestApp();
    editor = t.as(await createKey(t, 'editor'));
    viewer = t.as(await createKey(t, 'viewer'));
  });
  afterAll(() => t.close());

  const count = async (table: string) =>
    Number((await t.app.get<DataSource>(getDataSourceToken()).query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  describe('create', () => {
    it.each(SEED_KINDS)('stores a %s as a draft at revision 1', async (kind) => {
      const response = await editor
        .post('/v1/content')
        .send(ContentFactory.body(kind, { tags: ['vip', 'winter'] }))
        .expect(201);
      expect(response.body).toMatchObject({
        kind,
        status: 'draft',
        revision: 1,
        publishedRevision: null,
        version: 1,
        fields: exampleFields(kind),
        tags: ['vip', 'winter'],
      });
      expect(response.body.slug).toMatch(new RegExp(`^${kind.replace(/_/g, '-')}-[0-9a-f]{8}$`));
      // The answer is the piece as stored, times included.
      expect((await editor.get(`/v1/content/${response.body.id}`).expect(200)).body).toEqual(response.body);
    });

    it('creates 100 pieces sent at once with the same tags, none lost to a deadlock', async () => {
      const statuses = await Promise.all(
        Array.from(
          { length: 100 },
          async () =>
            (await editor.post('/v1/content').send(ContentFactory.body('morning_brief', { tags: ['rush', 'winter'] })))
              .status,
        ),
      );
      expect(statuses.filter((s) => s !== 201)).toEqual([]);
      expect((await editor.get('/v1/content?tag=rush').expect(200)).body.total).toBe(100);
    });

    it('refuses a slug that is taken with 409 naming the slug', async () => {
      await ContentFactory.create(editor, 'custom', { slug: 'weekend-notice' });
      const response = await editor
        .post('/v1/content')
        .send(ContentFactory.body('custom', { slug: 'weekend-notice' }))
        .expect(409);
      expect(response.body.details).toEqual([{ field: 'slug', message: 'is already used by another piece' }]);
    });

    it.each([
      ['a wrong type', { title: 5 }, ['title']],
      ['a missing title', { title: undefined }, ['title']],
      ['a too long title', { title: '长'.repeat(201) }, ['title']],
      ['an unknown field', { colour: 'red' }, ['colour']],
      ['a non-object fields', { fields: 'hello' }, ['fields']],
      ['an image that is not a URL', { media: ['not a url'] }, ['media']],
      ['a link with another scheme', { link: 'javascript:alert(1)' }, ['link']],
      ['a tag that is blank once trimmed', { tags: ['a', '   '] }, ['tags']],
      ['a bad slug', { slug: 'Has Spaces' }, ['slug']],
      ['an unknown kind', { kind: 'horoscope' }, ['kind']],
      [
        'fields the kind does not declare',
        { fields: { ...exampleFields('morning_brief'), weather: 'sunny' } },
        ['fields.weather'],
      ],
      [
        'a missing required field',
        { fields: { headlines: exampleFields('morning_brief').headlines } },
        ['fields.greeting'],
      ],
      [
        'a field of the wrong type',
        { fields: { ...exampleFields('morning_brief'), headlines: [{ title: 1 }, { title: 'b' }, { title: 'c' }] } },
        ['fields.headlines[0].title'],
      ],
      [
        'too few headlines',
        { fields: { ...exampleFields('morning_brief'), headlines: [{ title: 'only one' }] } },
        ['fields.headlines'],
      ],
    ])('refuses %s with 400 naming the field', async (_, overrides, fields) => {
      const before = await count('content_revisions');
      const body = { ...ContentFactory.body('morning_brief'), ...overrides };
      const response = await editor.post('/v1/content').send(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(fieldsOf(response.body)).toEqual(fields);
      for (const field of fields) expect(response.body.message).toContain(field);
      expect(await count('content_revisions')).toBe(before);
    });

    it('refuses a body template with errors, giving line and column', async () => {
      const body = '早上好 {{group.name}}\n{{#each fields.headlines}}{{titel}}{{/each}}\n{{weather fields.greeting}}';
      const response = await editor
        .post('/v1/content')
        .send(ContentFactory.body('morning_brief', { body }))
        .expect(400);
      expect(response.body.details).toEqual([
        { field: 'body', message: 'unknown variable "titel"', line: 2, column: 29 },
        { field: 'body', message: 'unknown helper "weather"', line: 3, column: 3 },
      ]);
      const syntax = await editor
        .post('/v1/content')
        .send(ContentFactory.body('custom', { body: 'ok\n{{#if fields.text}}never closed' }))
        .expect(400);
      expect(syntax.body.details[0]).toMatchObject({ field: 'body', line: 2 });
      expect(syntax.body.details[0].message).toMatch(/^syntax error/);
    });
  });

  describe('revisions, publish and archive', () => {
    it('makes a revision of every update and keeps the old ones', async () => {
      const piece = await ContentFactory.create(editor, 'custom', { fields: { text: 'v1' } });
      const updated = await editor
        .patch(`/v1/content/${piece.id}`)
        .send({ fields: { text: 'v2' }, version: 1 })
        .expect(200);
      expect(updated.body).toMatchObject({ revision: 2, version: 2, fields: { text: 'v2' }, title: 'custom piece' });
      await editor.patch(`/v1/content/${piece.id}`).set('If-Match', '"2"').send({ title: '第三版' }).expect(200);
      const revisions = await viewer.get(`/v1/content/${piece.id}/revisions`).expect(200);
      expect(revisions.body.total).toBe(3);
      expect(revisions.body.items.map((r: { revision: number; title: string }) => [r.revision, r.title])).toEqual([
        [3, '第三版'],
        [2, 'custom piece'],
        [1, 'custom piece'],
      ]);
      // Who wrote each, by the name of their key.
      expect(new Set(revisions.body.items.map((r: { author: string }) => r.author))).toEqual(new Set(['editor key']));
      const first = await viewer.get(`/v1/content/${piece.id}/revisions/1`).expect(200);
      expect(first.body).toMatchObject({ revision: 1, fields: { text: 'v1' }, published: false, author: 'editor key' });
      await viewer.get(`/v1/content/${piece.id}/revisions/9`).expect(404);
      const bad = await viewer.get(`/v1/content/${piece.id}/revisions/first`).expect(400);
      expect(fieldsOf(bad.body)).toEqual(['revision']);
    });

    it('refuses a stale update with 409 and writes nothing', async () => {
      const piece = await ContentFactory.create(editor, 'custom');
      await editor.patch(`/v1/content/${piece.id}`).send({ title: 'first edit', version: 1 }).expect(200);
      const stale = await editor
        .patch(`/v1/content/${piece.id}`)
        .set('If-Match', '"1"')
        .send({ title: 'lost edit' })
        .expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(stale.body.details).toEqual([{ field: 'version', message: 'stale: current version is 2' }]);
      await editor.patch(`/v1/content/${piece.id}`).send({ title: 'lost edit', version: 1 }).expect(409);
      const current = await viewer.get(`/v1/content/${piece.id}`).expect(200);
      expect(current.body).toMatchObject({ title: 'first edit', revision: 2, version: 2 });
      const badHeader = await editor
        .patch(`/v1/content/${piece.id}`)
        .set('If-Match', 'yesterday')
        .send({ title: 'x' })
        .expect(400);
      expect(fieldsOf(badHeader.body)).toEqual(['If-Match']);
    });

    it('lets exactly one of two concurrent updates of the same version win', async () => {
      const piece = await ContentFactory.create(editor, 'custom');
      const results = await Promise.all(
        ['a', 'b', 'c'].map((title) => editor.patch(`/v1/content/${piece.id}`).send({ title, version: 1 })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const revisions = await viewer.get(`/v1/content/${piece.id}/revisions`).expect(200);
      expect(revisions.body.total).toBe(2);
    });

    it('publishes the current revision and keeps it live while newer drafts are saved', async () => {
      const piece = await ContentFactory.create(editor, 'product_pick');
      const published = await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
      expect(published.body).toMatchObject({ status: 'published', publishedRevision: 1, revision: 1 });
      expect(published.body.publishedAt).toEqual(expect.any(String));
      const edited = await editor
        .patch(`/v1/content/${piece.id}`)
        .send({ fields: { ...exampleFields('product_pick'), price: 79 } })
        .expect(200);
      expect(edited.body).toMatchObject({ status: 'published', publishedRevision: 1, revision: 2 });
      const rev1 = await viewer.get(`/v1/content/${piece.id}/revisions/1`).expect(200);
      expect(rev1.body.published).toBe(true);
      const again = await editor.post(`/v1/content/${piece.id}/publish`).send({ revision: 2 }).expect(200);
      expect(again.body.publishedRevision).toBe(2);
      const missing = await editor.post(`/v1/content/${piece.id}/publish`).send({ revision: 7 }).expect(400);
      expect(fieldsOf(missing.body)).toEqual(['revision']);
    });

    it('archives a piece, refuses edits to it, and lets publishing bring it back', async () => {
      const piece = await ContentFactory.create(editor, 'announcement');
      const archived = await editor.post(`/v1/content/${piece.id}/archive`).expect(200);
      expect(archived.body.status).toBe('archived');
      await editor.patch(`/v1/content/${piece.id}`).send({ title: 'x' }).expect(409);
      const back = await editor.post(`/v1/content/${piece.id}/publish`).send({}).expect(200);
      expect(back.body.status).toBe('published');
    });

    it('answers 404 for a piece that does not exist', async () => {
      for (const [method, path] of [
        ['get', `/v1/content/${MISSING}`],
        ['patch', `/v1/content/${MISSING}`],
        ['post', `/v1/content/${MISSING}/publish`],
        ['post', `/v1/content/${MISSING}/archive`],
        ['get', `/v1/content/${MISSING}/revisions`],
        ['post', `/v1/content/${MISSING}/preview`],
      ] as const) {
        const request = editor[method](path);
        const response = await (method === 'get'
          ? request
          : request.send(path.endsWith('preview') ? { format: 'text' } : {}));
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        expect(response.body.message).toContain(MISSING);
      }
    });
  });

  describe('list', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      const make = (kind: string, title: string, tags: string[]) =>
        ContentFactory.create(editor, kind, { title, tags });
      ids = {
        brief: (await make('morning_brief', '列表 周二早报', ['list-a', 'daily'])).id,
        pick: (await make('product_pick', '列表 暖冬好物', ['list-a'])).id,
        poster: (await make('goodnight_poster', '列表 晚安', ['list-b'])).id,
      };
      await editor.post(`/v1/content/${ids.pick}/publish`).send({}).expect(200);
    });

    it('filters by kind, status, tag and text', async () => {
      const titles = async (query: string) =>
        (await viewer.get(`/v1/content?${query}`).expect(200)).body.items.map((i: { title: string }) => i.title).sort();
      expect(await titles('tag=list-a')).toEqual(['列表 周二早报', '列表 暖冬好物']);
      expect(await titles('tag=list-a&status=published')).toEqual(['列表 暖冬好物']);
      expect(await titles('kind=goodnight_poster&tag=list-b')).toEqual(['列表 晚安']);
      expect(await titles(`q=${encodeURIComponent('暖冬')}`)).toEqual(['列表 暖冬好物']);
      expect(await titles(`q=${encodeURIComponent('100%')}`)).toEqual([]);
    });

    it('pages through results with a total', async () => {
      const first = await viewer.get('/v1/content?q=列表&pageSize=2&page=1').expect(200);
      const second = await viewer.get('/v1/content?q=列表&pageSize=2&page=2').expect(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
      expect(first.body.items).toHaveLength(2);
      expect(second.body.items).toHaveLength(1);
      const all = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id).sort();
      expect(all).toEqual(Object.values(ids).sort());
    });

    it.each([
      ['page=0', 'page'],
      ['pageSize=1000', 'pageSize'],
      ['page=abc', 'page'],
      ['status=deleted', 'status'],
      ['sort=title', 'sort'],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const response = await viewer.get(`/v1/content?${query}`).expect(400);
      expect(fieldsOf(response.body)).toEqual([field]);
    });
  });

  describe('preview', () => {
    let briefId: string;
    beforeAll(async () => {
      briefId = (await ContentFactory.create(editor, 'morning_brief')).id;
    });

    it('renders for a group and a time, with sizes', async () => {
      const response = await viewer
        .post(`/v1/content/${briefId}/preview`)
        .send({
          format: 'text',
          group: { name: '纽约华人群', timezone: 'America/New_York', vars: { persona: '阿梅' } },
          at: '2026-11-23T13:00:00Z',
        })
        .expect(200);
      expect(response.body.text.split('\n')[0]).toBe('☀️ 早报 | 11月23日 星期一');
      expect(response.body.text.endsWith('—— 阿梅')).toBe(true);
      expect(response.body.bytes).toBe(Buffer.byteLength(response.body.text));
      expect(response.body.characters).toBe([...response.body.text].length);
      expect(response.body.warnings).toEqual([]);
    });

    it('warns when the text passes a provider limit', async () => {
      const long = await ContentFactory.create(editor, 'custom', {
        fields: { text: '这是一段很长的群公告。'.repeat(70) },
      });
      const response = await viewer.post(`/v1/content/${long.id}/preview`).send({ format: 'text' }).expect(200);
      expect(response.body.bytes).toBeGreaterThan(2048);
      expect(response.body.warnings).toEqual([
        expect.objectContaining({
          channel: 'wecom',
          format: 'text',
          unit: 'bytes',
          limit: 2048,
          size: response.body.bytes,
        }),
      ]);
    });

    it('renders an older revision on request', async () => {
      const piece = await ContentFactory.create(editor, 'custom', { fields: { text: '第一版' } });
      await editor
        .patch(`/v1/content/${piece.id}`)
        .send({ fields: { text: '第二版' } })
        .expect(200);
      const old = await viewer
        .post(`/v1/content/${piece.id}/preview`)
        .send({ format: 'markdown', revision: 1 })
        .expect(200);
      expect(old.body.text).toBe('第一版');
    });

    it.each([
      [{ format: 'html' }, ['format']],
      [{}, ['format']],
      [{ format: 'text', at: 'tomorrow' }, ['at']],
      [{ format: 'text', group: { name: 'g', timezone: 'Mars/Base' } }, ['group.timezone']],
      [{ format: 'text', group: { timezone: 'Asia/Shanghai' } }, ['group.name']],
      [{ format: 'text', group: { name: 'g', timezone: 'Asia/Shanghai', owner: 'x' } }, ['group.owner']],
      [
        { format: 'text', group: { name: 'g', timezone: 'Asia/Shanghai', vars: { persona: 7 } } },
        ['group.vars.persona'],
      ],
      [{ format: 'text', revision: 0 }, ['revision']],
    ])('refuses %j with 400 naming the field', async (body, fields) => {
      const response = await viewer.post(`/v1/content/${briefId}/preview`).send(body).expect(400);
      expect(fieldsOf(response.body)).toEqual(fields);
    });
  });

  it('lists the kinds with their schemas', async () => {
    const response = await viewer.get('/v1/kinds').expect(200);
    expect(response.body.map((k: { name: string }) => k.name)).toEqual([...SEED_KINDS].sort());
    const brief = response.body.find((k: { name: string }) => k.name === 'morning_brief');
    expect(brief).toMatchObject({ label: '早报', promotional: false, schema: { required: ['greeting', 'headlines'] } });
  });
});
