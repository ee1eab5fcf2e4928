import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An order a shop reported, attributed to the post whose link led to it. The post's run, routine,
 * stage, step, group and piece are copied here so the funnel outlives the posts.
 */
@Entity('conversions')
@Index('IDX_conversions_run', ['runId', 'stage', 'step'])
@Index('IDX_conversions_routine', ['routineId', 'stage', 'step'])
@Index('IDX_conversions_content', ['contentId'])
@Index('IDX_conversions_post', ['postId'])
@Index('UQ_conversions_key_order', ['reportedBy', 'orderId'], { unique: true })
export class Conversion {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The API key that reported it: an order id is unique per key (one shop's numbering). */
  @Column({ type: 'varchar', length: 36, default: '' })
  reportedBy: string;

  @Column({ type: 'varchar', length: 100 })
  orderId: string;

  @Column({ type: 'varchar', length: 36 })
  postId: string;

  /** The link followed, when the order came with a click code. */
  @Column({ type: 'tinyint', unsigned: true, nullable: true })
  linkIndex: number | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  runId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  routineId: string | null;

  @Column({ type: 'varchar', length: 16 })
  stage: string;

  @Column({ type: 'int' })
  step: number;

  @Column({ type: 'varchar', length: 36 })
  groupId: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  contentId: string | null;

  @Column({ type: 'decimal', precision: 14, scale: 2 })
  amount: number;

  @Column({ type: 'char', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'datetime', precision: 3 })
  orderedAt: Date;

  @Column({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
