import { Injectable, Logger } from '@nestjs/common';
import { setTimeout } from 'node:timers/promises';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { ChannelAdapter, ChannelDefinition, OutgoingMessage, SendTarget } from '../channels/adapter';
import { AdapterRegistry } from '../channels/adapter-registry';
import { SendResult, TOO_LONG } from '../channels/outcomes';
import { maxMessages, textMessages, tooManyMessages } from '../channels/message-count';
import { DomainError } from '../common/domain-error';
import { Because } from '../common/hold-codes';
import { Channel } from '../groups/channel.entity';
import { Group } from '../groups/group.entity';
import { DeliveryTarget, GroupDirectory } from '../groups/group-directory.service';
import { GroupWriter } from '../groups/group-writer.service';
import { LinkTracker } from '../links/link-tracker.service';
import { Metrics } from '../observability/metrics';
import { PolicyGate } from '../policy/policy-gate.service';
import { PostClaims } from '../posts/lifecycle/post-claims.service';
import { PostOutcomes } from '../posts/lifecycle/post-outcomes.service';
import { Attempt, ClaimedPost, DueTogether, Progress, UnsureClaim } from '../posts/lifecycle/post-types';
import { PostStatus } from '../posts/post-status';
import { Post } from '../posts/post.entity';
import { PostsService } from '../posts/posts.service';
import { DeliverJob } from '../queues/queue-names';
import { InFlight } from './in-flight';
import { OutageBacklog } from './outage-backlog';
import { ExternalQueues } from './external-queues';
import { NextStep, nextStep } from './next-step';

/** The longest a post waits in process for the post ahead of it to the same group (the rest goes back to the queue). */
const ORDER_WAIT_MS = 10_000;
/** How long a post to a paused or archived group waits before it looks again (resuming the group wakes it sooner). */
const INACTIVE_GROUP_WAIT_MS = 60_000;
/** How long the first of an owner's posts due together waits for the others to step aside, and how often it looks. */
const GATHER_WAIT_MS = 2000;
const GATHER_POLL_MS = 50;
/** A post that went along in a message that failed for a while tries again on its own after this. */
const COMPANION_RETRY_MS = 30_000;
/** Failed sends in a row that pause a group, unless its channel says otherwise. */
const BREAKER_FAILURES = 3;

