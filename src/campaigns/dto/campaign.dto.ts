import { IsName } from '../../common/name.decorator';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ValidateBy,
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsObject,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '../../common/instant.decorator';
import { PageNumber, PageQuery, PageSize } from '../../common/page.dto';
import { AudienceDto } from '../../groups/dto/audience.dto';
import { Omittable } from '../../common/omittable.decorator';

/** Two years: further ahead is a typo (9999-12-31), not a plan. */
export const MAX_START_DAYS_AHEAD = 731;
import { RunStatus } from '../../common/run-status';
import { BLACKOUT_MODES, BlackoutMode, CAP_MODES, CATCH_UP_MODES, CapMode, CatchUpMode } from '../run.entity';
import { CampaignStatus } from '../campaign.entity';
import { STAGES, Stage } from '../../common/stages';
import { Timing, timingProblem } from '../timing';

export class StepDto {
  @IsIn(STAGES)
  stage: Stage;

  /** A published content piece. */
  @IsUUID()
  contentId: string;

  /** `{ "day": 0, "at": "08:00" }` in each group's local time, or `{ "after": "PT30M" }` after the previous step. */
  @ApiProperty({
    oneOf: [
      {
        title: 'DayAndTime',
        type: 'object',
        properties: {
          day: { type: 'integer', minimum: 0, maximum: 365 },
          at: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
        },
        required: ['day', 'at'],
        additionalProperties: false,
      },
      {
        title: 'AfterPrevious',
        type: 'object',
        properties: {
          after: {
            type: 'string',
            description: 'An ISO 8601 duration of at most 366 days',
            pattern:
              '^P(\\d+D(T(\\d+H(\\d+M)?(\\d+S)?|\\d+M(\\d+S)?|\\d+S))?|T(\\d+H(\\d+M)?(\\d+S)?|\\d+M(\\d+S)?|\\d+S))$',
          },
        },
        required: ['after'],
        additionalProperties: false,
      },
    ],
  })
  @IsDefined()
  @ValidateBy({
    name: 'isTiming',
    validator: {
      validate: (value: unknown) => timingProblem(value) === undefined,
      defaultMessage: (args) => timingProblem(args?.value) ?? 'must be { day, at } or { after }',
    },
  })
  timing: Timing;
}

export class CreateCampaignDto {
  @IsName(200)
  name: string;

  @Omittable()
  @IsString()
  @MaxLength(2000)
  objective?: string;

  @Omittable()
  @IsBoolean()
  allowDirectClose?: boolean;

  /**
   * In order. Checked together when the campaign is validated or launched: stages never go back
   * (activate → educate → trigger need → trigger emotion → close), a close step needs an educate
   * step before it unless allowDirectClose, each piece is published, and times only go forward.
   */
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each step must be an object' })
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps: StepDto[];
}

/** Only drafts change; steps are replaced as a whole. */
export class UpdateCampaignDto extends PartialType(CreateCampaignDto, { skipNullProperties: false }) {}

export class CampaignDto {
  id: string;
  name: string;
  objective: string | null;
  status: CampaignStatus;
  allowDirectClose: boolean;
  steps: StepDto[];
  createdAt: Date;
  updatedAt: Date;
}

export class ValidationReportDto {
  valid: boolean;
  problems: { field: string; message: string }[];
}

export class LaunchRunDto {
  /** Groups by id and/or by tag; only active groups take part. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience: AudienceDto;

  /** When day 0 starts (ISO 8601 with an offset, at most two years ahead); now when left out. */
  @Omittable()
  @IsInstant({ maxDaysAhead: MAX_START_DAYS_AHEAD })
  startAt?: string;

  /** After a pause, posts later than this are skipped rather than sent. */
  @Omittable()
  @IsInt()
  @Min(0)
  maxLatenessMinutes?: number;

  /** WeCom customer groups: minutes the group's owner has to confirm a post before it expires (the service default when left out). */
  @Omittable()
  @IsInt()
  @Min(5)
  @Max(10_080)
  confirmDeadlineMinutes?: number;

  /** What a post due on a blackout date does: skip it, or shift it to the next allowed day. */
  @Omittable()
  @IsIn(BLACKOUT_MODES)
  blackoutMode?: BlackoutMode;

  /**
   * Steps already overdue (a startAt in the past, which needs this) and steps that come due while
   * an earlier one of the run still goes out late: `spread` sends them one at a time, spaced by
   * each group's gap; `skip` skips them with the reason.
   */
  @Omittable()
  @IsIn(CATCH_UP_MODES)
  catchUp?: CatchUpMode;

  /**
   * WeCom customer groups: a post the group's receive cap holds (WeCom's monthly, weekly or daily
   * limit on mass messages, the channel's `config.receiveCap`) waits for the next window (`wait`,
   * the default) or is skipped with the reason (`skip`), except the steps in `keepSteps`.
   */
  @Omittable()
  @IsIn(CAP_MODES)
  capMode?: CapMode;

  /** Steps (0-based) that must not be dropped: under `capMode: skip` they still wait for the next window. */
  @Omittable()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(49, { each: true })
  keepSteps?: number[];

  /** Keep watching the tags: a group that gets one later starts the sequence from its own day 0. */
  @Omittable()
  @IsBoolean()
  evergreen?: boolean;

