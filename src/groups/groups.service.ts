import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { containsPattern, inTransaction, isDuplicateKey } from '../database/mysql';
import { batchLoader } from '../common/batch-loader';
import { ApiRole } from '../auth/roles';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { shownLimit } from '../common/policy-fields';
import { pageOffset } from '../common/page.dto';
import { AppConfig } from '../config/app-config';
import { bulkInsert } from '../database/bulk-insert';
import { APP_CONFIG } from '../config/config.module';
import { SendTarget } from '../delivery/adapters/adapter';
import { AdapterRegistry, CHANNEL_DEFINITIONS } from '../delivery/adapters/adapter-registry';
import { publicUrlProblem } from '../delivery/adapters/http/ssrf-guard';
import { generateWebhookSecret } from '../delivery/adapters/webhook/webhook.adapter';
import { Channel } from './channel.entity';
import { ChannelsService } from './channels.service';
import {
  CreateGroupDto,
  CreatedGroupDto,
  GroupDto,
  GroupPageDto,
  ListGroupsQuery,
  PauseGroupDto,
  UpdateGroupDto,
} from './dto/group.dto';
import { GroupTag } from './group-tag.entity';
import { Group } from './group.entity';
import { chatKey } from './chat-key';
import { maskFields } from './secrets';

/** Every address field that is secret in some channel type; masking them all needs no channel lookup. */
const SECRET_ADDRESS_FIELDS = [...new Set(Object.values(CHANNEL_DEFINITIONS).flatMap((d) => d.secretFields))];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_VARS = 50;
const MAX_VAR_LENGTH = 500;

interface CheckedAddress {
  address: Record<string, string>;
  /** A webhook secret we generated: shown once, in the response that created it. */
  generatedSecret?: string;
}

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

export interface CheckedRow {
  group?: Group;
  generatedSecret?: string;
  details: ErrorDetail[];
}

/** What planners may change on a group: its audience tags and its pacing. */
const PLANNING_FIELDS = new Set(['tags', 'quietHours', 'minGapMinutes', 'dailyCap', 'promoCap', 'blackoutDates']);

/** The fields of a create or update body that are plain columns, written as given. */
export const PLAIN_FIELDS = [
  'name',
  'externalId',
  'timezone',
  'quietHours',
  'memberCount',
  'minGapMinutes',
  'dailyCap',
  'promoCap',
  'blackoutDates',
  'type',
  'vars',
  'tags',
] as const;

/** Writes onto `group` every plain field the body gives; a status change clears the pause reason. */
export function applyChanges(
  group: Group,
  dto: Partial<Pick<CreateGroupDto, (typeof PLAIN_FIELDS)[number] | 'status'>>,
): void {
  for (const field of PLAIN_FIELDS) {
    if (dto[field] !== undefined) Object.assign(group, { [field]: dto[field] });
  }
  if (dto.status !== undefined && dto.status !== group.status)
    Object.assign(group, { status: dto.status, pausedReason: null });
}

/** What a 409 says of a group whose chat or external id another group already has. */
export function takenDetails(
  group: Group,
  byChat: Map<string, Group>,
  byExternalId: Map<string, Group>,
  prefix: string,
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const chatHolder = group.chatKey === null ? undefined : byChat.get(group.chatKey);
  if (chatHolder && chatHolder.id !== group.id) {
    details.push({
      field: `${prefix}address`,
      message: `names the chat of group ${chatHolder.id} (${chatHolder.name})`,
    });
  }
  const idHolder = group.externalId === null ? undefined : byExternalId.get(group.externalId);
  if (idHolder && idHolder.id !== group.id) {
    details.push({
      field: `${prefix}externalId`,
      message: `is the external id of group ${idHolder.id} (${idHolder.name})`,
    });
  }
  return details;
}

