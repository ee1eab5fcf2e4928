import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { batchLoader } from '../common/batch-loader';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { bulkInsert, updateEach } from '../database/bulk-insert';
import { ListPostsQuery, PostDto, PostPageDto, PostWithAttemptsDto } from './dto/post.dto';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { inTransaction } from '../database/mysql';
import { PostQueues } from './post-queues';
import { OPEN_POST_STATUSES, Post, PostStatus } from './post.entity';

/**
 * Where a post a worker gives back goes: to the queue, or, if its run was paused or cancelled
 * while the worker held it, to its run's state (a cancelled run's post must not wait for ever).
 */
const REQUEUED_STATUS = `(SELECT CASE WHEN r.status IN ('paused', 'cancelled') THEN r.status ELSE 'queued' END FROM runs r WHERE r.id = posts.run_id)`;

/** Posts not yet in a worker's hands: their content may still change or be pulled. */
const UNSENT: PostStatus[] = ['scheduled', 'queued', 'paused'];
/** Posts that will still be sent and may therefore hold up a later post to the same group. */
const BLOCKING: PostStatus[] = ['scheduled', 'queued', 'sending'];

interface Deferral {
  id: string;
  until: Date;
  reason: string;
  attempts?: number;
  partsSent?: number;
}

export type Blocker = Pick<Post, 'id' | 'dueAt' | 'notBefore' | 'deferReason'>;

export interface SentFields {
  sentAt: Date;
  externalId: string | null;
  partsSent: number;
  attempts: number;
}

export type NewPost = Pick<
  Post,
  'id' | 'runId' | 'step' | 'stage' | 'groupId' | 'channelType' | 'contentId' | 'revision' | 'promotional' | 'dueAt'
> & {
  /** Written as skipped, with this reason. */
  skipped?: string;
};

