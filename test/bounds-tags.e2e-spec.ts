import fc from 'fast-check';
import { createConnection } from 'mysql2/promise';
import { ChannelFactory, ContentFactory, GroupFactory, createKey } from './support/factories';
import { RequestWith, TestApp, createTestApp } from './support/test-app';

/** Spellings the database's collation takes for one tag, though they differ as text. */
const FOLDED: [string, string][] = [
  ['ＶＩＰ', 'VIP'],
  ['straße', 'strasse'],
  ['ﬁsh', 'fish'],
  ['ｶﾞｲﾄﾞ', 'ガイド'],
  ['かいいん', 'カイイン'],
  ['œuvre', 'oeuvre'],
];

/** Characters the collation folds in ways of its own: width, kana, ligatures, case, accents, expansions. */
const TRICKY = [...'aAＡａßsSｓæœoeﬁfiｶカかﾞガがéeÉ1１①Ⅻxiıİ', '\u200b', ' '];

describe('bounds: tag identity is the database’s, and tags and names are one line', () => {
  let t: TestApp;
  let editor: RequestWith;
  let channelId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp();
    editor = t.as(await createKey(t, 'editor'));
    channelId = (await ChannelFactory.create(t, 'console')).id;
  });
  afterAll(() => t.close());

  it.each(FOLDED)('takes %s and %s as one tag on a group, its update, a bulk import and a piece', async (a, b) => {
    const group = await GroupFactory.create(t, channelId, { tags: [a, b] });
    expect((await t.admin.get(`/v1/groups/${group.id}`).expect(200)).body.tags).toEqual([a]);
    const updated = await t.admin
      .patch(`/v1/groups/${group.id}`)
      .send({ tags: [b, a, 'x'] })
      .expect(200);
    expect(updated.body.tags).toEqual([b, 'x']);
    const rows = [0, 1].map((i) => GroupFactory.body(channelId, { address: `fold-${++serial}-${i}`, tags: [a, b] }));
    const imported = await t.admin.post('/v1/groups/bulk').send({ groups: rows }).expect(201);
    expect(imported.body.groups.map((g: { tags: string[] }) => g.tags)).toEqual([[a], [a]]);
    const piece = await ContentFactory.create(editor, 'custom', { tags: [a, b] });
    expect((await editor.get(`/v1/content/${piece.id}`).expect(200)).body.tags).toEqual([a]);
    const patched = await editor
      .patch(`/v1/content/${piece.id}`)
      .send({ tags: [b, a] })
      .expect(200);
    expect(patched.body.tags).toEqual([b]);
  });

  it('never answers 500 for tags built from characters the collation folds, and keeps them distinct as it sees them', async () => {
    const mysql = await createConnection({ uri: t.config.databaseUrl, charset: 'utf8mb4_unicode_ci' });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.array(fc.constantFrom(...TRICKY), { minLength: 1, maxLength: 4 }).map((c) => c.join('')),
            {
              minLength: 2,
              maxLength: 8,
            },
          ),
          async (tags) => {
            const response = await t.admin.post('/v1/groups').send(GroupFactory.body(channelId, { tags }));
            if (response.status === 400) {
              // Only tags the normalisation empties (a lone zero-width space or space) are refused.
              expect(response.body.details.every((d: { field: string }) => d.field.startsWith('tags'))).toBe(true);
              return;
            }
            expect(response.status).toBe(201);
            const stored = response.body.tags as string[];
            const [rows] = await mysql.query('SELECT COUNT(DISTINCT tag) AS n FROM group_tags WHERE group_id = ?', [
              response.body.id,
            ]);
            expect((rows as { n: number }[])[0].n).toBe(stored.length);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await mysql.end();
    }
  });

  it.each([
    ['a line break', 'vip\n'],
    ['a tab', 'a\tb'],
    ['a NUL', '\u0000x'],
  ])('refuses a tag with %s, naming it', async (_, tag) => {
    const response = await t.admin
      .post('/v1/groups')
      .send(GroupFactory.body(channelId, { tags: ['ok', tag] }))
      .expect(400);
    expect(response.body.details).toEqual([
      {
        field: 'tags',
        message: 'each must be one line with text on it, without line breaks, tabs or control characters',
      },
    ]);
  });

  it.each([
    ['only spaces', '   ', 'must not be blank'],
    ['a NUL', '杭州\u0000群', 'must be one line, without line breaks, tabs or control characters'],
    ['a line break', '杭州\n群', 'must be one line, without line breaks, tabs or control characters'],
  ])('refuses a group name of %s, and a piece title too', async (_, name, message) => {
    const group = await t.admin.post('/v1/groups').send(GroupFactory.body(channelId, { name })).expect(400);
    expect(group.body.details).toEqual([{ field: 'name', message }]);
    const piece = await editor
      .post('/v1/content')
      .send(ContentFactory.body('custom', { title: name }))
      .expect(400);
    expect(piece.body.details).toEqual([{ field: 'title', message }]);
  });
});
