import { Controller, Delete, Get, HttpCode, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { PlanJobDto } from './dto/campaign.dto';
import { PlanJobs } from './plan-jobs.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 429)
@Allow('planner', 'viewer')
@Controller('v1/plans')
export class PlansController {
  constructor(private readonly jobs: PlanJobs) {}

  /** A plan requested as a job: 202 while it is made, then 200 with the plan (kept an hour). */
  @Get(':id')
  @ApiOkResponse({ type: PlanJobDto })
  @ApiAcceptedResponse({ type: PlanJobDto, description: 'the plan is still being made: ask again' })
  async get(@UuidParam() id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const job = await this.jobs.get(id);
    if (job.status === 'pending') res.status(202);
    return new StreamableFile(job.body, { type: 'application/json; charset=utf-8' });
  }

  /** Drops a kept plan, freeing its place among the plans its key may keep. */
  @Delete(':id')
  @Allow('planner')
  @HttpCode(204)
  async remove(@UuidParam() id: string): Promise<void> {
    await this.jobs.remove(id);
  }
}
