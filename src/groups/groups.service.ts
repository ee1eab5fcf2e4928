import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isValidTimezone } from '../common/timezones';
import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { containsPattern, inTransaction } from '../database/mysql';
import { batchLoader } from '../common/batch-loader';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { validateItem } from '../common/validation';
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
  BulkImportGroupsDto,
  BulkImportResultDto,
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

const isUuid = (value: unknown): value is string => typeof value === 'string' && isUUID(value);

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

interface CheckedRow {
  group?: Group;
  generatedSecret?: string;
  details: ErrorDetail[];
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
    await inTransaction(this.dataSource, (manager) => this.insert(manager, [group!]));
    return { ...this.view(await this.find(group!.id)), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) };
  }

  /** All rows or none: every bad row is reported with its index before anything is written. */
  async bulkImport(dto: BulkImportGroupsDto): Promise<BulkImportResultDto> {
    const rows = dto.groups.map((row, i) => validateItem(CreateGroupDto, row, `groups[${i}]`));
    const channels = await this.channels.findMany([...new Set(rows.map((r) => r.value.channelId).filter(isUuid))]);
    const checked: CheckedRow[] = await Promise.all(
      rows.map(async ({ value, details }, i) =>
        details.length > 0 ? { details } : this.checkRow(value, channels.get(value.channelId), `groups[${i}].`),
      ),
    );
    const details = checked.flatMap((c) => c.details);
    if (details.length > 0) {
      const rows = new Set(details.map((d) => d.field.match(/^groups\[(\d+)\]/)?.[1])).size;
      throw DomainError.invalid(details, `${rows} of ${dto.groups.length} rows are invalid; nothing was imported`);
    }
    const groups = checked.map((c) => c.group!);
    await inTransaction(this.dataSource, (manager) => this.insert(manager, groups));
    return {
      count: groups.length,
      groups: checked.map((c) => ({ ...this.view(c.group!), ...(c.generatedSecret ? { signingSecret: c.generatedSecret } : {}) })),
    };
  }

  async list(query: ListGroupsQuery): Promise<GroupPageDto> {
    const qb = this.groups.createQueryBuilder('g');
    if (query.channelId) qb.andWhere('g.channelId = :channelId', { channelId: query.channelId });
    if (query.status) qb.andWhere('g.status = :status', { status: query.status });
    if (query.type) qb.andWhere('g.type = :type', { type: query.type });
    if (query.tag) qb.andWhere('EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag = :tag)', { tag: query.tag });
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

  async update(id: string, dto: UpdateGroupDto): Promise<CreatedGroupDto> {
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
        generatedSecret = checked.generatedSecret;
      }
    }
    if (dto.timezone !== undefined) this.checkTimezone(dto.timezone, '', details);
    if (dto.vars !== undefined) this.checkVars(dto.vars, '', details);
    if (details.length > 0) throw DomainError.invalid(details);
    Object.assign(group, {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.timezone !== undefined && { timezone: dto.timezone }),
      ...(dto.quietHours !== undefined && { quietHours: dto.quietHours }),
      ...(dto.memberCount !== undefined && { memberCount: dto.memberCount }),
      ...(dto.minGapMinutes !== undefined && { minGapMinutes: dto.minGapMinutes }),
      ...(dto.dailyCap !== undefined && { dailyCap: dto.dailyCap }),
      ...(dto.promoCap !== undefined && { promoCap: dto.promoCap }),
      ...(dto.blackoutDates !== undefined && { blackoutDates: dto.blackoutDates }),
      ...(dto.type !== undefined && { type: dto.type }),
      ...(dto.vars !== undefined && { vars: dto.vars }),
      ...(dto.tags !== undefined && { tags: dto.tags }),
      ...(dto.status !== undefined && { status: dto.status, pausedReason: null }),
    });
    await inTransaction(this.dataSource, async (manager) => {
      await manager.save(group);
      if (dto.tags !== undefined) {
        await manager.delete(GroupTag, { groupId: group.id });
        await this.insertTags(manager, [group]);
      }
    });
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
    if (tags.length > 0) conditions.push('EXISTS (SELECT 1 FROM group_tags t WHERE t.group_id = g.id AND t.tag IN (:...tags))');
    if (conditions.length === 0) return { unknownIds: [], groups: [] };
    const rows = await qb.where(`(${conditions.join(' OR ')})`, { groupIds, tags }).getRawMany<AudienceMember & { status: string }>();
    const found = new Set(rows.map((r) => r.id));
    return {
      unknownIds: groupIds.filter((id) => !found.has(id)),
      groups: rows.filter((r) => r.status === 'active').map(({ id, timezone, channelType }) => ({ id, timezone, channelType })),
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
    if (group.status === 'archived') throw DomainError.conflict(`group ${id} is archived; set its status to active first`);
    await this.groups.update({ id }, { status, pausedReason: reason });
    return this.get(id);
  }

  private async find(id: string): Promise<Group> {
    const group = await this.groups.findOneBy({ id });
    if (!group) throw DomainError.notFound('group', id);
    return group;
  }

  private async checkRow(
    dto: CreateGroupDto,
    channel: Channel | undefined,
    prefix: string,
  ): Promise<CheckedRow> {
    const details: ErrorDetail[] = [];
    if (!channel) details.push({ field: `${prefix}channelId`, message: `no channel ${dto.channelId}` });
    const checked = channel ? await this.checkAddress(channel, dto.address, prefix, details) : undefined;
    this.checkTimezone(dto.timezone, prefix, details);
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
  private async checkAddress(channel: Channel, input: unknown, prefix: string, details: ErrorDetail[]): Promise<CheckedAddress | undefined> {
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
    const problems = this.channels.schemaProblems(definition.addressSchema, address, `${prefix}address`, `a ${channel.type} address`);
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

  private checkTimezone(timezone: string, prefix: string, details: ErrorDetail[]): void {
    if (!isValidTimezone(timezone)) {
      details.push({ field: `${prefix}timezone`, message: 'must be an IANA time zone such as Asia/Shanghai' });
    }
  }

  private checkVars(vars: Record<string, unknown>, prefix: string, details: ErrorDetail[]): void {
    const entries = Object.entries(vars);
    if (entries.length > MAX_VARS) details.push({ field: `${prefix}vars`, message: `at most ${MAX_VARS} variables` });
    for (const [name, value] of entries) {
      if (!VAR_NAME.test(name)) details.push({ field: `${prefix}vars.${name}`, message: 'a name must be letters, digits and _' });
      else if (typeof value !== 'string' || value.length > MAX_VAR_LENGTH) {
        details.push({ field: `${prefix}vars.${name}`, message: `must be a string of at most ${MAX_VAR_LENGTH} characters` });
      }
    }
  }

  private async insert(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(
      manager,
      'groups',
      [
        'id', 'name', 'channel_id', 'address', 'timezone', 'quiet_hours', 'member_count', 'min_gap_minutes', 'daily_cap', 'promo_cap',
        'blackout_dates', 'type', 'vars', 'tags', 'status', 'paused_reason', 'created_at', 'updated_at',
      ],
      groups.map((g) => [
        g.id,
        g.name,
        g.channelId,
        JSON.stringify(g.address),
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

  private async insertTags(manager: EntityManager, groups: Group[]): Promise<void> {
    await bulkInsert(manager, 'group_tags', ['group_id', 'tag'], groups.flatMap((g) => g.tags.map((tag) => [g.id, tag])));
  }

  private view(group: Group): GroupDto {
    return {
      id: group.id,
      name: group.name,
      channelId: group.channelId,
      address: maskFields(group.address, SECRET_ADDRESS_FIELDS),
      timezone: group.timezone,
      quietHours: group.quietHours,
      memberCount: group.memberCount,
      minGapMinutes: group.minGapMinutes,
      dailyCap: group.dailyCap,
      promoCap: group.promoCap,
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
