import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import {
  CreateRoutineDto,
  ListRoutinesQuery,
  PlanQuery,
  RoutineDto,
  RoutinePageDto,
  RoutinePlanDto,
  UpdateRoutineDto,
} from './dto/routine.dto';
import { RoutinesService } from './routines.service';

@ApiTags('routines')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Allow('planner')
@Controller('v1/routines')
export class RoutinesController {
  constructor(private readonly routines: RoutinesService) {}

  /** Daily or weekly slots in each group's local time, each sending a piece of a kind written for that date, or the next of a pool. */
  @Post()
  @ApiErrors(400)
  create(@Body() dto: CreateRoutineDto): Promise<RoutineDto> {
    return this.routines.create(dto);
  }

  @Get()
  @Allow('planner', 'viewer')
  @ApiErrors(400)
  list(@Query() query: ListRoutinesQuery): Promise<RoutinePageDto> {
    return this.routines.list(query);
  }

  @Get(':id')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<RoutineDto> {
    return this.routines.get(id);
  }

  /** Applies from the next slot not yet made into a post. */
  @Patch(':id')
  @ApiErrors(400, 404, 409)
  update(@UuidParam() id: string, @Body() dto: UpdateRoutineDto): Promise<RoutineDto> {
    return this.routines.update(id, dto);
  }

  /** Each group's slots in the next `days` days, with the piece each will send or why it sends nothing; a page of groups at a time. */
  @Get(':id/plan')
  @Allow('planner', 'viewer')
  @ApiErrors(400, 404)
  plan(@UuidParam() id: string, @Query() query: PlanQuery): Promise<RoutinePlanDto> {
    return this.routines.plan(id, query);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  pause(@UuidParam() id: string): Promise<RoutineDto> {
    return this.routines.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  resume(@UuidParam() id: string): Promise<RoutineDto> {
    return this.routines.resume(id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiErrors(400, 404, 409)
  archive(@UuidParam() id: string): Promise<RoutineDto> {
    return this.routines.archive(id);
  }
}
