import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { HoldCode } from '../common/hold-codes';
import { Stage } from '../common/stages';
import { ChannelType } from '../providers/channel-types';
import { PostStatus } from './post-status';

/** One delivery of one content revision to one group at one due time: the unit the queue carries. */
@Entity('posts')
@Index(['status', 'dueAt'])
@Index('IDX_posts_run_status_stage', ['runId', 'status', 'stage'])
@Index(['groupId', 'dueAt'])
@Index('IDX_posts_run_due_step', ['runId', 'dueAt', 'step'])
@Index('IDX_posts_type_status', ['channelType', 'status'])
@Index('IDX_posts_run_group', ['runId', 'groupId', 'status', 'step'])
@Index('UQ_posts_routine_slot', ['routineId', 'groupId', 'dueAt'], { unique: true })
export class Post {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The run that made the post; null for a routine's. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  runId: string | null;

  /** The routine whose slot the post fills; null for a run's. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  routineId: string | null;

  @Column({ type: 'int' })
  step: number;

  @Column({ type: 'varchar', length: 16 })
  stage: Stage;

  @Column({ type: 'varchar', length: 36 })
  groupId: string;

  @Column({ type: 'varchar', length: 32 })
  channelType: ChannelType;

  /** Null for a routine slot that had nothing to send (skipped, with the reason). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  contentId: string | null;

  @Column({ type: 'int', nullable: true })
  revision: number | null;

  @Column({ type: 'boolean' })
  promotional: boolean;

  @Column({ type: 'datetime', precision: 3 })
  dueAt: Date;

  @Column({ type: 'varchar', length: 24 })
  status: PostStatus;

  /** When a deferred post may go next, and why it waits. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  notBefore: Date | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  deferReason: string | null;

  /** The same as `deferReason`, in the word code compares. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  holdCode: HoldCode | null;

  /** Sends to the provider so far (deferrals do not count). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** Parts of a split message already delivered. */
  @Column({ type: 'int', default: 0 })
  partsSent: number;

  /** Messages with text it became when sent (a text split in three is three): what the caps count. */
  @Column({ type: 'int', default: 1 })
  messages: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  claimedAt: Date | null;

  /** The claim that took the post: set with claimedAt, so a batch claim can tell which posts it got. */
  @Column({ type: 'varchar', length: 36, nullable: true, select: false })
  claimToken: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error: string | null;

  /** Handed to a staff member to confirm (WeCom customer groups): since when, and when they were reminded. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  awaitingSince: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  remindedAt: Date | null;

  /** Reminders sent for its task so far (WeCom takes at most 3 a task in 24 hours). */
  @Column({ type: 'int', default: 0 })
  reminders: number;

  @Column({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}
