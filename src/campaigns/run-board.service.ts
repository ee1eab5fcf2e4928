import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { pageOffset } from '../common/page.dto';
import { GroupDirectory } from '../groups/group-directory.service';
import { PostsService } from '../posts/posts.service';
import { BoardGroupDto, BoardPageDto, BoardQuery, BoardStatus } from './dto/campaign.dto';
import { RunGroup } from './run-group.entity';
import { Run } from './run.entity';

/** The run board: every group the run took in and where it stands. */
@Injectable()
export class RunBoard {
  constructor(
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    @InjectRepository(RunGroup) private readonly members: Repository<RunGroup>,
    private readonly posts: PostsService,
    private readonly groups: GroupDirectory,
  ) {}

  /** Where each group of the run stands: its day 0, the last stage it was sent, its next post. */
  async board(id: string, query: BoardQuery): Promise<BoardPageDto> {
    if (!(await this.runs.existsBy({ id }))) throw DomainError.notFound('run', id);
    const members = await this.members.find({ where: { runId: id }, order: { joinedAt: 'ASC', groupId: 'ASC' } });
    const ids = members.map((m) => m.groupId);
    const [progress, names] = await Promise.all([this.posts.progress(id, ids), this.groups.names(ids)]);
    const rows: BoardGroupDto[] = members.map((m) => {
      const { counts, lastSent, next } = progress.get(m.groupId)!;
      const status: BoardStatus = m.leftAt ? 'left' : next === null ? 'done' : lastSent ? 'in_progress' : 'waiting';
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
