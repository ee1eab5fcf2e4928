import { IsName } from '../../common/name.decorator';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { TagFilter, TagList } from '../../common/tags.decorator';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../../common/page.dto';
import { Transform } from 'class-transformer';

const MAX_IDS = 100;
import {
  BlackoutDatesField,
  DailyCapField,
  GapField,
  PromoCapField,
  QuietHoursField,
} from '../../common/policy-fields';
import { IsTimezone } from '../../common/timezone.decorator';
import { IsTemplateVars } from '../../common/template-vars.decorator';
import { GROUP_STATUSES, GROUP_TYPES, GroupStatus, GroupType } from '../group.entity';
import { Omittable } from '../../common/omittable.decorator';

export const MAX_BULK_GROUPS = 5000;
export const IMPORT_MODES = ['insert', 'upsert'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export class CreateGroupDto {
  @IsName(200)
  name: string;

  @IsUUID()
  channelId: string;

  /**
   * Where posts go, per channel type: WeCom `{ key }`, DingTalk `{ accessToken, secret? }`, Feishu
   * `{ token, secret? }`, Slack `{ url }`, Telegram `{ chatId }`, webhook `{ url, secret? }` (a
   * secret is generated when left out). A plain string or number stands for the single value.
   */
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'object', additionalProperties: { type: 'string' } }],
  })
  @IsDefined()
  address: unknown;

  /** Your own id for the group; bulk import in upsert mode matches on it before the address. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 128)
  externalId?: string | null;

  /** IANA time zone, e.g. Asia/Shanghai; stored in its canonical spelling. */
  @IsTimezone()
  timezone: string;

  /** "HH:mm-HH:mm" local time, e.g. "22:30-07:30" (may cross midnight); "off" for none; null or left out inherits the global default. */
  @QuietHoursField('group')
  quietHours?: string | null;

  @TagList()
  tags?: string[];

  /** Members in the group, for reach and clicks per 100 members; null when unknown. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  memberCount?: number | null;

  @Omittable()
  @IsIn(GROUP_TYPES)
  type?: GroupType;

  /** Per-group template variables, e.g. { "persona": "小当家", "city": "杭州" }. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @Omittable()
  @IsTemplateVars()
  vars?: Record<string, unknown>;

  @Omittable()
  @IsIn(['active', 'paused'])
  status?: GroupStatus;

  /** Least minutes between two posts to this group; "off" for none; null or left out inherits the global default. */
  @GapField('group')
  minGapMinutes?: number | null;

  /** Most posts a local day; "off" for no cap; null or left out inherits. */
  @DailyCapField('group')
  dailyCap?: number | null;

  /** Most promotional posts (trigger_need, close, product picks) a local day; "off" for no cap; null or left out inherits. */
  @PromoCapField('group')
  promoCap?: number | null;

  /** Local dates (YYYY-MM-DD) when nothing is sent to this group. */
  @BlackoutDatesField()
  blackoutDates?: string[] | null;
}

export class UpdateGroupDto extends PartialType(OmitType(CreateGroupDto, ['address', 'status']), {
  skipNullProperties: false,
}) {
  /** Replaces the whole address: a secret not given again is wiped (a webhook gets a new one). Moving to another channel needs one. */
  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'object', additionalProperties: { type: 'string' } }],
  })
  @Omittable()
  address?: unknown;

  /** Archive or unarchive; pause and resume have their own routes. */
  @Omittable()
  @IsIn(['active', 'archived'])
  status?: GroupStatus;
}

export class BulkImportGroupsDto {
  /** Rows shaped like the body of POST /v1/groups; every bad row is reported, by index. */
  @ApiProperty({ type: [CreateGroupDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_GROUPS)
  groups: unknown[];

  /**
   * `insert` (the default): every row is a new group, and a row whose chat (or externalId) a
   * group already has is a 409. `upsert`: such a row updates that group (matched by externalId,
   * else by the chat its address names); fields a row leaves out stay as they are.
   */
  @Omittable()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;

  /** Check every row and count what would be created, updated and unchanged; write nothing (groups is then empty). */
  @Omittable()
  @IsBoolean()
  dryRun?: boolean;
}

export class ListGroupsQuery extends PageQuery {
  @TagFilter()
  tag?: string;

  @Omittable()
  @IsUUID()
  channelId?: string;

  @Omittable()
  @IsIn(GROUP_STATUSES)
  status?: GroupStatus;

  @Omittable()
  @IsIn(GROUP_TYPES)
  type?: GroupType;

  /** Search in the name. */
  @Omittable()
  @IsString()
  @Length(1, 200)
  q?: string;

  /** Only these groups: up to 100 ids, comma-separated or the parameter repeated (a page that names the groups it shows). */
  @ApiPropertyOptional({ type: 'string', format: 'uuid', isArray: true, minItems: 1, maxItems: MAX_IDS })
  @Omittable()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IDS)
  @IsUUID('all', { each: true })
  ids?: string[];
}

/** A tag and how many groups carry it. */
export class TagCountDto {
  tag: string;
  groups: number;
}

export class PauseGroupDto {
  @Omittable()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class GroupDto {
  id: string;
  name: string;
  channelId: string;
  externalId: string | null;
  /** Secrets masked to their last four characters. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  address: Record<string, string>;
  timezone: string;
  /** Own quiet hours, "off", or null (the global default applies). */
  quietHours: string | null;
  memberCount: number | null;
  /** When the provider says the chat was created (groups synced from WeCom). */
  chatCreatedAt: Date | null;
  /** When the provider said the chat was dismissed; the group is archived then. */
  dismissedAt: Date | null;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['off'] }], nullable: true })
  minGapMinutes: number | 'off' | null;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['off'] }], nullable: true })
  dailyCap: number | 'off' | null;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['off'] }], nullable: true })
  promoCap: number | 'off' | null;
  blackoutDates: string[] | null;
  type: GroupType;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  vars: Record<string, string>;
  tags: string[];
  status: GroupStatus;
  pausedReason: string | null;
  /** Sends that failed in a row since the last success or resume; at the channel's `breakerFailures` the group is paused. */
  consecutiveFailures: number;
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
  /** True when nothing was written: the counts are what an import would do. */
  dryRun?: boolean;
  count: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Every row's group, in the order of the rows. */
  groups: CreatedGroupDto[];
}
