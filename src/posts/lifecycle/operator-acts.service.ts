import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelType } from '../../providers/channel-types';
import { inTransaction } from '../../database/mysql';
import { PostQueues } from '../post-queues';
import { sqlList } from '../post-status';
import { Post } from '../post.entity';
import { S, UNSENT, affected } from './post-sql';

/** What an operator does to one post: send it again, pull it, or say that it did arrive. */
@Injectable()
export class PostOperatorActs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: PostQueues,
  ) {}

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

  /**
   * An operator moves posts that have not started sending to new times: each goes back to
   * scheduled at its new due time, without the holds it had, and loses its job (the scheduler
   * queues it again when it is due). Posts that started meanwhile are left; the moved are returned.
   */
  async move(moves: { id: string; dueAt: Date }[]): Promise<{ id: string; channelType: ChannelType }[]> {
    if (moves.length === 0) return [];
    const moved = await inTransaction(this.dataSource, async (manager) => {
      const open = (await manager.query(
        `SELECT id, channel_type AS channelType FROM posts
         WHERE id IN (?) AND status IN (${sqlList(S.Scheduled, S.Queued)}) AND claimed_at IS NULL FOR UPDATE`,
        [moves.map((m) => m.id)],
      )) as { id: string; channelType: ChannelType }[];
      const dueOf = new Map(moves.map((m) => [m.id, m.dueAt]));
      for (const post of open) {
        await manager.query(
          `UPDATE posts SET status = '${S.Scheduled}', due_at = ?, not_before = NULL, defer_reason = NULL, hold_code = NULL
           WHERE id = ?`,
          [dueOf.get(post.id), post.id],
        );
      }
      return open;
    });
    await this.queues.remove(moved);
    return moved;
  }

  /** The operator checked the chat: an unconfirmed post did arrive. False: it was not unconfirmed. */
  async confirmSent(id: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE posts SET status = '${S.Sent}', sent_at = COALESCE(sent_at, NOW(3)) WHERE id = ? AND status = '${S.Unconfirmed}'`,
      [id],
    );
    return affected(result) > 0;
  }
}
