import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Stage } from '../common/stages';
import { RoutineSchedule } from './slots';
import { RoutineSource } from './sources';

export const ROUTINE_STATUSES = ['active', 'paused', 'archived'] as const;
export type RoutineStatus = (typeof ROUTINE_STATUSES)[number];

/** A recurring slot in each group's local time, and where the piece for each slot comes from. */
@Entity('routines')
@Index('IDX_routines_status', ['status'])
export class Routine {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ length: 200 })
  name: string;

  @Column({ type: 'json' })
  audience: { groupIds: string[]; tags: string[] };

  @Column({ type: 'json' })
  schedule: RoutineSchedule;

  @Column({ type: 'varchar', length: 16 })
  stage: Stage;

  @Column({ type: 'json' })
  source: RoutineSource;

  /** Local dates (YYYY-MM-DD), either end open. */
  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /** How long a WeCom customer group's owner has to confirm a post before it expires; null: CONFIRM_DEADLINE_MS. */
  @Column({ type: 'int', nullable: true })
  confirmDeadlineMinutes: number | null;

  @Column({ type: 'varchar', length: 16 })
  status: RoutineStatus;

  /** Slots up to here are posts already; a change to the routine applies to the slots after. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  materializedUntil: Date | null;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;
}
