import { DeferCode, Decision, PolicyHistory, decide } from './decide';
import { EffectivePolicy } from './policy';

const NONE: EffectivePolicy = {
  quietHours: null,
  minGapMinutes: 0,
  dailyCap: null,
  promoCap: null,
  blackoutDates: new Set(),
  receiveCap: null,
};
const QUIET: PolicyHistory = {
  run: { blackoutMode: 'shift', catchUp: null },
  earlierStepStillLate: null,
  blocker: null,
  lastSentAt: null,
  sentToday: { total: 0, promotional: 0 },
};

interface Case {
  name: string;
  now: string;
  zone?: string;
  /** When the post came due; the same as `now` unless given. */
  due?: string;
  promotional?: boolean;
  step?: number;
  policy?: Partial<EffectivePolicy>;
  history?: Partial<PolicyHistory>;
  expected:
    | { action: 'send' }
    | { action: 'defer'; until: string; reason: string; code: DeferCode; blocker?: string }
    | { action: 'skip'; reason: string; code: string };
}

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

const CASES: Case[] = [
  { name: 'no rules: send', now: '2026-11-23T02:00:00Z', expected: { action: 'send' } },
  {
    name: 'quiet hours across midnight, before midnight: wait for the morning',
    now: '2026-11-23T15:00:00Z', // 23:00 in Shanghai
    policy: { quietHours: '22:30-07:30' },
    expected: {
      action: 'defer',
      until: '2026-11-23T23:30:00.000Z',
      reason: 'quiet hours 22:30-07:30',
      code: 'quiet_hours',
    },
  },
  {
    name: 'quiet hours across midnight, after midnight: the same morning',
    now: '2026-11-23T18:00:00Z', // 02:00 in Shanghai, the 24th
    policy: { quietHours: '22:30-07:30' },
    expected: {
      action: 'defer',
      until: '2026-11-23T23:30:00.000Z',
      reason: 'quiet hours 22:30-07:30',
      code: 'quiet_hours',
    },
  },
  {
    name: 'outside quiet hours: send',
    now: '2026-11-23T02:00:00Z', // 10:00 in Shanghai
    policy: { quietHours: '22:30-07:30' },
    expected: { action: 'send' },
  },
  {
    name: 'quiet hours ending in the spring-forward gap end at the first minute that exists',
    zone: NY,
    now: '2026-03-08T04:30:00Z', // 23:30 EST on 7 March; 02:30 on the 8th does not exist
    policy: { quietHours: '23:00-02:30' },
    expected: {
      action: 'defer',
      until: '2026-03-08T07:00:00.000Z',
      reason: 'quiet hours 23:00-02:30',
      code: 'quiet_hours',
    },
  },
  {
    name: 'quiet hours on the fall-back night end at the first 01:30',
    zone: NY,
    now: '2026-11-01T04:30:00Z', // 00:30 EDT
    policy: { quietHours: '00:00-01:30' },
    expected: {
      action: 'defer',
      until: '2026-11-01T05:30:00.000Z',
      reason: 'quiet hours 00:00-01:30',
      code: 'quiet_hours',
    },
  },
  {
    name: 'minimum gap not yet over: wait for it',
    now: '2026-11-23T02:00:00Z',
    policy: { minGapMinutes: 10 },
    history: { lastSentAt: new Date('2026-11-23T01:55:00Z') },
    expected: { action: 'defer', until: '2026-11-23T02:05:00.000Z', reason: 'minimum gap of 10 min', code: 'min_gap' },
  },
  {
    name: 'minimum gap over: send',
    now: '2026-11-23T02:00:00Z',
    policy: { minGapMinutes: 10 },
    history: { lastSentAt: new Date('2026-11-23T01:50:00Z') },
    expected: { action: 'send' },
  },
  {
    name: 'daily cap reached: the next local midnight',
    now: '2026-11-23T02:00:00Z',
    policy: { dailyCap: 2 },
    history: { sentToday: { total: 2, promotional: 0 } },
    expected: {
      action: 'defer',
      until: '2026-11-23T16:00:00.000Z',
      reason: 'daily cap of 2 reached',
      code: 'daily_cap',
    },
  },
  {
    name: 'daily cap not reached: send',
    now: '2026-11-23T02:00:00Z',
    policy: { dailyCap: 2 },
    history: { sentToday: { total: 1, promotional: 0 } },
    expected: { action: 'send' },
  },
  {
    name: 'promotional cap reached, promotional post: the next local midnight',
    now: '2026-11-23T02:00:00Z',
    promotional: true,
    policy: { promoCap: 1 },
    history: { sentToday: { total: 1, promotional: 1 } },
    expected: {
      action: 'defer',
      until: '2026-11-23T16:00:00.000Z',
      reason: 'promotional cap of 1 reached',
      code: 'promo_cap',
    },
  },
  {
    name: 'promotional cap reached, ordinary post: send',
    now: '2026-11-23T02:00:00Z',
    policy: { promoCap: 1 },
    history: { sentToday: { total: 1, promotional: 1 } },
    expected: { action: 'send' },
  },
  {
    name: 'blackout date, run skips: skipped',
    now: '2026-11-23T02:00:00Z',
    policy: { blackoutDates: new Set(['2026-11-23']) },
    history: { run: { blackoutMode: 'skip', catchUp: null } },
    expected: { action: 'skip', code: 'blackout', reason: '2026-11-23 is a blackout date' },
  },
  {
    name: 'blackout dates, run shifts: the same local time after the last of them',
    now: '2026-11-23T02:00:00Z',
    policy: { blackoutDates: new Set(['2026-11-23', '2026-11-24']) },
    expected: {
      action: 'defer',
      until: '2026-11-25T02:00:00.000Z',
      reason: '2026-11-23 is a blackout date: shifted',
      code: 'blackout',
    },
  },
  {
    name: 'a blackout date comes before quiet hours',
    now: '2026-11-23T15:00:00Z',
    policy: { blackoutDates: new Set(['2026-11-23']), quietHours: '22:30-07:30' },
    history: { run: { blackoutMode: 'skip', catchUp: null } },
    expected: { action: 'skip', code: 'blackout', reason: '2026-11-23 is a blackout date' },
  },
  {
    name: 'an earlier post to the group is still to go: wait for it, and say what holds it',
    now: '2026-11-23T02:00:00Z',
    history: {
      blocker: {
        id: 'p1',
        readyAt: new Date('2026-11-23T02:10:00Z'),
        holdCode: 'min_gap',
        deferReason: 'minimum gap of 10 min',
      },
    },
    expected: {
      action: 'defer',
      until: '2026-11-23T02:10:00.500Z',
      reason: 'waits for post p1, due earlier to the same group, held by minimum gap of 10 min',
      code: 'order',
      blocker: 'p1',
    },
  },
  {
    name: 'the post ahead itself waits for one before it: that is not named as what holds it, whatever its words',
    now: '2026-11-23T02:00:00Z',
    history: {
      blocker: {
        id: 'p1',
        readyAt: new Date('2026-11-23T02:10:00Z'),
        holdCode: 'order',
        deferReason: '等待前一条',
      },
    },
    expected: {
      action: 'defer',
      until: '2026-11-23T02:10:00.500Z',
      reason: 'waits for post p1, due earlier to the same group',
      code: 'order',
      blocker: 'p1',
    },
  },
  {
    name: 'order comes before the gap and caps',
    now: '2026-11-23T02:00:00Z',
    policy: { minGapMinutes: 10, dailyCap: 1 },
    history: {
      blocker: { id: 'p1', readyAt: new Date('2026-11-23T01:00:00Z'), holdCode: null, deferReason: null },
      lastSentAt: new Date('2026-11-23T01:59:00Z'),
      sentToday: { total: 1, promotional: 0 },
    },
    expected: {
      action: 'defer',
      until: '2026-11-23T02:00:00.500Z',
      reason: 'waits for post p1, due earlier to the same group',
      code: 'order',
      blocker: 'p1',
    },
  },
  {
    name: 'late, catchUp skip, an earlier step still going out: skipped',
    now: '2026-11-23T02:00:00Z',
    due: '2026-11-23T01:00:00Z',
    history: { run: { blackoutMode: 'shift', catchUp: 'skip' }, earlierStepStillLate: 0 },
    expected: {
      action: 'skip',
      code: 'catch_up',
      reason: 'step 1 of this run was still going out late when this step came due (catchUp: skip)',
    },
  },
  {
    name: 'on time, catchUp skip: an earlier late step does not matter',
    now: '2026-11-23T02:00:00Z',
    due: '2026-11-23T01:59:30Z',
    history: { run: { blackoutMode: 'shift', catchUp: 'skip' }, earlierStepStillLate: 0 },
    expected: { action: 'send' },
  },
  {
    name: 'late, catchUp spread: send',
    now: '2026-11-23T02:00:00Z',
    due: '2026-11-23T01:00:00Z',
    history: { run: { blackoutMode: 'shift', catchUp: 'spread' }, earlierStepStillLate: 0 },
    expected: { action: 'send' },
  },
  {
    name: "WeCom's receive cap of 1 a day, reached: waits for Beijing's next midnight, whatever the group's zone",
    now: '2026-11-23T10:00:00Z', // 18:00 in Beijing, 05:00 in New York
    zone: NY,
    policy: { receiveCap: { rule: 'daily1', zone: SH } },
    history: { receivedInWindow: 1 },
    expected: {
      action: 'defer',
      until: '2026-11-23T16:00:00.000Z',
      reason: "WeCom's receive cap of 1 a day reached",
      code: 'receive_cap',
    },
  },
  {
    name: "WeCom's receive cap, not reached: send",
    now: '2026-11-23T10:00:00Z',
    policy: { receiveCap: { rule: 'daily1', zone: SH } },
    history: { receivedInWindow: 0 },
    expected: { action: 'send' },
  },
  {
    name: "WeCom's monthly cap: as many as November has days, then the first of December",
    now: '2026-11-23T10:00:00Z',
    policy: { receiveCap: { rule: 'monthDays', zone: SH } },
    history: { receivedInWindow: 30 },
    expected: {
      action: 'defer',
      until: '2026-11-30T16:00:00.000Z',
      reason: "WeCom's receive cap of 30 this month reached",
      code: 'receive_cap',
    },
  },
  {
    name: "WeCom's weekly cap of 7: waits for Monday in Beijing",
    now: '2026-11-25T10:00:00Z', // a Wednesday
    policy: { receiveCap: { rule: 'weekly7', zone: SH } },
    history: { receivedInWindow: 7 },
    expected: {
      action: 'defer',
      until: '2026-11-29T16:00:00.000Z',
      reason: "WeCom's receive cap of 7 a week reached",
      code: 'receive_cap',
    },
  },
  {
    name: 'receive cap under capMode skip: skipped with the reason',
    now: '2026-11-23T10:00:00Z',
    step: 2,
    policy: { receiveCap: { rule: 'daily1', zone: SH } },
    history: { receivedInWindow: 1, run: { blackoutMode: 'shift', catchUp: null, capMode: 'skip', keepSteps: [4] } },
    expected: { action: 'skip', code: 'receive_cap', reason: "WeCom's receive cap of 1 a day reached (capMode: skip)" },
  },
  {
    name: 'receive cap under capMode skip, a step the run keeps: waits instead',
    now: '2026-11-23T10:00:00Z',
    step: 4,
    policy: { receiveCap: { rule: 'daily1', zone: SH } },
    history: { receivedInWindow: 1, run: { blackoutMode: 'shift', catchUp: null, capMode: 'skip', keepSteps: [4] } },
    expected: {
      action: 'defer',
      until: '2026-11-23T16:00:00.000Z',
      reason: "WeCom's receive cap of 1 a day reached",
      code: 'receive_cap',
    },
  },
];

function iso(decision: Decision): unknown {
  return decision.action === 'defer' ? { ...decision, until: decision.until.toISOString() } : decision;
}

describe('decide', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const now = new Date(c.now);
    const decision = decide(
      { ...NONE, ...c.policy },
      { ...QUIET, ...c.history },
      now,
      { dueAt: new Date(c.due ?? c.now), promotional: c.promotional ?? false, zone: c.zone ?? SH, step: c.step },
      () => 0,
    );
    expect(iso(decision)).toEqual(c.expected);
  });

  it('spreads deferred sends by the jitter it is given', () => {
    const decision = decide(
      { ...NONE, quietHours: '22:30-07:30' },
      QUIET,
      new Date('2026-11-23T15:00:00Z'),
      { dueAt: new Date('2026-11-23T15:00:00Z'), promotional: false, zone: SH },
      (max) => max - 1,
    );
    expect(decision).toEqual({
      action: 'defer',
      until: new Date('2026-11-23T23:30:00.999Z'),
      reason: 'quiet hours 22:30-07:30',
      code: 'quiet_hours',
    });
  });
});
