import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_POST_STATUSES, PostStatus, sqlList } from '../posts/post-status';

export interface GroupProgress {
  counts: Record<string, number>;
  lastSent: { step: number; stage: string; sentAt: Date } | null;
  next: { step: number; stage: string; dueAt: Date; status: string } | null;
}

/**
 * How far a run has come, from its posts and what retention rolled up of them (post_rollups):
 * where each group stands (the run board) and the counts per stage and group (run statistics).
 */
@Injectable()
export class RunProgress {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Where each of these groups stands in a run: its posts by status, the last step sent (its
   * stage and when) and the next post to go. Three index passes (IDX_posts_run_group).
   */
  async ofGroups(runId: string, groupIds: string[]): Promise<Map<string, GroupProgress>> {
    const progress = new Map<string, GroupProgress>(
      groupIds.map((id) => [id, { counts: {}, lastSent: null, next: null }]),
    );
    if (groupIds.length === 0) return progress;
    const [counts, sent, next, purged] = (await Promise.all([
      this.dataSource.query(
        `SELECT group_id AS groupId, status, COUNT(*) AS n FROM posts WHERE run_id = ? AND group_id IN (?) GROUP BY group_id, status`,
        [runId, groupIds],
      ),
      this.dataSource.query(
        `SELECT p.group_id AS groupId, p.step, p.stage, p.sent_at AS sentAt FROM posts p
         JOIN (SELECT group_id, MAX(step) AS step FROM posts WHERE run_id = ? AND group_id IN (?) AND status = '${PostStatus.Sent}' GROUP BY group_id) l
           ON l.group_id = p.group_id AND l.step = p.step
         WHERE p.run_id = ?`,
        [runId, groupIds, runId],
      ),
      this.dataSource.query(
        `SELECT groupId, step, stage, dueAt, status FROM (
           SELECT group_id AS groupId, step, stage, due_at AS dueAt, status,
                  ROW_NUMBER() OVER (PARTITION BY group_id ORDER BY due_at, step) AS n
           FROM posts WHERE run_id = ? AND group_id IN (?) AND status IN (${sqlList(...OPEN_POST_STATUSES)})) x
         WHERE n = 1`,
        [runId, groupIds],
      ),
      this.dataSource.query(
        `SELECT group_id AS groupId, status, step, stage, post_count AS posts, last_at AS lastAt FROM post_rollups WHERE run_id = ? AND group_id IN (?)`,
        [runId, groupIds],
      ),
    ])) as [
      { groupId: string; status: string; n: string }[],
      { groupId: string; step: number; stage: string; sentAt: Date }[],
      { groupId: string; step: number; stage: string; dueAt: Date; status: string }[],
      { groupId: string; status: string; step: number; stage: string; posts: number; lastAt: Date }[],
    ];
    for (const { groupId, status, n } of counts) progress.get(groupId)!.counts[status] = Number(n);
    for (const { groupId, ...last } of sent) progress.get(groupId)!.lastSent = last;
    for (const { groupId, ...post } of next) progress.get(groupId)!.next = post;
    // Posts past retention count as they did; the last step sent may be one of them.
    for (const { groupId, status, step, stage, posts, lastAt } of purged) {
      const group = progress.get(groupId)!;
      group.counts[status] = (group.counts[status] ?? 0) + Number(posts);
      if (status === PostStatus.Sent && (group.lastSent === null || group.lastSent.step < step)) {
        group.lastSent = { step, stage, sentAt: lastAt };
      }
    }
    return progress;
  }

  /**
   * Posts per stage and status, and per group its sent and open posts and the stage of its last
   * sent step (`stages[step]`): two index-only passes, side by side, each streaming in index order
   * (IDX_posts_run_status_stage, IDX_posts_run_group).
   */
  async ofRun(
    runId: string,
    stages: readonly string[],
  ): Promise<{
    byStage: Record<string, Record<string, number>>;
    groups: { groupId: string; lastStage: string | null; sent: number; open: number }[];
  }> {
    // Four aggregates side by side: the posts' two run along the run's indexes with nothing to
    // sort; folding in the rollups (posts past retention, all finished, usually none) in SQL made
    // MariaDB build and group a temporary table of every group.
    const [counts, purgedCounts, groups, purgedGroups] = (await Promise.all([
      this.dataSource.query('SELECT status, stage, COUNT(*) AS n FROM posts WHERE run_id = ? GROUP BY status, stage', [
        runId,
      ]),
      this.dataSource.query(
        'SELECT status, stage, SUM(post_count) AS n FROM post_rollups WHERE run_id = ? GROUP BY status, stage',
        [runId],
      ),
      this.dataSource.query(
        `SELECT group_id AS groupId, SUM(status = '${PostStatus.Sent}') AS sent, SUM(status IN (${sqlList(...OPEN_POST_STATUSES)})) AS open,
           MAX(IF(status = '${PostStatus.Sent}', step, NULL)) AS lastSentStep
         FROM posts WHERE run_id = ? GROUP BY group_id ORDER BY group_id`,
        [runId],
      ),
      this.dataSource.query(
        `SELECT group_id AS groupId, SUM(IF(status = '${PostStatus.Sent}', post_count, 0)) AS sent, 0 AS open,
           MAX(IF(status = '${PostStatus.Sent}', step, NULL)) AS lastSentStep
         FROM post_rollups WHERE run_id = ? GROUP BY group_id`,
        [runId],
      ),
    ])) as [StageCount[], StageCount[], GroupCount[], GroupCount[]];
    const byStage: Record<string, Record<string, number>> = {};
    for (const { stage, status, n } of [...counts, ...purgedCounts])
      byStage[stage] = { ...byStage[stage], [status]: (byStage[stage]?.[status] ?? 0) + Number(n) };
    return {
      byStage,
      groups: withPurged(groups, purgedGroups).map((g) => ({
        groupId: g.groupId,
        lastStage: g.lastSentStep === null ? null : (stages[g.lastSentStep] ?? null),
        sent: Number(g.sent),
        open: Number(g.open),
      })),
    };
  }
}

type StageCount = { stage: string; status: string; n: string };
type GroupCount = { groupId: string; sent: string | number; open: string | number; lastSentStep: number | null };

const laterStep = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Each group's counts with what its purged posts (post_rollups) add, by group id. */
function withPurged(groups: GroupCount[], purged: GroupCount[]): GroupCount[] {
  if (purged.length === 0) return groups;
  const byGroup = new Map(groups.map((g) => [g.groupId, g]));
  for (const p of purged) {
    const live = byGroup.get(p.groupId);
    byGroup.set(
      p.groupId,
      live
        ? {
            groupId: p.groupId,
            sent: Number(live.sent) + Number(p.sent),
            open: live.open,
            lastSentStep: laterStep(live.lastSentStep, p.lastSentStep),
          }
        : p,
    );
  }
  return [...byGroup.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}
