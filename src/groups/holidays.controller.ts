import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorator';
import { ApiErrors } from '../common/api-errors.decorator';
import { AppliedHolidaysDto, ApplyHolidaysDto, HolidaysDto, HolidaysQuery } from './dto/holiday.dto';
import { HolidayBlackouts } from './holiday-blackouts.service';

@ApiTags('groups')
@ApiBearerAuth()
@ApiErrors(401, 403, 429)
@Controller('v1/holidays')
export class HolidaysController {
  constructor(private readonly holidays: HolidayBlackouts) {}

  /** A year's presets: China's statutory holidays with their 调休 working days, and the shopping peaks (618, 双11, 双12). */
  @Get()
  @Allow('planner', 'viewer')
  @ApiErrors(400)
  get(@Query() query: HolidaysQuery): HolidaysDto {
    return this.holidays.presets(query.year);
  }

  /** Blacks out the presets' days off for the groups of a tag and/or by id (added to their own blackout dates). */
  @Post('apply')
  @HttpCode(200)
  @Allow('planner')
  @ApiErrors(400)
  apply(@Body() dto: ApplyHolidaysDto): Promise<AppliedHolidaysDto> {
    return this.holidays.apply(dto);
  }
}