  /** Keep each post at the revision published at launch. Left out, a post not yet sent follows a correction the editor publishes. */
  @Omittable()
  @IsBoolean()
  pinRevisions?: boolean;
}

export const BOARD_STATUSES = ['waiting', 'in_progress', 'failing', 'done', 'left'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

export class BoardQuery extends PageQuery {
  /** Groups whose last sent step is of this stage. */
  @Omittable()
  @IsIn(STAGES)
  stage?: Stage;

  /**
   * waiting: nothing sent yet; in_progress: some sent, more to go; failing: a post failed or expired
   * and waits for someone; done: nothing left to go; left: out of the run.
   */
  @Omittable()
  @IsIn(BOARD_STATUSES)
  status?: BoardStatus;
}

export class BoardGroupDto {
  groupId: string;
  name: string | null;
  status: BoardStatus;
  /** The group's day 0: the run's start, or when it joined an evergreen run. */
  joinedAt: Date;
  leftAt: Date | null;
  leftReason: string | null;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true })
  lastSent: { step: number; stage: string; sentAt: Date } | null;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true })
  next: { step: number; stage: string; dueAt: Date; status: string } | null;
  /** Its posts by status. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  counts: Record<string, number>;
}

export class BoardPageDto {
  items: BoardGroupDto[];
  page: number;
  pageSize: number;
  total: number;
}

export class ResumeRunDto {
  /** Posts later than this many minutes are skipped rather than sent; replaces the run's own setting; null sends them however late. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(525_600)
  maxLatenessMinutes?: number | null;
}

export class RunDto {
  id: string;
  campaignId: string;
  status: RunStatus;
  @ApiPropertyOptional()
  audience: { groupIds: string[]; tags: string[] };
  startAt: Date;
  maxLatenessMinutes: number | null;
  confirmDeadlineMinutes: number | null;
  blackoutMode: BlackoutMode;
  catchUp: CatchUpMode | null;
  capMode: CapMode;
  keepSteps: number[] | null;
  pinRevisions: boolean;
  postCount: number;
  /** The run takes in groups that get its tags later. */
  evergreen: boolean;
  createdAt: Date;
  finishedAt: Date | null;
}

export class RunStatsDto {
  /** Posts per stage and status, e.g. { "educate": { "sent": 3, "queued": 1 } }. */
  byStage: Record<string, Record<string, number>>;
  /** Per group, the last stage sent to it (null before the first). */
  groups: { groupId: string; lastStage: Stage | null; sent: number; open: number }[];
}

export class PlanEntryDto {
  groupId: string;
  step: number;
  stage: string;
  dueAt: Date;
  /** When the post will go, after every rule; null when it will be skipped. */
  predictedAt: Date | null;
  /** Each rule that moves it, in order (`quiet hours 22:30-07:30`, `daily cap of 2 reached`…). */
  moves: string[];
  skipped: string | null;
  /** What rendering it for this group and its channel finds: a missing variable, a size limit the provider will split at. */
  problems: string[];
}

export const PLAN_WARNINGS = ['no_groups', 'overlap', 'recently_sent', 'overdue'] as const;

/** Something to accept before launching, and how many groups and posts it concerns. */
export class PlanWarningDto {
  /**
   * no_groups: the audience holds no active group; overlap: other runs still have posts to go to
   * these groups; recently_sent: groups got one of these pieces in the last 7 days; overdue: steps
   * already due at launch.
   */
  @ApiProperty({ enum: PLAN_WARNINGS })
  code: (typeof PLAN_WARNINGS)[number];
  groups: number;
  posts: number;
  /** overlap: how many other runs. */
  runs?: number;
  message: string;
}

export class PlanSummaryDto {
  posts: number;
  groups: number;
  /** Posts by the local date they will go, in each group's zone. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  perDay: Record<string, number>;
  lastPredictedAt: Date | null;
  /** How many groups each rule moves a post of. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  groupsMovedBy: Record<string, number>;
  skipped: number;
  /** Posts whose rendering for their group found a problem. */
  withProblems: number;
  /**
   * Posts WeCom's receive cap will hold to a later window (or skip, under `capMode: skip`): the
   * groups have had their share of mass messages for the month, week or day.
   */
  heldByReceiveCap: number;
  warnings: PlanWarningDto[];
}

/** A page of the audience's groups (in id order) to plan, when the whole would be more posts than one plan holds. */
export class PlanPageQuery {
  @PageNumber()
  page: number = 1;

  /** Groups per page; without it the whole audience is planned. Groups × steps may not pass PLAN_MAX_POSTS (100,000 by default). */
  @PageSize(100_000)
  pageSize?: number;
}

export class PlanDto {
  page: number;
  /** null: the whole audience. */
  @ApiProperty({ type: 'integer', nullable: true })
  pageSize: number | null;
  /** Groups in the whole audience. */
  totalGroups: number;
  summary: PlanSummaryDto;
  entries: PlanEntryDto[];
}

export class PlanJobDto {
  id: string;
  /** pending while it is made; done with the plan; failed with the reason. */
  @ApiProperty({ enum: ['pending', 'done', 'failed'] })
  status: 'pending' | 'done' | 'failed';
  plan?: PlanDto;
  error?: string;
}
