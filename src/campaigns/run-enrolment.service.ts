import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { RunStatus } from '../common/run-status';
import { inTransaction } from '../database/mysql';
import { GroupDirectory } from '../groups/group-directory.service';
import { CampaignsService } from './campaigns.service';
import { RunGroup } from './run-group.entity';
import { RunLifecycle } from './run-lifecycle.service';
import { Run } from './run.entity';
import { RunEntry } from './run-entry.service';

/**
 * Evergreen runs keep watching their tags: at each tick, a group that got one since joins with
 * its own day 0 (once), a group that lost them all or was archived leaves, its unsent posts
 * cancelled with the reason, and comes back to carry on where it stopped when it has them again
 * (one a planner took out stays out). Pulled by the tick: groups/ knows nothing of runs.
 */
@Injectable()
export class RunEnrolment {
  private readonly logger = new Logger(RunEnrolment.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    @InjectRepository(RunGroup) private readonly members: Repository<RunGroup>,
    private readonly lifecycle: RunLifecycle,
    private readonly entry: RunEntry,
    private readonly directory: GroupDirectory,
    private readonly campaigns: CampaignsService,
  ) {}

  /** Returns how many groups joined. */
  async follow(now = new Date()): Promise<number> {
    const runs = await this.runs.findBy({ evergreen: true, status: In([RunStatus.Scheduled, RunStatus.Running]) });
    let joined = 0;
    for (const run of runs) {
      try {
        joined += await this.followRun(run, now);
      } catch (error) {
        this.logger.error(`evergreen run ${run.id}: ${(error as Error).message}`);
      }
    }
    return joined;
  }

  /** A planner takes a group out of a run: its unsent posts are cancelled. */
  async remove(runId: string, groupId: string): Promise<boolean> {
    const member = await this.members.findOneBy({ runId, groupId });
    if (!member || member.leftAt) return false;
    await this.lifecycle.leave(runId, [groupId], 'removed', 'removed from the run by a planner');
    return true;
  }

  private async followRun(run: Run, now: Date): Promise<number> {
    const [tagged, members] = await Promise.all([
      this.directory.tagged(run.audience.tags),
      this.members.find({ where: { runId: run.id }, select: ['groupId', 'leftAt', 'leftCode'] }),
    ]);
    const byId = new Map(tagged.map((g) => [g.id, g]));
    const enrolled = new Set(members.map((m) => m.groupId));
    const leaving = members
      .filter((m) => m.leftAt === null && (byId.get(m.groupId)?.status ?? 'archived') === 'archived')
      .map((m) => m.groupId);
    await this.lifecycle.leave(run.id, leaving, 'lost_tags', 'left the run: lost its tags or was archived');
    // A tag lost by mistake and given back: the group carries on where it stopped.
    const returning = members
      .filter((m) => m.leftCode === 'lost_tags' && byId.get(m.groupId)?.status === 'active')
      .map((m) => m.groupId);
    await this.lifecycle.rejoin(run.id, returning);
    const joining = tagged.filter((g) => g.status === 'active' && !enrolled.has(g.id));
    if (joining.length === 0) return 0;
    const source = await this.entry.source((await this.campaigns.load(run.campaignId)).steps);
    const posts = this.entry.posts(
      run.id,
      source,
      { overdueBefore: now, overdueReason: 'overdue when the group joined (catchUp: skip)', catchUp: run.catchUp },
      joining.map((g) => ({ ...g, start: now })),
    );
    const queued = await inTransaction(this.dataSource, async (manager) => {
      await this.lifecycle.enrol(
        manager,
        run.id,
        joining.map((g) => g.id),
        now,
        posts.length,
      );
      return this.entry.write(manager, posts);
    });
    await this.entry.enqueue(run.id, queued);
    return joining.length;
  }
}
