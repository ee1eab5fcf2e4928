import type { Response } from 'supertest';

/**
 * Sends `send` `tries` times and says, of all tries, the least time it took and the least the
 * service's own event loop was held meanwhile (prom-client's `nodejs_eventloop_lag_max_seconds`,
 * which each scrape of /metrics resets). A request that stalls the loop stalls it every time; on
 * two shared cores a single try may also be held for another process's sake. `send` must change
 * nothing (a refusal, a preview, a plan).
 */
export async function leastLag(
  scrape: () => Promise<Response>,
  send: () => Promise<Response>,
  tries = 3,
): Promise<{ response: Response; took: number; lagMs: number }> {
  const lag = async () => Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec((await scrape()).text)![1]) * 1000;
  let best: { response: Response; took: number; lagMs: number } | undefined;
  for (let i = 0; i < tries; i++) {
    await lag();
    const started = performance.now();
    const response = await send();
    const took = performance.now() - started;
    const lagMs = await lag();
    best = {
      response,
      took: Math.min(took, best?.took ?? Infinity),
      lagMs: Math.min(lagMs, best?.lagMs ?? Infinity),
    };
  }
  return best!;
}
