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
