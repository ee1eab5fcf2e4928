import { localInstant } from '../common/local-time';
import { dueTimes, timingProblem } from './timing';

describe('timing rules', () => {
  it('parses day/at and ISO durations, and says what is wrong otherwise', () => {
    expect(timingProblem({ day: 0, at: '08:00' })).toBeUndefined();
    expect(timingProblem({ after: 'PT30M' })).toBeUndefined();
    expect(timingProblem({ after: 'PT5S' })).toBeUndefined();
    expect(timingProblem({ day: -1, at: '08:00' })).toMatch(/day/);
    expect(timingProblem({ day: 1, at: '8am' })).toMatch(/HH:mm/);
    expect(timingProblem({ after: '30 minutes' })).toMatch(/ISO-8601/);
    expect(timingProblem({ day: 1, at: '08:00', after: 'PT1M' })).toMatch(/nothing else/);
    expect(timingProblem('tomorrow')).toMatch(/must be/);
  });

  it('counts day N from the run’s start date in each group’s zone, never before the start', () => {
    const start = new Date('2026-11-22T20:00:00Z'); // 04:00 on the 23rd in Shanghai, 15:00 on the 22nd in New York
    const timings = [{ day: 0, at: '08:00' }, { after: 'PT30M' }, { day: 1, at: '22:00' }];
    const iso = (zone: string) => dueTimes(timings, start, zone).map((d) => [d.at.toISOString(), d.passed]);
    expect(iso('Asia/Shanghai')).toEqual([
      ['2026-11-23T00:00:00.000Z', undefined],
      ['2026-11-23T00:30:00.000Z', undefined],
      ['2026-11-24T14:00:00.000Z', undefined],
    ]);
    // 08:00 on the 22nd had passed in New York at 15:00: the step goes at the start, the next 30 min after it.
    expect(iso('America/New_York')).toEqual([
      ['2026-11-22T20:00:00.000Z', 'day 0 at 08:00 had already passed in America/New_York at the start'],
      ['2026-11-22T20:30:00.000Z', undefined],
      ['2026-11-24T03:00:00.000Z', undefined],
    ]);
  });

  it('is due at or after the start in every zone from UTC−12 to UTC+14, at every hour of the start', () => {
    const zones = [
      'Etc/GMT+12',
      'America/New_York',
      'Europe/Berlin',
      'Asia/Shanghai',
      'Asia/Kathmandu',
      'Pacific/Kiritimati',
    ];
    const timings = [
      { day: 0, at: '00:00' },
      { day: 0, at: '08:00' },
      { day: 0, at: '23:59' },
      { day: 1, at: '00:00' },
    ];
    for (let hour = 0; hour < 24; hour++) {
      const start = new Date(Date.UTC(2026, 11, 8, hour, 17));
      for (const zone of zones) {
        for (const due of dueTimes(timings, start, zone))
          expect(due.at.getTime()).toBeGreaterThanOrEqual(start.getTime());
      }
    }
  });

  it('moves a time in the spring-forward gap to the next valid minute', () => {
    expect(localInstant({ year: 2026, month: 3, day: 8 }, 2, 30, 'America/New_York').toISO()).toBe(
      '2026-03-08T03:00:00.000-04:00',
    );
    const start = new Date('2026-03-07T17:00:00Z');
    expect(dueTimes([{ day: 1, at: '02:30' }], start, 'America/New_York')[0].at.toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('takes the first of a time that happens twice when clocks fall back', () => {
    expect(localInstant({ year: 2026, month: 11, day: 1 }, 1, 30, 'America/New_York').toISO()).toBe(
      '2026-11-01T01:30:00.000-04:00',
    );
  });

  it('leaves ordinary times alone', () => {
    expect(localInstant({ year: 2026, month: 11, day: 23 }, 8, 0, 'Asia/Shanghai').toISO()).toBe(
      '2026-11-23T08:00:00.000+08:00',
    );
  });
});
