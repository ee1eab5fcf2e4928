import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PublishedPiece {
  id: string;
  kind: string;
  revision: number;
  title: string;
  publishedAt: Date;
}

/** Published pieces as runs and routines take them: their live revisions, by the date they were written for, or from a pool. */
@Injectable()
export class ContentCatalog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** For each local date, the published piece of `kind` whose `date` field is that date (the latest published, if several). */
  async forDates(kind: string, dates: string[]): Promise<Map<string, PublishedPiece>> {
    if (dates.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.kind, p.published_revision AS revision, r.title, p.published_at AS publishedAt,
              JSON_UNQUOTE(JSON_EXTRACT(r.fields, '$.date')) AS date
       FROM content_pieces p JOIN content_revisions r ON r.piece_id = p.id AND r.revision = p.published_revision
       WHERE p.kind = ? AND p.status = 'published' AND JSON_UNQUOTE(JSON_EXTRACT(r.fields, '$.date')) IN (?)
       ORDER BY p.published_at, p.id`,
      [kind, dates],
    )) as (PublishedPiece & { date: string })[];
    return new Map(rows.map(({ date, ...piece }) => [date, piece]));
  }

  /** The published pieces carrying `tag` (and of `kind`, if given), oldest publication first. */
  async pool(tag: string, kind?: string): Promise<PublishedPiece[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.kind, p.published_revision AS revision, r.title, p.published_at AS publishedAt
       FROM content_pieces p JOIN content_revisions r ON r.piece_id = p.id AND r.revision = p.published_revision
       JOIN content_tags t ON t.piece_id = p.id AND t.tag = ?
       WHERE p.status = 'published'${kind ? ' AND p.kind = ?' : ''} ORDER BY p.published_at, p.id`,
      kind ? [tag, kind] : [tag],
    )) as PublishedPiece[];
  }

  /** The live revision of each piece that has one (null when it is not published), with its kind and status. */
  async publishedRevisions(
    ids: string[],
  ): Promise<Map<string, { kind: string; revision: number | null; status: string }>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      'SELECT id, kind, status, published_revision AS revision FROM content_pieces WHERE id IN (?)',
      [ids],
    )) as { id: string; kind: string; status: string; revision: number | null }[];
    return new Map(
      rows.map((p) => [
        p.id,
        { kind: p.kind, revision: p.status === 'published' ? p.revision : null, status: p.status },
      ]),
    );
  }

  /** The title and kind of each revision, by `id:revision`. */
  async titles(revisions: { id: string; revision: number }[]): Promise<Map<string, { title: string; kind: string }>> {
    if (revisions.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT r.piece_id AS id, r.revision, r.title, p.kind FROM content_revisions r
       JOIN content_pieces p ON p.id = r.piece_id WHERE (r.piece_id, r.revision) IN (?)`,
      [revisions.map((r) => [r.id, r.revision])],
    )) as { id: string; revision: number; title: string; kind: string }[];
    return new Map(rows.map((r) => [`${r.id}:${r.revision}`, { title: r.title, kind: r.kind }]));
  }
}
