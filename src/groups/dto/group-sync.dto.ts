import { ApiProperty } from '@nestjs/swagger';
import { GROUP_SYNC_STATUSES, GROUP_SYNC_TRIGGERS, GroupSyncStatus, GroupSyncTrigger } from '../sync/group-sync.entity';

/** One reading of a channel's groups from its provider. */
export class GroupSyncDto {
  id: string;
  channelId: string;
  /** `requested` until the worker takes it, `running`, then `done` or `failed` (with `error`). */
  @ApiProperty({ enum: GROUP_SYNC_STATUSES })
  status: GroupSyncStatus;
  /** `api`: asked for; `schedule`: due by the channel's `config.sync.everyMinutes`. */
  @ApiProperty({ enum: GROUP_SYNC_TRIGGERS })
  trigger: GroupSyncTrigger;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Groups the provider listed. */
  listed: number;
  /** Groups new to groupcast, created with the tags of the channel's rules. */
  created: number;
  /** Groups whose name, owner, member count or rule tags changed. */
  updated: number;
  /** Groups the provider no longer lists: archived as dismissed, their history kept. */
  dismissed: number;
  /** Why it failed (what the provider answered); nothing was changed then. */
  error: string | null;
}

export class GroupSyncListDto {
  /** The 20 latest, newest first. */
  items: GroupSyncDto[];
}
