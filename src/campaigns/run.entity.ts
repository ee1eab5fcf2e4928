import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { RunStatus } from '../common/run-status';

export const BLACKOUT_MODES = ['skip', 'shift'] as const;
export type BlackoutMode = (typeof BLACKOUT_MODES)[number];
/** Overdue steps: `spread` sends them one at a time, spaced by each group's gap; `skip` skips them. */
export const CATCH_UP_MODES = ['spread', 'skip'] as const;
export type CatchUpMode = (typeof CATCH_UP_MODES)[number];
export const CAP_MODES = ['wait', 'skip'] as const;
export type CapMode = (typeof CAP_MODES)[number];

export interface Audience {
  groupIds: string[];
  tags: string[];
}

@Entity('runs')
@Index(['status'])
export class Run {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ type: 'varchar', length: 16 })
  status: RunStatus;

  @Column({ type: 'json' })
  audience: Audience;

  @Column({ type: 'datetime', precision: 3 })
  startAt: Date;

  /** Posts later than this when they could go (after a pause) are skipped; null sends them however late. */
  @Column({ type: 'int', nullable: true })
  maxLatenessMinutes: number | null;

  /** How long a WeCom customer group's owner has to confirm a post before it expires; null: CONFIRM_DEADLINE_MS. */
  @Column({ type: 'int', nullable: true })
  confirmDeadlineMinutes: number | null;

  @Column({ type: 'varchar', length: 8 })
  blackoutMode: BlackoutMode;

  /** Posts keep the revision published at launch; otherwise unsent posts follow each new publication. */
  @Column({ type: 'boolean', default: false })
  pinRevisions: boolean;

  /** Null: spread, and a start in the past was not allowed. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  catchUp: CatchUpMode | null;

  /** A post the provider's receive cap holds (WeCom customer groups): waits for the next window, or is skipped. */
  @Column({ type: 'varchar', length: 8, default: 'wait' })
  capMode: CapMode;

  /** Steps that wait for the next window even when capMode is skip. */
  @Column({ type: 'json', nullable: true })
  keepSteps: number[] | null;

  /** sha256 of the launching API key's id and its Idempotency-Key. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  /** sha256 of what that launch asked for: the same key with another request is refused. */
  @Column({ type: 'char', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ type: 'int' })
  postCount: number;

  /** The run keeps watching its tags: a group that gets one later starts from its own day 0. */
  @Column({ type: 'boolean', default: false })
  evergreen: boolean;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;
}
