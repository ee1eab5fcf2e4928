import { Entity, Index, PrimaryColumn } from 'typeorm';

/** The current tags of a piece, one row each, so that listing by tag uses an index. */
@Entity('content_tags')
@Index(['tag', 'pieceId'])
export class ContentTag {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  pieceId: string;

  @PrimaryColumn({ length: 64 })
  tag: string;
}
