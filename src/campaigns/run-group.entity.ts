import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A group a run took in: its day 0, and when and why it left (back only to an evergreen run, after losing its tags). */
@Entity('run_groups')
@Index('IDX_run_groups_group', ['groupId'])
export class RunGroup {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  runId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupId: string;

  @Column({ type: 'datetime', precision: 3 })
  joinedAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  leftAt: Date | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  leftReason: string | null;

  /** Why it left, as a code: `lost_tags` (it may come back to an evergreen run) or `removed` (by a planner). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  leftCode: LeaveCode | null;
}

export type LeaveCode = 'lost_tags' | 'removed';
