/**
 * Why a post did not go when it was due, in a word. Code compares these; the reason stored
 * beside each says the same for people and may be reworded at any time.
 */
export const HOLD_CODES = [
  // The group's policy (policy/decide.ts).
  'blackout',
  'quiet_hours',
  'order',
  'min_gap',
  'daily_cap',
  'promo_cap',
  // The provider's own cap on what a group receives (WeCom customer groups), and its refusal for it.
  'receive_cap',
  // The robot's rate limit as groupcast keeps it, and the provider saying "too many".
  'rate_limit',
  'provider_rate',
  // Delivery: another post to the same owner carries it; its group or channel is switched off.
  'goes_with',
  'group_inactive',
  'channel_disabled',
  // A step whose time had passed at the start goes at the start.
  'before_start',
  // External consumers: a failed try going again, a job their queue lost.
  'retry',
  'lost_job',
] as const;
export type HoldCode = (typeof HOLD_CODES)[number];

/** Why a post is skipped rather than sent: only a plan and the skip's reason tell it apart from a hold. */
export const SKIP_CODES = [
  'blackout',
  'before_start',
  'catch_up',
  'overdue',
  'unpublished',
  'no_content',
  'missed',
  'too_many_moves',
  'receive_cap',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];

/** A code with its reason for people. */
export interface Because<Code extends string = HoldCode> {
  code: Code;
  reason: string;
}
