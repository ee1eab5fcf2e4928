import { DateTime } from 'luxon';
import { QUARTER_HOUR_MS, localInstant } from '../common/local-time';
import { OFF, OFF_NUMBER } from '../common/policy-fields';
import { ReceiveCap } from '../common/receive-cap';

export interface EffectivePolicy {
  quietHours: string | null;
  minGapMinutes: number;
  dailyCap: number | null;
  promoCap: number | null;
  blackoutDates: Set<string>;
  /** The provider's cap on what the group receives (its channel's), beside groupcast's own. */
  receiveCap: ReceiveCap | null;
}

export interface PolicyRules {
  quietHours: string | null;
  minGapMinutes: number | null;
  dailyCap: number | null;
  promoCap: number | null;
  blackoutDates: string[] | null;
}

/** What a community operator would accept for a group nobody configured (docs/API.md, "Policy"). */
export const SHIPPED_POLICY: PolicyRules = {
  quietHours: '23:00-07:00',
  minGapMinutes: 10,
  dailyCap: 6,
  promoCap: 1,
  blackoutDates: [],
};

/**
 * A group's rules over the global ones: a group's null inherits, its "off" (quiet hours) or
 * OFF_NUMBER (gap, caps) removes the rule for it alone.
 */
export function effectivePolicy(
  group: PolicyRules,
  global: PolicyRules,
  receiveCap: ReceiveCap | null = null,
): EffectivePolicy {
  const own = <T>(value: T | null, off: T, inherited: T | null): T | null =>
    value === off ? null : (value ?? inherited);
  return {
    quietHours: own(group.quietHours, OFF, global.quietHours),
    minGapMinutes: own(group.minGapMinutes, OFF_NUMBER, global.minGapMinutes) ?? 0,
    dailyCap: own(group.dailyCap, OFF_NUMBER, global.dailyCap),
    promoCap: own(group.promoCap, OFF_NUMBER, global.promoCap),
    blackoutDates: new Set([...(global.blackoutDates ?? []), ...(group.blackoutDates ?? [])]),
    receiveCap,
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A small memo for the zone arithmetic the policy repeats for every post (a plan asks it 100,000
 * times): results that depend only on the local minute or the local day, keyed by them.
 */
function memo<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    if (cache.size >= 10_000) cache.clear();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

const MINUTE_MS = 60_000;

/** When quiet hours that include `now` end, in the group's zone; undefined outside them. */
export function quietHoursEnd(quietHours: string | null, now: Date, zone: string): Date | undefined {
  if (!quietHours) return undefined;
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const end = quietEnds(`${quietHours}|${zone}|${minute}`);
  return end === undefined ? undefined : new Date(end);
}

const quietEnds = memo((key: string): number | undefined => {
  const [quietHours, zone, minute] = key.split('|');
  return computeQuietHoursEnd(quietHours, new Date(Number(minute) * MINUTE_MS), zone)?.getTime();
});

function computeQuietHoursEnd(quietHours: string, now: Date, zone: string): Date | undefined {
  const [start, end] = quietHours.split('-').map(minutesOf);
  if (start === end) return undefined;
  const local = DateTime.fromJSDate(now, { zone });
  const minute = local.hour * 60 + local.minute;
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const endDay = crossesMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  return localInstant(
    { year: endDay.year, month: endDay.month, day: endDay.day },
    Math.floor(end / 60),
    end % 60,
    zone,
  ).toJSDate();
}

/** The start of the local day containing `now`, and of the next one. */
export function localDay(now: Date, zone: string): { start: Date; next: Date; date: string } {
  const day = localDays(`${zone}|${Math.floor(now.getTime() / QUARTER_HOUR_MS)}`);
  return { start: new Date(day.start), next: new Date(day.next), date: day.date };
}

const localDays = memo((key: string) => {
  const [zone, quarter] = key.split('|');
  const local = DateTime.fromMillis(Number(quarter) * QUARTER_HOUR_MS, { zone }).startOf('day');
  return { start: local.toMillis(), next: local.plus({ days: 1 }).toMillis(), date: local.toISODate() as string };
});

/** The same local time on the first day after `due` that is not a blackout date. */
export function shiftPastBlackout(due: Date, zone: string, blackout: Set<string>): Date {
  let local = DateTime.fromJSDate(due, { zone });
  while (blackout.has(local.toISODate() as string)) local = local.plus({ days: 1 });
  return localInstant(
    { year: local.year, month: local.month, day: local.day },
    local.hour,
    local.minute,
    zone,
  ).toJSDate();
}
