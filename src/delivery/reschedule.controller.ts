import { Body, Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { DomainError } from '../common/domain-error';
import { UuidParam } from '../common/id-param';
import { ReschedulePostDto, RescheduleStepDto, RescheduledDto } from './dto/reschedule.dto';
import { Reschedules } from './reschedules.service';

const stepNumber = new ParseIntPipe({
  exceptionFactory: () =>
    DomainError.invalid([{ field: 'step', message: 'must be a whole number, 0 for the first step' }]),
});

@ApiTags('posts')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Allow('planner')
@Controller('v1')
export class RescheduleController {
  constructor(private readonly reschedules: Reschedules) {}

  /**
   * Moves a scheduled or queued post to another time. A time in the group's quiet hours or on a
   * blackout date is a 422 naming the rule, unless `force`; a post already sending is a 409.
   */
  @Post('posts/:id/reschedule')
  @HttpCode(200)
  @ApiErrors(400, 404, 409, 422)
  post(@UuidParam() id: string, @Body() dto: ReschedulePostDto): Promise<RescheduledDto> {
    return this.reschedules.post(id, new Date(dto.dueAt), dto.force ?? false);
  }

  /** Moves every unsent post of one step of a run by the same time, for all its groups, under the same rules. */
  @Post('runs/:id/steps/:step/reschedule')
  @HttpCode(200)
  @ApiErrors(400, 404, 409, 422)
  step(
    @UuidParam() id: string,
    @Param('step', stepNumber) step: number,
    @Body() dto: RescheduleStepDto,
  ): Promise<RescheduledDto> {
    if (step < 0) throw DomainError.invalid([{ field: 'step', message: 'must be 0 or more (0 is the first step)' }]);
    return this.reschedules.step(id, step, dto.byMinutes, dto.force ?? false);
  }
}
