/** Errors the external-adapter contract knows by name: groupcast waits, or fails the post. */
export class RateLimited extends Error {
  name = 'RateLimited';
}
export class Permanent extends Error {
  name = 'Permanent';
}

const MAX_PAUSE_MS = 60 * 60_000;

/**
 * A personal WeChat account's pacing: at most `quota` sends a window (a day by default), a random
 * pause between sends, and a pause of the whole account, doubling each time, when WeChat says
 * "too frequent". A refusal says when to try again (`retry in <ms> ms`), which groupcast honours.
 */
export class Pacing {
  constructor({ quota, windowMs, jitterMinMs, jitterMaxMs, pauseMs = 60_000, now = Date.now, random = Math.random }) {
    Object.assign(this, { quota, windowMs, jitterMinMs, jitterMaxMs, pauseMs, now, random });
    this.windowStart = 0;
    this.sent = 0;
    this.pausedUntil = 0;
    this.pauses = 0;
  }

  /** Throws RateLimited while the account is paused or its quota is spent. */
  check() {
    const now = this.now();
    if (now < this.pausedUntil) {
      throw new RateLimited(`account paused after WeChat said too frequent; retry in ${this.pausedUntil - now} ms`);
    }
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.sent = 0;
    }
    if (this.sent >= this.quota) {
      const wait = this.windowStart + this.windowMs - now;
      throw new RateLimited(`quota of ${this.quota} sends per ${this.windowMs} ms reached; retry in ${wait} ms`);
    }
  }

  /** How long to wait before this send. */
  jitter() {
    return Math.round(this.jitterMinMs + this.random() * (this.jitterMaxMs - this.jitterMinMs));
  }

  sentOne() {
    this.sent++;
    this.pauses = 0;
  }

  /** WeChat said too frequent: pause the account, twice as long as last time. */
  tooFrequent() {
    const pause = Math.min(MAX_PAUSE_MS, this.pauseMs * 2 ** this.pauses++);
    this.pausedUntil = this.now() + pause;
    return pause;
  }

  state() {
    return {
      quota: this.quota,
      sentInWindow: this.sent,
      pausedUntil: this.pausedUntil ? new Date(this.pausedUntil).toISOString() : null,
    };
  }
}
