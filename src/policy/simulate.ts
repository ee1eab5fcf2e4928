import { RateLimit } from '../providers/adapter';
import { Because, SkipCode } from '../common/hold-codes';
import { capWindow } from '../common/receive-cap';
import { ORDER_STEP_MS, RunRules, decide } from './decide';
import { EffectivePolicy, localDay } from './policy';

/** A post of one group, in the group's order (due time, then run or routine, then step). */
export interface SimPost {
  id: string;
  dueAt: Date;
  /** A deferred post's next try. */
  notBefore?: Date | null;
  promotional: boolean;
  run: RunRules;
  /** How a move names it ("step 2 of this campaign"); its id when left out. */
  label?: string;
  /** Its step in its run; null for a routine's. */
  step?: number | null;
}

export interface SimGroup {
  policy: EffectivePolicy;
  zone: string;
  rateLimits: RateLimit[];
  /** What the group was already sent: its last send, and its sends of the last two days. */
  lastSentAt: Date | null;
  /** Each counts its messages against the caps (one when not given). */
  sent: { at: Date; promotional: boolean; messages?: number }[];
  /** Under a receive cap: when each message it counts went since the start of the longest window (a month). */
  received?: Date[];
}

export interface Prediction {
  id: string;
  /** When the post will go; null when it will be skipped. */
  at: Date | null;
  /** Each rule that moved it, in order; or why it is skipped. */
  moves: Because[];
  skipped: Because<SkipCode> | null;
}

/** A post moved this many times is left to the real run: the plan says so rather than loop. */
const MAX_MOVES = 100;

/**
 * When each of one group's posts will go, as the worker would send them: the pure `decide` asked
 * at each time a post becomes ready (no jitter), the group's posts one at a time, and the
 * provider's rate limit for its robot. Writes nothing and takes no limiter slot.
 */
export function simulate(group: SimGroup, posts: SimPost[], now: Date): Prediction[] {
  const sends = [...group.sent];
  const received = [...(group.received ?? [])];
  let lastSentAt = group.lastSentAt;
  let previous: { name: string; at: Date } | null = null;
  const predictions: Prediction[] = [];
  for (const post of posts) {
    const moves: Because[] = [];
    let at = Math.max(now.getTime(), (post.notBefore ?? post.dueAt).getTime());
    if (previous && previous.at.getTime() + ORDER_STEP_MS > at) {
      at = previous.at.getTime() + ORDER_STEP_MS;
      moves.push({ code: 'order', reason: `waits for ${previous.name}, due earlier to the same group` });
    }
    let result: Prediction | undefined;
    for (let move = 0; !result; move++) {
      if (move >= MAX_MOVES) {
        result = {
          id: post.id,
          at: null,
          moves,
          skipped: { code: 'too_many_moves', reason: `moved more than ${MAX_MOVES} times` },
        };
        break;
      }
      const time = new Date(at);
      const day = localDay(time, group.zone);
      const today = sends.filter((s) => s.at >= day.start && s.at < day.next);
      const window = group.policy.receiveCap ? capWindow(group.policy.receiveCap, time) : null;
      const decision = decide(
        group.policy,
        {
          run: post.run,
          earlierStepStillLate: null,
          blocker: null,
          lastSentAt,
          sentToday: {
            total: today.reduce((sum, s) => sum + (s.messages ?? 1), 0),
            promotional: today.reduce((sum, s) => sum + (s.promotional ? (s.messages ?? 1) : 0), 0),
          },
          receivedInWindow: window ? received.filter((at) => at >= window.start && at < window.next).length : 0,
        },
        time,
        { dueAt: post.dueAt, promotional: post.promotional, zone: group.zone, step: post.step },
        () => 0,
      );
      if (decision.action === 'skip') {
        result = { id: post.id, at: null, moves, skipped: { code: decision.code, reason: decision.reason } };
      } else if (decision.action === 'defer') {
        moves.push({ code: decision.code, reason: decision.reason });
        at = decision.until.getTime();
      } else {
        const wait = rateLimitWait(group.rateLimits, sends, at);
        if (wait > 0) {
          moves.push({ code: 'rate_limit', reason: 'provider rate limit for this address' });
          at += wait;
          continue;
        }
        result = { id: post.id, at: time, moves, skipped: null };
      }
    }
    predictions.push(result);
    if (result.at) {
      sends.push({ at: result.at, promotional: post.promotional });
      received.push(result.at);
      lastSentAt = result.at;
      previous = { name: post.label ?? `post ${post.id}`, at: result.at };
    }
  }
  return predictions;
}

/** How long until a send at `at` fits every window of the robot's limits. */
function rateLimitWait(limits: RateLimit[], sends: { at: Date }[], at: number): number {
  let wait = 0;
  for (const { limit, windowMs } of limits) {
    const inWindow = sends
      .map((s) => s.at.getTime())
      .filter((t) => t > at - windowMs && t <= at)
      .sort((a, b) => a - b);
    if (inWindow.length >= limit) wait = Math.max(wait, inWindow[inWindow.length - limit] + windowMs - at);
  }
  return wait;
}
