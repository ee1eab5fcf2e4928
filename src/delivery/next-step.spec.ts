import { AddressMoved, Ambiguous, Permanent, RateLimited, SendResult, Sent, Transient } from '../providers/outcomes';
import { NextStep, nextStep } from './next-step';

const NOW = new Date('2026-11-23T02:00:00Z');

/** Each kind of send result, on a middle attempt and on the last: [result, retry-safe channel, middle, last]. */
const TABLE: [string, SendResult, boolean, NextStep, NextStep][] = [
  ['sent', new Sent('m1', 2), false, { kind: 'sent', externalId: 'm1' }, { kind: 'sent', externalId: 'm1' }],
  [
    'rate limited: wait, the attempt is not spent',
    new RateLimited(30_000, '45009', 'api freq out of limit'),
    false,
    { kind: 'wait', until: new Date('2026-11-23T02:00:30Z'), reason: 'provider rate limit: api freq out of limit' },
    { kind: 'wait', until: new Date('2026-11-23T02:00:30Z'), reason: 'provider rate limit: api freq out of limit' },
  ],
  [
    'transient',
    new Transient('HTTP 502', 'http_502'),
    false,
    { kind: 'retry', code: 'http_502', reason: 'HTTP 502' },
    { kind: 'failed', code: 'http_502', reason: 'HTTP 502', final: false },
  ],
  [
    'transient without a code',
    new Transient('socket hang up'),
    false,
    { kind: 'retry', code: 'transient', reason: 'socket hang up' },
    { kind: 'failed', code: 'transient', reason: 'socket hang up', final: false },
  ],
  [
    'permanent: fails at once',
    new Permanent('93000', 'invalid webhook url'),
    false,
    { kind: 'failed', code: '93000', reason: 'invalid webhook url', final: true },
    { kind: 'failed', code: '93000', reason: 'invalid webhook url', final: true },
  ],
  [
    'address moved: send again to the new address',
    new AddressMoved({ chatId: '-100123' }, 'group upgraded to a supergroup'),
    false,
    { kind: 'retry', code: 'moved', reason: 'address moved: group upgraded to a supergroup' },
    { kind: 'failed', code: 'moved', reason: 'address moved: group upgraded to a supergroup', final: false },
  ],
  [
    'ambiguous on a channel that may post twice: unconfirmed, never retried',
    new Ambiguous('timeout after 10000 ms'),
    false,
    { kind: 'unconfirmed', code: 'ambiguous', reason: 'timeout after 10000 ms' },
    { kind: 'unconfirmed', code: 'ambiguous', reason: 'timeout after 10000 ms' },
  ],
  [
    'ambiguous on a channel that drops repeats: retried',
    new Ambiguous('timeout after 10000 ms'),
    true,
    { kind: 'retry', code: 'ambiguous', reason: 'timeout after 10000 ms' },
    { kind: 'failed', code: 'ambiguous', reason: 'timeout after 10000 ms', final: false },
  ],
];

describe('the outcome table of delivery', () => {
  it.each(TABLE)('%s', (_, result, retrySafe, middle, last) => {
    expect(nextStep(result, { lastAttempt: false, retrySafe, now: NOW })).toEqual(middle);
    expect(nextStep(result, { lastAttempt: true, retrySafe, now: NOW })).toEqual(last);
  });
});
