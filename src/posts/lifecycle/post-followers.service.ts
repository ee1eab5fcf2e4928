import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { HoldCode } from '../../common/hold-codes';
import { PostQueues, QueuedPost } from '../post-queues';
import { UNSENT_POST_STATUSES } from '../post-status';
import { Post } from '../post.entity';
import { S, UNSENT, sourceColumn, sourceId } from './post-sql';
import { PostSource } from './post-types';

/** Unsent posts follow what made them or where they go: a run or routine paused, resumed or cancelled, a piece republished or archived, a group or channel switched back on. */
@Injectable()
export class PostFollowers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    private readonly queues: PostQueues,
  ) {}

  /** A run or routine paused: its posts not yet in a worker's hands pause with it. */
  async pauseAll(source: PostSource): Promise<void> {
    await this.posts.update({ ...source, status: In([S.Scheduled, S.Queued]) }, { status: S.Paused, claimedAt: null });
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
}
