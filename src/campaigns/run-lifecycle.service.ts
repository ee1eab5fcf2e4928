import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { bulkInsert } from '../database/bulk-insert';
import { insertRows } from '../database/mysql';
import { RunStatus } from '../common/run-status';
import { PostFollowers } from '../posts/lifecycle/post-followers.service';
import { LEFT_RUN, OPEN_POST_STATUSES, sqlList } from '../posts/post-status';
import { Run } from './run.entity';
import { LeaveCode } from './run-group.entity';

export type NewRun = Omit<Run, 'status' | 'createdAt' | 'finishedAt'>;

/** The run state machine: the only writer of runs. A run's stop or restart carries its posts along. */
@Injectable()
export class RunLifecycle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    private readonly posts: PostFollowers,
  ) {}

  /** A launched run, running at once or scheduled for its start, and the groups it takes in. */
  async create(manager: EntityManager, run: NewRun, groupIds: string[], now: Date): Promise<void> {
    const status = run.startAt.getTime() > now.getTime() ? RunStatus.Scheduled : RunStatus.Running;
    await insertRows(manager, Run, { ...run, status, finishedAt: null });
    await this.enrol(manager, run.id, groupIds, run.startAt);
  }

  /** Groups that join a run, with their day 0; `addedPosts` is how many posts they bring to a run already written. */
  async enrol(
    manager: EntityManager,
    runId: string,
    groupIds: string[],
    joinedAt: Date,
    addedPosts = 0,
  ): Promise<void> {
    await bulkInsert(
      manager,
      'run_groups',
      ['run_id', 'group_id', 'joined_at'],
      groupIds.map((groupId) => [runId, groupId, joinedAt]),
    );
    if (addedPosts > 0)
      await manager.query('UPDATE runs SET post_count = post_count + ? WHERE id = ?', [addedPosts, runId]);
  }

  /** Groups that leave a run (lost its tag, archived, removed): their unsent posts are cancelled with the reason. */
  async leave(runId: string, groupIds: string[], code: LeaveCode, reason: string): Promise<void> {
    if (groupIds.length === 0) return;
    await this.dataSource.query(
      'UPDATE run_groups SET left_at = NOW(3), left_code = ?, left_reason = ? WHERE run_id = ? AND group_id IN (?) AND left_at IS NULL',
      [code, reason.slice(0, 300), runId, groupIds],
    );
    await this.posts.cancelAll({ runId }, { groupIds, reason, code: LEFT_RUN });
  }

  /**
   * Groups that left an evergreen run by losing its tags and have them again are back: the posts
   * cancelled when they left go again (overdue ones as the run's catch-up rule says), queued by
   * the next tick.
   */
  async rejoin(runId: string, groupIds: string[]): Promise<void> {
    if (groupIds.length === 0) return;
    await this.dataSource.query(
      "UPDATE run_groups SET left_at = NULL, left_code = NULL, left_reason = NULL WHERE run_id = ? AND group_id IN (?) AND left_code = 'lost_tags'",
      [runId, groupIds],
    );
    await this.posts.restoreCancelled({ runId }, groupIds, LEFT_RUN);
  }

  /** Scheduled runs whose start has come are running. */
  async startDue(): Promise<void> {
    await this.runs
      .createQueryBuilder()
      .update()
      .set({ status: RunStatus.Running })
      .where('status = :scheduled AND start_at <= NOW(3)', { scheduled: RunStatus.Scheduled })
      .execute();
  }

  /** Running runs with no post left to send are completed; an evergreen run runs until cancelled. */
  async completeFinished(): Promise<void> {
    await this.dataSource.query(
      `UPDATE runs r SET status = '${RunStatus.Completed}', finished_at = NOW(3)
       WHERE r.status = '${RunStatus.Running}' AND r.evergreen = 0 AND NOT EXISTS (
         SELECT 1 FROM posts p WHERE p.run_id = r.id AND p.status IN (${sqlList(...OPEN_POST_STATUSES)}))`,
    );
  }

  /** A completed run has a post to send again (a retry): it runs again, or the scheduler would pass the post over. */
  async reopen(runId: string): Promise<void> {
    await this.runs.update({ id: runId, status: RunStatus.Completed }, { status: RunStatus.Running, finishedAt: null });
  }

  async pause(runId: string): Promise<void> {
    await this.runs.update({ id: runId }, { status: RunStatus.Paused });
    await this.posts.pauseAll({ runId });
  }

  /** Posts first: a worker that sees the run running must find its paused posts already back or skipped. */
  async resume(runId: string, maxLatenessMinutes: number | null): Promise<void> {
    await this.posts.resumeAll({ runId }, maxLatenessMinutes);
    await this.runs.update({ id: runId }, { status: RunStatus.Running, maxLatenessMinutes });
  }

  async cancel(runId: string): Promise<void> {
    await this.runs.update({ id: runId }, { status: RunStatus.Cancelled, finishedAt: new Date() });
    await this.posts.cancelAll({ runId });
  }
}
