import { Injectable } from '@nestjs/common';
import { RememberedCounts } from '../database/remembered-counts';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { batchLoader } from '../common/batch-loader';
import { DomainError } from '../common/domain-error';
import { EntityColumns } from '../database/entity-columns';
import { SendTarget } from '../providers/adapter';
import { Channel } from './channel.entity';
import { ChannelsService } from './channels.service';
import { Group } from './group.entity';

export interface DeliveryTarget {
  group: Group;
  channel: Channel;
  target: SendTarget;
}

export interface AudienceMember {
  id: string;
  timezone: string;
  channelType: Channel['type'];
}

/** Past this many groups a tag is read in name order from the groups' side (see `page`). */
const DENSE_TAG_GROUPS = 2000;

/** The groups as other modules read them: a campaign's audience, the worker's delivery target. */
@Injectable()
export class GroupDirectory {
  /** How many groups carry a tag, reused for a moment: a calendar page needs it on every request. */
  private readonly tagCounts: RememberedCounts;
  /** The columns of a delivery target's group and channel, read in one round trip. */
  private readonly groupColumns: EntityColumns<Group>;
  private readonly channelColumns: EntityColumns<Channel>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly channels: ChannelsService,
  ) {
    this.tagCounts = new RememberedCounts(dataSource);
    this.groupColumns = new EntityColumns(dataSource, Group, 'g');
    this.channelColumns = new EntityColumns(dataSource, Channel, 'c');
  }

  /** Active groups chosen by id or by any of the tags, with what scheduling needs of them. */
  async audience(groupIds: string[], tags: string[]): Promise<{ unknownIds: string[]; groups: AudienceMember[] }> {
    const qb = this.groups
      .createQueryBuilder('g')
      .innerJoin(Channel, 'c', 'c.id = g.channel_id')
      .select(['g.id AS id', 'g.timezone AS timezone', 'g.status AS status', 'c.type AS channelType']);
    const conditions: string[] = [];
    if (groupIds.length > 0) conditions.push('g.id IN (:...groupIds)');
    if (tags.length > 0)
      conditions.push('EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag IN (:...tags))');
    if (conditions.length === 0) return { unknownIds: [], groups: [] };
    const rows = await qb
      .where(`(${conditions.join(' OR ')})`, { groupIds, tags })
      .getRawMany<AudienceMember & { status: string }>();
    const found = new Set(rows.map((r) => r.id));
    return {
      unknownIds: groupIds.filter((id) => !found.has(id)),
      groups: rows
        .filter((r) => r.status === 'active')
        .map(({ id, timezone, channelType }) => ({ id, timezone, channelType })),
    };
  }

  /** What an adapter needs to reach a group: its channel's settings and its full address. Lookups made together are two queries. */
  deliveryTarget(id: string): Promise<DeliveryTarget> {
    return this.targets.load(id);
  }

  private readonly targets = batchLoader<string, DeliveryTarget>(async (ids) => {
    const unique = [...new Set(ids)];
    // One round trip: the groups and their channels.
    const [groupRows, channelRows] = (await this.dataSource.query(
      `SELECT ${this.groupColumns.select} FROM \`groups\` g WHERE g.id IN (?);
       SELECT ${this.channelColumns.select} FROM channels c
       WHERE c.id IN (SELECT channel_id FROM \`groups\` WHERE id IN (?))`,
      [unique, unique],
    )) as Record<string, unknown>[][];
    const groups = new Map(groupRows.map((row) => this.groupColumns.read(row)).map((g) => [g.id, g]));
    const channels = new Map(channelRows.map((row) => this.channelColumns.read(row)).map((c) => [c.id, c]));
    return ids.map((id) => {
      const group = groups.get(id);
      if (!group) return DomainError.notFound('group', id);
      const channel = channels.get(group.channelId);
      if (!channel) return DomainError.notFound('channel', group.channelId);
      return { group, channel, target: { channel: this.channels.settings(channel), address: group.address } };
    });
  });

  /** Each group's time zone. */
  async zones(ids: string[]): Promise<Map<string, string>> {
    return new Map([...(await this.names(ids))].map(([id, g]) => [id, g.timezone]));
  }

  /** Each group's name and time zone. */
  async names(ids: string[]): Promise<Map<string, { name: string; timezone: string }>> {
    if (ids.length === 0) return new Map();
    const groups = await this.groups.find({ where: { id: In(ids) }, select: ['id', 'name', 'timezone'] });
    return new Map(groups.map((g) => [g.id, { name: g.name, timezone: g.timezone }]));
  }

  /** The ids of the groups a staff member owns (a WeCom customer group's `sender`), along the owner index. */
  async ownedBy(owner: string): Promise<string[]> {
    const groups = await this.groups.find({ where: { owner }, select: ['id'] });
    return groups.map((g) => g.id);
  }

  /** Every group carrying any of the tags, whatever its status: for a run that watches them. */
  async tagged(
    tags: string[],
  ): Promise<{ id: string; timezone: string; status: string; channelType: Channel['type'] }[]> {
    if (tags.length === 0) return [];
    return this.groups
      .createQueryBuilder('g')
      .innerJoin(Channel, 'c', 'c.id = g.channel_id')
      .select(['g.id AS id', 'g.timezone AS timezone', 'g.status AS status', 'c.type AS channelType'])
      .where('EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag IN (:...tags))', { tags })
      .getRawMany();
  }

  /** A page of groups, one by id or those with a tag, by name: the rows of a calendar. */
  async page(
    filter: { groupId?: string; tag?: string },
    page: number,
    pageSize: number,
  ): Promise<{ groups: Pick<Group, 'id' | 'name' | 'timezone'>[]; total: number }> {
    const offset = (page - 1) * pageSize;
    if (filter.groupId) {
      const rows = (await this.dataSource.query(
        `SELECT g.id, g.name, g.timezone FROM \`groups\` g WHERE g.id = ?
           ${filter.tag ? 'AND EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag = ?)' : ''}`,
        filter.tag ? [filter.groupId, filter.tag] : [filter.groupId],
      )) as Pick<Group, 'id' | 'name' | 'timezone'>[];
      return { groups: rows.slice(offset, offset + pageSize), total: rows.length };
    }
    if (!filter.tag) return { groups: [], total: 0 };
    // Groups are archived, never deleted: a tag's rows count its groups, along the (tag, group_id) index.
    const total = await this.tagCounts.count('SELECT COUNT(*) AS n FROM group_tags WHERE tag = ?', [filter.tag]);
    // A tag many groups carry is read along the name index until the page is full (its groups are
    // common there, so few are passed over); a rarer one from its own rows, sorted (2,000 at most).
    const dense = total > DENSE_TAG_GROUPS;
    const groups = (await this.dataSource.query(
      dense
        ? `SELECT g.id, g.name, g.timezone FROM \`groups\` g FORCE INDEX (IDX_groups_name)
           STRAIGHT_JOIN group_tags t ON t.group_id = g.id AND t.tag = ?
           ORDER BY g.name, g.id LIMIT ? OFFSET ?`
        : `SELECT g.id, g.name, g.timezone FROM group_tags t STRAIGHT_JOIN \`groups\` g ON g.id = t.group_id
           WHERE t.tag = ? ORDER BY g.name, g.id LIMIT ? OFFSET ?`,
      [filter.tag, pageSize, offset],
    )) as Pick<Group, 'id' | 'name' | 'timezone'>[];
    return { groups, total };
  }
}
