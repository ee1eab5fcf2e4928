/** A value loaded at most once per `ttlMs` and shared by everyone who asks meanwhile; a load that fails is forgotten at once. */
export class Remembered<T> {
  private held: { until: number; value: Promise<T> } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const now = this.clock();
    if (this.held && this.held.until > now) return this.held.value;
    const value = this.load();
    const held = { until: now + this.ttlMs, value };
    this.held = held;
    value.catch(() => {
      if (this.held === held) this.held = null;
    });
    return value;
  }

  /** The next `get` loads again: for the process that has just changed what was loaded. */
  forget(): void {
    this.held = null;
  }
}
