import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { batchLoader } from '../common/batch-loader';
import { BLOCKING_POST_STATUSES, OPEN_POST_STATUSES, PostStatus, sqlList } from './post-status';
import { Post } from './post.entity';

const BLOCKING = sqlList(...BLOCKING_POST_STATUSES);
/** On the way: a group will have received it once it is due. */
const OPEN = sqlList(...OPEN_POST_STATUSES);
/** What made a post, its run or its routine: the second key of a group's order. */
const SOURCE = (alias: string) => `COALESCE(${alias}.run_id, ${alias}.routine_id)`;

export type Blocker = Pick<Post, 'id' | 'dueAt' | 'notBefore' | 'holdCode' | 'deferReason'>;

export interface SentCount {
  total: number;
  promotional: number;
}

/** What a group has been sent and what is ahead of a post: the facts the policy decides on. */
@Injectable()
export class PostHistory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The earliest post to the same group that must go before this one and has not gone yet.
   * Posts to a group are in one total order (due time, then run or routine, then step), so of two posts due
   * at the same instant from different runs exactly one waits for the other: a group's posts go
   * one at a time and each sees the one before it as sent, for its gap and caps.
   * Asked for many posts at once, it is one query.
   */
  blocker(post: Post): Promise<Blocker | null> {
    return this.blockers.load(post);
  }

  private readonly blockers = batchLoader<Post, Blocker | null>(async (posts) => {
    const rows = (await this.dataSource.query(
      `SELECT p.id AS postId, b.id, b.due_at AS dueAt, b.not_before AS notBefore, b.hold_code AS holdCode, b.defer_reason AS deferReason
       FROM posts p JOIN posts b ON b.group_id = p.group_id AND b.id <> p.id AND b.status IN (${BLOCKING})
        AND (b.due_at < p.due_at OR (b.due_at = p.due_at AND (${SOURCE('b')} < ${SOURCE('p')} OR (b.run_id = p.run_id AND b.step < p.step))))
       WHERE p.id IN (?)
       ORDER BY b.due_at`,
      [posts.map((p) => p.id)],
    )) as (Blocker & { postId: string })[];
    const first = new Map<string, Blocker>();
    for (const { postId, ...blocker } of rows) if (!first.has(postId)) first.set(postId, blocker);
    return posts.map((p) => first.get(p.id) ?? null);
  });

  /** The earliest earlier step of the same run to the same group that went out, or is still to go, after this post came due. */
  async earlierStepStillLate(post: Pick<Post, 'runId' | 'groupId' | 'step' | 'dueAt'>): Promise<number | null> {
    const [row] = (await this.dataSource.query(
      `SELECT step FROM posts WHERE run_id = ? AND group_id = ? AND step < ?
         AND (status IN (${BLOCKING}) OR (status = '${PostStatus.Sent}' AND sent_at > ?)) ORDER BY step LIMIT 1`,
      [post.runId, post.groupId, post.step, post.dueAt],
    )) as { step: number }[];
    return row ? row.step : null;
  }

  /** The messages this group has been sent since `since`: for daily and promotional caps. */
  async sentSince(groupId: string, since: Date): Promise<SentCount> {
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE(SUM(messages), 0) AS total, COALESCE(SUM(IF(promotional, messages, 0)), 0) AS promotional
       FROM posts WHERE group_id = ? AND status = '${PostStatus.Sent}' AND sent_at >= ?`,
      [groupId, since],
    )) as { total: string; promotional: string }[];
    return { total: Number(row.total), promotional: Number(row.promotional) };
  }

  /**
   * Mass messages that count against this group's receive cap since `since`: each post sent (one
   * message to the group however many parts), and each still waiting for its owner (it counts once
   * confirmed, and a second task in the window would be refused).
   */
  async receivedSince(groupId: string, since: Date): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM posts WHERE group_id = ?
         AND ((status = '${PostStatus.Sent}' AND sent_at >= ?) OR status = '${PostStatus.AwaitingConfirmation}')`,
      [groupId, since],
    )) as { n: string }[];
    return Number(row.n);
  }

  /** The same for a plan: each counted message of these groups since `since`, when it went (a waiting one: now). */
  async receivedBy(groupIds: string[], since: Date): Promise<{ groupId: string; at: Date }[]> {
    if (groupIds.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT group_id AS groupId, IF(status = '${PostStatus.Sent}', sent_at, NOW(3)) AS at FROM posts
       WHERE group_id IN (?) AND ((status = '${PostStatus.Sent}' AND sent_at >= ?) OR status = '${PostStatus.AwaitingConfirmation}')`,
      [groupIds, since],
    )) as { groupId: string; at: Date }[];
  }

  async lastSentAt(groupId: string): Promise<Date | null> {
    const [row] = (await this.dataSource.query(
      `SELECT MAX(sent_at) AS last FROM posts WHERE group_id = ? AND status = '${PostStatus.Sent}'`,
      [groupId],
    )) as { last: Date | null }[];
    return row.last;
  }

  /** What these groups were sent since `since`, for a plan to count against gaps and caps. */
  async sentTo(
    groupIds: string[],
    since: Date,
  ): Promise<{ groupId: string; at: Date; promotional: boolean; messages: number }[]> {
    if (groupIds.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT group_id AS groupId, sent_at AS at, promotional, messages FROM posts
       WHERE group_id IN (?) AND status = '${PostStatus.Sent}' AND sent_at >= ?`,
      [groupIds, since],
    )) as { groupId: string; at: Date; promotional: number; messages: number }[];
    return rows.map((r) => ({ ...r, promotional: Boolean(r.promotional) }));
  }

  /** The posts still to go to these groups, in each group's order: what a new run's posts queue behind. */
  async ahead(groupIds: string[]): Promise<Post[]> {
    if (groupIds.length === 0) return [];
    return await this.dataSource.getRepository(Post).find({
      where: { groupId: In(groupIds), status: In(BLOCKING_POST_STATUSES) },
      order: { dueAt: 'ASC', step: 'ASC' },
    });
  }

  /**
   * When each group last received each of these pieces: sent, or on its way and due by `dueBy`
   * (the start of the slots being chosen: it will have gone by then). For a routine's pool, so that
   * a piece does not come back too soon; a post due later (a run's, weeks ahead) is not received yet.
   */
  async lastReceived(groupIds: string[], contentIds: string[], dueBy: Date): Promise<Map<string, Map<string, Date>>> {
    const received = new Map<string, Map<string, Date>>();
    if (groupIds.length === 0 || contentIds.length === 0) return received;
    const rows = (await this.dataSource.query(
      `SELECT groupId, contentId, MAX(at) AS at FROM (
         SELECT group_id AS groupId, content_id AS contentId, MAX(COALESCE(sent_at, due_at)) AS at
         FROM posts WHERE group_id IN (?) AND content_id IN (?)
           AND (status = '${PostStatus.Sent}' OR (status IN (${OPEN}) AND due_at <= ?))
         GROUP BY group_id, content_id
         UNION ALL
         SELECT group_id, content_id, MAX(last_at) FROM post_rollups
         WHERE content_id IN (?) AND group_id IN (?) AND status = '${PostStatus.Sent}'
         GROUP BY group_id, content_id) x
       GROUP BY groupId, contentId`,
      [groupIds, contentIds, dueBy, contentIds, groupIds],
    )) as { groupId: string; contentId: string; at: Date }[];
    for (const { groupId, contentId, at } of rows) {
      const group = received.get(groupId) ?? received.set(groupId, new Map()).get(groupId)!;
      group.set(contentId, at);
    }
    return received;
  }
}
