import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { HoldCode } from '../common/hold-codes';

/** One time a post was held back: when, until when, and which rule held it. */
@Entity('post_deferrals')
@Index('IDX_post_deferrals_post', ['postId', 'deferredAt'])
export class PostDeferral {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  postId: string;

  @Column({ type: 'datetime', precision: 3 })
  deferredAt: Date;

  @Column({ type: 'datetime', precision: 3 })
  until: Date;

  /** Null only on deferrals older than codes whose words matched none. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  code: HoldCode | null;

  @Column({ type: 'varchar', length: 300 })
  reason: string;
}
