import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EXTERNAL } from '../providers/external/external.channel';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../observability/metrics';
import { PostOutcomes } from '../posts/lifecycle/post-outcomes.service';
import { PostStatus } from '../posts/post-status';
import { ExternalQueues } from './external-queues';

/** How long to wait when an external consumer reports RateLimited without saying (`retry in <ms> ms`). */
const RATE_LIMITED_WAIT_MS = 60_000;
const RETRY_IN = /retry in (\d+) ms/;
const MAX_RATE_LIMITED_WAIT_MS = 86_400_000;

/**
 * The wait a RateLimited error asks for, bounded to a second … a day. `retry in <ms> ms` in the
 * error's message is the consumers' protocol (docs/EXTERNAL_ADAPTERS.md), the only way a failed BullMQ job can say it.
 */
function rateLimitedWaitMs(errorMessage: string): number {
  const asked = Number(RETRY_IN.exec(errorMessage)?.[1] ?? RATE_LIMITED_WAIT_MS);
  return Math.min(MAX_RATE_LIMITED_WAIT_MS, Math.max(1000, asked));
}

interface HandedOff {
  id: string;
  stage: string;
  dueAt: Date;
  attempts: number;
  claimedAt: Date;
  channel: string;
}

/**
 * Reads back what external consumers did with the posts handed to them: a returned `{ externalId }`
 * is a send; a thrown error named RateLimited waits, Permanent fails, anything else retries.
 */
@Injectable()
export class ExternalOutcomes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostOutcomes,
    private readonly external: ExternalQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The leader's alone (worker/timed-jobs.ts): two workers would record each outcome twice. */
  async reconcile(): Promise<void> {
    // STRAIGHT_JOIN: start from the handful of handed-off posts (channel_type, status index),
    // never from groups, which on a large posts table turns into a scan every tick.
    const handedOff = (await this.dataSource.query(
      `SELECT STRAIGHT_JOIN p.id, p.stage, p.due_at AS dueAt, p.attempts, p.claimed_at AS claimedAt, c.name AS channel
       FROM posts p JOIN \`groups\` g ON g.id = p.group_id JOIN channels c ON c.id = g.channel_id
       WHERE p.channel_type = 'external' AND p.status = '${PostStatus.Sending}' LIMIT 500`,
    )) as HandedOff[];
    for (const post of handedOff) await this.settle(post);
  }

  private async settle(post: HandedOff): Promise<void> {
    const outcome = await this.external.state(post.channel, post.id);
    const attempts = post.attempts + 1;
    if (outcome.state === 'pending') return;
    if (outcome.state === 'missing') {
      if (Date.now() - new Date(post.claimedAt).getTime() > this.config.claimLeaseMs) {
        await this.posts.reschedule(
          post.id,
          new Date(),
          { code: 'lost_job', reason: 'its job left the external queue unfinished' },
          post.attempts,
        );
      }
      return;
    }
    const counted = { ...post, channelType: EXTERNAL.type };
    const record = (kind: string, code: string | null, error: string | null) => {
      this.metrics.answer(EXTERNAL.type, kind, code, 0);
      return this.posts.recordAttempt({
        postId: post.id,
        attemptedAt: new Date(),
        latencyMs: 0,
        outcome: kind,
        code,
        error,
      });
    };
    if (outcome.state === 'completed') {
      await this.posts.markSent({
        id: post.id,
        sentAt: outcome.finishedAt,
        externalId: outcome.externalId ?? null,
        attempts,
      });
      await record('ok', null, null);
      this.metrics.sent(counted, outcome.finishedAt);
      return;
    }
    await this.external.forget(post.channel, post.id);
    if (outcome.errorName === 'RateLimited') {
      await record('rate', outcome.errorName, outcome.reason);
      await this.posts.reschedule(
        post.id,
        new Date(Date.now() + rateLimitedWaitMs(outcome.reason)),
        { code: 'provider_rate', reason: `external consumer rate limited: ${outcome.reason}` },
        post.attempts,
      );
    } else if (outcome.errorName === 'Permanent' || attempts >= this.config.maxAttempts) {
      await record('permanent', outcome.errorName, outcome.reason);
      await this.posts.fail(post.id, { attempts, errorCode: outcome.errorName, error: outcome.reason });
      this.metrics.transition(counted, PostStatus.Failed);
    } else {
      await record('transient', outcome.errorName, outcome.reason);
      const backoff = this.config.retryBaseMs * 2 ** (attempts - 1);
      await this.posts.reschedule(
        post.id,
        new Date(Date.now() + backoff),
        { code: 'retry', reason: `external consumer failed: ${outcome.reason}` },
        attempts,
      );
    }
  }
}
