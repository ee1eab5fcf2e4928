import { AuthFailures } from './auth-failures';

describe('AuthFailures', () => {
  it('lets a client fail up to the limit in a minute, then makes it wait until the minute is over', () => {
    let now = 1_000_000;
    const failures = new AuthFailures(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(failures.waitMs('10.0.0.1')).toBe(0);
      failures.record('10.0.0.1');
    }
    now += 20_000;
    expect(failures.waitMs('10.0.0.1')).toBe(40_000);
    expect(failures.waitMs('10.0.0.2')).toBe(0);
    now += 40_000;
    expect(failures.waitMs('10.0.0.1')).toBe(0);
    failures.record('10.0.0.1');
    expect(failures.waitMs('10.0.0.1')).toBe(0);
  });
});
