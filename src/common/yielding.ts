import { setImmediate } from 'node:timers/promises';

/** Items handled between two turns of the event loop. */
export const YIELD_EVERY = 50;

/**
 * Maps a large list a chunk at a time, letting the event loop run between chunks, so that one
 * request with thousands of rows never keeps every other request (health checks included) waiting.
 */
export async function mapYielding<T, R>(
  items: readonly T[],
  map: (item: T, index: number) => R | Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += YIELD_EVERY) {
    if (start > 0) await setImmediate();
    out.push(...(await Promise.all(items.slice(start, start + YIELD_EVERY).map((item, k) => map(item, start + k)))));
  }
  return out;
}

/** How long a loop may hold the event loop before it lets other work run. */
export const TURN_MS = 20;

/**
 * For a long loop whose steps vary in cost: `await turn()` between steps lets the event loop run
 * whenever the loop has held it for TURN_MS, and costs nothing otherwise.
 */
export function turns(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < TURN_MS) return;
    await setImmediate();
    since = performance.now();
  };
}
