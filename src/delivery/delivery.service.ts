import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { Metrics } from '../observability/metrics';
import { PostClaims } from '../posts/lifecycle/post-claims.service';
import { Attempt, ClaimedPost, UnsureClaim } from '../posts/lifecycle/post-types';
import { PostsService } from '../posts/posts.service';
import { DeliverJob } from '../queues/queue-names';
import { CombinedSend } from './combined-send.service';
import { InFlight } from './in-flight';
import { OutageBacklog } from './outage-backlog';
import { Ready, SendPreparation } from './send-preparation.service';
import { HeldJob, SendSettlement } from './send-settlement.service';

/** Failed sends in a row that pause a group, unless its channel says otherwise. */
const BREAKER_FAILURES = 3;

/**
 * One job, one post: claim it, prepare it (send-preparation), hand it to the channel's adapter,
 * and settle what happened (send-settlement). Holds move the job to delayed without spending an
 * attempt; transient failures throw so BullMQ retries with backoff; permanent ones fail at once.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly claims: PostClaims,
    private readonly posts: PostsService,
    private readonly preparation: SendPreparation,
    private readonly combined: CombinedSend,
    private readonly settlement: SendSettlement,
    private readonly inFlight: InFlight,
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
    const held = { job, token };
    const end = this.inFlight.begin(post.id);
    try {
      let ready: Ready | undefined;
      try {
        ready = await this.preparation.prepare(held, post);
      } catch (error) {
        // Nothing reached the provider: the post may go again at once, not only when the claim's lease runs out.
        if (!(error instanceof DelayedError) && !(error instanceof UnrecoverableError)) {
          await this.backlog.release(post.claimToken, post.id);
        }
        throw error;
      }
      if (ready) await this.send(held, post, ready);
    } finally {
      end();
    }
  }

  /** The provider's part: send, then settle what it answered for this post and those that went along. */
  private async send(
    held: HeldJob,
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
    const rules = {
      breakerFailures: channel.config.breakerFailures ?? BREAKER_FAILURES,
      retrySafe: definition.dedupes || channel.config.retryAmbiguous === true,
    };
    await this.combined.settleCompanions(together, result, attempt, rules);
    // From here the provider has it: what it answered is written now or as soon as the database answers.
    await this.settlement.record(held, post, result, attempt, { ...rules, group, messages });
  }
}
