import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { PieceToRender } from '../templates/renderer.service';
import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';

export type PieceHead = Pick<ContentPiece, 'id' | 'kind' | 'currentRevision'>;

/** A revision as the renderer takes it. */
export function toRenderable(piece: Pick<PieceHead, 'id' | 'kind'>, revision: ContentRevision): PieceToRender {
  return {
    cacheKey: `${piece.id}:${revision.revision}`,
    kind: piece.kind,
    title: revision.title,
    fields: revision.fields,
    body: revision.body,
    link: revision.link,
    media: revision.media,
    tags: revision.tags,
  };
}

/**
 * Revisions as the renderer takes them, for the worker, previews and plans. Revisions never
 * change once written, so each is read once and kept (the 2,000 most recent).
 */
@Injectable()
export class RenderableRevisions {
  private readonly cache = new LRUCache<string, PieceToRender>({ max: 2000 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ContentRevision) private readonly revisions: Repository<ContentRevision>,
  ) {}

  async renderable(id: string, revision: number): Promise<PieceToRender> {
    const cached = this.cache.get(`${id}:${revision}`);
    if (cached) return cached;
    const value = await this.revisionOf(await this.pieceHead(id), revision);
    if (!value) throw DomainError.notFound(`revision ${revision} of content`, id);
    return value;
  }

  /** One revision of a piece, from the cache or read once; undefined if there is none. */
  async revisionOf(piece: PieceHead, revision: number): Promise<PieceToRender | undefined> {
    const key = `${piece.id}:${revision}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await this.revisions.findOneBy({ pieceId: piece.id, revision });
    if (!row) return undefined;
    const value = toRenderable(piece, row);
    this.cache.set(key, value);
    return value;
  }

  /** What rendering needs of a piece, as a plain row: no entity to build on the preview's path. */
  async pieceHead(id: string): Promise<PieceHead> {
    const [row] = (await this.dataSource.query(
      'SELECT id, kind, current_revision AS currentRevision FROM content_pieces WHERE id = ?',
      [id],
    )) as PieceHead[];
    if (!row) throw DomainError.notFound('content', id);
    return row;
  }
}
