import { IsName } from '../../common/name.decorator';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInstant } from '../../common/instant.decorator';
import { IsTimezone } from '../../common/timezone.decorator';
import { TagFilter, TagList } from '../../common/tags.decorator';
import { FORMATS, Format } from '../../templates/formats';
import { CONTENT_STATUSES, ContentStatus } from '../content-status';
import { PageQuery } from '../../common/page.dto';
import { Omittable } from '../../common/omittable.decorator';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class ContentBodyDto {
  @IsName(200)
  title: string;

  /** The kind's structured fields; see GET /v1/kinds for each kind's schema. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  fields: Record<string, unknown>;

  /** Optional Handlebars source that replaces the kind's templates for this piece. */
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  body?: string | null;

  /** Image URLs. */
  @Omittable()
  @ArrayMaxSize(20)
  @IsUrl(URL_OPTIONS, { each: true })
  @MaxLength(2048, { each: true })
  media?: string[];

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  link?: string | null;

  @TagList()
  tags?: string[];
}

export class CreateContentDto extends ContentBodyDto {
  /** One of the kinds in GET /v1/kinds, e.g. morning_brief. */
  @IsString()
  @Length(1, 64)
  kind: string;

  /** Unique, lower-case; generated from the kind when left out. */
  @Omittable()
  @Matches(/^[a-z0-9][a-z0-9-]{0,127}$/, { message: 'must be lower-case letters, digits and -, at most 128' })
  slug?: string;
}

export class UpdateContentDto extends PartialType(ContentBodyDto, { skipNullProperties: false }) {
  /** The version this update is based on (or send If-Match); a stale one is a 409. */
  @Omittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PublishContentDto {
  /** The revision to make live; the current one when left out. */
  @Omittable()
  @IsInt()
  @Min(1)
  revision?: number;

  @Omittable()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListContentQuery extends PageQuery {
  @Omittable()
  @IsString()
  @Length(1, 64)
  kind?: string;

  @Omittable()
  @IsIn(CONTENT_STATUSES)
  status?: ContentStatus;

  @TagFilter()
  tag?: string;

  /** Text search in title and slug. */
  @Omittable()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class PreviewGroupDto {
  @IsName(200)
  name: string;

  /** IANA time zone, e.g. Asia/Shanghai. */
  @IsTimezone()
  timezone: string;

  /** Per-group variables such as persona (the owner's name) or city. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @Omittable()
  @IsObject()
  vars?: Record<string, string>;
}

export class PreviewContentDto {
  @IsIn(FORMATS)
  format: Format;

  /** The group to render for; a sample group in the default time zone when left out. */
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PreviewGroupDto)
  group?: PreviewGroupDto;

  /** The send time to render for (ISO 8601); now when left out. */
  @Omittable()
  @IsInstant()
  at?: string;

  /** The revision to render; the current one when left out. */
  @Omittable()
  @IsInt()
  @Min(1)
  revision?: number;
}