@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly channels: ChannelsService,
    private readonly adapters: AdapterRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(dto: CreateGroupDto): Promise<CreatedGroupDto> {
    const channel = (await this.channels.findMany([dto.channelId])).get(dto.channelId);
    const { group, generatedSecret, details } = await this.checkRow(dto, channel, '');
    if (details.length > 0) throw DomainError.invalid(details);
    await this.refuseTaken(group!);
    await this.writing(group!, () => inTransaction(this.dataSource, (manager) => this.insert(manager, [group!])));
    return { ...this.view(await this.find(group!.id)), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) };
  }

  /** Groups that already have one of these chats or external ids, by chat key and by external id. */
  async holders(
    groups: Pick<Group, 'chatKey' | 'externalId'>[],
  ): Promise<{ byChat: Map<string, Group>; byExternalId: Map<string, Group> }> {
    const chatKeys = [...new Set(groups.map((g) => g.chatKey).filter((k): k is string => k !== null))];
    const externalIds = [...new Set(groups.map((g) => g.externalId).filter((k): k is string => k !== null))];
    const found = [
      ...(chatKeys.length > 0 ? await this.groups.findBy({ chatKey: In(chatKeys) }) : []),
      ...(externalIds.length > 0 ? await this.groups.findBy({ externalId: In(externalIds) }) : []),
    ];
    return {
      byChat: new Map(found.filter((g) => g.chatKey !== null).map((g) => [g.chatKey!, g])),
      byExternalId: new Map(found.filter((g) => g.externalId !== null).map((g) => [g.externalId!, g])),
    };
  }

  /** 409 naming the group that already has this group's chat or external id. */
  private async refuseTaken(group: Group): Promise<void> {
    const { byChat, byExternalId } = await this.holders([group]);
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
    const [groups, total] = await qb
      .orderBy('g.name', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    return { items: groups.map((g) => this.view(g)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(id: string): Promise<GroupDto> {
    return this.view(await this.find(id));
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
    const details: ErrorDetail[] = [];
    let generatedSecret: string | undefined;
    if (dto.channelId !== undefined && dto.channelId !== group.channelId && dto.address === undefined) {
      details.push({ field: 'address', message: 'is required when the group moves to another channel' });
    }
    const channelId = dto.channelId ?? group.channelId;
    const channel = (await this.channels.findMany([channelId])).get(channelId);
    if (!channel) details.push({ field: 'channelId', message: 'no such channel' });
    if (channel && dto.address !== undefined) {
      const checked = await this.checkAddress(channel, dto.address, '', details);
      if (checked) {
        group.address = checked.address;
        group.channelId = channel.id;
        group.chatKey = chatKey(this.adapters.definition(channel.type), channel.id, checked.address);
        generatedSecret = checked.generatedSecret;
      }
    }
    if (dto.vars !== undefined) this.checkVars(dto.vars, '', details);
    if (details.length > 0) throw DomainError.invalid(details);
    applyChanges(group, dto);
    await this.refuseTaken(group);
    await this.writing(group, () =>
      inTransaction(this.dataSource, async (manager) => {
        await manager.save(group);
        if (dto.tags !== undefined) {
          await manager.delete(GroupTag, { groupId: group.id });
          await this.insertTags(manager, [group]);
        }
      }),
    );
    return { ...this.view(await this.find(id)), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) };
  }

  async pause(id: string, dto: PauseGroupDto): Promise<GroupDto> {
    return this.setStatus(id, 'paused', dto.reason ?? 'paused by an operator');
  }

  async resume(id: string): Promise<GroupDto> {
    return this.setStatus(id, 'active', null);
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
    const groups = new Map((await this.groups.findBy({ id: In([...new Set(ids)]) })).map((g) => [g.id, g]));
    const channels = await this.channels.findMany([...new Set([...groups.values()].map((g) => g.channelId))]);
    return ids.map((id) => {
      const group = groups.get(id);
      if (!group) return DomainError.notFound('group', id);
      const channel = channels.get(group.channelId);
      if (!channel) return DomainError.notFound('channel', group.channelId);
      return { group, channel, target: { channel: this.channels.settings(channel), address: group.address } };
    });
  });

  /** Follows the provider when it moves a chat (a Telegram group that became a supergroup). */
  async moveAddress(id: string, address: Record<string, unknown>): Promise<void> {
    const group = await this.find(id);
    const merged = { ...group.address, ...Object.fromEntries(Object.entries(address).map(([k, v]) => [k, String(v)])) };
    await this.groups.update({ id }, { address: merged });
  }

  private async setStatus(id: string, status: 'active' | 'paused', reason: string | null): Promise<GroupDto> {
    const group = await this.find(id);
    if (group.status === 'archived')
      throw DomainError.conflict(`group ${id} is archived; set its status to active first`);
    await this.groups.update({ id }, { status, pausedReason: reason });
    return this.get(id);
  }

  private async find(id: string): Promise<Group> {
    const group = await this.groups.findOneBy({ id });
    if (!group) throw DomainError.notFound('group', id);
    return group;
  }

  async checkRow(dto: CreateGroupDto, channel: Channel | undefined, prefix: string): Promise<CheckedRow> {
    const details: ErrorDetail[] = [];
    if (!channel) details.push({ field: `${prefix}channelId`, message: `no channel ${dto.channelId}` });
    const checked = channel ? await this.checkAddress(channel, dto.address, prefix, details) : undefined;
    if (dto.vars !== undefined) this.checkVars(dto.vars, prefix, details);
    if (details.length > 0 || !checked) return { details };
    const now = new Date();
    const group = this.groups.create({
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      name: dto.name,
      channelId: dto.channelId,
      address: checked.address,
      chatKey: chatKey(this.adapters.definition(channel!.type), dto.channelId, checked.address),
      externalId: dto.externalId ?? null,
      timezone: dto.timezone,
      quietHours: dto.quietHours ?? null,
      memberCount: dto.memberCount ?? null,
      minGapMinutes: dto.minGapMinutes ?? null,
      dailyCap: dto.dailyCap ?? null,
      promoCap: dto.promoCap ?? null,
      blackoutDates: dto.blackoutDates ?? null,
      type: dto.type ?? 'interest',
      vars: (dto.vars ?? {}) as Record<string, string>,
      tags: dto.tags ?? [],
      status: dto.status ?? 'active',
      pausedReason: dto.status === 'paused' ? 'created paused' : null,
    });
    return { group, generatedSecret: checked.generatedSecret, details };
  }

  /** Puts an address in its object form and checks it against the channel type, URLs included. */
  private async checkAddress(
    channel: Channel,
    input: unknown,
    prefix: string,
    details: ErrorDetail[],
  ): Promise<CheckedAddress | undefined> {
    const definition = this.adapters.definition(channel.type);
    let address: Record<string, unknown>;
    if (typeof input === 'string' || typeof input === 'number') {
      address = definition.addressShorthand ? { [definition.addressShorthand]: String(input) } : {};
    } else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
      address = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
    } else {
      details.push({ field: `${prefix}address`, message: 'must be a string, a number or an object' });
      return undefined;
    }
    const problems = this.channels.schemaProblems(
      definition.addressSchema,
      address,
      `${prefix}address`,
      `a ${channel.type} address`,
    );
    if (problems.length > 0) {
      details.push(...problems);
      return undefined;
    }
    if (definition.userSuppliedUrl) {
      const field = definition.userSuppliedUrl;
      const problem = await this.urlProblem(String(address[field]));
      if (problem) {
        details.push({ field: `${prefix}address.${field}`, message: problem });
        return undefined;
      }
    }
    let generatedSecret: string | undefined;
    if (channel.type === 'webhook' && !address.secret) {
      generatedSecret = generateWebhookSecret();
      address.secret = generatedSecret;
    }
    return { address: address as Record<string, string>, generatedSecret };
  }

  private async urlProblem(url: string): Promise<string | undefined> {
    return this.config.allowPrivateTargets ? undefined : publicUrlProblem(new URL(url));
  }

  private checkVars(vars: Record<string, unknown>, prefix: string, details: ErrorDetail[]): void {
    const entries = Object.entries(vars);
    if (entries.length > MAX_VARS) details.push({ field: `${prefix}vars`, message: `at most ${MAX_VARS} variables` });
    for (const [name, value] of entries) {
      if (!VAR_NAME.test(name))
        details.push({ field: `${prefix}vars.${name}`, message: 'a name must be letters, digits and _' });
      else if (typeof value !== 'string' || value.length > MAX_VAR_LENGTH) {
        details.push({
          field: `${prefix}vars.${name}`,
          message: `must be a string of at most ${MAX_VAR_LENGTH} characters`,
        });
      }
    }
  }

  async insert(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(
      manager,
      'groups',
      [
        'id',
        'name',
        'channel_id',
        'address',
        'chat_key',
        'external_id',
        'timezone',
        'quiet_hours',
        'member_count',
        'min_gap_minutes',
        'daily_cap',
        'promo_cap',
        'blackout_dates',
        'type',
        'vars',
        'tags',
        'status',
        'paused_reason',
        'created_at',
        'updated_at',
      ],
      groups.map((g) => [
        g.id,
        g.name,
        g.channelId,
        JSON.stringify(g.address),
        g.chatKey,
        g.externalId,
        g.timezone,
        g.quietHours,
        g.memberCount,
        g.minGapMinutes,
        g.dailyCap,
        g.promoCap,
        g.blackoutDates === null ? null : JSON.stringify(g.blackoutDates),
        g.type,
        JSON.stringify(g.vars),
        JSON.stringify(g.tags),
        g.status,
        g.pausedReason,
        g.createdAt,
        g.updatedAt,
      ]),
    );
    await this.insertTags(manager, groups);
  }

  async insertTags(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(
      manager,
      'group_tags',
      ['group_id', 'tag'],
      groups.flatMap((g) => g.tags.map((tag) => [g.id, tag])),
    );
  }

  view(group: Group): GroupDto {
    return {
      id: group.id,
      name: group.name,
      channelId: group.channelId,
      externalId: group.externalId,
      address: maskFields(group.address, SECRET_ADDRESS_FIELDS),
      timezone: group.timezone,
      quietHours: group.quietHours,
      memberCount: group.memberCount,
      minGapMinutes: shownLimit(group.minGapMinutes),
      dailyCap: shownLimit(group.dailyCap),
      promoCap: shownLimit(group.promoCap),
      blackoutDates: group.blackoutDates,
      type: group.type,
      vars: group.vars,
      tags: group.tags,
      status: group.status,
      pausedReason: group.pausedReason,
      createdAt: group.createdAt,
      updatedAt: group.updatedAt,
    };
  }
}
