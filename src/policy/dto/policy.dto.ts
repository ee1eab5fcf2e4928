import { ArrayMaxSize, IsOptional, Matches } from 'class-validator';
import { LimitField, QuietHoursField } from '../../common/policy-fields';

/** Global defaults for every group that does not set its own. null (or "off") means none. */
export class PolicyDto {
  /** "HH:mm-HH:mm" local, e.g. "23:00-07:00". */
  @QuietHoursField('global')
  quietHours?: string | null;

  /** Least minutes between two posts to one group. */
  @LimitField(24 * 60, 'global')
  minGapMinutes?: number | null;

  /** Most posts to one group a local day. */
  @LimitField(1000, 'global')
  dailyCap?: number | null;

  /** Most promotional posts to one group a local day. */
  @LimitField(1000, 'global')
  promoCap?: number | null;

  /** YYYY-MM-DD local dates when nothing is sent to any group. */
  @IsOptional()
  @ArrayMaxSize(366)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each must be a date YYYY-MM-DD' })
  blackoutDates?: string[];
}
