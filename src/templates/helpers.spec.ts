import { formatDate, formatNumber, formatPrice, truncate } from './helpers';

describe('date helper', () => {
  it('renders in the group time zone and in Chinese', () => {
    expect(formatDate('2026-11-23T00:30:00Z', 'M月d日 EEEE', 'Asia/Shanghai')).toBe('11月23日 星期一');
    expect(formatDate('2026-11-23T00:30:00Z', 'M月d日 EEEE', 'America/New_York')).toBe('11月22日 星期日');
  });

  it('follows New York across the end of daylight saving time (1 Nov 2026)', () => {
    // 12:00 UTC is 08:00 (UTC-4) the day before the change and 07:00 (UTC-5) the day after.
    expect(formatDate('2026-10-31T12:00:00Z', 'M月d日 HH:mm ZZ', 'America/New_York')).toBe('10月31日 08:00 -04:00');
    expect(formatDate('2026-11-02T12:00:00Z', 'M月d日 HH:mm ZZ', 'America/New_York')).toBe('11月2日 07:00 -05:00');
  });

  it('follows New York across the start of daylight saving time (8 Mar 2026)', () => {
    expect(formatDate('2026-03-08T06:30:00Z', 'HH:mm', 'America/New_York')).toBe('01:30');
    expect(formatDate('2026-03-08T07:30:00Z', 'HH:mm', 'America/New_York')).toBe('03:30');
  });

  it('is the same on both sides of those dates in Shanghai, which has no daylight saving', () => {
    expect(formatDate('2026-10-31T00:00:00Z', 'HH:mm', 'Asia/Shanghai')).toBe('08:00');
    expect(formatDate('2026-11-02T00:00:00Z', 'HH:mm', 'Asia/Shanghai')).toBe('08:00');
  });

  it("reads the service's own timestamps, other ISO spellings, Dates and epoch milliseconds alike", () => {
    const at = '11月23日 08:30';
    expect(formatDate('2026-11-23T00:30:00.000Z', 'M月d日 HH:mm', 'Asia/Shanghai')).toBe(at);
    expect(formatDate('2026-11-23T08:30+08:00', 'M月d日 HH:mm', 'Asia/Shanghai')).toBe(at);
    expect(formatDate(new Date('2026-11-23T00:30:00Z'), 'M月d日 HH:mm', 'Asia/Shanghai')).toBe(at);
    expect(formatDate(Date.UTC(2026, 10, 23, 0, 30), 'M月d日 HH:mm', 'Asia/Shanghai')).toBe(at);
  });

  it('names the zone when the format asks for its name', () => {
    expect(formatDate('2026-11-23T00:30:00Z', 'HH:mm z', 'Asia/Shanghai')).toBe('08:30 Asia/Shanghai');
  });

  it('renders nothing for a value that is not a date', () => {
    expect(formatDate('tomorrow', 'M月d日', 'Asia/Shanghai')).toBe('');
    expect(formatDate('2026-02-30T00:00:00Z', 'M月d日', 'Asia/Shanghai')).toBe('');
    expect(formatDate(new Date(Number.NaN), 'M月d日', 'Asia/Shanghai')).toBe('');
    expect(formatDate(Number.POSITIVE_INFINITY, 'M月d日', 'Asia/Shanghai')).toBe('');
  });
});

describe('price, number and truncate helpers', () => {
  it('prints whole prices without decimals and others with two', () => {
    expect(formatPrice(1299)).toBe('¥1,299');
    expect(formatPrice(89.9)).toBe('¥89.90');
    expect(formatPrice('x')).toBe('');
  });

  it('groups thousands', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
  });

  it('counts Chinese characters and emoji as one each', () => {
    expect(truncate('今天天气真好适合出门', 4)).toBe('今天天气…');
    expect(truncate('👨‍👩‍👧早上好', 2)).toBe('👨‍👩‍👧早…');
    expect(truncate('短', 4)).toBe('短');
  });
});
