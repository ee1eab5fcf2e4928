import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Statement } from '../../database/mysql';
import { FINISHED_POST_STATUSES, sqlList } from '../post-status';

/** Finished posts removed with their attempts and deferrals, inside the retention's transaction. */
@Injectable()
export class PostPurge {
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
}
