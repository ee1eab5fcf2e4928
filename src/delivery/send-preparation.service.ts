import { Injectable } from '@nestjs/common';
import { ChannelAdapter, ChannelDefinition, OutgoingMessage, SendTarget } from '../providers/adapter';
import { AdapterRegistry } from '../providers/adapter-registry';
import { maxMessages, textMessages, tooManyMessages } from '../providers/message-count';
import { TOO_LONG } from '../providers/outcomes';
import { DomainError } from '../common/domain-error';
import { Because } from '../common/hold-codes';
import { Channel } from '../groups/channel.entity';
import { Group } from '../groups/group.entity';
import { GroupDirectory } from '../groups/group-directory.service';
import { LinkTracker } from '../links/link-tracker.service';
import { Metrics } from '../observability/metrics';
import { PolicyGate } from '../policy/policy-gate.service';
import { ClaimedPost } from '../posts/lifecycle/post-types';
import { Post } from '../posts/post.entity';
import { CombinedSend, Companion } from './combined-send.service';
import { ExternalQueues } from './external-queues';
import { InFlight } from './in-flight';
import { HeldJob, SendSettlement } from './send-settlement.service';

/** The longest a post waits in process for the post ahead of it to the same group (the rest goes back to the queue). */
const ORDER_WAIT_MS = 10_000;
/** How long a post to a paused or archived group waits before it looks again (resuming the group wakes it sooner). */
const INACTIVE_GROUP_WAIT_MS = 60_000;

/** What a post needs to go to its provider, once everything before the send has passed. */
export interface Ready {
  group: Group;
  channel: Channel;
  target: SendTarget;
  definition: ChannelDefinition;
  adapter: ChannelAdapter;
  message: OutgoingMessage;
  /** Messages with text it becomes on its channel: what the caps count once it is sent. */
  messages: number;
  together: Companion[];
}

/**
 * Everything before the provider: the group and its channel switched on, the policy gate, the
 * message rendered for the group and within the channel's size, an external channel's hand-off,
 * and the posts that go along in the same message.
 */
@Injectable()
export class SendPreparation {
  constructor(
    private readonly groups: GroupDirectory,
    private readonly gate: PolicyGate,
    private readonly adapters: AdapterRegistry,
    private readonly links: LinkTracker,
    private readonly external: ExternalQueues,
    private readonly combined: CombinedSend,
    private readonly settlement: SendSettlement,
    private readonly inFlight: InFlight,
    private readonly metrics: Metrics,
  ) {}

  /** Ready to send; undefined when the post was skipped or handed to an external consumer (a hold throws DelayedError). */
  async prepare(held: HeldJob, post: ClaimedPost, waitUntil?: number): Promise<Ready | undefined> {
    const { group, channel, target } = await this.groups.deliveryTarget(post.groupId);
    // A paused or archived group, or a channel whose receiver is gone: look again later (or when woken).
    const inactive = inactiveHold(group, channel);
    if (inactive) return this.settlement.holdJob(held, post, new Date(Date.now() + INACTIVE_GROUP_WAIT_MS), inactive);
    const definition = this.adapters.definition(channel.type);
    const decision = await this.gate.decide(post, post.run, group, definition, target);
    // The post ahead is being sent by this process: wait for it here, then look again from the
    // start (its outcome may have paused the group; the next one ahead may be in flight here too).
    if (decision.action === 'defer' && decision.blocker) {
      const deadline = waitUntil ?? Date.now() + ORDER_WAIT_MS;
      if (await this.inFlight.ended(decision.blocker, deadline - Date.now())) return this.prepare(held, post, deadline);
    }
    if (decision.action === 'skip') {
      await this.settlement.skip(post, decision.reason);
      return undefined;
    }
    if (decision.action === 'defer') return this.settlement.holdJob(held, post, decision.until, decision);
    let message: OutgoingMessage;
    try {
      message = await this.message(post, group, channel.config.trackLinks === true);
    } catch (error) {
      // A post that cannot be rendered will not render on the next attempt either.
      if (!(error instanceof DomainError)) throw error;
      return this.settlement.failBeforeSending(post, 'render', error.message);
    }
    const adapter = this.adapters.adapter(channel.type);
    const messages = adapter ? textMessages(adapter.parts(message, target.channel)) : 1;
    // A group's variables can make a piece longer than it was at publish: it does not flood the group then either.
    const flood = tooManyMessages(messages, maxMessages(channel.config), `${channel.type} channel ${channel.name}`);
    if (flood) return this.settlement.failBeforeSending(post, TOO_LONG, flood);
    if (!adapter) {
      await this.handOff(post, channel, target, message);
      return undefined;
    }
    const together =
      definition.combines && adapter.sendTogether && group.owner
        ? await this.combined.gather(held, post, group as Group & { owner: string }, message, definition)
        : [];
    return { group, channel, target, definition, adapter, message, messages, together };
  }

  /** External channels: a consumer outside groupcast sends it; the scheduler reads back the outcome. */
  private async handOff(post: Post, channel: Channel, target: SendTarget, message: OutgoingMessage): Promise<void> {
    this.metrics.transition(post, 'handed_off');
    await this.external.handoff(channel.name, {
      postId: post.id,
      runId: post.runId,
      stage: post.stage,
      dueAt: post.dueAt.toISOString(),
      group: message.group,
      address: target.address,
      message: {
        title: message.title,
        text: message.text,
        markdown: message.markdown,
        images: message.images ?? [],
        link: message.link ?? null,
      },
    });
  }

  private async message(
    post: Post,
    group: { id: string; name: string; timezone: string; vars: Record<string, string> },
    trackLinks: boolean,
  ): Promise<OutgoingMessage> {
    const { title, text, markdown, images, link } = await this.links.texts(post, group, trackLinks);
    return {
      id: post.id,
      title,
      text,
      markdown,
      stage: post.stage,
      group: { id: group.id, name: group.name },
      runId: post.runId,
      dueAt: post.dueAt,
      skipParts: post.partsSent,
      images,
      link,
    };
  }
}

/** A paused or archived group, or a disabled channel: its posts wait (and are woken when it is active again). */
function inactiveHold(group: Group, channel: Channel): Because | null {
  const because = (reason: string | null) => (reason ? `: ${reason}` : '');
  if (group.status !== 'active')
    return { code: 'group_inactive', reason: `group is ${group.status}${because(group.pausedReason)}` };
  if (channel.status === 'disabled')
    return {
      code: 'channel_disabled',
      reason: `channel is disabled (${channel.name})${because(channel.disabledReason)}`,
    };
  return null;
}
