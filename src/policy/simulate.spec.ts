import { EffectivePolicy } from './policy';
import { SimGroup, SimPost, simulate } from './simulate';

const NONE: EffectivePolicy = {
  quietHours: null,
  minGapMinutes: 0,
  dailyCap: null,
  promoCap: null,
  blackoutDates: new Set(),
  receiveCap: null,
};
const SHIFT = { blackoutMode: 'shift' as const, catchUp: null };
const group = (policy: Partial<EffectivePolicy>, extra: Partial<SimGroup> = {}): SimGroup => ({
  policy: { ...NONE, ...policy },
  zone: 'Asia/Shanghai',
  rateLimits: [],
  lastSentAt: null,
  sent: [],
  ...extra,
});
const post = (id: string, due: string, extra: Partial<SimPost> = {}): SimPost => ({
  id,
  dueAt: new Date(due),
  promotional: false,
  run: SHIFT,
  ...extra,
});
const NOW = new Date('2026-11-23T00:00:00Z');
const shown = (predictions: ReturnType<typeof simulate>) =>
  predictions.map((p) => [
    p.id,
    p.at?.toISOString() ?? null,
    p.moves.map((m) => `${m.code}: ${m.reason}`),
    p.skipped && `${p.skipped.code}: ${p.skipped.reason}`,
  ]);

describe('predicting one group’s sends', () => {
  it('moves a post due in quiet hours to their end', () => {
    const result = simulate(group({ quietHours: '22:30-07:30' }), [post('a', '2026-11-23T15:00:00Z')], NOW);
    expect(shown(result)).toEqual([['a', '2026-11-23T23:30:00.000Z', ['quiet_hours: quiet hours 22:30-07:30'], null]]);
  });

  it('sends a group’s posts one at a time, the gap apart', () => {
    const result = simulate(
      group({ minGapMinutes: 10 }),
      [post('a', '2026-11-23T02:00:00Z'), post('b', '2026-11-23T02:00:00Z')],
      NOW,
    );
    expect(shown(result)).toEqual([
      ['a', '2026-11-23T02:00:00.000Z', [], null],
      [
        'b',
        '2026-11-23T02:10:00.000Z',
        ['order: waits for post a, due earlier to the same group', 'min_gap: minimum gap of 10 min'],
        null,
      ],
    ]);
  });

  it('counts what was sent today against the daily cap, and holds the rest to the next local day', () => {
    const result = simulate(
      group({ dailyCap: 2 }, { sent: [{ at: new Date('2026-11-23T01:00:00Z'), promotional: false }] }),
      [post('a', '2026-11-23T02:00:00Z'), post('b', '2026-11-23T03:00:00Z')],
      NOW,
    );
    expect(shown(result)).toEqual([
      ['a', '2026-11-23T02:00:00.000Z', [], null],
      ['b', '2026-11-23T16:00:00.000Z', ['daily_cap: daily cap of 2 reached'], null],
    ]);
  });

  it('spaces sends to keep under the robot’s rate limit', () => {
    const result = simulate(
      group({}, { rateLimits: [{ limit: 2, windowMs: 60_000 }] }),
      ['a', 'b', 'c'].map((id) => post(id, '2026-11-23T02:00:00Z')),
      NOW,
    );
    expect(result.map((p) => p.at?.toISOString())).toEqual([
      '2026-11-23T02:00:00.000Z',
      '2026-11-23T02:00:00.500Z',
      '2026-11-23T02:01:00.000Z',
    ]);
    expect(result[2].moves).toContainEqual({ code: 'rate_limit', reason: 'provider rate limit for this address' });
  });

  it('skips a post due on a blackout date when its run skips, and the next one does not wait for it', () => {
    const result = simulate(
      group({ blackoutDates: new Set(['2026-11-23']) }),
      [
        post('a', '2026-11-23T02:00:00Z', { run: { blackoutMode: 'skip', catchUp: null } }),
        post('b', '2026-11-24T02:00:00Z'),
      ],
      NOW,
    );
    expect(shown(result)).toEqual([
      ['a', null, [], 'blackout: 2026-11-23 is a blackout date'],
      ['b', '2026-11-24T02:00:00.000Z', [], null],
    ]);
  });

  it('never predicts a time before now', () => {
    const result = simulate(group({}), [post('a', '2026-11-22T02:00:00Z')], NOW);
    expect(result[0].at).toEqual(NOW);
  });
});
