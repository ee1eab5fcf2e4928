import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { ResumeRunDto, RunDto } from './dto/campaign.dto';
import { RunsService } from './runs.service';

@ApiTags('runs')
@ApiBearerAuth()
@ApiErrors(401, 403, 404, 429)
@Allow('planner')
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get(':id')
  @Allow('planner', 'viewer')
  get(@UuidParam() id: string): Promise<RunDto> {
    return this.runs.get(id);
  }

  /** Nothing more is sent until resumed. */
  @Post(':id/pause')
  @HttpCode(200)
  @ApiErrors(409)
  pause(@UuidParam() id: string): Promise<RunDto> {
    return this.runs.pause(id);
  }

  /**
   * Posts whose time passed go one at a time, in step order, spaced by each group's gap; those
   * later than maxLatenessMinutes (given here, or the run's own) are skipped.
   */
  @Post(':id/resume')
  @HttpCode(200)
  @ApiErrors(400, 409)
  resume(@UuidParam() id: string, @Body() dto: ResumeRunDto): Promise<RunDto> {
    return this.runs.resume(id, dto);
  }

  /** Every unsent post is cancelled; nothing is sent afterwards. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiErrors(409)
  cancel(@UuidParam() id: string): Promise<RunDto> {
    return this.runs.cancel(id);
  }

  /** The group leaves the run: its unsent posts are cancelled; an evergreen run will not take it in again. */
  @Post(':id/groups/:groupId/remove')
  @HttpCode(200)
  @ApiErrors(400, 409)
  removeGroup(@UuidParam() id: string, @UuidParam('groupId') groupId: string): Promise<RunDto> {
    return this.runs.removeGroup(id, groupId);
  }
}
