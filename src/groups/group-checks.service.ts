import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { ErrorDetail } from '../common/domain-error';
import { shownLimit } from '../common/policy-fields';
import { distinctByCollation } from '../database/collation';
import { AdapterRegistry } from '../providers/adapter-registry';
import { CHANNEL_DEFINITIONS } from '../providers/channel-types';
import { chatKey, ownerOf } from '../providers/chat-key';
import { TargetChecks } from '../providers/target-checks';
import { generateWebhookSecret } from '../providers/webhook/webhook.adapter';
import { Channel } from './channel.entity';
import { ChannelsService } from './channels.service';
import { CreateGroupDto, GroupDto } from './dto/group.dto';
import { Group } from './group.entity';
import { maskFields } from './secrets';

/** Every address field that is secret in some channel type; masking them all needs no channel lookup. */
const SECRET_ADDRESS_FIELDS = [...new Set(Object.values(CHANNEL_DEFINITIONS).flatMap((d) => d.secretFields))];

interface CheckedAddress {
  address: Record<string, string>;
  /** A webhook secret we generated: shown once, in the response that created it. */
  generatedSecret?: string;
}

export interface CheckedRow {
  group?: Group;
  generatedSecret?: string;
  details: ErrorDetail[];
}

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
    Object.assign(group, { status: dto.status, pausedReason: null, consecutiveFailures: 0 });
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

/** A group as responses show it: secrets masked, switched-off limits as 'off'. */
export function groupView(group: Group): GroupDto {
  return {
    id: group.id,
    name: group.name,
    channelId: group.channelId,
    externalId: group.externalId,
    address: maskFields(group.address, SECRET_ADDRESS_FIELDS),
    timezone: group.timezone,
    quietHours: group.quietHours,
    memberCount: group.memberCount,
    chatCreatedAt: group.chatCreatedAt ?? null,
    dismissedAt: group.dismissedAt ?? null,
    minGapMinutes: shownLimit(group.minGapMinutes),
    dailyCap: shownLimit(group.dailyCap),
    promoCap: shownLimit(group.promoCap),
    blackoutDates: group.blackoutDates,
    type: group.type,
    vars: group.vars,
    tags: group.tags,
    status: group.status,
    pausedReason: group.pausedReason,
    // A row just inserted has the column's default, which TypeORM does not read back.
    consecutiveFailures: group.consecutiveFailures ?? 0,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}

/** Checks group rows before they are written, for one group (CRUD) and for thousands (import) alike. */
@Injectable()
export class GroupChecks {
  constructor(
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channels: ChannelsService,
    private readonly adapters: AdapterRegistry,
    private readonly targets: TargetChecks,
  ) {}

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

  /** The chat key of an address on a channel (see chat-key.ts). */
  chatKeyOf(channel: Channel, address: Record<string, string>): string {
    return chatKey(this.adapters.definition(channel.type), channel.id, address) ?? '';
  }

  async checkRow(dto: CreateGroupDto, channel: Channel | undefined, prefix: string): Promise<CheckedRow> {
    const details: ErrorDetail[] = [];
    if (!channel) details.push({ field: `${prefix}channelId`, message: `no channel ${dto.channelId}` });
    const checked = channel ? await this.checkAddress(channel, dto.address, prefix, details) : undefined;
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
      owner: ownerOf(this.adapters.definition(channel!.type), checked.address),
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
  async checkAddress(
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
      const problem = await this.targets.userUrlProblem(new URL(String(address[field])));
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

  /**
   * Each group's tags once as the database compares them: spellings that only its collation
   * folds together (`ＶＩＰ` and `VIP`, `straße` and `strasse`, `か` and `カ`) are one tag.
   */
  async foldTags(groups: Group[]): Promise<void> {
    const folded = await distinctByCollation(
      this.dataSource,
      'group_tags',
      'tag',
      groups.map((g) => g.tags),
    );
    groups.forEach((group, i) => (group.tags = folded[i]));
  }
}
