import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { inTransaction } from '../database/mysql';
import { sealedJson } from '../database/sealed-json';
import { PLAIN_FIELDS } from './group-checks.service';
import { GroupTag } from './group-tag.entity';
import { Group } from './group.entity';

/** The columns an import compares and, for a group that changed, writes. */
export const IMPORTED_COLUMNS = [...PLAIN_FIELDS, 'channelId', 'address', 'status'] as const;

const INSERTED_COLUMNS: [string, (g: Group) => unknown][] = [
  ['id', (g) => g.id],
  ['name', (g) => g.name],
  ['channel_id', (g) => g.channelId],
  ['address', (g) => JSON.stringify(sealedJson.to(g.address))],
  ['chat_key', (g) => g.chatKey],
  ['owner', (g) => g.owner],
  ['external_id', (g) => g.externalId],
  ['timezone', (g) => g.timezone],
  ['quiet_hours', (g) => g.quietHours],
  ['member_count', (g) => g.memberCount],
  ['chat_created_at', (g) => g.chatCreatedAt ?? null],
  ['min_gap_minutes', (g) => g.minGapMinutes],
  ['daily_cap', (g) => g.dailyCap],
  ['promo_cap', (g) => g.promoCap],
  ['blackout_dates', (g) => (g.blackoutDates === null ? null : JSON.stringify(g.blackoutDates))],
  ['type', (g) => g.type],
  ['vars', (g) => JSON.stringify(g.vars)],
  ['tags', (g) => JSON.stringify(g.tags)],
  ['status', (g) => g.status],
  ['paused_reason', (g) => g.pausedReason],
  ['created_at', (g) => g.createdAt],
  ['updated_at', (g) => g.updatedAt],
];

/**
 * The only writer of `groups` and `group_tags`: rows and their tags together, and a group's
 * status (an operator's pause and resume, the breaker's pause) in one place.
 */
@Injectable()
export class GroupWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
  ) {}

  async insert(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(
      manager,
      'groups',
      INSERTED_COLUMNS.map(([column]) => column),
      groups.map((g) => INSERTED_COLUMNS.map(([, value]) => value(g))),
    );
    await this.insertTags(manager, groups);
  }

  /** A group changed through the API; its tag rows are rewritten when its tags changed. */
  async save(manager: EntityManager, group: Group, tagsChanged: boolean): Promise<void> {
    await manager.save(group);
    if (!tagsChanged) return;
    await manager.delete(GroupTag, { groupId: group.id });
    await this.insertTags(manager, [group]);
  }

  /** Groups an import changed: the compared columns and what follows from them, and their tags. */
  async overwrite(manager: EntityManager, groups: Group[]): Promise<void> {
    if (groups.length === 0) return;
    for (const group of groups) {
      await manager.update(
        Group,
        { id: group.id },
        {
          ...Object.fromEntries(IMPORTED_COLUMNS.map((c) => [c, group[c]])),
          chatKey: group.chatKey,
          owner: group.owner,
          pausedReason: group.pausedReason,
          consecutiveFailures: group.consecutiveFailures,
          chatCreatedAt: group.chatCreatedAt ?? null,
        },
      );
    }
    await manager.delete(GroupTag, { groupId: In(groups.map((g) => g.id)) });
    await this.insertTags(manager, groups);
  }

  /** Paused or active by an operator: the run of failures starts again either way. */
  async setStatus(id: string, status: 'active' | 'paused', reason: string | null): Promise<void> {
    await this.groups.update({ id }, { status, pausedReason: reason, consecutiveFailures: 0 });
  }

  /** Follows the provider when it moves a chat (a Telegram group that became a supergroup). False: no such group. */
  async moveAddress(id: string, address: Record<string, unknown>): Promise<boolean> {
    const group = await this.groups.findOneBy({ id });
    if (!group) return false;
    const merged = { ...group.address, ...Object.fromEntries(Object.entries(address).map(([k, v]) => [k, String(v)])) };
    await this.groups.update({ id }, { address: merged });
    return true;
  }

  /**
   * A send to the group failed for good. At `threshold` failures in a row (0: never) the group is
   * paused with the reason, so a removed robot stops being tried while the channel's other groups
   * carry on. Answers whether this failure paused it.
   */
  async recordFailure(id: string, reason: string, threshold: number): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const [group] = (await manager.query(
        'SELECT status, consecutive_failures AS failures FROM `groups` WHERE id = ? FOR UPDATE',
        [id],
      )) as { status: string; failures: number }[];
      if (!group) return false;
      const failures = group.failures + 1;
      const trip = group.status === 'active' && threshold > 0 && failures >= threshold;
      const row = `${failures} ${failures === 1 ? 'send' : 'sends'} failed in a row`;
      const pause: Partial<Group> = trip
        ? { status: 'paused', pausedReason: `${row}; last: ${reason}`.slice(0, 500) }
        : {};
      await manager.update(Group, { id }, { consecutiveFailures: failures, ...pause });
      return trip;
    });
  }

  /** The provider dismissed these groups' chats: archived with the reason, never deleted (their history stays). */
  async dismiss(manager: EntityManager, ids: string[], at: Date, reason: string): Promise<void> {
    if (ids.length === 0) return;
    await manager.update(Group, { id: In(ids) }, { status: 'archived', dismissedAt: at, pausedReason: reason });
  }

  /** Each group's own blackout dates replaced, in one transaction (holiday presets added to them). */
  async setBlackoutDates(rows: { id: string; blackoutDates: string[] }[]): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      for (const row of rows) await manager.update(Group, { id: row.id }, { blackoutDates: row.blackoutDates });
    });
  }

  /** What a provider's event says of one group's members (a WeCom member joined or left). */
  async setMemberCount(id: string, memberCount: number): Promise<void> {
    await this.groups.update({ id }, { memberCount });
  }

  /** A send to the group went through: its run of failures is over. */
  async recordSuccess(id: string): Promise<void> {
    await this.groups.update({ id }, { consecutiveFailures: 0 });
  }

  private async insertTags(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(
      manager,
      'group_tags',
      ['group_id', 'tag'],
      groups.flatMap((g) => g.tags.map((tag) => [g.id, tag])),
    );
  }
}
