import { IsName } from '../../common/name.decorator';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery, PageNumber, PageSize } from '../../common/page.dto';
import { STAGES, Stage } from '../../common/stages';
import { AudienceDto } from '../../groups/dto/audience.dto';
import { ROUTINE_STATUSES, RoutineStatus } from '../routine.entity';
import { RoutineSchedule } from '../slots';
import { RoutineSource } from '../sources';
import { Omittable } from '../../common/omittable.decorator';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_NO_REPEAT_DAYS = 14;

export class ScheduleDto {
  @IsIn(['day', 'week'])
  every: 'day' | 'week';

  /** Local time in each group's zone. */
  @IsString()
  @Matches(HH_MM, { message: 'must be HH:mm, e.g. 08:00' })
  at: string;

  /** ISO weekdays (1 = Monday … 7 = Sunday), for `every: week` only. */
  @ValidateIf((schedule: ScheduleDto) => schedule.every === 'week' || schedule.weekdays !== undefined)
  @IsDefined({ message: 'is required for every: week' })
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true, message: 'each must be an ISO weekday from 1 (Monday) to 7 (Sunday)' })
  weekdays?: number[];
}

export class SourceDto {
  /** `current`: the piece of `kind` written for the slot's local date; `pool`: the next piece of a tag the group has not had lately. */
  @IsIn(['current', 'pool'])
  mode: 'current' | 'pool';

  @ValidateIf((source: SourceDto) => source.mode === 'current' || source.kind !== undefined)
  @IsString()
  @Length(1, 64)
  kind?: string;

  @ValidateIf((source: SourceDto) => source.mode === 'pool' || source.tag !== undefined)
  @IsString()
  @Length(1, 64)
  tag?: string;

  /** A piece does not come back to a group within this many days (pool; 14 when left out). */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(365)
  noRepeatDays?: number;
}

const oneLineText = { type: 'string', minLength: 1, maxLength: 64 } as const;
const noRepeatDays = { type: 'integer', minimum: 0, maximum: 365 } as const;

/** The schedule as the document states it: what `every` needs, as the checks above require. */
const SCHEDULE_CHOICES: ApiPropertyOptions = {
  oneOf: [
    {
      title: 'Daily',
      type: 'object',
      properties: { every: { type: 'string', enum: ['day'] }, at: { type: 'string', pattern: HH_MM.source } },
      required: ['every', 'at'],
      additionalProperties: false,
    },
    {
      title: 'Weekly',
      type: 'object',
      properties: {
        every: { type: 'string', enum: ['week'] },
        at: { type: 'string', pattern: HH_MM.source },
        weekdays: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 7 },
          minItems: 1,
          maxItems: 7,
          uniqueItems: true,
        },
      },
      required: ['every', 'at', 'weekdays'],
      additionalProperties: false,
    },
  ],
};

/** The source as the document states it: `current` names a kind, `pool` a tag. */
const SOURCE_CHOICES: ApiPropertyOptions = {
  oneOf: [
    {
      title: 'CurrentPieceOfKind',
      type: 'object',
      properties: { mode: { type: 'string', enum: ['current'] }, kind: oneLineText, tag: oneLineText, noRepeatDays },
      required: ['mode', 'kind'],
      additionalProperties: false,
    },
    {
      title: 'PoolOfTag',
      type: 'object',
      properties: { mode: { type: 'string', enum: ['pool'] }, tag: oneLineText, kind: oneLineText, noRepeatDays },
      required: ['mode', 'tag'],
      additionalProperties: false,
    },
  ],
};

export class CreateRoutineDto {
  @IsName(200)
  name: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiProperty(SCHEDULE_CHOICES)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;

  /** The stage the routine's posts carry; educate when left out. */
  @Omittable()
  @IsIn(STAGES)
  stage?: Stage;

  @ApiProperty(SOURCE_CHOICES)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source: SourceDto;

  /** First local date with slots (YYYY-MM-DD). */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  startDate?: string | null;

  /** Last local date with slots (YYYY-MM-DD). */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  endDate?: string | null;

  /** WeCom customer groups: minutes the group's owner has to confirm a post before it expires (the service default when left out). */
  @Omittable()
  @IsInt()
  @Min(5)
  @Max(10_080)
  confirmDeadlineMinutes?: number;
}

export class UpdateRoutineDto extends PartialType(CreateRoutineDto, { skipNullProperties: false }) {}

export class ListRoutinesQuery extends PageQuery {
  @Omittable()
  @IsIn(ROUTINE_STATUSES)
  status?: RoutineStatus;
}

export const ROUTINE_PLAN_PAGE_SIZE = 100;

export class PlanQuery {
  /** How many days ahead, from now. */
  @Omittable()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31)
  days: number = 7;

  /** A page of the audience's groups, in id order. */
  @PageNumber()
  page: number = 1;

  /** Groups per page. */
  @PageSize(500, ROUTINE_PLAN_PAGE_SIZE)
  pageSize: number = ROUTINE_PLAN_PAGE_SIZE;
}

export class RoutineDto {
  id: string;
  name: string;
  audience: { groupIds: string[]; tags: string[] };
  @ApiProperty({ type: 'object', additionalProperties: true })
  schedule: RoutineSchedule;
  stage: Stage;
  @ApiProperty({ type: 'object', additionalProperties: true })
  source: RoutineSource;
  startDate: string | null;
  endDate: string | null;
  confirmDeadlineMinutes: number | null;
  status: RoutineStatus;
  createdAt: Date;
  updatedAt: Date;
}

export class RoutinePageDto {
  items: RoutineDto[];
  page: number;
  pageSize: number;
  total: number;
}

export class PlannedSlotDto {
  groupId: string;
  dueAt: Date;
  /** The slot's date in the group's zone. */
  localDate: string;
  /** `planned` for a slot still to be made into a post; else the post's status. */
  status: string;
  postId: string | null;
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    properties: { id: { type: 'string' }, title: { type: 'string' } },
  })
  piece: { id: string; title: string } | null;
  /** Why the slot sends nothing. */
  reason: string | null;
}

export class RoutinePlanDto {
  from: Date;
  to: Date;
  page: number;
  pageSize: number;
  /** Groups in the routine's whole audience: the pages cover them in id order. */
  totalGroups: number;
  /** The slots of this page's groups. */
  slots: PlannedSlotDto[];
}
