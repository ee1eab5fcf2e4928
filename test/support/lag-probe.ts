// Every e2e file: how long the event loop of the process that runs it (the app under test, its
// workers in the `all` role, and the test itself) was held while its tests ran (the app's start
// and stop left out), written for test/run-tiers.ts to report across the whole run. A timer that
// should fire every 10 ms notes how late each firing is.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const directory = process.env.GROUPCAST_LAG_DIR;
const EVERY_MS = 10;
const lags: number[] = [];
let last: number | undefined;

const timer = setInterval(() => {
  const now = performance.now();
  if (last !== undefined) lags.push(Math.max(0, now - last - EVERY_MS));
  if (last !== undefined) last = now;
}, EVERY_MS);
timer.unref();

beforeEach(() => {
  last = performance.now();
});
afterEach(() => {
  last = undefined;
});

afterAll(() => {
  clearInterval(timer);
  if (!directory || lags.length === 0) return;
  const file = expect.getState().testPath ?? 'unknown';
  const sorted = [...lags].sort((a, b) => a - b);
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, `${basename(file)}.${process.pid}.json`),
    JSON.stringify({
      file: basename(file),
      maxMs: sorted[sorted.length - 1],
      p99Ms: sorted[Math.floor(sorted.length * 0.99)],
      samples: sorted.length,
    }),
  );
});
