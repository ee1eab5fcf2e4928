import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { BoardPageDto, BoardQuery, RunStatsDto } from '../campaigns/dto/campaign.dto';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { RunBoard } from './run-board.service';

@ApiTags('runs')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@Allow('planner', 'viewer')
@Controller('v1/runs')
export class RunReportsController {
  constructor(private readonly board: RunBoard) {}

  /** Where each group stands: its day 0, the last stage sent and when, its next post, its posts by status. */
  @Get(':id/groups')
  @ApiErrors(400)
  groups(@UuidParam() id: string, @Query() query: BoardQuery): Promise<BoardPageDto> {
    return this.board.board(id, query);
  }

  @Get(':id/stats')
  stats(@UuidParam() id: string): Promise<RunStatsDto> {
    return this.board.stats(id);
  }
}
