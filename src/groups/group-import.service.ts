import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { DomainError, ErrorDetail } from '../common/domain-error';
import { validateItem } from '../common/validation';
import { mapYielding } from '../common/yielding';
import { inTransaction } from '../database/mysql';
import { ChannelsService } from './channels.service';
import {
  BulkImportGroupsDto,
  BulkImportResultDto,
  CreateGroupDto,
  CreatedGroupDto,
  MAX_BULK_GROUPS,
} from './dto/group.dto';
import { Group } from './group.entity';
import { CheckedRow, GroupChecks, applyChanges, groupView, takenDetails } from './group-checks.service';
import { GroupWriter, IMPORTED_COLUMNS } from './group-writer.service';

const isUuid = (value: unknown): value is string => typeof value === 'string' && isUUID(value);

/** What tells whether an upserted row changed its group. */
const projection = (g: Group) => JSON.stringify(IMPORTED_COLUMNS.map((column) => g[column] ?? null));

interface Row {
  /** The group as it will be written. */
  group: Group;
  dto: CreateGroupDto;
  generatedSecret?: string;
  /** The group this row updates (upsert), as it was. */
  existing?: Group;
}

/** Bulk import of groups: all rows or none, every bad row reported with its index. */
@Injectable()
export class GroupImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checks: GroupChecks,
    private readonly writer: GroupWriter,
    private readonly channels: ChannelsService,
  ) {}

  async import(body: unknown): Promise<BulkImportResultDto> {
    const dto = parseEnvelope(body);
    const rows = await this.checkRows(dto);
    await this.checks.foldTags(rows.map((r) => r.group));
    const { byChat, byExternalId } = await this.checks.holders(rows.map((r) => r.group));
    if (dto.mode === 'upsert') {
      for (const row of rows) this.matchExisting(row, byChat, byExternalId);
    }
    const taken = rows.flatMap((row, i) => takenDetails(row.group, byChat, byExternalId, `groups[${i}].`));
    if (taken.length > 0) {
      const hint = dto.mode === 'upsert' ? '' : ' (mode "upsert" updates them)';
      throw DomainError.conflict(
        `${rowCount(taken)} of ${rows.length} rows name a chat or an external id that another group has; nothing was imported${hint}`,
        taken,
      );
    }
    const created = rows.filter((r) => !r.existing);
    const updated = rows.filter((r) => r.existing && projection(r.existing) !== projection(r.group));
    const counts = {
      count: rows.length,
      created: created.length,
      updated: updated.length,
      unchanged: rows.length - created.length - updated.length,
    };
    if (dto.dryRun) return { dryRun: true, ...counts, groups: [] };
    await inTransaction(this.dataSource, async (manager) => {
      await this.writer.insert(
        manager,
        created.map((r) => r.group),
      );
      await this.writer.overwrite(
        manager,
        updated.map((r) => r.group),
      );
    });
    const stored = await this.dataSource.getRepository(Group).findBy({ id: In(updated.map((r) => r.group.id)) });
    const fresh = new Map(stored.map((g) => [g.id, g]));
    return {
      ...counts,
      groups: await mapYielding(rows, (r): CreatedGroupDto => ({
        ...groupView(fresh.get(r.group.id) ?? r.existing ?? r.group),
        ...(r.generatedSecret ? { signingSecret: r.generatedSecret } : {}),
      })),
    };
  }

  /** Validates every row (400 naming each bad field by its row), and refuses two rows for one chat or one external id. */
  private async checkRows(dto: BulkImportGroupsDto): Promise<Row[]> {
    const items = await mapYielding(dto.groups, (row, i) => validateItem(CreateGroupDto, row, `groups[${i}]`));
    const channels = await this.channels.findMany([...new Set(items.map((r) => r.value.channelId).filter(isUuid))]);
    const checked: CheckedRow[] = await mapYielding(items, ({ value, details }, i) =>
      details.length > 0 ? { details } : this.checks.checkRow(value, channels.get(value.channelId), `groups[${i}].`),
    );
    const details: ErrorDetail[] = checked.flatMap((c) => c.details);
    const firstByChat = new Map<string, number>();
    const firstById = new Map<string, number>();
    checked.forEach(({ group }, i) => {
      if (!group) return;
      const sameChat = group.chatKey === null ? undefined : firstByChat.get(group.chatKey);
      if (sameChat !== undefined)
        details.push({ field: `groups[${i}].address`, message: `names the same chat as groups[${sameChat}]` });
      else if (group.chatKey !== null) firstByChat.set(group.chatKey, i);
      const sameId = group.externalId === null ? undefined : firstById.get(group.externalId);
      if (sameId !== undefined)
        details.push({ field: `groups[${i}].externalId`, message: `is the same as groups[${sameId}]'s` });
      else if (group.externalId !== null) firstById.set(group.externalId, i);
    });
    if (details.length > 0) {
      throw DomainError.invalid(
        details,
        `${rowCount(details)} of ${dto.groups.length} rows are invalid; nothing was imported`,
      );
    }
    return checked.map((c, i) => ({ group: c.group!, dto: items[i].value, generatedSecret: c.generatedSecret }));
  }

  /** Upsert: the row becomes an update of the group with its external id, else of the group with its chat. */
  private matchExisting(row: Row, byChat: Map<string, Group>, byExternalId: Map<string, Group>): void {
    const { group } = row;
    const existing =
      (group.externalId !== null ? byExternalId.get(group.externalId) : undefined) ??
      (group.chatKey !== null ? byChat.get(group.chatKey) : undefined);
    if (!existing) return;
    const merged = Object.assign(new Group(), existing);
    applyChanges(merged, row.dto);
    const sameChat = merged.channelId === group.channelId && existing.chatKey === group.chatKey;
    if (sameChat && row.generatedSecret) {
      // A secret the row left out for the same chat: keep the group's, not a new one nobody has seen.
      row.generatedSecret = undefined;
    } else {
      Object.assign(merged, {
        channelId: group.channelId,
        address: group.address,
        chatKey: group.chatKey,
        owner: group.owner,
      });
    }
    row.existing = existing;
    row.group = merged;
  }
}

/**
 * The body as a BulkImportGroupsDto. It is checked here rather than by the global pipe, which
 * would copy all 5,000 rows once more in one go before they are checked one by one.
 */
function parseEnvelope(body: unknown): BulkImportGroupsDto {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw DomainError.invalid([{ field: 'body', message: 'must be an object' }]);
  const rows = (body as { groups?: unknown }).groups;
  const { value, details } = validateItem(
    BulkImportGroupsDto,
    { ...body, groups: Array.isArray(rows) ? rows.slice(0, 1) : rows },
    '',
  );
  if (Array.isArray(rows) && rows.length > MAX_BULK_GROUPS)
    details.push({ field: 'groups', message: `must contain no more than ${MAX_BULK_GROUPS} elements` });
  if (details.length > 0) throw DomainError.invalid(details);
  value.groups = rows as unknown[];
  return value;
}

function rowCount(details: ErrorDetail[]): number {
  return new Set(details.map((d) => d.field.match(/^groups\[(\d+)\]/)?.[1])).size;
}
