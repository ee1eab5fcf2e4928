import {
  BlackoutDatesField,
  DailyCapField,
  GapField,
  PromoCapField,
  QuietHoursField,
} from '../../common/policy-fields';

/** Global defaults for every group that does not set its own. null (or "off") means none. */
export class PolicyDto {
  /** "HH:mm-HH:mm" local, e.g. "23:00-07:00". */
  @QuietHoursField('global')
  quietHours?: string | null;

  /** Least minutes between two posts to one group. */
  @GapField('global')
  minGapMinutes?: number | null;

  /** Most posts to one group a local day (at least 1). */
  @DailyCapField('global')
  dailyCap?: number | null;

  /** Most promotional posts to one group a local day (at least 1). */
  @PromoCapField('global')
  promoCap?: number | null;

  /** YYYY-MM-DD local dates when nothing is sent to any group. */
  @BlackoutDatesField()
  blackoutDates?: string[] | null;
}

/** The whole global policy: every field given, null (or "off") for none. */
export class ReplacePolicyDto {
  @QuietHoursField('global')
  quietHours: string | null;

  @GapField('global')
  minGapMinutes: number | null;

  @DailyCapField('global')
  dailyCap: number | null;

  @PromoCapField('global')
  promoCap: number | null;

  @BlackoutDatesField()
  blackoutDates: string[] | null;
}

export const POLICY_FIELDS = ['quietHours', 'minGapMinutes', 'dailyCap', 'promoCap', 'blackoutDates'] as const;
