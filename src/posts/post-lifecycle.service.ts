import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
import { batchLoader } from '../common/batch-loader';
import { Because, HoldCode, SkipCode } from '../common/hold-codes';
import { RunStatus, SENDING_RUN_STATUSES } from '../common/run-status';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { bulkInsert, updateEachStatement } from '../database/bulk-insert';
import { EntityColumns } from '../database/entity-columns';
import { Statement, writeTogether } from '../database/mysql';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { PostQueues, QueuedPost } from './post-queues';
import { FINISHED_POST_STATUSES, PostStatus, UNSENT_POST_STATUSES, sqlList } from './post-status';
import { Post } from './post.entity';

const S = PostStatus;
const LIVE_RUN = sqlList(...SENDING_RUN_STATUSES);
const STOPPED_RUN = sqlList(RunStatus.Paused, RunStatus.Cancelled);
const UNSENT = sqlList(...UNSENT_POST_STATUSES);

/**
 * Where a post a worker gives back goes: to the queue, or, if its run was paused or cancelled
 * while the worker held it, to its run's state (a cancelled run's post must not wait for ever).
 * Post and run share these two status names.
 */
const REQUEUED_STATUS = `COALESCE((SELECT CASE WHEN r.status IN (${STOPPED_RUN}) THEN r.status ELSE '${S.Queued}' END FROM runs r WHERE r.id = posts.run_id), '${S.Queued}')`;
/** A post sendable now: a routine's, or one of a run that is scheduled or running. */
const LIVE = `(p.run_id IS NULL OR r.status IN (${LIVE_RUN}))`;

const DUE_BATCH = 2000;
/** The posts due together to one owner: the one that sends, how many others' jobs hold theirs, and the others waiting. */
export interface DueTogether {
  head: string;
  sending: number;
  queued: { id: string; groupId: string }[];
}
const MAX_DUE_BATCHES = 25;

export type NewPost = Pick<
  Post,
  'id' | 'step' | 'stage' | 'groupId' | 'channelType' | 'contentId' | 'revision' | 'promotional' | 'dueAt'
> &
  ({ runId: string; routineId?: undefined } | { runId?: undefined; routineId: string }) & {
    /** Written as skipped, with this reason. */
    skipped?: Because<SkipCode>;
    /** Why it is due later than its rule says (recorded as its first deferral). */
    moved?: Because;
  };

/** What a run asks of its posts' policy, read with the claim (posts follow runs; they never write them). */
/** A claim whose answer never came back: the database may hold it, under this token. */
export class UnsureClaim extends Error {
  constructor(
    readonly token: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'UnsureClaim';
  }
}

export interface ClaimedRun {
  blackoutMode: 'skip' | 'shift';
  catchUp: 'spread' | 'skip' | null;
}

/** A post this worker holds, with the token of the claim that took it (never read back from the row). */
export type ClaimedPost = Post & { run: ClaimedRun; claimToken: string };

/** What made a set of posts: a run or a routine. */
export type PostSource = { runId: string } | { routineId: string };
const sourceColumn = (source: PostSource) => ('runId' in source ? 'run_id' : 'routine_id');
const sourceId = (source: PostSource) => ('runId' in source ? source.runId : source.routineId);

/** A routine's slot on a blackout date is skipped: a brief for one day is stale the next. */
const ROUTINE_RULES: ClaimedRun = { blackoutMode: 'skip', catchUp: null };

export type Progress = Partial<Pick<Post, 'attempts' | 'partsSent'>>;
export type Failure = Progress & { errorCode: string; error: string };

export interface AwaitingPost {
  id: string;
  groupId: string;
  channelType: string;
  stage: string;
  dueAt: Date;
  externalId: string;
  awaitingSince: Date;
  remindedAt: Date | null;
  attempts: number;
  /** Null for a routine's post. */
  runStatus: string | null;
  /** The run's or routine's deadline for confirming; null: the service default. */
  deadlineMinutes: number | null;
}

