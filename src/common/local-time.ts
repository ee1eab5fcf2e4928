import { LRUCache } from 'lru-cache';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

/**
 * Every change of a zone's offset since 1970 falls on a quarter hour of UTC (offsets are whole
 * quarter hours), and so does every local midnight.
 */
export const QUARTER_HOUR_MS = 15 * 60_000;
const offsets = new LRUCache<string, number>({ max: 20_000 });

/**
 * An instant as a date and time in a zone, to read or format (not to name the zone: it carries
 * the zone's offset at that instant, not the zone). The offset is worked out once per zone and
 * quarter hour, since asking Intl for it costs more than everything else about a date.
 */
export function inZone(at: Date | number, zone: string, locale?: string): DateTime {
  const ms = typeof at === 'number' ? at : at.getTime();
  const offset = offsetAt(ms, zone);
  if (offset === undefined) return DateTime.fromMillis(ms, { zone, locale });
  return DateTime.fromMillis(ms, { zone: FixedOffsetZone.instance(offset), locale });
}

/**
 * An instant's local date (yyyy-MM-dd) and time (HH:mm) in a zone, as `inZone` would format them,
 * without a Luxon date: a calendar page writes one pair per entry. Null for a zone Intl does not know.
 */
export function localWall(at: Date, zone: string): { date: string; time: string } | null {
  const offset = offsetAt(at.getTime(), zone);
  if (offset === undefined) return null;
  const wall = new Date(at.getTime() + offset * 60_000).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** The zone's offset in minutes at an instant, from the cache; undefined for an unknown zone. */
function offsetAt(ms: number, zone: string): number | undefined {
  const key = `${zone}\u0000${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const named = IANAZone.create(zone);
    if (!named.isValid || !Number.isFinite(ms)) return undefined;
    offset = named.offset(ms);
    offsets.set(key, offset);
  }
  return offset;
}

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
