import { DateTime } from 'luxon';

/**
 * How many mass messages a WeCom customer group may receive, as the company set it in 群发助手 →
 * 群发规则: as many a month as the month has days (WeCom's default), 7 a week, or 1 a day. Sends by
 * the company and by staff themselves count together.
 */
export const RECEIVE_CAP_RULES = ['monthDays', 'weekly7', 'daily1'] as const;
export type ReceiveCapRule = (typeof RECEIVE_CAP_RULES)[number];

/** A channel's receive cap: its rule, counted in the provider's own calendar (WeCom's: Beijing time). */
export interface ReceiveCap {
  rule: ReceiveCapRule;
  zone: string;
}

/** The window of the cap that holds `at`, and how many messages it takes. */
export interface CapWindow {
  start: Date;
  next: Date;
  limit: number;
  /** The rule in words, e.g. `1 a day`. */
  words: string;
}

export function capWindow(cap: ReceiveCap, at: Date): CapWindow {
  const local = DateTime.fromJSDate(at, { zone: cap.zone });
  if (cap.rule === 'daily1') {
    const start = local.startOf('day');
    return { start: start.toJSDate(), next: start.plus({ days: 1 }).toJSDate(), limit: 1, words: '1 a day' };
  }
  if (cap.rule === 'weekly7') {
    const start = local.startOf('week');
    return { start: start.toJSDate(), next: start.plus({ weeks: 1 }).toJSDate(), limit: 7, words: '7 a week' };
  }
  const start = local.startOf('month');
  const days = start.daysInMonth ?? 30;
  return {
    start: start.toJSDate(),
    next: start.plus({ months: 1 }).toJSDate(),
    limit: days,
    words: `${days} this month`,
  };
}
