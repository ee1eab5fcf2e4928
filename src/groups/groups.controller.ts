import { Body, Controller, Get, HttpCode, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { streamedJson } from '../common/streamed-json';
import {
  BulkImportGroupsDto,
  BulkImportResultDto,
  CreateGroupDto,
  CreatedGroupDto,
  GroupDto,
  GroupPageDto,
  ListGroupsQuery,
  PauseGroupDto,
  TagCountDto,
  UpdateGroupDto,
} from './dto/group.dto';
import { GroupImportService } from './group-import.service';
import { GroupsService } from './groups.service';

@ApiTags('groups')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly importer: GroupImportService,
  ) {}

  /** One group per chat: an address another group already names is a 409 naming that group. */
  @Post()
  @ApiErrors(400, 409)
  create(@Body() dto: CreateGroupDto): Promise<CreatedGroupDto> {
    return this.groups.create(dto);
  }

  /**
   * Up to 5,000 groups, all or none; a 400 lists every bad row by index and field. `mode: "upsert"`
   * updates the groups that rows match (by externalId, else by chat) and counts created, updated
   * and unchanged; in the default `insert` mode such a row is a 409 naming the group. With
   * `dryRun` the same checks and counts come back with 200, and nothing is written.
   */
  @Post('bulk')
  @ApiBody({ type: BulkImportGroupsDto })
  @ApiCreatedResponse({ type: BulkImportResultDto })
  @ApiOkResponse({ type: BulkImportResultDto, description: 'a dry run: what an import would do' })
  @ApiErrors(400, 409, 413)
  async bulkImport(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { groups, ...counts } = await this.importer.import(body);
    if (counts.dryRun) response.status(200);
    return streamedJson(counts, 'groups', groups);
  }

  @Get()
  @Allow('planner', 'viewer')
  @ApiErrors(400)
  list(@Query() query: ListGroupsQuery): Promise<GroupPageDto> {
    return this.groups.list(query);
  }

  /** Every tag groups carry, by name, with how many groups carry it (the first 1,000). */
  @Get('tags')
  @Allow('planner', 'viewer')
  tags(): Promise<TagCountDto[]> {
    return this.groups.tags();
  }

  @Get(':id')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<GroupDto> {
    return this.groups.get(id);
  }

  /** Admins change anything; planners only tags and policy (quietHours, minGapMinutes, dailyCap, promoCap, blackoutDates). */
  @Patch(':id')
  @Allow('planner')
  @ApiErrors(400, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() dto: UpdateGroupDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatedGroupDto> {
    return this.groups.update(id, dto, principal.role);
  }

  /** Stops sending to the group until it is resumed. */
  @Post(':id/pause')
  @Allow('planner')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  pause(@UuidParam() id: string, @Body() dto: PauseGroupDto): Promise<GroupDto> {
    return this.groups.pause(id, dto);
  }

  @Post(':id/resume')
  @Allow('planner')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  resume(@UuidParam() id: string): Promise<GroupDto> {
    return this.groups.resume(id);
  }
}
