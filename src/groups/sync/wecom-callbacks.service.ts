import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import {
  CallbackSecrets,
  ChatChange,
  SignedQuery,
  chatChange,
  openPayload,
  signedByWecom,
  xmlFields,
} from '../../providers/wecom-customer/wecom-callback';
import { Channel } from '../channel.entity';
import { ChannelsService } from '../channels.service';
import { ProviderEventDto } from '../dto/provider-event.dto';
import { CustomerGroupSync } from './customer-group-sync.service';
import { ProviderEvent } from './provider-event.entity';

/** A callback signed further than this from now is refused: a captured one cannot be sent again later. */
export const CALLBACK_WINDOW_MS = 60 * 60_000;
/** Events are kept this long: past the window a replay is refused by its time, before that by its digest. */
const KEPT_MS = 7 * 24 * 60 * 60_000;
const LISTED = 100;

/**
 * WeCom's callbacks for a customer-group channel (客户群变更事件): the URL check answered with the
 * decrypted echostr, and each change verified (signature, time, corp id) before anything reads it,
 * applied by reading the group from WeCom again (so a retry or a replay changes nothing twice), and
 * kept once by its digest as the group's history of joins, leaves and changes.
 */
@Injectable()
export class WecomCallbacks {
  private readonly logger = new Logger(WecomCallbacks.name);

  constructor(
    @InjectRepository(ProviderEvent) private readonly events: Repository<ProviderEvent>,
    private readonly channels: ChannelsService,
    private readonly sync: CustomerGroupSync,
  ) {}

  /** WeCom checking the URL: the echostr, decrypted, is the answer. */
  async verifyUrl(channelId: string, query: SignedQuery & { echostr: string }, now = new Date()): Promise<string> {
    const { secrets } = await this.secretsOf(channelId);
    return this.open(secrets, query, query.echostr, now);
  }

  /** One change, verified, applied and recorded; a change already recorded is not applied again. */
  async receive(channelId: string, query: SignedQuery, body: string, now = new Date()): Promise<void> {
    const { channel, secrets } = await this.secretsOf(channelId);
    const encrypted = xmlFields(body)?.Encrypt;
    if (!encrypted) throw new DomainError('unauthorized', 'the body is not WeCom callback XML with an Encrypt field');
    const message = this.open(secrets, query, encrypted, now);
    const digest = createHash('sha256').update(encrypted).digest('hex');
    if (await this.events.existsBy({ channelId, digest })) return;
    const fields = xmlFields(message) ?? {};
    const change = chatChange(fields);
    const kind = change
      ? ['change_external_chat', change.changeType, change.updateDetail].filter(Boolean).join('.')
      : String(fields.Event ?? fields.MsgType ?? 'unknown').slice(0, 64);
    const { groupId, outcome } = change
      ? await this.apply(channel, change, now)
      : { groupId: null, outcome: 'not a customer-group change: kept, not applied' };
    await this.events
      .createQueryBuilder()
      .insert()
      .values({ channelId, digest, kind, groupId, outcome: outcome.slice(0, 300), receivedAt: now })
      .orIgnore()
      .execute();
    await this.events.delete({ channelId, receivedAt: LessThan(new Date(now.getTime() - KEPT_MS)) });
  }

  /** The channel's latest events, newest first. */
  async list(channelId: string): Promise<ProviderEventDto[]> {
    await this.channels.find(channelId);
    const rows = await this.events.find({ where: { channelId }, order: { id: 'DESC' }, take: LISTED });
    return rows.map((e) => ({
      id: Number(e.id),
      kind: e.kind,
      groupId: e.groupId,
      outcome: e.outcome,
      receivedAt: e.receivedAt,
    }));
  }

  private async apply(
    channel: Channel,
    change: ChatChange,
    now: Date,
  ): Promise<{ groupId: string | null; outcome: string }> {
    if (change.changeType === 'dismiss') {
      const group = (await this.sync.known(channel, [change.chatId])).get(change.chatId);
      if (!group) return { groupId: null, outcome: 'dismissed: a chat groupcast has no group for' };
      await this.sync.dismiss(channel, [group], now);
      return { groupId: group.id, outcome: `dismissed: ${group.name} is archived` };
    }
    const before = (await this.sync.known(channel, [change.chatId])).get(change.chatId);
    const group = await this.sync.one(channel, change.chatId, now);
    if (!group) return { groupId: before?.id ?? null, outcome: `${change.changeType}: WeCom no longer has this chat` };
    const members =
      change.updateDetail === 'add_member' || change.updateDetail === 'del_member'
        ? ` (${change.updateDetail === 'add_member' ? '+' : '-'}${change.memberChange ?? '?'}, now ${group.memberCount})`
        : '';
    const what = before ? `${change.updateDetail ?? change.changeType}${members}` : 'created';
    return { groupId: group.id, outcome: `${what}: ${group.name}` };
  }

  private async secretsOf(channelId: string): Promise<{ channel: Channel; secrets: CallbackSecrets }> {
    const channel = await this.channels.findMany([channelId]).then((found) => found.get(channelId));
    const { callbackToken, encodingAesKey, corpId } = channel?.credentials ?? {};
    if (!channel || channel.type !== 'wecom_customer_group' || !callbackToken || !encodingAesKey)
      throw DomainError.notFound('WeCom callback channel', channelId);
    return { channel, secrets: { token: callbackToken, encodingAesKey, corpId } };
  }

  private open(secrets: CallbackSecrets, query: SignedQuery, payload: string, now: Date): string {
    if (!signedByWecom(secrets, query, payload)) {
      this.logger.warn('a WeCom callback with a signature that does not match was refused');
      throw new DomainError(
        'unauthorized',
        'msg_signature does not match: not signed with this channel’s callback token',
      );
    }
    const sent = Number(query.timestamp) * 1000;
    if (!Number.isFinite(sent) || Math.abs(now.getTime() - sent) > CALLBACK_WINDOW_MS)
      throw new DomainError(
        'unauthorized',
        'timestamp is more than an hour from now: a callback is answered only when fresh',
      );
    const message = openPayload(secrets, payload);
    if (message === undefined)
      throw new DomainError(
        'unauthorized',
        'the payload does not decrypt with this channel’s EncodingAESKey for its corp id',
      );
    return message;
  }
}
