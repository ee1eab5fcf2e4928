import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { RememberedCounts } from '../database/remembered-counts';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { And, DataSource, In, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { ListPostsQuery, OwnerInboxDto, PostDto, PostPageDto, PostWithAttemptsDto } from './dto/post.dto';
import { PostAttempt } from './post-attempt.entity';
import { PostDeferral } from './post-deferral.entity';
import { PostOperatorActs } from './lifecycle/operator-acts.service';
import { PostStatus } from './post-status';
import { POST_RETRIED, PostRetried } from './post-events';
import { Post } from './post.entity';

/** Posts as the API shows them, and the operator's actions on one post. */
@Injectable()
export class PostsService {
  /** A list's total, reused for the same filter for a moment. */
  private readonly totals: RememberedCounts;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    @InjectRepository(PostAttempt) private readonly attempts: Repository<PostAttempt>,
    @InjectRepository(PostDeferral) private readonly deferralRows: Repository<PostDeferral>,
    private readonly lifecycle: PostOperatorActs,
    private readonly events: EventEmitter2,
  ) {
    this.totals = new RememberedCounts(dataSource);
  }

  async exists(id: string): Promise<boolean> {
    return this.posts.exists({ where: { id } });
  }

  async find(id: string): Promise<Post> {
    const post = await this.posts.findOneBy({ id });
    if (!post) throw DomainError.notFound('post', id);
    return post;
  }

  /** A routine's posts due in (from, to], by due time. */
  async ofRoutine(routineId: string, from: Date, to: Date, groupIds: string[]): Promise<Post[]> {
    if (groupIds.length === 0) return [];
    return this.posts.find({
      where: { routineId, groupId: In(groupIds), dueAt: And(MoreThan(from), LessThanOrEqual(to)) },
      order: { dueAt: 'ASC', groupId: 'ASC' },
    });
  }

  /** The posts of one step of a run that have not started sending: what moving the step moves. */
  async unsentOfStep(runId: string, step: number): Promise<Post[]> {
    return this.posts.find({
      where: { runId, step, status: In([PostStatus.Scheduled, PostStatus.Queued]) },
      order: { dueAt: 'ASC', groupId: 'ASC' },
    });
  }

  /** When and why a post was held back, oldest first. */
  async deferrals(id: string): Promise<PostDeferral[]> {
    return this.deferralRows.find({ where: { postId: id }, order: { deferredAt: 'ASC', id: 'ASC' } });
  }

  async list(query: ListPostsQuery): Promise<PostPageDto> {
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    if (query.after !== undefined && query.page > 1) {
      throw DomainError.invalid([{ field: 'after', message: 'give after or page, not both' }]);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (query.runId) filter('run_id = ?', query.runId);
    if (query.routineId) filter('routine_id = ?', query.routineId);
    if (query.groupId) filter('group_id = ?', query.groupId);
    if (query.status) filter('status = ?', query.status);
    if (query.stage) filter('stage = ?', query.stage);
    if (query.dueFrom) filter('due_at >= ?', new Date(query.dueFrom));
    if (query.dueTo) filter('due_at < ?', new Date(query.dueTo));
    if (query.owner) filter('group_id IN (SELECT g.id FROM `groups` g WHERE g.owner = ?)', query.owner);
    const matching = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // Keyset: the rows after the cursor in (due_at, step, id) order, spelled as ranges the index
    // (…, due_at, step, id) can seek to; no offset to walk past.
    const page = after
      ? {
          sql: `${matching ? `${matching} AND` : 'WHERE'} (due_at > ? OR (due_at = ? AND (step > ? OR (step = ? AND id > ?))))`,
          params: [...params, after.dueAt, after.dueAt, after.step, after.step, after.id],
        }
      : { sql: matching, params };
    const [rows, counted] = await Promise.all([
      this.dataSource.query(
        `SELECT ${POST_COLUMNS} FROM posts ${page.sql} ORDER BY due_at, step, id LIMIT ? OFFSET ?`,
        [...page.params, query.pageSize + 1, after ? 0 : pageOffset(query)],
      ) as Promise<PostRow[]>,
      after ? Promise.resolve(null) : this.totals.count(`SELECT COUNT(*) AS n FROM posts ${matching}`, params),
    ]);
    const items = rows.slice(0, query.pageSize).map(fromRow);
    const last = items[items.length - 1];
    return {
      items,
      page: after ? 1 : query.page,
      pageSize: query.pageSize,
      total: counted,
      next: rows.length > query.pageSize ? encodeCursor(last) : null,
    };
  }

  /** Who still has tasks to confirm: per channel and owner, the posts awaiting them, oldest first. */
  async owners(): Promise<OwnerInboxDto[]> {
    const rows = (await this.posts.query(
      `SELECT g.channel_id AS channelId, g.owner, COUNT(*) AS posts, COUNT(DISTINCT p.group_id) AS \`groups\`,
              MIN(p.awaiting_since) AS oldestAwaitingSince
       FROM posts p JOIN \`groups\` g ON g.id = p.group_id
       WHERE p.status = '${PostStatus.AwaitingConfirmation}' AND g.owner IS NOT NULL
       GROUP BY g.channel_id, g.owner ORDER BY oldestAwaitingSince, g.owner`,
    )) as (Omit<OwnerInboxDto, 'posts' | 'groups'> & { posts: string | number; groups: string | number })[];
    return rows.map((r) => ({ ...r, posts: Number(r.posts), groups: Number(r.groups) }));
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
      deferrals: deferrals.map((d) => ({ at: d.deferredAt, until: d.until, code: d.code, reason: d.reason })),
    };
  }

  /** A failed or unconfirmed post goes back to the scheduler, to be sent as soon as policy allows. */
  async retry(id: string): Promise<PostDto> {
    if (!(await this.lifecycle.retry(id))) await this.refuse(id, 'only a failed or unconfirmed post can be retried');
    const post = await this.find(id);
    await this.events.emitAsync(POST_RETRIED, { postId: id, runId: post.runId } satisfies PostRetried);
    return this.view(post);
  }

  async cancel(id: string): Promise<PostDto> {
    const post = await this.find(id);
    if (!(await this.lifecycle.cancel(post)))
      await this.refuse(id, 'only a post that has not started sending can be cancelled');
    return this.view(await this.find(id));
  }

  /** The operator checked the chat: an unconfirmed post did arrive. */
  async markSent(id: string): Promise<PostDto> {
    if (!(await this.lifecycle.confirmSent(id)))
      await this.refuse(id, 'only an unconfirmed post can be marked as sent');
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
      routineId: p.routineId,
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
      holdCode: p.holdCode,
      attempts: p.attempts,
      partsSent: p.partsSent,
      messages: p.messages,
      sentAt: p.sentAt,
      externalId: p.externalId,
      errorCode: p.errorCode,
      error: p.error,
      awaitingSince: p.awaitingSince,
      remindedAt: p.remindedAt,
    };
  }
}

