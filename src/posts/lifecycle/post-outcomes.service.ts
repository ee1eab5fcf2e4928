import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { batchLoader } from '../../common/batch-loader';
import { Because } from '../../common/hold-codes';
import { updateEachStatement } from '../../database/bulk-insert';
import { EntityColumns } from '../../database/entity-columns';
import { writeTogether } from '../../database/mysql';
import { PostAttempt } from '../post-attempt.entity';
import { PostDeferral } from '../post-deferral.entity';
import { PostStatus } from '../post-status';
import { Post } from '../post.entity';
import { REQUEUED_STATUS, S } from './post-sql';
import { Delivered, Failure, Progress } from './post-types';

interface Deferral extends Progress, Because {
  id: string;
  until: Date;
}

/**
 * What a send attempt did to a claimed post: held back, sent, handed to an owner to confirm,
 * retried, failed or skipped. Outcomes that a worker records for many posts at once are batched
 * into one statement.
 */
@Injectable()
export class PostOutcomes {
  /** An attempt's and a deferral's columns, as the worker writes them. */
  private readonly attemptColumns: EntityColumns<PostAttempt>;
  private readonly deferralColumns: EntityColumns<PostDeferral>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
  ) {
    this.attemptColumns = new EntityColumns(dataSource, PostAttempt, 'a');
    this.deferralColumns = new EntityColumns(dataSource, PostDeferral, 'd');
  }

  /** A claimed post waits until `until`, with why recorded; deferrals made together are one UPDATE. */
  hold(id: string, until: Date, hold: Because, progress: Progress = {}): Promise<void> {
    return this.deferrals.load({ id, until, code: hold.code, reason: hold.reason.slice(0, 300), ...progress });
  }

  private readonly deferrals = batchLoader<Deferral, void>(async (rows) => {
    const now = new Date();
    await writeTogether(this.dataSource, [
      updateEachStatement(
        'posts',
        `status = ${REQUEUED_STATUS}, claimed_at = NULL`,
        rows,
        {
          not_before: (r) => r.until,
          defer_reason: (r) => r.reason,
          hold_code: (r) => r.code,
          attempts: (r) => r.attempts,
          parts_sent: (r) => r.partsSent,
        },
        `status = '${S.Sending}'`,
      ),
      this.deferralColumns.insert(
        rows.map((r) => ({ postId: r.id, deferredAt: now, until: r.until, code: r.code, reason: r.reason })),
      ),
    ]);
    return rows.map(() => undefined);
  });

  /** A claimed post goes back for BullMQ to retry it: queued again, unless its run stopped meanwhile. */
  async requeue(id: string, failure: Failure): Promise<void> {
    await this.posts
      .createQueryBuilder()
      .update()
      .set({ ...this.failureFields(failure), status: () => REQUEUED_STATUS, claimedAt: null })
      .where('id = :id', { id })
      .execute();
  }

  /** A post handed to an external consumer comes back to the scheduler, to go again at `notBefore`. */
  async reschedule(id: string, notBefore: Date, hold: Because, attempts: number): Promise<void> {
    await this.posts.update(
      { id, status: S.Sending },
      {
        status: S.Scheduled,
        notBefore,
        deferReason: hold.reason.slice(0, 300),
        holdCode: hold.code,
        attempts,
        claimedAt: null,
      },
    );
  }

  /** Delivered (whatever a stop of its run did meanwhile): posts that went together are marked sent in one UPDATE. */
  markSent(delivered: Delivered): Promise<void> {
    return this.deliveries.load(delivered);
  }

  private readonly deliveries = batchLoader<Delivered, void>(async (rows) => {
    const attempts = rows.flatMap(({ id, attempt }) => (attempt ? [{ postId: id, ...attempt }] : []));
    await writeTogether(this.dataSource, [
      ...(attempts.length > 0 ? [this.attemptColumns.insert(attempts)] : []),
      updateEachStatement(
        'posts',
        `status = '${S.Sent}', claimed_at = NULL, error = NULL, error_code = NULL, defer_reason = NULL, hold_code = NULL`,
        rows,
        {
          sent_at: (r) => r.sentAt,
          external_id: (r) => r.externalId,
          parts_sent: (r) => r.partsSent,
          messages: (r) => r.messages,
          attempts: (r) => r.attempts,
        },
      ),
    ]);
    return rows.map(() => undefined);
  });

  /** Handed to the group's owner to confirm: the provider's task id is kept, and the post waits for them. */
  async awaitConfirmation(
    id: string,
    task: { externalId: string; attempts: number; partsSent: number },
  ): Promise<void> {
    await this.posts.update(
      { id, status: S.Sending },
      {
        ...task,
        status: S.AwaitingConfirmation,
        awaitingSince: new Date(),
        notBefore: null,
        claimedAt: null,
        deferReason: null,
        holdCode: null,
      },
    );
  }

  /** Will not be sent: a permanent error, a failed render, or the last attempt spent. */
  async fail(id: string, failure: Failure): Promise<void> {
    await this.settle(id, S.Failed, failure);
  }

  /** May or may not have arrived (the provider's answer was lost); an operator checks the chat. */
  async markUnconfirmed(id: string, failure: Failure): Promise<void> {
    await this.settle(id, S.Unconfirmed, failure);
  }

  /** Not sent, by policy (a blackout date, a late step): the reason says which. */
  async skip(id: string, reason: string): Promise<void> {
    await this.posts.update({ id }, { status: S.Skipped, error: reason, claimedAt: null });
  }

  private async settle(id: string, status: PostStatus, failure: Failure): Promise<void> {
    await this.posts.update({ id }, { ...this.failureFields(failure), status, claimedAt: null });
  }

  private failureFields({ errorCode, error, ...progress }: Failure): Partial<Post> {
    return { ...progress, errorCode: errorCode.slice(0, 64), error: error.slice(0, 1000) };
  }

  /** Attempts recorded together are one multi-row INSERT. */
  recordAttempt(attempt: Omit<PostAttempt, 'id'>): Promise<void> {
    return this.attempts.load(attempt);
  }

  private readonly attempts = batchLoader<Omit<PostAttempt, 'id'>, void>(async (attempts) => {
    const { sql, params } = this.attemptColumns.insert(attempts);
    await this.dataSource.query(sql, params);
    return attempts.map(() => undefined);
  });
}
