import { LRUCache } from 'lru-cache';

const WINDOW_MS = 60_000;

/**
 * Counts failed authentications per client address in fixed one-minute windows, so that guessing
 * keys costs the guesser a 429 and costs the database nothing once the budget is spent.
 */
export class AuthFailures {
  private readonly windows = new LRUCache<string, { count: number; resetAt: number }>({ max: 100_000 });

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long this client must wait before it may try a key again; 0 when it may now. */
  waitMs(client: string): number {
    const window = this.windows.get(client);
    if (!window || window.resetAt <= this.now() || window.count < this.limitPerMinute) return 0;
    return window.resetAt - this.now();
  }

  record(client: string): void {
    const now = this.now();
    const window = this.windows.get(client);
    if (!window || window.resetAt <= now) this.windows.set(client, { count: 1, resetAt: now + WINDOW_MS });
    else window.count++;
  }
}
