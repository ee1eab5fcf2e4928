import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Because } from '../../common/hold-codes';
import { bulkInsert } from '../../database/bulk-insert';
import { inTransaction } from '../../database/mysql';
import { PostStatus } from '../post-status';
import { Post } from '../post.entity';
import { S } from './post-sql';
import { AwaitingPost } from './post-types';

/** Posts waiting for a group owner to confirm them: when to look again, reminders, and how they end. */
@Injectable()
export class AwaitingPosts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
  ) {}

  /** The posts waiting for confirmation whose next look is due at `now` (oldest first), with their run's status. */
  async awaitingDue(limit: number, now: Date): Promise<AwaitingPost[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.group_id AS groupId, p.channel_type AS channelType, p.stage, p.due_at AS dueAt,
              p.external_id AS externalId, p.awaiting_since AS awaitingSince,
              p.reminded_at AS remindedAt, p.reminders, p.attempts, r.status AS runStatus,
              COALESCE(r.confirm_deadline_minutes, ro.confirm_deadline_minutes) AS deadlineMinutes
       FROM posts p LEFT JOIN runs r ON r.id = p.run_id LEFT JOIN routines ro ON ro.id = p.routine_id
       WHERE p.status = '${S.AwaitingConfirmation}' AND (p.not_before IS NULL OR p.not_before <= ?)
       ORDER BY p.awaiting_since LIMIT ${Number(limit)}`,
      [now],
    )) as AwaitingPost[];
  }

  /**
   * The owner of a task is being reminded for the time after `had`: every post waiting on the same
   * task counts it. False when another post of the task counted it first (the reminder went).
   */
  async remindedTask(externalId: string, at: Date, had: number): Promise<boolean> {
    const result = await this.posts.update(
      { externalId, status: S.AwaitingConfirmation, reminders: had },
      { remindedAt: at, reminders: had + 1 },
    );
    return (result.affected ?? 0) > 0;
  }

  /** The tasks these groups' posts wait on, each once, with the reminders it has had. */
  async tasksOf(groupIds: string[]): Promise<{ externalId: string; groupId: string; reminders: number }[]> {
    if (groupIds.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT external_id AS externalId, MIN(group_id) AS groupId, MAX(reminders) AS reminders FROM posts
       WHERE group_id IN (?) AND status = '${S.AwaitingConfirmation}' GROUP BY external_id`,
      [groupIds],
    )) as { externalId: string; groupId: string; reminders: number }[];
  }

  /** Looks again at `next`; `remindedAt` when the owner was just reminded. */
  async lookAgain(id: string, next: Date, remindedAt?: Date): Promise<void> {
    await this.posts.update(
      { id, status: S.AwaitingConfirmation },
      { notBefore: next, ...(remindedAt ? { remindedAt } : {}) },
    );
  }

  /**
   * The provider held the post back for the group (WeCom's receive cap): it is scheduled again for
   * `until`, when the scheduler gives it a new job and the send makes a new task; it has not failed.
   */
  async holdAwaiting(id: string, until: Date, because: Because): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const moved = await manager.update(
        Post,
        { id, status: S.AwaitingConfirmation },
        {
          status: S.Scheduled,
          notBefore: until,
          holdCode: because.code,
          deferReason: because.reason.slice(0, 300),
          externalId: null,
          awaitingSince: null,
          remindedAt: null,
          claimedAt: null,
        },
      );
      if (!moved.affected) return;
      await bulkInsert(
        manager,
        'post_deferrals',
        ['post_id', 'deferred_at', 'until', 'code', 'reason'],
        [[id, new Date(), until, because.code, because.reason.slice(0, 300)]],
      );
    });
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
}
