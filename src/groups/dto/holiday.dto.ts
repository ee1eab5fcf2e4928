import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { Omittable } from '../../common/omittable.decorator';
import { TagFilter } from '../../common/tags.decorator';

export class HolidaysQuery {
  @Type(() => Number)
  @IsInt()
  @Min(2020)
  @Max(2100)
  year: number;
}

export class HolidayPresetDto {
  /** e.g. spring_festival_2026, double11_2026. */
  id: string;
  name: string;
  /** statutory: China's public holidays as the State Council set them (from the chinese-days library); shopping: the sales peaks. */
  @ApiProperty({ enum: ['statutory', 'shopping'] })
  kind: 'statutory' | 'shopping';
  /** The days off, blacked out by the preset. */
  holidays: string[];
  /** The weekend days worked to make up for it (调休), left open. */
  workdays: string[];
}

export class HolidaysDto {
  year: number;
  /** False when the holiday library has no statutory schedule for the year yet (it is published late in the year before). */
  statutoryKnown: boolean;
  presets: HolidayPresetDto[];
}

export class ApplyHolidaysDto {
  /** Preset ids from GET /v1/holidays. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  presets: string[];

  /** The groups with this tag; give tag, groupIds or both. */
  @TagFilter()
  tag?: string;

  @Omittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  groupIds?: string[];
}

export class AppliedHolidaysDto {
  /** Groups whose blackout dates changed. */
  groups: number;
  /** Groups that already had every date. */
  unchanged: number;
  /** The dates the presets black out. */
  dates: string[];
}
