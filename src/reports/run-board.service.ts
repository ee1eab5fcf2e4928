import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { CampaignsService } from '../campaigns/campaigns.service';
import { GroupDirectory } from '../groups/group-directory.service';
import { RunProgress } from './run-progress.service';
import { BoardGroupDto, BoardPageDto, BoardQuery, BoardStatus, RunStatsDto } from '../campaigns/dto/campaign.dto';
import { RunGroup } from '../campaigns/run-group.entity';
import { Run } from '../campaigns/run.entity';

/** The run board (every group the run took in and where it stands) and the run's statistics. */
@Injectable()
export class RunBoard {
  constructor(
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    @InjectRepository(RunGroup) private readonly members: Repository<RunGroup>,
    private readonly progress: RunProgress,
    private readonly groups: GroupDirectory,
    private readonly campaigns: CampaignsService,
  ) {}

  /** Posts per stage and status, and per group its sent and open posts and the stage it last got. */
  async stats(id: string): Promise<RunStatsDto> {
    const run = await this.runs.findOneBy({ id });
    if (!run) throw DomainError.notFound('run', id);
    // Steps of a launched campaign no longer change: step N's stage names where a group stands.
    const { steps } = await this.campaigns.load(run.campaignId);
    return (await this.progress.ofRun(
      id,
      steps.map((s) => s.stage),
    )) as RunStatsDto;
  }

  /** Where each group of the run stands: its day 0, the last stage it was sent, its next post. */
  async board(id: string, query: BoardQuery): Promise<BoardPageDto> {
    if (!(await this.runs.existsBy({ id }))) throw DomainError.notFound('run', id);
    const members = await this.members.find({ where: { runId: id }, order: { joinedAt: 'ASC', groupId: 'ASC' } });
    const ids = members.map((m) => m.groupId);
    const [progress, names] = await Promise.all([this.progress.ofGroups(id, ids), this.groups.names(ids)]);
    const rows: BoardGroupDto[] = members.map((m) => {
      const { counts, lastSent, next } = progress.get(m.groupId)!;
      const status = boardStatus(m.leftAt !== null, counts, lastSent !== null, next !== null);
      return {
        groupId: m.groupId,
        name: names.get(m.groupId)?.name ?? null,
        status,
        joinedAt: m.joinedAt,
        leftAt: m.leftAt,
        leftReason: m.leftReason,
        lastSent,
        next,
        counts,
      };
    });
    const matching = rows.filter(
      (r) => (!query.status || r.status === query.status) && (!query.stage || r.lastSent?.stage === query.stage),
    );
    const start = pageOffset(query);
    return {
      items: matching.slice(start, start + query.pageSize),
      page: query.page,
      pageSize: query.pageSize,
      total: matching.length,
    };
  }
}

/** Where a group stands; a failure outranks progress, so a group whose first post failed is not "waiting". */
function boardStatus(left: boolean, counts: Record<string, number>, sent: boolean, more: boolean): BoardStatus {
  if (left) return 'left';
  if ((counts.failed ?? 0) + (counts.expired ?? 0) > 0) return 'failing';
  if (!more) return 'done';
  return sent ? 'in_progress' : 'waiting';
}
