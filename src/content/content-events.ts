/** A revision of a piece was published: what follows the piece outside groupcast follows it now. */
export const CONTENT_PUBLISHED = 'content.published';
/** A piece was archived: it is sent no more, and what follows it is taken down. */
export const CONTENT_ARCHIVED = 'content.archived';

export interface ContentChanged {
  pieceId: string;
  kind: string;
}
