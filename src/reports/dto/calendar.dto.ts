import { PageNumber, PageSize } from '../../common/page.dto';
import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
import { IsInstant } from '../../common/instant.decorator';
import { TagFilter } from '../../common/tags.decorator';
import { Omittable } from '../../common/omittable.decorator';

export const MAX_CALENDAR_DAYS = 31;

export class TimelineQuery {
  /** Start of the window (ISO 8601 with an offset). */
  @IsInstant()
  from: string;

  /** End of the window, at most 31 days after `from`. */
  @IsInstant()
  to: string;
}

export class CalendarQuery extends TimelineQuery {
  /** One group's calendar; give groupId or tag. */
  @Omittable()
  @IsUUID()
  groupId?: string;

  /** The calendar of the groups with this tag; give groupId or tag. */
  @TagFilter()
  tag?: string;

  @PageNumber()
  page: number = 1;

  /** Groups per page. */
  @PageSize(200, 50)
  pageSize: number = 50;
}

export const EXPORT_FORMATS = ['xlsx', 'ics'] as const;

export class CalendarExportQuery extends OmitType(CalendarQuery, ['page', 'pageSize'] as const) {
  /** xlsx: a sheet, one row per post in each group's local time; ics: an iCalendar file. */
  @IsIn(EXPORT_FORMATS)
  format: (typeof EXPORT_FORMATS)[number];

  /** Only the entries on or after this local date (YYYY-MM-DD) in their group's zone: a week as each group lives it. */
  @Omittable()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  fromDate?: string;

  /** Only the entries on or before this local date (YYYY-MM-DD) in their group's zone. */
  @Omittable()
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  toDate?: string;
}

export class CalendarEntryDto {
  /** Null for a routine slot not yet made into a post. */
  postId: string | null;
  runId: string | null;
  routineId: string | null;
  /** A run's post: its step (0 for the first); null for a routine's. */
  @ApiProperty({ type: 'integer', nullable: true })
  step: number | null;
  stage: string;
  /** When it is due, and its local date and time in the group's zone. */
  dueAt: Date;
  localDate: string;
  localTime: string;
  sentAt: Date | null;
  kind: string | null;
  title: string | null;
  /** The post's status, or `planned` for a routine slot still to come. */
  status: string;
  /** Why it waits, was skipped or failed. */
  reason: string | null;
}

export class CalendarDayDto {
  date: string;
  entries: CalendarEntryDto[];
}

export class CalendarGroupDto {
  groupId: string;
  name: string;
  timezone: string;
  days: CalendarDayDto[];
}

export class CalendarDto {
  from: Date;
  to: Date;
  page: number;
  pageSize: number;
  /** Groups that match, over all pages. */
  total: number;
  groups: CalendarGroupDto[];
}

export class TimelinePolicyDto {
  quietHours: string | null;
  minGapMinutes: number;
  dailyCap: number | null;
  promoCap: number | null;
  @ApiProperty({ type: [String] })
  blackoutDates: string[];
}

export class TimelineDto extends CalendarGroupDto {
  from: Date;
  to: Date;
  /** The rules that move this group's posts, its own over the global ones. */
  policy: TimelinePolicyDto;
}
