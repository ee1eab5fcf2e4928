import { DateTime } from 'luxon';
import { localInstant } from '../common/local-time';

export type RoutineSchedule = { every: 'day'; at: string } | { every: 'week'; at: string; weekdays: number[] };

/** The local dates a routine keeps to, either end open. */
export interface DateBounds {
  startDate: string | null;
  endDate: string | null;
}

export interface Slot {
  dueAt: Date;
  /** The slot's date in the group's zone, YYYY-MM-DD. */
  localDate: string;
}

/**
 * A routine's slots in one zone that fall in (from, to], oldest first: the schedule's local time
 * on each local date it names, DST as campaigns do it (a time in the spring-forward gap moves to
 * the first minute after it; a time that happens twice takes the first).
 */
export function slotsIn(schedule: RoutineSchedule, zone: string, from: Date, to: Date, bounds: DateBounds): Slot[] {
  const [hour, minute] = schedule.at.split(':').map(Number);
  const first = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone }).startOf('day').plus({ days: 1 });
  const slots: Slot[] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    const localDate = day.toISODate() as string;
    if (bounds.startDate && localDate < bounds.startDate) continue;
    if (bounds.endDate && localDate > bounds.endDate) continue;
    if (schedule.every === 'week' && !schedule.weekdays.includes(day.weekday)) continue;
    const dueAt = localInstant({ year: day.year, month: day.month, day: day.day }, hour, minute, zone).toJSDate();
    if (dueAt > from && dueAt <= to) slots.push({ dueAt, localDate });
  }
  return slots;
}
