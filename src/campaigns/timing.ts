import { DateTime, Duration } from 'luxon';
import { localInstant } from '../common/local-time';

export type Timing = { day: number; at: string } | { after: string };

const AT = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MAX_DAY = 365;
/** One step waits at most a year (366 days) after the one before it. */
const MAX_AFTER_MS = 366 * 86_400_000;

/** The problem with a timing rule, or undefined when it parses. */
export function timingProblem(timing: unknown): string | undefined {
  if (typeof timing !== 'object' || timing === null) return 'must be { day, at } or { after }';
  const keys = Object.keys(timing).sort().join(',');
  if (keys === 'at,day') {
    const { day, at } = timing as { day: unknown; at: unknown };
    if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > MAX_DAY)
      return `day must be a whole number from 0 to ${MAX_DAY}`;
    if (typeof at !== 'string' || !AT.test(at)) return 'at must be HH:mm, e.g. 08:00';
    return undefined;
  }
  if (keys === 'after') {
    const { after } = timing as { after: unknown };
    const duration = typeof after === 'string' ? Duration.fromISO(after) : undefined;
    if (!duration?.isValid || duration.as('milliseconds') < 0)
      return 'after must be an ISO-8601 duration such as PT30M or PT10S';
    if (!(duration.as('milliseconds') <= MAX_AFTER_MS)) return 'after must be at most 366 days (P366D)';
    return undefined;
  }
  return 'must be { day, at } or { after }, nothing else';
}

export function afterMs(after: string): number {
  return Duration.fromISO(after).as('milliseconds');
}

/** Minutes from day 0, 00:00 local: used to check that steps never go back in time. */
export function nominalMinutes(timing: Timing, previous: number): number {
  if ('after' in timing) return previous + afterMs(timing.after) / 60_000;
  const [h, m] = timing.at.split(':').map(Number);
  return timing.day * 1440 + h * 60 + m;
}

export interface StepDue {
  at: Date;
  /** The step's own time had passed in the group's zone at the start: it is due at the start instead. */
  passed?: string;
}

/**
 * Due times of a run's steps for one group: day N counts from the run's start date in the group's
 * zone, and nothing is due before the start itself (a group whose clock is already past a day-0
 * step's time gets it at the start, saying so).
 */
export function dueTimes(timings: Timing[], start: Date, zone: string): StepDue[] {
  const startLocal = DateTime.fromJSDate(start, { zone });
  const due: StepDue[] = [];
  let previous = start;
  for (const timing of timings) {
    if ('after' in timing) {
      previous = new Date(previous.getTime() + afterMs(timing.after));
      due.push({ at: previous });
      continue;
    }
    const date = startLocal.plus({ days: timing.day });
    const [hour, minute] = timing.at.split(':').map(Number);
    const own = localInstant({ year: date.year, month: date.month, day: date.day }, hour, minute, zone).toJSDate();
    if (own < start) {
      previous = start;
      due.push({ at: start, passed: `day ${timing.day} at ${timing.at} had already passed in ${zone} at the start` });
    } else {
      previous = own;
      due.push({ at: own });
    }
  }
  return due;
}
