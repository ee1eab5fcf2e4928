import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { containsPattern, inTransaction, isDuplicateKey } from '../database/mysql';
import { ApiRole } from '../auth/roles';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { AdapterRegistry } from '../providers/adapter-registry';
import { chatKey, ownerOf } from '../providers/chat-key';
import { ChannelsService } from './channels.service';
import {
  CreateGroupDto,
  CreatedGroupDto,
  GroupDto,
  GroupPageDto,
  ListGroupsQuery,
  PauseGroupDto,
  UpdateGroupDto,
  TagCountDto,
} from './dto/group.dto';
import { GroupChecks, applyChanges, groupView, takenDetails } from './group-checks.service';
import { GroupWriter } from './group-writer.service';
import { GROUP_ACTIVATED, GroupActivated } from './group-events';
import { Group } from './group.entity';

/** What planners may change on a group: its audience tags and its pacing. */
const PLANNING_FIELDS = new Set(['tags', 'quietHours', 'minGapMinutes', 'dailyCap', 'promoCap', 'blackoutDates']);

@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly channels: ChannelsService,
    private readonly checks: GroupChecks,
    private readonly writer: GroupWriter,
    private readonly adapters: AdapterRegistry,
    private readonly events: EventEmitter2,
  ) {}

  async create(dto: CreateGroupDto): Promise<CreatedGroupDto> {
    const channel = (await this.channels.findMany([dto.channelId])).get(dto.channelId);
    const { group, generatedSecret, details } = await this.checks.checkRow(dto, channel, '');
    if (details.length > 0) throw DomainError.invalid(details);
    await this.checks.foldTags([group!]);
    await this.refuseTaken(group!);
    await this.writing(group!, () =>
      inTransaction(this.dataSource, (manager) => this.writer.insert(manager, [group!])),
    );
    return { ...groupView(await this.find(group!.id)), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) };
  }

  /** 409 naming the group that already has this group's chat or external id. */
  private async refuseTaken(group: Group): Promise<void> {
    const { byChat, byExternalId } = await this.checks.holders([group]);
    const details = takenDetails(group, byChat, byExternalId, '');
    if (details.length > 0)
      throw DomainError.conflict(details.map((d) => `${d.field} ${d.message}`).join('; '), details);
  }

  /** Runs a write; a race that another request won on a unique index becomes the same 409 as the check before it. */
  private async writing<T>(group: Group, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKey(error)) await this.refuseTaken(group);
      throw error;
    }
  }

  async list(query: ListGroupsQuery): Promise<GroupPageDto> {
    const qb = this.groups.createQueryBuilder('g');
    if (query.channelId) qb.andWhere('g.channelId = :channelId', { channelId: query.channelId });
    if (query.status) qb.andWhere('g.status = :status', { status: query.status });
    if (query.type) qb.andWhere('g.type = :type', { type: query.type });
    if (query.tag)
      qb.andWhere('EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag = :tag)', { tag: query.tag });
    if (query.q) qb.andWhere('g.name LIKE :q', { q: containsPattern(query.q) });
    if (query.ids) qb.andWhere('g.id IN (:...ids)', { ids: query.ids });
    const [groups, total] = await qb
      .orderBy('g.name', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    return { items: groups.map((g) => groupView(g)), page: query.page, pageSize: query.pageSize, total };
  }

  /** Tags by name with their groups, along the (tag, group_id) index. */
  async tags(): Promise<TagCountDto[]> {
    const rows = (await this.groups.query(
      'SELECT tag, COUNT(*) AS n FROM group_tags GROUP BY tag ORDER BY tag LIMIT 1000',
    )) as { tag: string; n: string | number }[];
    return rows.map((r) => ({ tag: r.tag, groups: Number(r.n) }));
  }

  async get(id: string): Promise<GroupDto> {
    return groupView(await this.find(id));
  }

  async update(id: string, dto: UpdateGroupDto, role: ApiRole = 'admin'): Promise<CreatedGroupDto> {
    if (role !== 'admin') {
      const others = Object.keys(dto)
        .filter((field) => dto[field as keyof UpdateGroupDto] !== undefined && !PLANNING_FIELDS.has(field))
        .sort();
      if (others.length > 0) {
        throw new DomainError(
          'forbidden',
          `role ${role} may change a group's tags and policy only, not ${others.join(', ')}`,
          others.map((field) => ({ field, message: 'is for admins' })),
        );
      }
    }
    const group = await this.find(id);
    const wasActive = group.status === 'active';
    const details: ErrorDetail[] = [];
    let generatedSecret: string | undefined;
    if (dto.channelId !== undefined && dto.channelId !== group.channelId && dto.address === undefined) {
      details.push({ field: 'address', message: 'is required when the group moves to another channel' });
    }
    const channelId = dto.channelId ?? group.channelId;
    const channel = (await this.channels.findMany([channelId])).get(channelId);
    if (!channel) details.push({ field: 'channelId', message: 'no such channel' });
    if (channel && dto.address !== undefined) {
      const checked = await this.checks.checkAddress(channel, dto.address, '', details);
      if (checked) {
        group.address = checked.address;
        group.channelId = channel.id;
        group.chatKey = chatKey(this.adapters.definition(channel.type), channel.id, checked.address);
        group.owner = ownerOf(this.adapters.definition(channel.type), checked.address);
        generatedSecret = checked.generatedSecret;
      }
    }
    if (details.length > 0) throw DomainError.invalid(details);
    applyChanges(group, dto);
    if (dto.tags !== undefined) await this.checks.foldTags([group]);
    await this.refuseTaken(group);
    await this.writing(group, () =>
      inTransaction(this.dataSource, (manager) => this.writer.save(manager, group, dto.tags !== undefined)),
    );
    if (!wasActive && group.status === 'active') await this.activated(id);
    return { ...groupView(await this.find(id)), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) };
  }

  async pause(id: string, dto: PauseGroupDto): Promise<GroupDto> {
    return this.setStatus(id, 'paused', dto.reason ?? 'paused by an operator');
  }

  async resume(id: string): Promise<GroupDto> {
    return this.setStatus(id, 'active', null);
  }

  private async setStatus(id: string, status: 'active' | 'paused', reason: string | null): Promise<GroupDto> {
    const group = await this.find(id);
    if (group.status === 'archived')
      throw DomainError.conflict(`group ${id} is archived; set its status to active first`);
    await this.writer.setStatus(id, status, reason);
    if (status === 'active' && group.status !== 'active') await this.activated(id);
    return this.get(id);
  }

  /** Tells whoever holds posts for the group (the post lifecycle) that they may go. */
  private async activated(groupId: string): Promise<void> {
    await this.events.emitAsync(GROUP_ACTIVATED, { groupId } satisfies GroupActivated);
  }

  private async find(id: string): Promise<Group> {
    const group = await this.groups.findOneBy({ id });
    if (!group) throw DomainError.notFound('group', id);
    return group;
  }
}
