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

  it('counts day N from the run’s start date in each group’s zone', () => {
    const start = new Date('2026-11-22T20:00:00Z'); // 04:00 on the 23rd in Shanghai, 15:00 on the 22nd in New York
    const timings = [{ day: 0, at: '08:00' }, { after: 'PT30M' }, { day: 1, at: '22:00' }];
    expect(dueTimes(timings, start, 'Asia/Shanghai').map((d) => d.toISOString())).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-23T00:30:00.000Z',
      '2026-11-24T14:00:00.000Z',
    ]);
    expect(dueTimes(timings, start, 'America/New_York').map((d) => d.toISOString())).toEqual([
      '2026-11-22T13:00:00.000Z',
      '2026-11-22T13:30:00.000Z',
      '2026-11-24T03:00:00.000Z',
    ]);
  });

  it('moves a time in the spring-forward gap to the next valid minute', () => {
    expect(localInstant({ year: 2026, month: 3, day: 8 }, 2, 30, 'America/New_York').toISO()).toBe(
      '2026-03-08T03:00:00.000-04:00',
    );
    const start = new Date('2026-03-07T17:00:00Z');
    expect(dueTimes([{ day: 1, at: '02:30' }], start, 'America/New_York')[0].toISOString()).toBe(
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
