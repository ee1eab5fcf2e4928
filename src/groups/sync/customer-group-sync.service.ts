import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { CONTROL } from '../../common/tags.decorator';
import { inTransaction } from '../../database/mysql';
import { TagRule } from '../../providers/adapter';
import { Failure } from '../../providers/outcomes';
import { CustomerGroupChat, WecomCustomerApi } from '../../providers/wecom-customer/wecom-customer-api';
import { Channel } from '../channel.entity';
import { ChannelsService } from '../channels.service';
import { GroupChecks } from '../group-checks.service';
import { GroupWriter } from '../group-writer.service';
import { Group } from '../group.entity';

/** WeCom answers `groupchat/get` one group at a time: this many are asked at once. */
const DETAIL_CONCURRENCY = 10;
const DEFAULT_TIMEZONE = 'Asia/Shanghai';
export const DISMISSED_REASON = 'dismissed in WeCom';

/** What one reading of a channel's groups changed. */
export interface SyncCounts {
  listed: number;
  created: number;
  updated: number;
  dismissed: number;
}

/** The provider would not list the groups: nothing was changed. */
export class SyncRefused extends Error {}

/** The tags a group gets from the channel's rules: each rule whose conditions its name and owner meet. */
export function ruleTags(chat: Pick<CustomerGroupChat, 'name' | 'owner'>, rules: TagRule[] = []): string[] {
  const tags = rules
    .filter(
      (r) =>
        (r.nameContains === undefined || chat.name.includes(r.nameContains)) &&
        (r.owner === undefined || r.owner === chat.owner),
    )
    .map((r) => r.tag);
  return [...new Set(tags)];
}

/** A group's name as groupcast keeps it: one line, never blank (WeCom leaves unnamed groups' names empty). */
function groupName(chat: CustomerGroupChat): string {
  const name = chat.name.replace(new RegExp(CONTROL.source, 'gu'), ' ').trim().slice(0, 200);
  return name || `未命名客户群（${chat.owner}）`;
}

/**
 * The company's customer groups kept in step with WeCom: every group WeCom lists (paged) is read
 * (`groupchat/get`) and created or brought up to date here, with the tags of the channel's rules
 * added; a group WeCom no longer lists is archived as dismissed, never deleted.
 */
