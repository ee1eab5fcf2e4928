import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { SendResult, TOO_LONG } from '../providers/outcomes';
import { Because } from '../common/hold-codes';
import { Group } from '../groups/group.entity';
import { GroupWriter } from '../groups/group-writer.service';
import { Metrics } from '../observability/metrics';
import { PostOutcomes } from '../posts/lifecycle/post-outcomes.service';
import { Attempt, ClaimedPost, Progress } from '../posts/lifecycle/post-types';
import { PostStatus } from '../posts/post-status';
import { Post } from '../posts/post.entity';
import { DeliverJob } from '../queues/queue-names';
import { NextStep, nextStep } from './next-step';
import { OutageBacklog } from './outage-backlog';

/** What the channel allows after a send fails: a retry that may double, and failures in a row before the group pauses. */
export interface SendRules {
  retrySafe: boolean;
  breakerFailures: number;
}

/** Where the worker's job of a post stands: what BullMQ needs to delay it. */
export interface HeldJob {
  job: Job<DeliverJob>;
  token: string | undefined;
}

export type Ending = Extract<NextStep, { kind: 'awaiting' | 'sent' | 'unconfirmed' | 'failed' }>;

/**
 * What becomes of a post once it was tried, or was stopped before it could be: held back (its job
 * delayed without spending an attempt), skipped, retried by BullMQ, or ended as sent, handed to
 * its owner, maybe sent or failed, with the group's run of failures and the metrics kept.
 */
@Injectable()
export class SendSettlement {
  private readonly logger = new Logger(SendSettlement.name);

  constructor(
    private readonly outcomes: PostOutcomes,
    private readonly groups: GroupWriter,
    private readonly metrics: Metrics,
    private readonly backlog: OutageBacklog,
  ) {}

  /** What the provider answered for the post whose job sent it: transient failures throw so BullMQ retries. */
  async record(
    { job, token }: HeldJob,
    post: ClaimedPost,
    result: SendResult,
    attempt: Attempt,
    { group, messages, ...rules }: SendRules & { group: Group; messages: number },
  ): Promise<void> {
    const progress = { attempts: post.attempts + 1, partsSent: Math.max(post.partsSent, result.partsSent) };
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const next = nextStep(result, { lastAttempt, retrySafe: rules.retrySafe, now: new Date() });
    // A send is recorded with its attempt in one round trip; any other outcome after it.
    if (next.kind === 'sent')
      return this.end(post, group, next, { ...progress, messages }, rules.breakerFailures, attempt);
    await this.backlog.owe(() => this.outcomes.recordAttempt({ postId: post.id, ...attempt }));
    if (result.kind === 'moved') await this.groups.moveAddress(post.groupId, result.address);
    switch (next.kind) {
      case 'wait':
        return this.holdJob({ job, token }, post, next.until, { code: 'provider_rate', reason: next.reason }, progress);
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
        await this.end(post, group, next, progress, gone ? 1 : rules.breakerFailures);
        throw next.final ? new UnrecoverableError(`${next.code}: ${next.reason}`) : new Error(next.reason);
      }
      default:
        return this.end(post, group, next, progress, rules.breakerFailures);
    }
  }

  /** How a post ends, whichever job sent it: handed to its owner, sent, maybe sent, or failed. */
  async end(
    post: ClaimedPost,
    group: Group,
    next: Ending,
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
        if (group.consecutiveFailures > 0) await this.backlog.owe(() => this.groups.recordSuccess(group.id));
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
          const tripped = await this.groups.recordFailure(group.id, `${next.code}: ${next.reason}`, breakerFailures);
          if (tripped) this.metrics.breakerTrips.inc({ channel_type: post.channelType });
        }
    }
  }

  /** A post that will not go whatever is tried again (it cannot render, it would flood the group). */
  async failBeforeSending(post: ClaimedPost, code: string, reason: string): Promise<never> {
    await this.outcomes.fail(post.id, { errorCode: code, error: reason });
    this.reportFailure(post, PostStatus.Failed, code, reason);
    throw new UnrecoverableError(reason);
  }

  async skip(post: Post, reason: string): Promise<void> {
    await this.outcomes.skip(post.id, reason);
    this.metrics.transition(post, PostStatus.Skipped);
  }

  /** Held back until later; the deferral counter counts it by its code. */
  async hold(post: Post, until: Date, why: Because, progress: Progress = {}): Promise<void> {
    await this.backlog.owe(() => this.outcomes.hold(post.id, until, why, progress));
    this.metrics.deferral(post, why.code);
  }

  /** Held back, and its job delayed until then without spending an attempt. */
  async holdJob(
    { job, token }: HeldJob,
    post: Post,
    until: Date,
    why: Because,
    progress: Progress = {},
  ): Promise<never> {
    await this.hold(post, until, why, progress);
    await job.moveToDelayed(until.getTime(), token);
    throw new DelayedError();
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
}
