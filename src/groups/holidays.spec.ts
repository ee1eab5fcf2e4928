import { holidayPresets } from './holidays';

describe('holiday presets', () => {
  it('gives 2026’s Spring Festival its nine days off and its two make-up working Saturdays, from the library', () => {
    const spring = holidayPresets(2026).find((p) => p.name === '春节')!;
    expect(spring).toMatchObject({ id: 'spring_festival_2026', kind: 'statutory' });
    expect(spring.holidays).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(spring.workdays).toEqual(['2026-02-14', '2026-02-28']);
  });

  it('lists each statutory holiday once, and the shopping peaks by their dates', () => {
    const presets = holidayPresets(2026);
    expect(presets.filter((p) => p.kind === 'statutory').map((p) => p.name)).toEqual([
      '元旦',
      '春节',
      '清明',
      '劳动节',
      '端午',
      '中秋',
      '国庆节',
    ]);
    expect(presets.filter((p) => p.kind === 'shopping').map((p) => [p.name, p.holidays])).toEqual([
      ['618', ['2026-06-18']],
      ['双11', ['2026-11-11']],
      ['双12', ['2026-12-12']],
    ]);
  });
});
