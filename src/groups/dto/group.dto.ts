import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { TagList } from '../../common/tags.decorator';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDefined,
  IsIn,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../../common/page.dto';
import { GROUP_STATUSES, GROUP_TYPES, GroupStatus, GroupType } from '../group.entity';

export const QUIET_HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
export const MAX_BULK_GROUPS = 5000;

export class CreateGroupDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsUUID()
  channelId: string;

  /**
   * Where posts go, per channel type: WeCom `{ key }`, DingTalk `{ accessToken, secret? }`, Feishu
   * `{ token, secret? }`, Slack `{ url }`, Telegram `{ chatId }`, webhook `{ url, secret? }` (a
   * secret is generated when left out). A plain string or number stands for the single value.
   */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'object', additionalProperties: { type: 'string' } }] })
  @IsDefined()
  address: unknown;

  /** IANA time zone, e.g. Asia/Shanghai. */
  @IsString()
  @Length(1, 64)
  timezone: string;

  /** "HH:mm-HH:mm" local time, e.g. "22:30-07:30"; may cross midnight. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(QUIET_HOURS, { message: 'must be HH:mm-HH:mm, e.g. 22:30-07:30' })
  quietHours?: string | null;

  @TagList()
  tags?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  memberCount?: number;

  @IsOptional()
  @IsIn(GROUP_TYPES)
  type?: GroupType;

  /** Per-group template variables, e.g. { "persona": "小当家", "city": "杭州" }. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  vars?: Record<string, unknown>;

  @IsOptional()
  @IsIn(['active', 'paused'])
  status?: GroupStatus;

  /** Least time between two posts to this group; left out, the global default applies. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  minGapMinutes?: number | null;

  /** Most posts a local day. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  dailyCap?: number | null;

  /** Most promotional posts (trigger_need, close, product picks) a local day. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  promoCap?: number | null;

  /** Local dates (YYYY-MM-DD) when nothing is sent to this group. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ArrayMaxSize(366)
  @IsISO8601({ strict: true }, { each: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each must be a date YYYY-MM-DD' })
  blackoutDates?: string[] | null;
}

export class UpdateGroupDto extends PartialType(OmitType(CreateGroupDto, ['address', 'status'])) {
  /** Replaces the whole address: a secret not given again is wiped (a webhook gets a new one). Moving to another channel needs one. */
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'object', additionalProperties: { type: 'string' } }] })
  @IsOptional()
  address?: unknown;

  /** Archive or unarchive; pause and resume have their own routes. */
  @IsOptional()
  @IsIn(['active', 'archived'])
  status?: GroupStatus;
}

export class BulkImportGroupsDto {
  /** Rows shaped like the body of POST /v1/groups; every bad row is reported, by index. */
  @ApiProperty({ type: [CreateGroupDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_GROUPS)
  groups: unknown[];
}

export class ListGroupsQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tag?: string;

  @IsOptional()
  @IsUUID()
  channelId?: string;

  @IsOptional()
  @IsIn(GROUP_STATUSES)
  status?: GroupStatus;

  @IsOptional()
  @IsIn(GROUP_TYPES)
  type?: GroupType;

  /** Search in the name. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class PauseGroupDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class GroupDto {
  id: string;
  name: string;
  channelId: string;
  /** Secrets masked to their last four characters. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  address: Record<string, string>;
  timezone: string;
  quietHours: string | null;
  memberCount: number | null;
  minGapMinutes: number | null;
  dailyCap: number | null;
  promoCap: number | null;
  blackoutDates: string[] | null;
  type: GroupType;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  vars: Record<string, string>;
  tags: string[];
  status: GroupStatus;
  pausedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export class CreatedGroupDto extends GroupDto {
  /** A webhook group's generated signing secret (whsec_…). Shown only in this response. */
  signingSecret?: string;
}

export class GroupPageDto {
  items: GroupDto[];
  page: number;
  pageSize: number;
  total: number;
}

export class BulkImportResultDto {
  count: number;
  groups: CreatedGroupDto[];
}