/** A post's columns as PostDto names them, for lists read as plain rows. */
const POST_COLUMNS = [
  'id',
  'run_id AS runId',
  'routine_id AS routineId',
  'step',
  'stage',
  'group_id AS groupId',
  'channel_type AS channelType',
  'content_id AS contentId',
  'revision',
  'promotional',
  'due_at AS dueAt',
  'status',
  'not_before AS notBefore',
  'defer_reason AS deferReason',
  'hold_code AS holdCode',
  'attempts',
  'parts_sent AS partsSent',
  'messages',
  'sent_at AS sentAt',
  'external_id AS externalId',
  'error_code AS errorCode',
  'error',
  'awaiting_since AS awaitingSince',
  'reminded_at AS remindedAt',
].join(', ');

type PostRow = Omit<PostDto, 'promotional'> & { promotional: number };

const fromRow = (row: PostRow): PostDto => ({ ...row, promotional: row.promotional === 1 });

/** A page's end as `after` takes it: its due time, step and id, in base64url. */
function encodeCursor(post: Pick<PostDto, 'dueAt' | 'step' | 'id'>): string {
  return Buffer.from(`${post.dueAt.getTime()}.${post.step}.${post.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { dueAt: Date; step: number; id: string } {
  const [due, step, id] = Buffer.from(cursor, 'base64url').toString().split('.');
  if (!/^\d{1,15}$/.test(due ?? '') || !/^\d{1,9}$/.test(step ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw DomainError.invalid([{ field: 'after', message: 'must be the next value of a previous page' }]);
  }
  return { dueAt: new Date(Number(due)), step: Number(step), id };
}
