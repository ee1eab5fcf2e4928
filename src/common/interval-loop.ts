/**
 * Runs `work` every `everyMs`, never two at once; stop() waits for the run in hand.
 * Failures go to `onError` and the loop carries on.
 */
export class IntervalLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.work()
        .catch((error: Error) => this.onError(error))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
