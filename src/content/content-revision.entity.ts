import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An immutable snapshot of a piece; every save writes one. */
@Entity('content_revisions')
export class ContentRevision {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  pieceId: string;

  @PrimaryColumn({ type: 'int' })
  revision: number;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'json' })
  fields: Record<string, unknown>;

  @Column({ type: 'mediumtext', nullable: true })
  body: string | null;

  @Column({ type: 'json' })
  media: string[];

  @Column({ type: 'varchar', length: 2048, nullable: true })
  link: string | null;

  @Column({ type: 'json' })
  tags: string[];

  @Column({ length: 64 })
  createdBy: string;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
