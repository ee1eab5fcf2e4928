import { slotsIn } from './slots';

const OPEN = { startDate: null, endDate: null };
const iso = (slots: { dueAt: Date; localDate: string }[]) => slots.map((s) => [s.dueAt.toISOString(), s.localDate]);

describe('routine slots', () => {
  it('gives one slot a day at the local time, in (from, to]', () => {
    const slots = slotsIn(
      { every: 'day', at: '08:00' },
      'Asia/Shanghai',
      new Date('2026-11-23T00:00:00Z'), // 08:00 in Shanghai: excluded, it is `from`
      new Date('2026-11-26T00:00:00Z'),
      OPEN,
    );
    expect(iso(slots)).toEqual([
      ['2026-11-24T00:00:00.000Z', '2026-11-24'],
      ['2026-11-25T00:00:00.000Z', '2026-11-25'],
      ['2026-11-26T00:00:00.000Z', '2026-11-26'],
    ]);
  });

  it('keeps to the ISO weekdays of a weekly schedule', () => {
    // 2026-11-23 is a Monday.
    const slots = slotsIn(
      { every: 'week', at: '20:00', weekdays: [1, 3, 5] },
      'Europe/Berlin',
      new Date('2026-11-22T23:00:00Z'),
      new Date('2026-11-29T23:00:00Z'),
      OPEN,
    );
    expect(slots.map((s) => s.localDate)).toEqual(['2026-11-23', '2026-11-25', '2026-11-27']);
    expect(slots[0].dueAt.toISOString()).toBe('2026-11-23T19:00:00.000Z');
  });

  it('keeps to the start and end dates, in local dates', () => {
    const slots = slotsIn(
      { every: 'day', at: '22:00' },
      'Asia/Shanghai',
      new Date('2026-11-20T00:00:00Z'),
      new Date('2026-11-30T00:00:00Z'),
      { startDate: '2026-11-24', endDate: '2026-11-25' },
    );
    expect(iso(slots)).toEqual([
      ['2026-11-24T14:00:00.000Z', '2026-11-24'],
      ['2026-11-25T14:00:00.000Z', '2026-11-25'],
    ]);
  });

  it('moves a slot in the spring-forward gap to the first minute after it, and takes the first of a doubled hour', () => {
    const spring = slotsIn(
      { every: 'day', at: '02:30' },
      'America/New_York',
      new Date('2026-03-08T00:00:00Z'),
      new Date('2026-03-09T00:00:00Z'),
      OPEN,
    );
    expect(iso(spring)).toEqual([['2026-03-08T07:00:00.000Z', '2026-03-08']]);
    const fall = slotsIn(
      { every: 'day', at: '01:30' },
      'America/New_York',
      new Date('2026-11-01T00:00:00Z'),
      new Date('2026-11-02T00:00:00Z'),
      OPEN,
    );
    expect(iso(fall)).toEqual([['2026-11-01T05:30:00.000Z', '2026-11-01']]);
  });
});
