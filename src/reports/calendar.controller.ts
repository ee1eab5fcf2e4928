import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { CalendarService } from './calendar.service';
import { CalendarDto, CalendarQuery, TimelineDto, TimelineQuery } from './dto/calendar.dto';

@ApiTags('calendar')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Allow('planner', 'viewer')
@Controller('v1')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /** Every post of runs and routines in the window (at most 31 days) and the routine slots still to come, by group and local day. */
  @Get('calendar')
  get(@Query() query: CalendarQuery): Promise<CalendarDto> {
    return this.calendar.calendar(query);
  }

  /** One group's calendar, with the rules that move its posts. */
  @Get('groups/:id/timeline')
  @ApiErrors(404)
  timeline(@UuidParam() id: string, @Query() query: TimelineQuery): Promise<TimelineDto> {
    return this.calendar.timeline(id, query);
  }
}
