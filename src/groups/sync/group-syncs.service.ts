import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { Channel } from '../channel.entity';
import { ChannelsService } from '../channels.service';
import { GroupSyncDto } from '../dto/group-sync.dto';
import { CustomerGroupSync } from './customer-group-sync.service';
import { GroupSync, GroupSyncTrigger } from './group-sync.entity';

/** The channel types whose provider lists the account's groups. */
export const SYNCED_TYPES = ['wecom_customer_group'];
/** A sync still running after this long was left by a worker that stopped. */
const ABANDONED_MS = 30 * 60_000;
const LISTED = 20;

/**
 * Readings of a channel's groups from its provider: asked for through the API or due by the
 * channel's schedule, run one at a time by the worker that leads, each with what it found.
 */
@Injectable()
export class GroupSyncs {
  private readonly logger = new Logger(GroupSyncs.name);

  constructor(
    @InjectRepository(GroupSync) private readonly syncs: Repository<GroupSync>,
    private readonly channels: ChannelsService,
    private readonly customerGroups: CustomerGroupSync,
  ) {}

  /** Asks for a sync now; one already waiting or running is the answer instead of a second. */
  async request(channelId: string, trigger: GroupSyncTrigger = 'api', now = new Date()): Promise<GroupSyncDto> {
    const channel = await this.channels.find(channelId);
    if (!SYNCED_TYPES.includes(channel.type)) {
      throw DomainError.invalid([
        {
          field: 'id',
          message: `a ${channel.type} channel cannot list its groups; only ${SYNCED_TYPES.join(', ')} can`,
        },
      ]);
    }
    const pending = await this.syncs.findOneBy({ channelId, status: In(['requested', 'running']) });
    if (pending) return view(pending);
    return view(await this.ask(channelId, trigger, now));
  }

  async list(channelId: string): Promise<GroupSyncDto[]> {
    await this.channels.find(channelId);
    const rows = await this.syncs.find({ where: { channelId }, order: { requestedAt: 'DESC' }, take: LISTED });
    return rows.map(view);
  }

  /** The worker's turn: syncs the schedule makes due, then every sync asked for, oldest first. Returns how many ran. */
  async runDue(now = new Date()): Promise<number> {
    await this.syncs.update(
      { status: 'running', startedAt: LessThan(new Date(now.getTime() - ABANDONED_MS)) },
      { status: 'failed', finishedAt: now, error: 'the worker running it stopped' },
    );
    const channels = (await this.channels.all()).filter((c) => SYNCED_TYPES.includes(c.type) && c.status === 'active');
    for (const channel of channels) await this.schedule(channel, now);
    const asked = await this.syncs.find({ where: { status: 'requested' }, order: { requestedAt: 'ASC' } });
    const byId = new Map(channels.map((c) => [c.id, c]));
    let ran = 0;
    for (const sync of asked) {
      const channel = byId.get(sync.channelId) ?? (await this.channels.findMany([sync.channelId])).get(sync.channelId);
      await this.runOne(sync, channel);
      ran++;
    }
    return ran;
  }

  private async schedule(channel: Channel, now: Date): Promise<void> {
    // Off until the operator sets it: a channel made for sending to groups typed in by hand imports nothing unasked.
    const minutes = channel.config.sync?.everyMinutes ?? 0;
    if (minutes === 0) return;
    const last = await this.syncs.findOne({ where: { channelId: channel.id }, order: { requestedAt: 'DESC' } });
    if (last && last.requestedAt.getTime() > now.getTime() - minutes * 60_000) return;
    if (last && (last.status === 'requested' || last.status === 'running')) return;
    await this.ask(channel.id, 'schedule', now);
  }

  private ask(channelId: string, trigger: GroupSyncTrigger, now: Date): Promise<GroupSync> {
    const counts = { listed: 0, created: 0, updated: 0, dismissed: 0 };
    const times = { startedAt: null, finishedAt: null, error: null };
    return this.syncs.save(
      this.syncs.create({ channelId, status: 'requested', trigger, requestedAt: now, ...counts, ...times }),
    );
  }

  private async runOne(sync: GroupSync, channel: Channel | undefined): Promise<void> {
    const taken = await this.syncs.update(
      { id: sync.id, status: 'requested' },
      { status: 'running', startedAt: new Date() },
    );
    if (!taken.affected) return;
    if (!channel) {
      await this.syncs.update(
        { id: sync.id },
        { status: 'failed', finishedAt: new Date(), error: 'the channel is gone' },
      );
      return;
    }
    try {
      const counts = await this.customerGroups.run(channel);
      await this.syncs.update({ id: sync.id }, { status: 'done', finishedAt: new Date(), ...counts });
      this.logger.log(
        `channel ${channel.name}: synced ${counts.listed} groups (${counts.created} new, ${counts.updated} changed, ${counts.dismissed} dismissed)`,
      );
    } catch (error) {
      const message = (error as Error).message.slice(0, 500);
      await this.syncs.update({ id: sync.id }, { status: 'failed', finishedAt: new Date(), error: message });
      this.logger.warn(`channel ${channel.name}: group sync failed: ${message}`);
    }
  }
}

function view(sync: GroupSync): GroupSyncDto {
  return {
    id: sync.id,
    channelId: sync.channelId,
    status: sync.status,
    trigger: sync.trigger,
    requestedAt: sync.requestedAt,
    startedAt: sync.startedAt,
    finishedAt: sync.finishedAt,
    listed: sync.listed,
    created: sync.created,
    updated: sync.updated,
    dismissed: sync.dismissed,
    error: sync.error,
  };
}
