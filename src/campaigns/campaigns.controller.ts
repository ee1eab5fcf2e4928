import { Body, Controller, Get, HttpCode, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { streamedJson } from '../common/streamed-json';
import { IdempotencyKey, ScopedIdempotencyKey } from '../auth/idempotency-key';
import { CampaignsService } from './campaigns.service';
import {
  CampaignDto,
  CreateCampaignDto,
  LaunchRunDto,
  PlanDto,
  PlanJobDto,
  PlanPageQuery,
  RunDto,
  UpdateCampaignDto,
  ValidationReportDto,
} from './dto/campaign.dto';
import type { Response } from 'express';
import { PlanJobs } from './plan-jobs.service';
import { RunsService } from './runs.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Allow('planner')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly runs: RunsService,
    private readonly plans: PlanJobs,
  ) {}

  @Post()
  @ApiErrors(400)
  create(@Body() dto: CreateCampaignDto): Promise<CampaignDto> {
    return this.campaigns.create(dto);
  }

  @Get()
  @Allow('planner', 'viewer')
  list(): Promise<CampaignDto[]> {
    return this.campaigns.list();
  }

  @Get(':id')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<CampaignDto> {
    return this.campaigns.get(id);
  }

  /** Drafts only; steps are replaced as a whole. */
  @Patch(':id')
  @ApiErrors(400, 404, 409)
  update(@UuidParam() id: string, @Body() dto: UpdateCampaignDto): Promise<CampaignDto> {
    return this.campaigns.update(id, dto);
  }

  /** Every problem at once: stage order, close without educate, unpublished content, timing. */
  @Post(':id/validate')
  @HttpCode(200)
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  validate(@UuidParam() id: string): Promise<ValidationReportDto> {
    return this.campaigns.validate(id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  archive(@UuidParam() id: string): Promise<CampaignDto> {
    return this.campaigns.archive(id);
  }

  /** Launches a run: one post per step and group. The same Idempotency-Key returns the same run. */
  @Post(':id/runs')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiErrors(400, 404, 409, 422)
  async launch(
    @UuidParam() id: string,
    @Body() dto: LaunchRunDto,
    @IdempotencyKey() key?: ScopedIdempotencyKey,
  ): Promise<RunDto> {
    return (await this.runs.launch(id, dto, key)).run;
  }

  /**
   * A dry run of a launch with the same body: each group × step's due time and when it will
   * really go after every rule, with the rules that move it. Writes nothing.
   */
  @Post(':id/plan')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  @ApiOkResponse({ type: PlanDto })
  @ApiAcceptedResponse({
    type: PlanJobDto,
    description: 'more posts than PLAN_SYNC_MAX_POSTS: fetch it from GET /v1/plans/:id',
  })
  @ApiErrors(429)
  async plan(
    @UuidParam() id: string,
    @Body() dto: LaunchRunDto,
    @Query() paging: PlanPageQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | PlanJobDto> {
    const answer = await this.plans.request(id, dto, paging, principal.keyId);
    if ('plan' in answer) {
      const { entries, ...head } = answer.plan;
      return streamedJson(head, 'entries', entries);
    }
    res.status(202).location(`/v1/plans/${answer.job.id}`);
    return answer.job;
  }

  @Get(':id/runs')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  listRuns(@UuidParam() id: string): Promise<RunDto[]> {
    return this.runs.list(id);
  }
}
