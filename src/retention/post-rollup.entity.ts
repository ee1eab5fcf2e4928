import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What purged posts counted for, so that run statistics, funnels and a routine's memory of what a
 * group received outlive the rows: one row per run or routine, piece, group, stage, step and
 * status, with the posts' count and the clicks on them. Readers add these rows to the live posts'.
 */
@Entity('post_rollups')
@Index('IDX_post_rollups_run', ['runId'])
@Index('IDX_post_rollups_routine', ['routineId'])
@Index('IDX_post_rollups_content_group', ['contentId', 'groupId'])
export class PostRollup {
  /** SHA-1 of the row's key columns: the row a later purge of the same kind of post adds to. */
  @PrimaryColumn({ type: 'binary', length: 20 })
  rollupKey: Buffer;

  @Column({ type: 'varchar', length: 36, nullable: true })
  runId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  routineId: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  contentId: string | null;

  @Column({ type: 'varchar', length: 36 })
  groupId: string;

  @Column({ type: 'varchar', length: 16 })
  stage: string;

  @Column({ type: 'int' })
  step: number;

  @Column({ type: 'varchar', length: 24 })
  status: string;

  @Column({ type: 'int' })
  postCount: number;

  /** The latest of the posts' send (or due) times: when the group last received the piece. */
  @Column({ type: 'datetime', precision: 3 })
  lastAt: Date;

  @Column({ type: 'int', default: 0 })
  clicks: number;

  @Column({ type: 'int', default: 0 })
  previews: number;

  /** Distinct people per post, summed over the posts: unique clicks add up across posts. */
  @Column({ type: 'int', default: 0 })
  uniqueClicks: number;
}
