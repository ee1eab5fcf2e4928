import { HoldCode, SkipCode } from '../common/hold-codes';
import { capWindow } from '../common/receive-cap';
import { EffectivePolicy, localDay, quietHoursEnd, shiftPastBlackout } from './policy';

/** What the policy needs of a post's run. */
export interface RunRules {
  blackoutMode: 'skip' | 'shift';
  catchUp: 'spread' | 'skip' | null;
  /** A post the provider's receive cap holds: waits for the next window (default) or is skipped. */
  capMode?: 'wait' | 'skip';
  /** Steps that wait for the next window even when capMode is skip. */
  keepSteps?: number[] | null;
}

/** The post to send and where its group lives. */
export interface PolicyPost {
  dueAt: Date;
  promotional: boolean;
  zone: string;
  /** Its step in its run; null for a routine's. */
  step?: number | null;
}

/** What is ahead of the post and what its group has had: gathered by the caller, from the database or a plan. */
export interface PolicyHistory {
  run: RunRules;
  /** An earlier step of the same run still going out late (catchUp: skip). */
  earlierStepStillLate: number | null;
  /** The post to the same group that must go first, if any is still to go. */
  blocker: { id: string; readyAt: Date; holdCode: HoldCode | null; deferReason: string | null } | null;
  lastSentAt: Date | null;
  /** Sent to the group since the start of its local day. */
  sentToday: { total: number; promotional: number };
  /** Mass messages the group received (or has waiting for its owner) in the receive cap's window at `now`. */
  receivedInWindow?: number;
}

/** What holds a post back, in a word (metrics count deferrals by it; the reason says it in full). */
export type DeferCode = Extract<
  HoldCode,
  'blackout' | 'quiet_hours' | 'order' | 'min_gap' | 'daily_cap' | 'promo_cap' | 'receive_cap' | 'rate_limit'
>;

export type Decision =
  | { action: 'send' }
  | {
      action: 'defer';
      until: Date;
      reason: string;
      code: DeferCode;
      /** For `order`: the post ahead. */ blocker?: string;
    }
  | { action: 'skip'; reason: string; code: Extract<SkipCode, 'catch_up' | 'blackout' | 'receive_cap'> };

/** A post this far past its due time is late. */
export const LATE_MS = 60_000;
/** A post waiting for an earlier one to the same group that another process holds looks again this much later. */
export const ORDER_STEP_MS = 500;

/** Spreads deferred sends a little so they do not all fire on the same millisecond; 0 for predictions. */
export type Jitter = (maxMs: number) => number;
export const randomJitter: Jitter = (maxMs) => Math.floor(Math.random() * maxMs);

export const isLate = (post: Pick<PolicyPost, 'dueAt'>, now: Date) => now.getTime() - post.dueAt.getTime() > LATE_MS;

/**
 * Whether a post may go now, and if not, until when it waits or why it is skipped: blackout
 * dates, quiet hours, order within the group, minimum gap, daily and promotional caps. Pure: the
 * same facts give the same answer, so a plan can ask it for a time that has not come yet.
 */
export function decide(
  policy: EffectivePolicy,
  history: PolicyHistory,
  now: Date,
  post: PolicyPost,
  jitter: Jitter = randomJitter,
): Decision {
  const zone = post.zone;
  const today = localDay(now, zone);
  if (isLate(post, now) && history.run.catchUp === 'skip' && history.earlierStepStillLate !== null) {
    return {
      action: 'skip',
      code: 'catch_up',
      reason: `step ${history.earlierStepStillLate + 1} of this run was still going out late when this step came due (catchUp: skip)`,
    };
  }
  if (policy.blackoutDates.has(today.date)) {
    if (history.run.blackoutMode === 'skip')
      return { action: 'skip', code: 'blackout', reason: `${today.date} is a blackout date` };
    return {
      action: 'defer',
      until: shiftPastBlackout(now, zone, policy.blackoutDates),
      reason: `${today.date} is a blackout date: shifted`,
      code: 'blackout',
    };
  }
  const quietEnd = quietHoursEnd(policy.quietHours, now, zone);
  if (quietEnd) {
    return {
      action: 'defer',
      until: new Date(quietEnd.getTime() + jitter(1000)),
      reason: `quiet hours ${policy.quietHours}`,
      code: 'quiet_hours',
    };
  }
  const { blocker } = history;
  if (blocker) {
    const ready = Math.max(now.getTime(), blocker.readyAt.getTime());
    // Say what holds the post ahead (a cap, quiet hours), not only that there is one.
    const why = blocker.holdCode && blocker.holdCode !== 'order' ? `, held by ${blocker.deferReason}` : '';
    return {
      action: 'defer',
      until: new Date(ready + ORDER_STEP_MS),
      reason: `waits for post ${blocker.id}, due earlier to the same group${why}`,
      code: 'order',
      blocker: blocker.id,
    };
  }
  if (policy.minGapMinutes > 0 && history.lastSentAt) {
    const allowed = history.lastSentAt.getTime() + policy.minGapMinutes * 60_000;
    if (allowed > now.getTime()) {
      return {
        action: 'defer',
        until: new Date(allowed + jitter(1000)),
        reason: `minimum gap of ${policy.minGapMinutes} min`,
        code: 'min_gap',
      };
    }
  }
  if (policy.dailyCap !== null && history.sentToday.total >= policy.dailyCap) {
    return {
      action: 'defer',
      until: new Date(today.next.getTime() + jitter(1000)),
      reason: `daily cap of ${policy.dailyCap} reached`,
      code: 'daily_cap',
    };
  }
  if (post.promotional && policy.promoCap !== null && history.sentToday.promotional >= policy.promoCap) {
    return {
      action: 'defer',
      until: new Date(today.next.getTime() + jitter(1000)),
      reason: `promotional cap of ${policy.promoCap} reached`,
      code: 'promo_cap',
    };
  }
  if (policy.receiveCap) {
    const window = capWindow(policy.receiveCap, now);
    if ((history.receivedInWindow ?? 0) >= window.limit) {
      const reason = `WeCom's receive cap of ${window.words} reached`;
      const kept = post.step !== undefined && post.step !== null && (history.run.keepSteps ?? []).includes(post.step);
      if (history.run.capMode === 'skip' && !kept)
        return { action: 'skip', code: 'receive_cap', reason: `${reason} (capMode: skip)` };
      return { action: 'defer', until: new Date(window.next.getTime() + jitter(1000)), reason, code: 'receive_cap' };
    }
  }
  return { action: 'send' };
}
