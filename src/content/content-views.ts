import { ContentPiece } from './content-piece.entity';
import { ContentRevision } from './content-revision.entity';
import { ContentPieceDto, ContentSummaryDto, RevisionDto } from './dto/content-views.dto';

/** What a revision says: the part of it an edit changes. */
export type RevisionContent = Pick<ContentRevision, 'title' | 'fields' | 'body' | 'media' | 'link' | 'tags'>;

export function summary(piece: ContentPiece, tags: string[]): ContentSummaryDto {
  return {
    id: piece.id,
    kind: piece.kind,
    slug: piece.slug,
    title: piece.title,
    status: piece.status,
    revision: piece.currentRevision,
    publishedRevision: piece.publishedRevision,
    version: piece.version,
    tags,
    createdAt: piece.createdAt,
    updatedAt: piece.updatedAt,
    publishedAt: piece.publishedAt,
  };
}

/** A piece with the content of its current revision. */
export function pieceView(piece: ContentPiece, current: RevisionContent): ContentPieceDto {
  return {
    ...summary(piece, current.tags),
    fields: current.fields,
    body: current.body,
    media: current.media,
    link: current.link,
  };
}

export function revisionView(revision: ContentRevision, piece: ContentPiece): RevisionDto {
  return {
    revision: revision.revision,
    title: revision.title,
    fields: revision.fields,
    body: revision.body,
    media: revision.media,
    link: revision.link,
    tags: revision.tags,
    createdBy: revision.createdBy,
    createdAt: revision.createdAt,
    published: piece.publishedRevision === revision.revision,
  };
}