function affected(result: unknown): number {
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectRepository(PostAttempt) private readonly attempts: Repository<PostAttempt>,
    @InjectRepository(PostDeferral) private readonly deferralRows: Repository<PostDeferral>,
    private readonly queues: PostQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes new posts; those due before `queueBefore` are written as queued and returned, for
   * `enqueue` after the commit.
   */
  async insert(manager: EntityManager, posts: NewPost[], queueBefore: Date): Promise<NewPost[]> {
    const queued = new Set(posts.filter((p) => !p.skipped && p.dueAt <= queueBefore));
    const status = (p: NewPost) => (p.skipped ? 'skipped' : queued.has(p) ? 'queued' : 'scheduled');
    await bulkInsert(
      manager,
      'posts',
      [
        'id',
        'run_id',
        'step',
        'stage',
        'group_id',
        'channel_type',
        'content_id',
        'revision',
        'promotional',
        'due_at',
        'status',
        'error',
      ],
      posts.map((p) => [
        p.id,
        p.runId,
        p.step,
        p.stage,
        p.groupId,
        p.channelType,
        p.contentId,
        p.revision,
        p.promotional,
        p.dueAt,
        status(p),
        p.skipped ?? null,
      ]),
    );
    return [...queued];
  }

  /**
   * Jobs for the posts `insert` wrote as queued. If Redis fails here the posts stay queued
   * without a job, and the scheduler's recovery enqueues them.
   */
  async enqueue(queued: NewPost[]): Promise<void> {
    await this.queues.enqueue(queued.map((p) => ({ id: p.id, channelType: p.channelType, readyAt: p.dueAt })));
  }

  async exists(id: string): Promise<boolean> {
    return this.posts.exists({ where: { id } });
  }

  async find(id: string): Promise<Post> {
    const post = await this.posts.findOneBy({ id });
    if (!post) throw DomainError.notFound('post', id);
    return post;
  }

  /**
   * Takes a queued post of a live run for sending, or one whose claim lapsed (its worker died),
   * and returns it. Null: leave it (sent, cancelled, or its run paused or cancelled, which moves
   * its posts too). Claims made together go to MySQL as one UPDATE and one SELECT.
   */
  claim(id: string): Promise<Post | null> {
    return this.claims.load(id);
  }

  private readonly claims = batchLoader<string, Post | null>(async (ids) => {
    const token = randomUUID();
    await this.dataSource.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.status = 'sending', p.claimed_at = NOW(3), p.claim_token = ?
       WHERE p.id IN (?) AND r.status IN ('scheduled', 'running')
         AND (p.status = 'queued' OR (p.status = 'sending' AND p.claimed_at < NOW(3) - INTERVAL ? MICROSECOND))`,
      [token, [...new Set(ids)], this.config.claimLeaseMs * 1000],
    );
    const claimed = new Map((await this.posts.findBy({ id: In([...ids]), claimToken: token })).map((p) => [p.id, p]));
    // A post asked for twice in one batch goes to the first caller only.
    return ids.map((id) => {
      const post = claimed.get(id) ?? null;
      claimed.delete(id);
      return post;
    });
  });

  /** Hands a claimed post back to wait until `until`; deferrals made together are one UPDATE. */
  defer(
    id: string,
    until: Date,
    reason: string,
    progress: Partial<Pick<Post, 'attempts' | 'partsSent'>> = {},
  ): Promise<void> {
    return this.deferWrites.load({ id, until, reason: reason.slice(0, 300), ...progress });
  }

  private readonly deferWrites = batchLoader<Deferral, void>(async (rows) => {
    const columns = {
      not_before: (r: Deferral) => r.until,
      defer_reason: (r: Deferral) => r.reason,
      attempts: (r: Deferral) => r.attempts,
      parts_sent: (r: Deferral) => r.partsSent,
    };
    const now = new Date();
    await inTransaction(this.dataSource, async (manager) => {
      await updateEach(
        manager,
        'posts',
        `status = ${REQUEUED_STATUS}, claimed_at = NULL`,
        rows,
        columns,
        `status = 'sending'`,
      );
      await bulkInsert(
        manager,
        'post_deferrals',
        ['post_id', 'deferred_at', 'until', 'reason'],
        rows.map((r) => [r.id, now, r.until, r.reason]),
      );
    });
    return rows.map(() => undefined);
  });

  /** A worker gives a post back for BullMQ to retry it: queued again, unless its run stopped meanwhile. */
  async requeue(
    id: string,
    fields: Partial<Pick<Post, 'attempts' | 'partsSent' | 'errorCode' | 'error'>>,
  ): Promise<void> {
    await this.posts
      .createQueryBuilder()
      .update()
      .set({ ...fields, status: () => REQUEUED_STATUS, claimedAt: null })
      .where('id = :id', { id })
      .execute();
  }

  /** When and why a post was held back, oldest first. */
  async deferrals(id: string): Promise<PostDeferral[]> {
    return this.deferralRows.find({ where: { postId: id }, order: { deferredAt: 'ASC', id: 'ASC' } });
  }

  /** Gives a post handed to an external consumer back to the scheduler, to go again at `notBefore`. */
  async reschedule(id: string, notBefore: Date, reason: string, attempts: number): Promise<void> {
    await this.posts.update(
      { id, status: 'sending' },
      { status: 'scheduled', notBefore, deferReason: reason.slice(0, 300), attempts, claimedAt: null },
    );
  }

  async finish(id: string, status: PostStatus, fields: Partial<Post> = {}): Promise<void> {
    await this.posts.update({ id }, { ...fields, status, claimedAt: null });
  }

  /** Attempts recorded together are one multi-row INSERT. */
  recordAttempt(attempt: Omit<PostAttempt, 'id'>): Promise<void> {
    return this.attemptWrites.load(attempt);
  }

  private readonly attemptWrites = batchLoader<Omit<PostAttempt, 'id'>, void>(async (attempts) => {
    await this.dataSource.query(
      `INSERT INTO post_attempts (post_id, attempted_at, latency_ms, outcome, code, error) VALUES ?`,
      [attempts.map((a) => [a.postId, a.attemptedAt, a.latencyMs, a.outcome, a.code, a.error])],
    );
    return attempts.map(() => undefined);
  });

  /** A post delivered: posts that went together are marked sent in one UPDATE. */
  finishSent(id: string, sent: SentFields): Promise<void> {
    return this.sentWrites.load({ id, ...sent });
  }

  private readonly sentWrites = batchLoader<SentFields & { id: string }, void>(async (rows) => {
    await updateEach(
      this.dataSource.manager,
      'posts',
      `status = 'sent', claimed_at = NULL, error = NULL, error_code = NULL, defer_reason = NULL`,
      rows,
      {
        sent_at: (r) => r.sentAt,
        external_id: (r) => r.externalId,
        parts_sent: (r) => r.partsSent,
        attempts: (r) => r.attempts,
      },
    );
    return rows.map(() => undefined);
  });

  /**
   * The earliest post to the same group that must go before this one and has not gone yet.
   * Posts to a group are in one total order (due time, then run, then step), so of two posts due
   * at the same instant from different runs exactly one waits for the other: a group's posts go
   * one at a time and each sees the one before it as sent, for its gap and caps.
   * Asked for many posts at once, it is one query.
   */
  blocker(post: Post): Promise<Blocker | null> {
    return this.blockers.load(post);
  }

  private readonly blockers = batchLoader<Post, Blocker | null>(async (posts) => {
    const rows = (await this.dataSource.query(
      `SELECT p.id AS postId, b.id, b.due_at AS dueAt, b.not_before AS notBefore, b.defer_reason AS deferReason
       FROM posts p JOIN posts b ON b.group_id = p.group_id AND b.id <> p.id AND b.status IN (?)
        AND (b.due_at < p.due_at OR (b.due_at = p.due_at AND (b.run_id < p.run_id OR (b.run_id = p.run_id AND b.step < p.step))))
       WHERE p.id IN (?)
       ORDER BY b.due_at`,
      [BLOCKING, posts.map((p) => p.id)],
    )) as (Blocker & { postId: string })[];
    const first = new Map<string, Blocker>();
    for (const { postId, ...blocker } of rows) if (!first.has(postId)) first.set(postId, blocker);
    return posts.map((p) => first.get(p.id) ?? null);
  });

  /** Unsent posts of runs that do not pin revisions take the piece's newly published revision. */
  async followRevision(manager: EntityManager, contentId: string, revision: number): Promise<void> {
    await manager.query(
      `UPDATE posts p JOIN runs r ON r.id = p.run_id SET p.revision = ?
       WHERE p.content_id = ? AND p.status IN (?) AND r.pin_revisions = 0`,
      [revision, contentId, UNSENT],
    );
  }

  /** Unsent posts of an archived piece are skipped with the reason; a job that finds one lets it be. */
  async skipUnsent(manager: EntityManager, contentId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE posts SET status = 'skipped', error = ?, claimed_at = NULL WHERE content_id = ? AND status IN (?)`,
      [reason, contentId, UNSENT],
    );
  }

  /** The earliest earlier step of the same run to the same group that went out, or is still to go, after this post came due. */
  async earlierStepStillLate(post: Pick<Post, 'runId' | 'groupId' | 'step' | 'dueAt'>): Promise<number | null> {
    const [row] = (await this.dataSource.query(
      `SELECT step FROM posts WHERE run_id = ? AND group_id = ? AND step < ?
         AND (status IN (?) OR (status = 'sent' AND sent_at > ?)) ORDER BY step LIMIT 1`,
      [post.runId, post.groupId, post.step, BLOCKING, post.dueAt],
    )) as { step: number }[];
    return row ? row.step : null;
  }

  /** What this group has been sent since `since`: for gaps and daily caps. */
  async sentSince(groupId: string, since: Date): Promise<{ total: number; promotional: number; last: Date | null }> {
    const [row] = (await this.dataSource.query(
      `SELECT COUNT(*) AS total, COALESCE(SUM(promotional), 0) AS promotional, MAX(sent_at) AS last
       FROM posts WHERE group_id = ? AND status = 'sent' AND sent_at >= ?`,
      [groupId, since],
    )) as { total: string; promotional: string; last: Date | null }[];
    return { total: Number(row.total), promotional: Number(row.promotional), last: row.last };
  }

  async lastSentAt(groupId: string): Promise<Date | null> {
    const [row] = (await this.dataSource.query(
      `SELECT MAX(sent_at) AS last FROM posts WHERE group_id = ? AND status = 'sent'`,
      [groupId],
    )) as {
      last: Date | null;
    }[];
    return row.last;
  }

  async pauseRun(runId: string): Promise<void> {
    await this.posts.update({ runId, status: In(['scheduled', 'queued']) }, { status: 'paused', claimedAt: null });
  }

  /** Paused posts go back to the scheduler, except those later than the run allows: skipped. */
  async resumeRun(runId: string, maxLatenessMinutes: number | null): Promise<void> {
    if (maxLatenessMinutes !== null) {
      await this.dataSource.query(
        `UPDATE posts SET status = 'skipped', error = 'later than the run allows after a pause'
         WHERE run_id = ? AND status = 'paused' AND COALESCE(not_before, due_at) < NOW(3) - INTERVAL ? MINUTE`,
        [runId, maxLatenessMinutes],
      );
    }
    await this.posts.update({ runId, status: 'paused' }, { status: 'scheduled' });
  }

  async cancelRun(runId: string): Promise<void> {
    const open = await this.posts.find({
      where: { runId, status: In(['scheduled', 'queued', 'paused']) },
      select: ['id', 'channelType'],
    });
    await this.posts.update(
      { runId, status: In(['scheduled', 'queued', 'paused']) },
      { status: 'cancelled', claimedAt: null },
    );
    await this.queues.remove(open);
  }

  /**
   * Posts per stage and status, and per group its sent and open posts and the stage of its last
   * sent step (`stages[step]`): two index-only passes, side by side, each streaming in index order
   * (IDX_posts_run_status_stage, IDX_posts_run_group).
   */
  async stats(
    runId: string,
    stages: readonly string[],
  ): Promise<{
    byStage: Record<string, Record<string, number>>;
    groups: { groupId: string; lastStage: string | null; sent: number; open: number }[];
  }> {
    const [counts, groups] = (await Promise.all([
      this.dataSource.query('SELECT status, stage, COUNT(*) AS n FROM posts WHERE run_id = ? GROUP BY status, stage', [
        runId,
      ]),
      this.dataSource.query(
        `SELECT group_id AS groupId, SUM(status = 'sent') AS sent, SUM(status IN (?)) AS open, MAX(IF(status = 'sent', step, NULL)) AS lastSentStep
         FROM posts WHERE run_id = ? GROUP BY group_id ORDER BY group_id`,
        [OPEN_POST_STATUSES, runId],
      ),
    ])) as [
      { stage: string; status: string; n: string }[],
      { groupId: string; sent: string; open: string; lastSentStep: number | null }[],
    ];
    const byStage: Record<string, Record<string, number>> = {};
    for (const { stage, status, n } of counts) byStage[stage] = { ...byStage[stage], [status]: Number(n) };
    return {
      byStage,
      groups: groups.map((g) => ({
        groupId: g.groupId,
        lastStage: g.lastSentStep === null ? null : (stages[g.lastSentStep] ?? null),
        sent: Number(g.sent),
        open: Number(g.open),
      })),
    };
  }

  async list(query: ListPostsQuery): Promise<PostPageDto> {
    const qb = this.posts.createQueryBuilder('p');
    if (query.runId) qb.andWhere('p.runId = :runId', { runId: query.runId });
    if (query.groupId) qb.andWhere('p.groupId = :groupId', { groupId: query.groupId });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.stage) qb.andWhere('p.stage = :stage', { stage: query.stage });
    if (query.dueFrom) qb.andWhere('p.dueAt >= :dueFrom', { dueFrom: new Date(query.dueFrom) });
    if (query.dueTo) qb.andWhere('p.dueAt < :dueTo', { dueTo: new Date(query.dueTo) });
    const [posts, total] = await qb
      .orderBy('p.dueAt', 'ASC')
      .addOrderBy('p.step', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    return { items: posts.map((p) => this.view(p)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(id: string): Promise<PostWithAttemptsDto> {
    const post = await this.find(id);
    const attempts = await this.attempts.find({ where: { postId: id }, order: { attemptedAt: 'ASC', id: 'ASC' } });
    const deferrals = await this.deferrals(id);
    return {
      ...this.view(post),
      attemptLog: attempts.map((a) => ({
        attemptedAt: a.attemptedAt,
        latencyMs: a.latencyMs,
        outcome: a.outcome,
        code: a.code,
        error: a.error,
      })),
      deferrals: deferrals.map((d) => ({ at: d.deferredAt, until: d.until, reason: d.reason })),
    };
  }

  /** A failed or unconfirmed post goes back to the scheduler, to be sent as soon as policy allows. */
  async retry(id: string): Promise<PostDto> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = 'scheduled', not_before = NULL, defer_reason = NULL, error = NULL, error_code = NULL, attempts = 0
       WHERE id = ? AND status IN ('failed', 'unconfirmed')`,
      [id],
    );
    if (affected(result) === 0) await this.refuse(id, 'only a failed or unconfirmed post can be retried');
    // A run that had finished opens again, or the scheduler would pass the post over.
    await this.dataSource.query(
      `UPDATE runs r JOIN posts p ON p.run_id = r.id SET r.status = 'running', r.finished_at = NULL WHERE p.id = ? AND r.status = 'completed'`,
      [id],
    );
    return this.view(await this.find(id));
  }

  async cancel(id: string): Promise<PostDto> {
    const post = await this.find(id);
    const result = await this.dataSource.query(
      `UPDATE posts SET status = 'cancelled', claimed_at = NULL WHERE id = ? AND status IN ('scheduled', 'queued', 'paused')`,
      [id],
    );
    if (affected(result) === 0) await this.refuse(id, 'only a post that has not started sending can be cancelled');
    await this.queues.remove([post]);
    return this.view(await this.find(id));
  }

  /** The operator checked the chat: an unconfirmed post did arrive. */
  async markSent(id: string): Promise<PostDto> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = 'sent', sent_at = COALESCE(sent_at, NOW(3)) WHERE id = ? AND status = 'unconfirmed'`,
      [id],
    );
    if (affected(result) === 0) await this.refuse(id, 'only an unconfirmed post can be marked as sent');
    return this.view(await this.find(id));
  }

  private async refuse(id: string, message: string): Promise<never> {
    const post = await this.find(id);
    throw DomainError.conflict(`post ${id} is ${post.status}: ${message}`);
  }

  view(p: Post): PostDto {
    return {
      id: p.id,
      runId: p.runId,
      step: p.step,
      stage: p.stage,
      groupId: p.groupId,
      channelType: p.channelType,
      contentId: p.contentId,
      revision: p.revision,
      promotional: p.promotional,
      dueAt: p.dueAt,
      status: p.status,
      notBefore: p.notBefore,
      deferReason: p.deferReason,
      attempts: p.attempts,
      partsSent: p.partsSent,
      sentAt: p.sentAt,
      externalId: p.externalId,
      errorCode: p.errorCode,
      error: p.error,
    };
  }
}