/**
 * One job, one post: claim it, ask the policy gate, render it for its group, hand it to the
 * channel's adapter, and record what happened. Deferrals move the job to delayed without
 * spending an attempt; transient failures throw so BullMQ retries with backoff; permanent ones
 * fail at once.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly inFlight = new InFlight();

  constructor(
    private readonly claims: PostClaims,
    private readonly outcomes: PostOutcomes,
    private readonly posts: PostsService,
    private readonly groups: GroupDirectory,
    private readonly groupWriter: GroupWriter,
    private readonly links: LinkTracker,
    private readonly gate: PolicyGate,
    private readonly adapters: AdapterRegistry,
    private readonly external: ExternalQueues,
    private readonly metrics: Metrics,
    private readonly backlog: OutageBacklog,
  ) {}

  async deliver(job: Job<DeliverJob>, token?: string): Promise<void> {
    const { postId } = job.data;
    let post: ClaimedPost | null;
    try {
      post = await this.claims.claim(postId);
    } catch (error) {
      if (error instanceof UnsureClaim) await this.backlog.release(error.token);
      throw error;
    }
    if (!post) {
      // Sent, cancelled or held by a stopped run is normal; a post this database never had is not.
      if (!(await this.posts.exists(postId))) {
        this.logger.warn(
          { postId, queue: job.queueName },
          `job for post ${postId} found no such post in this database; is QUEUE_PREFIX shared with another deployment?`,
        );
      }
      return;
    }
    const end = this.inFlight.begin(post.id);
    try {
      let ready: Ready | undefined;
      try {
        ready = await this.prepare(job, token, post);
      } catch (error) {
        // Nothing reached the provider: the post may go again at once, not only when the claim's lease runs out.
        if (!(error instanceof DelayedError) && !(error instanceof UnrecoverableError)) {
          await this.backlog.release(post.claimToken, post.id);
        }
        throw error;
      }
      if (ready) await this.send(job, token, post, ready);
    } finally {
      end();
    }
  }

  /**
   * Everything before the provider: the group, the policy, the message, the companions. Undefined
   * when the post was held back, skipped or handed to an external consumer.
   */
  private async prepare(
    job: Job<DeliverJob>,
    token: string | undefined,
    post: ClaimedPost,
    waitUntil?: number,
  ): Promise<Ready | undefined> {
    const postId = post.id;
    const { group, channel, target } = await this.groups.deliveryTarget(post.groupId);
    // A paused or archived group, or a channel whose receiver is gone: look again later (or when woken).
    const inactive = inactiveHold(group, channel);
    if (inactive) return this.defer(job, token, post, new Date(Date.now() + INACTIVE_GROUP_WAIT_MS), inactive);
    const definition = this.adapters.definition(channel.type);
    const decision = await this.gate.decide(post, post.run, group, definition, target);
    // The post ahead is being sent by this process: wait for it here, then look again from the
    // start (its outcome may have paused the group; the next one ahead may be in flight here too).
    if (decision.action === 'defer' && decision.blocker) {
      const deadline = waitUntil ?? Date.now() + ORDER_WAIT_MS;
      if (await this.inFlight.ended(decision.blocker, deadline - Date.now()))
        return this.prepare(job, token, post, deadline);
    }
    if (decision.action === 'skip') {
      await this.skip(post, decision.reason);
      return undefined;
    }
    if (decision.action === 'defer') return this.defer(job, token, post, decision.until, decision);
    let message: OutgoingMessage;
    try {
      message = await this.message(post, group, channel.config.trackLinks === true);
    } catch (error) {
      // A post that cannot be rendered will not render on the next attempt either.
      if (!(error instanceof DomainError)) throw error;
      return this.failBeforeSending(post, 'render', error.message);
    }
    const adapter = this.adapters.adapter(channel.type);
    const messages = adapter ? textMessages(adapter.parts(message, target.channel)) : 1;
    // A group's variables can make a piece longer than it was at publish: it does not flood the group then either.
    const flood = tooManyMessages(messages, maxMessages(channel.config), `${channel.type} channel ${channel.name}`);
    if (flood) return this.failBeforeSending(post, TOO_LONG, flood);
    if (!adapter) {
      // External channels: a consumer outside groupcast sends it; the scheduler reads back the outcome.
      this.metrics.transition(post, 'handed_off');
      await this.external.handoff(channel.name, {
        postId,
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
      return undefined;
    }
    // Posts due together to groups of one owner go in one message, sent by the first of them.
    let together: Companion[] = [];
    if (definition.combines && adapter.sendTogether && group.owner) {
      const owned = group as Group & { owner: string };
      const due = await this.claims.dueTogether(post, owned);
      if (due.head !== post.id) {
        const until = new Date(Date.now() + GATHER_WAIT_MS);
        return this.defer(job, token, post, until, { code: 'goes_with', reason: `goes with post ${due.head}` });
      }
      together = await this.companions(post, owned, due, message, definition);
    }
    return { group, channel, target, definition, adapter, message, messages, together };
  }

  /** A post that will not go whatever is tried again (it cannot render, it would flood the group). */
  private async failBeforeSending(post: ClaimedPost, code: string, reason: string): Promise<never> {
    await this.outcomes.fail(post.id, { errorCode: code, error: reason });
    this.reportFailure(post, PostStatus.Failed, code, reason);
    throw new UnrecoverableError(reason);
  }

  /** The provider's part: send, then record what it answered. */
  private async send(
    job: Job<DeliverJob>,
    token: string | undefined,
    post: ClaimedPost,
    { group, channel, target, definition, adapter, message, messages, together }: Ready,
  ): Promise<void> {
    const started = Date.now();
    const result =
      together.length > 0
        ? await adapter.sendTogether!(message, [target, ...together.map((c) => c.target)])
        : await adapter.send(message, target);
    const attempt: Attempt = {
      attemptedAt: new Date(started),
      latencyMs: Date.now() - started,
      outcome: result.kind,
      code: 'code' in result ? (result.code ?? null) : null,
      error: 'reason' in result ? ((result.reason ?? null)?.slice(0, 1000) ?? null) : null,
    };
    this.metrics.answer(channel.type, attempt.outcome, attempt.code, attempt.latencyMs);
    const breakerFailures = channel.config.breakerFailures ?? BREAKER_FAILURES;
    const retrySafe = definition.dedupes || channel.config.retryAmbiguous === true;
    for (const companion of together) {
      await this.backlog.owe(() => this.outcomes.recordAttempt({ postId: companion.post.id, ...attempt }));
      await this.settleCompanion(companion, result, { retrySafe, breakerFailures });
    }
    // From here the provider has it: what it answered is written now or as soon as the database answers.
    await this.record(job, token, post, result, attempt, { group, retrySafe, breakerFailures, messages });
  }

  /**
   * The queued posts due with this one to other active groups of its owner that say exactly the
   * same (short links, which name each post, keep posts apart), claimed and let through by the
   * policy gate; a post the gate holds back waits or is skipped as it would on its own.
   */
  private async companions(
    post: ClaimedPost,
    group: Group & { owner: string },
    due: DueTogether,
    message: OutgoingMessage,
    definition: ChannelDefinition,
  ): Promise<Companion[]> {
    // The others' jobs may hold their posts this moment: give them a little time to step aside.
    const deadline = Date.now() + GATHER_WAIT_MS;
    let together = due;
    while (together.sending > 0 && Date.now() < deadline) {
      await setTimeout(GATHER_POLL_MS);
      together = await this.claims.dueTogether(post, group);
    }
    const same = new Map<string, DeliveryTarget>();
    for (const { id, groupId } of together.queued.slice(0, (definition.combines ?? 1) - 1)) {
      const other = await this.groups.deliveryTarget(groupId);
      const texts = await this.links.texts({ ...post, id }, other.group, other.channel.config.trackLinks === true);
      if (sameMessage(texts, message)) same.set(id, other);
    }
    const companions: Companion[] = [];
    for (const claimed of await Promise.all([...same.keys()].map((id) => this.claims.claim(id)))) {
      if (!claimed) continue;
      const { group: to, target } = same.get(claimed.id)!;
      const decision = await this.gate.decide(claimed, claimed.run, to, definition, target);
      if (decision.action === 'skip') await this.skip(claimed, decision.reason);
      else if (decision.action === 'defer') await this.deferred(claimed, decision.until, decision);
      else companions.push({ post: claimed, group: to, target });
    }
    return companions;
  }

  /** What a message sent for several posts did, recorded on a post that went along (its own job, if still queued, finds it settled). */
  private async settleCompanion(
    { post, group }: Companion,
    result: SendResult,
    { retrySafe, breakerFailures }: { retrySafe: boolean; breakerFailures: number },
  ): Promise<void> {
    const progress = { attempts: post.attempts + 1, partsSent: Math.max(post.partsSent, result.partsSent) };
    const next = nextStep(result, { lastAttempt: false, retrySafe, now: new Date() });
    if (next.kind === 'wait')
      return this.deferred(post, next.until, { code: 'provider_rate', reason: next.reason }, progress);
    if (next.kind === 'retry' || (next.kind === 'failed' && !next.final)) {
      const until = new Date(Date.now() + COMPANION_RETRY_MS);
      return this.deferred(post, until, { code: 'retry', reason: next.reason }, progress);
    }
    return this.settle(post, group, next, progress, breakerFailures);
  }

  private async record(
    job: Job<DeliverJob>,
    token: string | undefined,
    post: ClaimedPost,
    result: SendResult,
    attempt: Attempt,
    {
      group,
      retrySafe,
      breakerFailures,
      messages,
    }: { group: Group; retrySafe: boolean; breakerFailures: number; messages: number },
  ): Promise<void> {
    const progress = { attempts: post.attempts + 1, partsSent: Math.max(post.partsSent, result.partsSent) };
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const next = nextStep(result, { lastAttempt, retrySafe, now: new Date() });
    // A send is recorded with its attempt in one round trip; any other outcome after it.
    if (next.kind === 'sent')
      return this.settle(post, group, next, { ...progress, messages }, breakerFailures, attempt);
    await this.backlog.owe(() => this.outcomes.recordAttempt({ postId: post.id, ...attempt }));
    if (result.kind === 'moved') await this.groupWriter.moveAddress(post.groupId, result.address);
    switch (next.kind) {
      case 'wait':
        return this.defer(job, token, post, next.until, { code: 'provider_rate', reason: next.reason }, progress);
      case 'retry':
        await this.backlog.owe(() =>
          this.outcomes.requeue(post.id, { ...progress, errorCode: next.code, error: next.reason }),
        );
        this.metrics.transition(post, 'retrying');
        throw new Error(next.reason);
      case 'failed': {
        // A receiver that is gone (410, 404) is this group's alone: its post fails and the group is
        // paused at once, while the channel's other groups carry on.
        const gone = result.kind === 'permanent' && result.gone;
        await this.settle(post, group, next, progress, gone ? 1 : breakerFailures);
        throw next.final ? new UnrecoverableError(`${next.code}: ${next.reason}`) : new Error(next.reason);
      }
      default:
        return this.settle(post, group, next, progress, breakerFailures);
    }
  }

  /** How a post ends, whichever job sent it: handed to its owner, sent, maybe sent, or failed. */
  private async settle(
    post: ClaimedPost,
    group: Group,
    next: Extract<NextStep, { kind: 'awaiting' | 'sent' | 'unconfirmed' | 'failed' }>,
    progress: { attempts: number; partsSent: number; messages?: number },
    breakerFailures: number,
    attempt?: Attempt,
  ): Promise<void> {
    switch (next.kind) {
      case 'awaiting':
        await this.backlog.owe(() =>
          this.outcomes.awaitConfirmation(post.id, { externalId: next.externalId, ...progress }),
        );
        return this.metrics.transition(post, PostStatus.AwaitingConfirmation);
      case 'sent': {
        const sentAt = new Date();
        const delivered = { id: post.id, sentAt, externalId: next.externalId, ...progress, attempt };
        await this.backlog.owe(() => this.outcomes.markSent(delivered));
        this.metrics.sent(post, sentAt);
        if (group.consecutiveFailures > 0) await this.backlog.owe(() => this.groupWriter.recordSuccess(group.id));
        return;
      }
      case 'unconfirmed':
        await this.backlog.owe(() =>
          this.outcomes.markUnconfirmed(post.id, { ...progress, errorCode: next.code, error: next.reason }),
        );
        return this.reportFailure(post, PostStatus.Unconfirmed, next.code, next.reason);
      case 'failed':
        await this.backlog.owe(() =>
          this.outcomes.fail(post.id, { ...progress, errorCode: next.code, error: next.reason }),
        );
        this.reportFailure(post, PostStatus.Failed, next.code, next.reason);
        // A message too long for the provider is the message's fault; anything else, the group's.
        if (next.code !== TOO_LONG) {
          const tripped = await this.groupWriter.recordFailure(
            group.id,
            `${next.code}: ${next.reason}`,
            breakerFailures,
          );
          if (tripped) this.metrics.breakerTrips.inc({ channel_type: post.channelType });
        }
    }
  }

  /** One log line an operator can alert on (which post, group, stage and channel, and what the provider said), and its count. */
  private reportFailure(post: Post, status: PostStatus, code: string, reason: string): void {
    this.logger.warn(
      {
        postId: post.id,
        runId: post.runId,
        groupId: post.groupId,
        stage: post.stage,
        channelType: post.channelType,
        status,
        code,
      },
      `post ${post.id} ${status}: ${code}: ${reason.slice(0, 300)}`,
    );
    this.metrics.transition(post, status);
  }

  private async skip(post: Post, reason: string): Promise<void> {
    await this.outcomes.skip(post.id, reason);
    this.metrics.transition(post, PostStatus.Skipped);
  }

  /** Held back until later; the deferral counter counts it by its code. */
  private async deferred(post: Post, until: Date, hold: Because, progress: Progress = {}) {
    await this.backlog.owe(() => this.outcomes.defer(post.id, until, hold, progress));
    this.metrics.deferral(post, hold.code);
  }

  private async defer(
    job: Job<DeliverJob>,
    token: string | undefined,
    post: Post,
    until: Date,
    hold: Because,
    progress: Progress = {},
  ): Promise<never> {
    await this.deferred(post, until, hold, progress);
    await job.moveToDelayed(until.getTime(), token);
    throw new DelayedError();
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

/** What a post needs to go to its provider, once everything before the send has passed. */
interface Ready {
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

/** A post that goes in another post's message: the same text to another group of the same owner. */
interface Companion {
  post: ClaimedPost;
  group: Group;
  target: SendTarget;
}

function sameMessage(a: Omit<OutgoingMessage, 'id' | 'group'>, b: Omit<OutgoingMessage, 'id' | 'group'>): boolean {
  return (
    a.title === b.title &&
    a.text === b.text &&
    a.markdown === b.markdown &&
    (a.link ?? null) === (b.link ?? null) &&
    JSON.stringify(a.images ?? []) === JSON.stringify(b.images ?? [])
  );
}
