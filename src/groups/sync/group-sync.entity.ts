import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const GROUP_SYNC_STATUSES = ['requested', 'running', 'done', 'failed'] as const;
export type GroupSyncStatus = (typeof GROUP_SYNC_STATUSES)[number];
export const GROUP_SYNC_TRIGGERS = ['api', 'schedule'] as const;
export type GroupSyncTrigger = (typeof GROUP_SYNC_TRIGGERS)[number];

/** One reading of a channel's groups from its provider: asked for, run by the worker, and what it found. */
@Entity('group_syncs')
@Index('IDX_group_syncs_channel_requested', ['channelId', 'requestedAt'])
@Index('IDX_group_syncs_status', ['status'])
export class GroupSync {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 36 })
  channelId: string;

  @Column({ type: 'varchar', length: 16 })
  status: GroupSyncStatus;

  @Column({ type: 'varchar', length: 16 })
  trigger: GroupSyncTrigger;

  @Column({ type: 'datetime', precision: 3 })
  requestedAt: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt: Date | null;

  /** Groups the provider listed. */
  @Column({ type: 'int', default: 0 })
  listed: number;

  @Column({ type: 'int', default: 0 })
  created: number;

  @Column({ type: 'int', default: 0 })
  updated: number;

  @Column({ type: 'int', default: 0 })
  dismissed: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