@Injectable()
export class CustomerGroupSync {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Group) private readonly groups: Repository<Group>,
    private readonly api: WecomCustomerApi,
    private readonly channels: ChannelsService,
    private readonly checks: GroupChecks,
    private readonly writer: GroupWriter,
  ) {}

  async run(channel: Channel, now = new Date()): Promise<SyncCounts> {
    const settings = this.channels.settings(channel);
    const chatIds = await this.listAll(channel);
    const chats: CustomerGroupChat[] = [];
    for (let i = 0; i < chatIds.length; i += DETAIL_CONCURRENCY) {
      const slice = await Promise.all(
        chatIds.slice(i, i + DETAIL_CONCURRENCY).map((id) => this.api.groupChat(settings, id)),
      );
      for (const chat of slice) chats.push(orRefuse(chat, 'groupchat/get'));
    }
    return this.apply(channel, chats, now);
  }

  /** One group WeCom named in a callback, read and written as a sync would; undefined when WeCom no longer has it. */
  async one(channel: Channel, chatId: string, now = new Date()): Promise<Group | undefined> {
    const chat = await this.api.groupChat(this.channels.settings(channel), chatId);
    if ('kind' in chat) return undefined;
    await this.apply(channel, [chat], now, { dismissMissing: false });
    return (await this.known(channel, [chatId])).get(chatId);
  }

  /** The channel's group for a chat, by its chat key (addresses are sealed; the key is not). */
  async known(channel: Channel, chatIds: string[]): Promise<Map<string, Group>> {
    const keys = new Map(chatIds.map((chatId) => [this.keyOf(channel, chatId), chatId]));
    if (keys.size === 0) return new Map();
    const rows = await this.groups
      .createQueryBuilder('g')
      .where('g.chat_key IN (:...keys)', { keys: [...keys.keys()] })
      .andWhere('g.channel_id = :channelId', { channelId: channel.id })
      .getMany();
    return new Map(rows.map((g) => [keys.get(g.chatKey!)!, g]));
  }

  /** The channel's groups archived as dismissed, in one transaction. */
  async dismiss(channel: Channel, groups: Group[], now: Date): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      this.writer.dismiss(
        manager,
        groups.map((g) => g.id),
        now,
        DISMISSED_REASON,
      ),
    );
  }

  private async listAll(channel: Channel): Promise<string[]> {
    const settings = this.channels.settings(channel);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = orRefuse(await this.api.groupChats(settings, cursor), 'groupchat/list');
      ids.push(...page.chatIds);
      cursor = page.nextCursor;
    } while (cursor);
    return [...new Set(ids)];
  }

  private async apply(
    channel: Channel,
    chats: CustomerGroupChat[],
    now: Date,
    { dismissMissing } = { dismissMissing: true },
  ): Promise<SyncCounts> {
    const sync = channel.config.sync ?? {};
    const existing = await this.groups.findBy({ channelId: channel.id });
    const byKey = new Map(existing.filter((g) => g.chatKey).map((g) => [g.chatKey!, g]));
    const created: Group[] = [];
    const updated: Group[] = [];
    const seen = new Set<string>();
    for (const chat of chats) {
      const key = this.keyOf(channel, chat.chatId);
      seen.add(key);
      const tags = ruleTags(chat, sync.tagRules);
      const known = byKey.get(key);
      if (!known) {
        const { group } = await this.checks.checkRow(
          {
            name: groupName(chat),
            channelId: channel.id,
            address: { chatId: chat.chatId, sender: chat.owner },
            timezone: sync.timezone ?? DEFAULT_TIMEZONE,
            memberCount: chat.memberCount,
            tags,
          },
          channel,
          '',
        );
        // A chat id or owner WeCom gave in a shape groupcast does not take is left out of this sync.
        if (group) created.push(Object.assign(group, { chatCreatedAt: chat.createdAt }));
        continue;
      }
      const next = Object.assign(new Group(), known, {
        name: groupName(chat),
        memberCount: chat.memberCount,
        chatCreatedAt: chat.createdAt,
        owner: chat.owner,
        address: { ...known.address, sender: chat.owner },
        tags: [...new Set([...known.tags, ...tags])],
      });
      if (changed(known, next)) updated.push(next);
    }
    await this.checks.foldTags([...created, ...updated]);
    // Only groups WeCom listed before (they carry its creation time) can have left it: one typed in
    // by hand whose owner the app cannot see (its visible range) is not WeCom's to dismiss.
    const gone = dismissMissing
      ? existing.filter((g) => g.chatKey && !seen.has(g.chatKey) && g.dismissedAt === null && g.chatCreatedAt)
      : [];
    await inTransaction(this.dataSource, async (manager) => {
      await this.writer.insert(manager, created);
      await this.writer.overwrite(manager, updated);
      await this.writer.dismiss(
        manager,
        gone.map((g) => g.id),
        now,
        DISMISSED_REASON,
      );
    });
    return { listed: chats.length, created: created.length, updated: updated.length, dismissed: gone.length };
  }

  private keyOf(channel: Channel, chatId: string): string {
    return this.checks.chatKeyOf(channel, { chatId });
  }
}

function changed(before: Group, after: Group): boolean {
  return (
    before.name !== after.name ||
    before.memberCount !== after.memberCount ||
    before.owner !== after.owner ||
    (before.chatCreatedAt?.getTime() ?? null) !== (after.chatCreatedAt?.getTime() ?? null) ||
    before.tags.length !== after.tags.length
  );
}

/** The answer, or the sync stops with what WeCom said (its answers carry no `kind`; failures do). */
function orRefuse<T extends object>(answer: T | Failure, method: string): T {
  if (!('kind' in answer)) return answer;
  const failure = answer as Failure;
  throw new SyncRefused(`WeCom refused ${method}: ${failure.reason ?? failure.kind}`);
}
