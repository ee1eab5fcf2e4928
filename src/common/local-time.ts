import { DateTime } from 'luxon';

/**
 * A wall-clock time in a zone as an instant. A time that does not exist (the spring-forward gap)
 * moves forward to the next valid minute; a time that exists twice (fall back) takes the first.
 */
export function localInstant(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  zone: string,
): DateTime {
  const wall = DateTime.fromObject({ ...date, hour, minute }, { zone: 'UTC' });
  for (let step = 0; step <= 24 * 60; step++) {
    const want = wall.plus({ minutes: step });
    const local = DateTime.fromObject(
      { year: want.year, month: want.month, day: want.day, hour: want.hour, minute: want.minute },
      { zone },
    );
    if (local.hour !== want.hour || local.minute !== want.minute) continue;
    for (const shift of [60, 30, 120]) {
      const earlier = local.minus({ minutes: shift });
      if (earlier.hour === local.hour && earlier.minute === local.minute && earlier.day === local.day) return earlier;
    }
    return local;
  }
  throw new Error(`no valid local time near ${wall.toISODate()} ${hour}:${minute} in ${zone}`);
}
