import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One request to a short link: a person's click, or a chat app fetching a preview. */
@Entity('clicks')
@Index('IDX_clicks_post', ['postId', 'preview', 'visitor'])
@Index('IDX_clicks_at', ['clickedAt'])
export class Click {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  postId: string;

  @Column({ type: 'tinyint', unsigned: true })
  linkIndex: number;

  @Column({ type: 'datetime', precision: 3 })
  clickedAt: Date;

  /** A keyed hash of the client's address and browser: the same person twice counts once. */
  @Column({ type: 'char', length: 32 })
  visitor: string;

  @Column({ type: 'boolean' })
  preview: boolean;
}
