import { ArrayMaxSize, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { QUIET_HOURS } from '../../groups/dto/group.dto';

/** Global defaults for every group that does not set its own. */
export class PolicyDto {
  /** "HH:mm-HH:mm" local, e.g. "22:30-07:30"; null for none. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(QUIET_HOURS, { message: 'must be HH:mm-HH:mm, e.g. 22:30-07:30' })
  quietHours?: string | null;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  minGapMinutes?: number | null;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  dailyCap?: number | null;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  promoCap?: number | null;

  /** YYYY-MM-DD local dates when nothing is sent to any group. */
  @IsOptional()
  @ArrayMaxSize(366)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each must be a date YYYY-MM-DD' })
  blackoutDates?: string[];
}
