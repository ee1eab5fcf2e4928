import { DateTime } from 'luxon';
import { inZone, localWall } from './local-time';

const wall = (iso: string, zone: string) => inZone(new Date(iso), zone).toFormat('yyyy-MM-dd HH:mm:ss ZZ');

describe('inZone', () => {
  it('reads the offset on each side of New York’s clock changes, to the second', () => {
    expect(wall('2026-03-08T06:59:59Z', 'America/New_York')).toBe('2026-03-08 01:59:59 -05:00');
    expect(wall('2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-08 03:00:00 -04:00');
    expect(wall('2026-11-01T05:59:59Z', 'America/New_York')).toBe('2026-11-01 01:59:59 -04:00');
    expect(wall('2026-11-01T06:00:00Z', 'America/New_York')).toBe('2026-11-01 01:00:00 -05:00');
  });

  it('agrees with Luxon’s own zone handling, and so do the local date and time, through every clock change of a year, in zones with odd offsets', () => {
    const zones = ['America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/Dublin'];
    const day = 86_400_000;
    const start = Date.UTC(2026, 0, 1);
    const mismatches: string[] = [];
    let changes = 0;
    for (const zone of zones) {
      for (let ms = start; ms < start + 366 * day; ms += day) {
        if (DateTime.fromMillis(ms, { zone }).offset === DateTime.fromMillis(ms + day, { zone }).offset) continue;
        changes++;
        // Every minute of the day the offset changes, and the second before each quarter hour.
        for (let at = ms; at <= ms + day; at += 60_000) {
          for (const instant of [at, at - 1000]) {
            const luxon = DateTime.fromMillis(instant, { zone });
            const ours = inZone(instant, zone).toFormat('yyyy-MM-dd HH:mm:ss ZZ');
            const wall = localWall(new Date(instant), zone);
            for (const [mine, theirs] of [
              [ours, luxon.toFormat('yyyy-MM-dd HH:mm:ss ZZ')],
              [`${wall?.date} ${wall?.time}`, luxon.toFormat('yyyy-MM-dd HH:mm')],
            ]) {
              if (mine !== theirs) mismatches.push(`${zone} ${new Date(instant).toISOString()}: ${mine} vs ${theirs}`);
            }
          }
        }
      }
    }
    expect(changes).toBe(8); // Kathmandu keeps one offset; the other four change twice.
    expect(mismatches).toEqual([]);
  });

  it('answers an unknown zone with an invalid date, as Luxon does', () => {
    expect(inZone(0, 'Mars/Olympus').isValid).toBe(false);
    expect(localWall(new Date(0), 'Mars/Olympus')).toBeNull();
  });
});
