// Every e2e file: how long the event loop of the process that runs it (the app under test, its
// workers in the `all` role, and the test itself) was held while its tests ran (the app's start
// and stop left out), written for test/run-tiers.ts to report across the whole run. A timer that
// should fire every 10 ms notes how late each firing is, and how much of that lateness the process
// spent on its own CPU work: on two shared cores a late firing may only mean another process ran.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const directory = process.env.GROUPCAST_LAG_DIR;
const EVERY_MS = 10;
const lags: number[] = [];
let busiest = 0;
let last: { at: number; cpu: NodeJS.CpuUsage } | undefined;

const timer = setInterval(() => {
  if (!last) return;
  const at = performance.now();
  const cpu = process.cpuUsage();
  const lag = Math.max(0, at - last.at - EVERY_MS);
  const used = (cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1000;
  lags.push(lag);
  busiest = Math.max(busiest, Math.min(lag, used));
  last = { at, cpu };
}, EVERY_MS);
timer.unref();

beforeEach(() => {
  last = { at: performance.now(), cpu: process.cpuUsage() };
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
      busyMs: busiest,
      p99Ms: sorted[Math.floor(sorted.length * 0.99)],
      samples: sorted.length,
    }),
  );
});
