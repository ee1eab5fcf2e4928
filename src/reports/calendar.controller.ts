import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CalendarExport } from './calendar-export.service';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidParam } from '../common/id-param';
import { CalendarService } from './calendar.service';
import { CalendarDto, CalendarExportQuery, CalendarQuery, TimelineDto, TimelineQuery } from './dto/calendar.dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ICS = 'text/calendar';

@ApiTags('calendar')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Allow('planner', 'viewer')
@Controller('v1')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly exports: CalendarExport,
  ) {}

  /**
   * The same window as a file to hand on: a sheet (xlsx) with one row per post in each group's
   * local time, or an iCalendar file (ics) a calendar app opens. At most 2,000 groups.
   */
  @Get('calendar/export')
  @ApiProduces(XLSX, ICS)
  @ApiOkResponse({
    description: 'the file, named 群日历-<from date>.xlsx or .ics',
    content: {
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
      [ICS]: { schema: { type: 'string' } },
    },
  })
  async export(@Query() query: CalendarExportQuery): Promise<StreamableFile> {
    const name = `群日历-${query.from.slice(0, 10)}.${query.format}`;
    const disposition = `attachment; filename="calendar.${query.format}"; filename*=UTF-8''${encodeURIComponent(name)}`;
    if (query.format === 'xlsx')
      return new StreamableFile(await this.exports.xlsx({ ...query, page: 1, pageSize: 200 }), {
        type: XLSX,
        disposition,
      });
    return new StreamableFile(Buffer.from(await this.exports.ics({ ...query, page: 1, pageSize: 200 })), {
      type: `${ICS}; charset=utf-8`,
      disposition,
    });
  }

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
