import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ContentStatus } from './content-status';

@Entity('content_pieces')
@Index(['status', 'updatedAt'])
export class ContentPiece {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ length: 64 })
  kind: string;

  @Index({ unique: true })
  @Column({ length: 128 })
  slug: string;

  /** The current revision's title, kept here for listing and search. */
  @Column({ length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 16 })
  status: ContentStatus;

  @Column({ type: 'int' })
  currentRevision: number;

  @Column({ type: 'int', nullable: true })
  publishedRevision: number | null;

  /** Grows with every change; an update that names an older version is refused. */
  @Column({ type: 'int' })
  version: number;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  publishedAt: Date | null;
}
