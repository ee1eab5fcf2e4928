// Every e2e file: how long the event loop of the process that runs it (the app under test, its
// workers in the `all` role, and the test itself) was ever held while its tests ran (the app's
// start and stop left out), written for test/run-tiers.ts to report across the whole run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const directory = process.env.GROUPCAST_LAG_DIR;
const histogram = monitorEventLoopDelay({ resolution: 10 });

beforeEach(() => histogram.enable());
afterEach(() => histogram.disable());

afterAll(() => {
  if (!directory || histogram.count === 0) return;
  const file = expect.getState().testPath ?? 'unknown';
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, `${basename(file)}.${process.pid}.json`),
    JSON.stringify({
      file: basename(file),
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      samples: histogram.count,
    }),
  );
});
