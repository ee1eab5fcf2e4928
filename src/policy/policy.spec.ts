import { PolicyRules, SHIPPED_POLICY, effectivePolicy, localDay, quietHoursEnd, shiftPastBlackout } from './policy';

describe('policy time rules', () => {
  const at = (iso: string) => new Date(iso);

  it('finds the end of quiet hours that cross midnight, on either side of midnight', () => {
    // 22:30–07:30 in Shanghai (UTC+8)
    expect(quietHoursEnd('22:30-07:30', at('2026-11-23T15:00:00Z'), 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-11-23T23:30:00.000Z',
    );
    expect(quietHoursEnd('22:30-07:30', at('2026-11-23T18:00:00Z'), 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-11-23T23:30:00.000Z',
    );
    expect(quietHoursEnd('22:30-07:30', at('2026-11-23T02:00:00Z'), 'Asia/Shanghai')).toBeUndefined();
  });

  it('handles quiet hours within one day and ignores an empty window', () => {
    expect(quietHoursEnd('12:00-14:00', at('2026-11-23T04:30:00Z'), 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
    expect(quietHoursEnd('12:00-14:00', at('2026-11-23T06:00:00Z'), 'Asia/Shanghai')).toBeUndefined();
    expect(quietHoursEnd('08:00-08:00', at('2026-11-23T00:00:00Z'), 'Asia/Shanghai')).toBeUndefined();
  });

  it('knows the local day in the group’s zone', () => {
    expect(localDay(at('2026-11-23T18:00:00Z'), 'Asia/Shanghai')).toEqual({
      start: at('2026-11-23T16:00:00Z'),
      next: at('2026-11-24T16:00:00Z'),
      date: '2026-11-24',
    });
  });

  it('shifts a post past blackout dates to the same local time', () => {
    const due = at('2026-12-31T00:00:00Z'); // 08:00 on 31 Dec in Shanghai
    expect(shiftPastBlackout(due, 'Asia/Shanghai', new Set(['2026-12-31', '2027-01-01'])).toISOString()).toBe(
      '2027-01-02T00:00:00.000Z',
    );
  });

  describe('a group over the global rules', () => {
    const unset: PolicyRules = {
      quietHours: null,
      minGapMinutes: null,
      dailyCap: null,
      promoCap: null,
      blackoutDates: null,
    };

    it('inherits the shipped rules when neither sets any', () => {
      expect(effectivePolicy(unset, SHIPPED_POLICY)).toEqual({
        quietHours: '23:00-07:00',
        minGapMinutes: 10,
        dailyCap: 6,
        promoCap: 1,
        blackoutDates: new Set(),
        receiveCap: null,
      });
    });

    it('takes its own values, and turns each rule off for itself alone', () => {
      const own = { ...unset, quietHours: '22:00-08:00', dailyCap: 2 };
      expect(effectivePolicy(own, SHIPPED_POLICY)).toMatchObject({
        quietHours: '22:00-08:00',
        minGapMinutes: 10,
        dailyCap: 2,
        promoCap: 1,
      });
      const off = { quietHours: 'off', minGapMinutes: -1, dailyCap: -1, promoCap: -1, blackoutDates: ['2026-12-25'] };
      expect(effectivePolicy(off, { ...SHIPPED_POLICY, blackoutDates: ['2027-01-01'] })).toEqual({
        quietHours: null,
        minGapMinutes: 0,
        dailyCap: null,
        promoCap: null,
        blackoutDates: new Set(['2027-01-01', '2026-12-25']),
        receiveCap: null,
      });
    });

    it('has no rule where the global rules were removed and the group sets none', () => {
      const none: PolicyRules = {
        quietHours: null,
        minGapMinutes: null,
        dailyCap: null,
        promoCap: null,
        blackoutDates: [],
      };
      expect(effectivePolicy(unset, none)).toEqual({
        quietHours: null,
        minGapMinutes: 0,
        dailyCap: null,
        promoCap: null,
        blackoutDates: new Set(),
        receiveCap: null,
      });
    });
  });
});
