import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { ContentPiece } from '../../src/content/content-piece.entity';
import { ContentTag } from '../../src/content/content-tag.entity';
import { EntityColumns } from '../../src/database/entity-columns';
import { Statement, isDuplicateKey, writeTogether } from '../../src/database/mysql';
import { typeormOptions } from '../../src/database/typeorm-options';
import { MediumContext, createMediumContext } from '../support/medium-context';

describe('writes sent together in one round trip, against MariaDB', () => {
  let ctx: MediumContext;
  /** One connection, so that what a failed batch leaves on it meets the next batch. */
  let single: DataSource;

  beforeAll(async () => {
    ctx = await createMediumContext();
    const options = typeormOptions(ctx.config.databaseUrl);
    single = await new DataSource({ ...options, extra: { ...options.extra, connectionLimit: 1 } }).initialize();
  });
  afterAll(async () => {
    await single?.destroy();
    await ctx.close();
  });

  const now = new Date('2026-12-03T08:00:00.123Z');
  const piece = (id: string, slug: string): Statement =>
    // The columns given; the others take their defaults.
    new EntityColumns(ctx.db, ContentPiece, 'p').insert([
      {
        id,
        kind: 'morning_brief',
        slug,
        title: '早报',
        status: 'draft',
        currentRevision: 1,
        version: 1,
        createdAt: now,
      },
    ]);
  const tags = (id: string, ...names: string[]) =>
    new EntityColumns(ctx.db, ContentTag, 't').insert(names.map((tag) => ({ pieceId: id, tag })));
  const stored = async (id: string) => {
    const [row] = (await ctx.db.query('SELECT slug, created_at AS createdAt FROM content_pieces WHERE id = ?', [
      id,
    ])) as { slug: string; createdAt: Date }[];
    const tagRows = (await ctx.db.query('SELECT tag FROM content_tags WHERE piece_id = ? ORDER BY tag', [id])) as {
      tag: string;
    }[];
    return { row, tags: tagRows.map((t) => t.tag) };
  };

  it('writes every statement, with times as given', async () => {
    const id = randomUUID();
    await writeTogether(single, [piece(id, `p-${id}`), tags(id, 'a', 'b')]);
    const { row, tags: written } = await stored(id);
    expect(row).toEqual({ slug: `p-${id}`, createdAt: now });
    expect(written).toEqual(['a', 'b']);
  });

  it('leaves nothing of a batch whose later statement fails, also after the next batch on the same connection', async () => {
    const failed = randomUUID();
    // The third statement repeats a tag row's key.
    const error: unknown = await writeTogether(single, [
      piece(failed, `p-${failed}`),
      tags(failed, 'a'),
      tags(failed, 'a'),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(isDuplicateKey(error)).toBe(true);
    expect(await stored(failed)).toEqual({ row: undefined, tags: [] });

    // START TRANSACTION would commit a transaction left open on the connection.
    const next = randomUUID();
    await writeTogether(single, [piece(next, `p-${next}`)]);
    expect((await stored(next)).row?.slug).toBe(`p-${next}`);
    expect(await stored(failed)).toEqual({ row: undefined, tags: [] });
  });

  it('takes values only through placeholders: a value that reads as SQL is stored as written', async () => {
    const id = randomUUID();
    const slug = `x'); DELETE FROM content_pieces; -- ${id}`;
    await writeTogether(single, [piece(id, slug)]);
    expect((await stored(id)).row?.slug).toBe(slug);
  });
});