export interface Delivered {
  id: string;
  sentAt: Date;
  externalId: string | null;
  /** Unknown for posts an external consumer sent. */
  partsSent?: number;
  /** Messages with text it became; unknown (one) for posts an external consumer sent. */
  messages?: number;
  attempts: number;
  /** The attempt that sent it, recorded with it (one round trip), when not recorded already. */
  attempt?: Attempt;
}

/** One try at the provider, as post_attempts keeps it for a post. */
export type Attempt = Omit<PostAttempt, 'id' | 'postId'>;

interface Deferral extends Progress, Because {
  id: string;
  until: Date;
}

function affected(result: unknown): number {
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

/**
 * The post state machine: the only writer of post statuses, one method per transition.
 * Transitions that a worker makes for many posts at once are batched into one statement.
 */
@Injectable()
export class PostLifecycle {
  private readonly logger = new Logger(PostLifecycle.name);
  /** A post's columns, as a claim reads them back; an attempt's and a deferral's, as the worker writes them. */
  private readonly postColumns: EntityColumns<Post>;
  private readonly attemptColumns: EntityColumns<PostAttempt>;
  private readonly deferralColumns: EntityColumns<PostDeferral>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    private readonly queues: PostQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.postColumns = new EntityColumns(dataSource, Post, 'p');
    this.attemptColumns = new EntityColumns(dataSource, PostAttempt, 'a');
    this.deferralColumns = new EntityColumns(dataSource, PostDeferral, 'd');
  }

  /** New posts: scheduled, or skipped with a reason; those due before `queueBefore` are queued and returned for `enqueue`. */
  async create(manager: EntityManager, posts: NewPost[], queueBefore: Date): Promise<NewPost[]> {
    const queued = new Set(posts.filter((p) => !p.skipped && p.dueAt <= queueBefore));
    await this.insert(manager, posts, queued, false);
    return [...queued];
  }

  /**
   * A routine's slots, scheduled or skipped with the reason. A slot already written (a second
   * tick, a second leader) stays as it is: one post per routine, group and slot.
   */
  async createSlots(posts: NewPost[]): Promise<void> {
    await this.insert(this.dataSource.manager, posts, new Set(), true);
  }

  private async insert(manager: EntityManager, posts: NewPost[], queued: Set<NewPost>, slots: boolean) {
    const status = (p: NewPost) => (p.skipped ? S.Skipped : queued.has(p) ? S.Queued : S.Scheduled);
    const columns = ['id', 'run_id', 'routine_id', 'step', 'stage', 'group_id', 'channel_type', 'content_id'];
    await bulkInsert(
      manager,
      'posts',
      [...columns, 'revision', 'promotional', 'due_at', 'status', 'error'],
      posts.map((p) => [
        p.id,
        p.runId ?? null,
        p.routineId ?? null,
        p.step,
        p.stage,
        p.groupId,
        p.channelType,
        p.contentId,
        p.revision,
        p.promotional,
        p.dueAt,
        status(p),
        p.skipped?.reason ?? null,
      ]),
      { keepExisting: slots },
    );
    const moved = posts.filter((p) => p.moved);
    if (moved.length === 0) return;
    const now = new Date();
    await bulkInsert(
      manager,
      'post_deferrals',
      ['post_id', 'deferred_at', 'until', 'code', 'reason'],
      moved.map((p) => [p.id, now, p.dueAt, p.moved!.code, p.moved!.reason.slice(0, 300)]),
    );
  }

  /** Jobs for posts written as queued. If Redis fails here they stay queued without a job, and `recover` finds them. */
  async enqueue(queued: NewPost[]): Promise<void> {
    await this.queues.enqueue(queued.map((p) => ({ id: p.id, channelType: p.channelType, readyAt: p.dueAt })));
  }

  /** Scheduled posts of live runs due before `horizon` become queued, then get their jobs. */
  async queueDue(horizon: Date): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_DUE_BATCHES; batch++) {
      const due = (await this.dataSource.query(
        `SELECT p.id, p.channel_type AS channelType, COALESCE(p.not_before, p.due_at) AS readyAt
         FROM posts p LEFT JOIN runs r ON r.id = p.run_id
         WHERE p.status = '${S.Scheduled}' AND p.due_at <= ? AND ${LIVE}
         ORDER BY p.due_at, p.step LIMIT ${DUE_BATCH}`,
        [horizon],
      )) as QueuedPost[];
      if (due.length === 0) return total;
      // Queued first, then the jobs: a job never finds its post still scheduled; a crash in
      // between leaves queued posts without a job, which `recover` finds.
      await this.dataSource.query(
        `UPDATE posts SET status = '${S.Queued}' WHERE status = '${S.Scheduled}' AND id IN (?)`,
        [due.map((p) => p.id)],
      );
      await this.queues.enqueue(due);
      total += due.length;
      if (due.length < DUE_BATCH) return total;
    }
    return total;
  }

  /**
   * Queued posts of stopped runs follow their run; so do posts a dead worker held. Queued posts
   * long past their time and lapsed claims whose job Redis lost get a new job. Returns how many.
   */
  async recover(graceMs: number): Promise<number> {
    const leaseUs = this.config.claimLeaseMs * 1000;
    await this.dataSource.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.status = r.status, p.claimed_at = NULL
       WHERE r.status IN (${STOPPED_RUN}) AND (p.status = '${S.Queued}' OR (p.status = '${S.Sending}'
         AND p.channel_type <> 'external' AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND))`,
      [leaseUs],
    );
    const stale = (await this.dataSource.query(
      `SELECT id, channel_type AS channelType, COALESCE(not_before, due_at) AS readyAt FROM posts
       WHERE (status = '${S.Queued}' AND COALESCE(not_before, due_at) < NOW(3) - INTERVAL ? MICROSECOND)
          OR (status = '${S.Sending}' AND channel_type <> 'external' AND claimed_at < NOW(3) - INTERVAL ? MICROSECOND)
       ORDER BY due_at LIMIT 1000`,
      [graceMs * 1000, leaseUs],
    )) as QueuedPost[];
    if (stale.length === 0) return 0;
    const present = await Promise.all(stale.map((p) => this.queues.has(p)));
    const lost = stale.filter((_, i) => !present[i]);
    if (lost.length === 0) return 0;
    this.logger.warn(`re-enqueueing ${lost.length} post(s) whose job was lost`);
    await this.queues.enqueue(lost.map((p) => ({ ...p, readyAt: new Date() })));
    return lost.length;
  }

  /**
   * Takes a queued post of a live run for sending, or one whose claim lapsed (its worker died).
   * Null: leave it (sent, cancelled, or its run stopped). Claims made together are one UPDATE
   * and one SELECT, sent together.
   */
  claim(id: string): Promise<ClaimedPost | null> {
    return this.claims.load(id);
  }

  private readonly claims = batchLoader<string, ClaimedPost | null>(async (ids) => {
    const token = randomUUID();
    try {
      return await this.claimWith(token, ids);
    } catch (error) {
      // The database may have taken the claim and then gone away before it said so.
      throw new UnsureClaim(token, error as Error);
    }
  });

  private async claimWith(token: string, ids: readonly string[]): Promise<(ClaimedPost | null)[]> {
    const unique = [...new Set(ids)];
    // One round trip: the claim and what it took.
    const [, rows] = (await this.dataSource.query(
      `UPDATE posts p LEFT JOIN runs r ON r.id = p.run_id SET p.status = '${S.Sending}', p.claimed_at = NOW(3), p.claim_token = ?
       WHERE p.id IN (?) AND ${LIVE}
         AND (p.status = '${S.Queued}' OR (p.status = '${S.Sending}' AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND));
       SELECT ${this.postColumns.select}, r.blackout_mode AS blackoutMode, r.catch_up AS catchUp
       FROM posts p LEFT JOIN runs r ON r.id = p.run_id WHERE p.id IN (?) AND p.claim_token = ?`,
      [token, unique, this.config.claimLeaseMs * 1000, unique, token],
    )) as [unknown, (Record<string, unknown> & Partial<ClaimedRun>)[]];
    const claimed = new Map(
      rows.map((row) => {
        const post = this.postColumns.read(row);
        const run: ClaimedRun =
          post.runId === null ? ROUTINE_RULES : { blackoutMode: row.blackoutMode!, catchUp: row.catchUp ?? null };
        // The token is not read back with the row: the claim knows it, and gives it back with it if it must.
        return [post.id, Object.assign(post, { claimToken: token, run })];
      }),
    );
    // A post asked for twice in one batch goes to the first caller only.
    return ids.map((id) => {
      const post = claimed.get(id) ?? null;
      claimed.delete(id);
      return post;
    });
  }

  /**
   * Posts due together with this one (same run or routine, step, piece and revision, same moment)
   * to active groups of the same owner on the same channel, unsent: the one with the smallest id
   * sends them all in one message, and how many of the others are being handled by their own jobs
   * right now (they step aside for it).
   */
  async dueTogether(post: Post, group: { owner: string; channelId: string }): Promise<DueTogether> {
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.group_id AS groupId, p.status FROM posts p JOIN \`groups\` g ON g.id = p.group_id
       WHERE p.status IN ('${S.Queued}', '${S.Sending}') AND p.due_at = ? AND p.step <=> ? AND p.run_id <=> ?
         AND p.routine_id <=> ? AND p.content_id <=> ? AND p.revision <=> ?
         AND (p.status = '${S.Sending}' OR p.not_before IS NULL OR p.not_before <= NOW(3) OR p.hold_code = ?)
         AND g.owner = ? AND g.channel_id = ? AND g.status = 'active'
       ORDER BY p.id`,
      [
        post.dueAt,
        post.step,
        post.runId,
        post.routineId,
        post.contentId,
        post.revision,
        'goes_with' satisfies HoldCode,
        group.owner,
        group.channelId,
      ],
    )) as { id: string; groupId: string; status: string }[];
    const others = rows.filter((r) => r.id !== post.id);
    return {
      head: rows[0]?.id ?? post.id,
      sending: others.filter((r) => r.status === S.Sending).length,
      queued: others.filter((r) => r.status === S.Queued).map(({ id, groupId }) => ({ id, groupId })),
    };
  }

  /** A claimed post waits until `until`, with why recorded; deferrals made together are one UPDATE. */
  defer(id: string, until: Date, hold: Because, progress: Progress = {}): Promise<void> {
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

  /**
   * A claim given back by a worker that failed before anything reached the provider (its database
   * or Redis went away): the post may be taken again at once rather than when the lease runs out.
   * Only the claim of `token` is given back, so a later claim by another worker stays; without an
   * id, every post of that claim (one whose answer never came back).
   */
  async release(token: string, id?: string): Promise<void> {
    const update = this.posts
      .createQueryBuilder()
      .update()
      .set({ status: () => REQUEUED_STATUS, claimedAt: null })
      .where('status = :sending AND claim_token = :token', { sending: S.Sending, token });
    await (id === undefined ? update : update.andWhere('id = :id', { id })).execute();
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

  /** The posts waiting for confirmation whose next look is due (oldest first), with their run's status. */
  async awaitingDue(limit: number): Promise<AwaitingPost[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.group_id AS groupId, p.channel_type AS channelType, p.stage, p.due_at AS dueAt,
              p.external_id AS externalId, p.awaiting_since AS awaitingSince,
              p.reminded_at AS remindedAt, p.attempts, r.status AS runStatus,
              COALESCE(r.confirm_deadline_minutes, ro.confirm_deadline_minutes) AS deadlineMinutes
       FROM posts p LEFT JOIN runs r ON r.id = p.run_id LEFT JOIN routines ro ON ro.id = p.routine_id
       WHERE p.status = '${S.AwaitingConfirmation}' AND (p.not_before IS NULL OR p.not_before <= NOW(3))
       ORDER BY p.awaiting_since LIMIT ${Number(limit)}`,
    )) as AwaitingPost[];
  }

  /**
   * The owner of a task is being reminded: every post waiting on the same task counts as reminded.
   * False when one of them had been already (the reminder went).
   */
  async remindedTask(externalId: string, at: Date): Promise<boolean> {
    const result = await this.posts.update(
      { externalId, status: S.AwaitingConfirmation, remindedAt: IsNull() },
      { remindedAt: at },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Looks again at `next`; `remindedAt` when the owner was just reminded. */
  async lookAgain(id: string, next: Date, remindedAt?: Date): Promise<void> {
    await this.posts.update(
      { id, status: S.AwaitingConfirmation },
      { notBefore: next, ...(remindedAt ? { remindedAt } : {}) },
    );
  }

  /** How a post that waited for confirmation ended: sent when the owner confirmed, or not. */
  async settleAwaiting(
    id: string,
    outcome:
      | { status: PostStatus.Sent; sentAt: Date }
      | { status: PostStatus.Failed | PostStatus.Expired | PostStatus.Cancelled; errorCode: string; error: string },
  ): Promise<void> {
    const fields =
      outcome.status === S.Sent
        ? { status: S.Sent, sentAt: outcome.sentAt, notBefore: null, error: null, errorCode: null }
        : {
            status: outcome.status,
            notBefore: null,
            errorCode: outcome.errorCode.slice(0, 64),
            error: outcome.error.slice(0, 1000),
          };
    await this.posts.update({ id, status: S.AwaitingConfirmation }, fields);
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

  /** A run or routine paused: its posts not yet in a worker's hands pause with it. */
  async pauseAll(source: PostSource): Promise<void> {
    await this.posts.update({ ...source, status: In([S.Scheduled, S.Queued]) }, { status: S.Paused, claimedAt: null });
  }

  /**
   * A group that was paused or archived is active again: its posts held for that go now (the
   * worker asks the policy again), not when their next look was due.
   */
  async wakeGroup(groupId: string): Promise<void> {
    await this.wake(
      `SELECT id, channel_type AS channelType FROM posts
       WHERE group_id = ? AND status = '${S.Queued}' AND not_before > NOW(3) AND hold_code = ?`,
      [groupId, 'group_inactive' satisfies HoldCode],
    );
  }

  /** A disabled channel was enabled: its posts held for that go now. */
  async wakeChannel(channelId: string): Promise<void> {
    await this.wake(
      `SELECT p.id, p.channel_type AS channelType FROM posts p JOIN \`groups\` g ON g.id = p.group_id
       WHERE g.channel_id = ? AND p.status = '${S.Queued}' AND p.not_before > NOW(3) AND p.hold_code = ?`,
      [channelId, 'channel_disabled' satisfies HoldCode],
    );
  }

  private async wake(select: string, parameters: unknown[]): Promise<void> {
    const held = (await this.dataSource.query(select, parameters)) as Pick<QueuedPost, 'id' | 'channelType'>[];
    if (held.length === 0) return;
    await this.dataSource.query(`UPDATE posts SET not_before = NOW(3) WHERE status = '${S.Queued}' AND id IN (?)`, [
      held.map((p) => p.id),
    ]);
    await this.queues.promote(held);
  }

  /** Paused posts go back to the scheduler, except those later than the run allows: skipped. */
  async resumeAll(source: PostSource, maxLatenessMinutes: number | null): Promise<void> {
    if (maxLatenessMinutes !== null) {
      await this.dataSource.query(
        `UPDATE posts SET status = '${S.Skipped}', error = 'later than the run allows after a pause'
         WHERE ${sourceColumn(source)} = ? AND status = '${S.Paused}'
           AND COALESCE(not_before, due_at) < NOW(3) - INTERVAL ? MINUTE`,
        [sourceId(source), maxLatenessMinutes],
      );
    }
    await this.posts.update({ ...source, status: S.Paused }, { status: S.Scheduled });
  }

  /**
   * A run cancelled, a routine archived, or some groups leaving a run: the unsent posts are
   * cancelled (with the reason, if given) and their jobs removed.
   */
  async cancelAll(
    source: PostSource,
    only: { groupIds?: string[]; reason?: string; code?: string } = {},
  ): Promise<void> {
    const where = {
      ...source,
      status: In(UNSENT_POST_STATUSES),
      ...(only.groupIds ? { groupId: In(only.groupIds) } : {}),
    };
    const open = await this.posts.find({ where, select: ['id', 'channelType'] });
    await this.posts.update(where, {
      status: S.Cancelled,
      claimedAt: null,
      ...(only.reason ? { error: only.reason.slice(0, 1000) } : {}),
      ...(only.code ? { errorCode: only.code } : {}),
    });
    await this.queues.remove(open);
  }

  /** Posts these groups' cancellation with `code` stopped go again: scheduled, for the tick to queue. */
  async restoreCancelled(source: PostSource, groupIds: string[], code: string): Promise<void> {
    await this.posts.update(
      { ...source, groupId: In(groupIds), status: S.Cancelled, errorCode: code },
      { status: S.Scheduled, error: null, errorCode: null, notBefore: null, deferReason: null, holdCode: null },
    );
  }

  /** Unsent posts of runs that do not pin revisions take the piece's newly published revision. */
  async followRevision(manager: EntityManager, contentId: string, revision: number): Promise<void> {
    await manager.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.revision = ?
       WHERE p.content_id = ? AND p.status IN (${UNSENT}) AND r.pin_revisions = 0`,
      [revision, contentId],
    );
  }

  /** Unsent posts of an archived piece are skipped with the reason; a job that finds one lets it be. */
  async skipUnsent(manager: EntityManager, contentId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE posts SET status = '${S.Skipped}', error = ?, claimed_at = NULL WHERE content_id = ? AND status IN (${UNSENT})`,
      [reason, contentId],
    );
  }

  /** An operator sends a failed or unconfirmed post again, as soon as policy allows. False: it was neither. */
  async retry(id: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = '${S.Scheduled}', not_before = NULL, defer_reason = NULL, hold_code = NULL, error = NULL, error_code = NULL, attempts = 0
       WHERE id = ? AND status IN (${sqlList(S.Failed, S.Unconfirmed)})`,
      [id],
    );
    return affected(result) > 0;
  }

  /** An operator pulls a post that has not started sending. False: it had. */
  async cancel(post: Pick<Post, 'id' | 'channelType'>): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = '${S.Cancelled}', claimed_at = NULL WHERE id = ? AND status IN (${UNSENT})`,
      [post.id],
    );
    if (affected(result) === 0) return false;
    await this.queues.remove([post]);
    return true;
  }

  /** The operator checked the chat: an unconfirmed post did arrive. False: it was not unconfirmed. */
  async confirmSent(id: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = '${S.Sent}', sent_at = COALESCE(sent_at, NOW(3)) WHERE id = ? AND status = '${S.Unconfirmed}'`,
      [id],
    );
    return affected(result) > 0;
  }

  /**
   * Of `ids`, the finished posts nobody has touched since `before`, locked until the caller's
   * transaction ends: what that transaction may purge (a post retried meanwhile is left alone).
   */
  async lockPurgeable(manager: EntityManager, ids: string[], before: Date): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT id FROM posts WHERE id IN (?) AND status IN (${sqlList(...FINISHED_POST_STATUSES)}) AND updated_at < ? FOR UPDATE`,
      [ids, before],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** What deletes posts with their attempts and deferrals, for the caller's transaction (after lockPurgeable). */
  purgeStatements(ids: string[]): Statement[] {
    return [
      { sql: 'DELETE FROM post_attempts WHERE post_id IN (?)', params: [ids] },
      { sql: 'DELETE FROM post_deferrals WHERE post_id IN (?)', params: [ids] },
      { sql: 'DELETE FROM posts WHERE id IN (?)', params: [ids] },
    ];
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
