// `npm test`: the unit, medium and e2e tiers in parallel, then the fault tests and the canary
// check in band; one Jest summary for both runs in .jest-results.json.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { plantCanary, removeCanary } from './support/canary';

interface Summary {
  success: boolean;
  startTime: number;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  numPassedTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
  testResults: { endTime: number }[];
}

const COUNTS = [
  'numTotalTests',
  'numPassedTests',
  'numFailedTests',
  'numPendingTests',
  'numTotalTestSuites',
  'numPassedTestSuites',
  'numFailedTestSuites',
  'numRuntimeErrorTestSuites',
] as const;

function jest(outputFile: string, args: string[]): Summary | undefined {
  rmSync(outputFile, { force: true });
  spawnSync('node_modules/.bin/jest', [...args, '--json', `--outputFile=${outputFile}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC', GROUPCAST_CANARY_HELD: '1' },
  });
  try {
    return JSON.parse(readFileSync(outputFile, 'utf8')) as Summary;
  } catch {
    return undefined;
  } finally {
    rmSync(outputFile, { force: true });
  }
}

async function main(): Promise<number> {
  const workers = process.env.JEST_WORKERS ?? String(Math.max(2, availableParallelism()));
  rmSync('.jest-results.json', { force: true });
  await plantCanary();
  let runs: (Summary | undefined)[];
  try {
    const parallel = jest('.jest-results.parallel.json', [
      '--selectProjects',
      'unit',
      'medium',
      'e2e',
      `--maxWorkers=${workers}`,
    ]);
    const last = jest('.jest-results.last.json', ['--selectProjects', 'last', '--runInBand']);
    runs = [parallel, last];
  } finally {
    await removeCanary();
  }
  const done = runs.filter((r): r is Summary => r !== undefined);
  const merged = {
    ...done[0],
    ...Object.fromEntries(COUNTS.map((key) => [key, done.reduce((sum, r) => sum + r[key], 0)])),
    success: done.length === runs.length && done.every((r) => r.success),
    startTime: done.length > 0 ? Math.min(...done.map((r) => r.startTime)) : Date.now(),
    testResults: done.flatMap((r) => r.testResults),
  };
  writeFileSync('.jest-results.json', JSON.stringify(merged));
  const seconds = (Date.now() - merged.startTime) / 1000;
  console.log(`${merged.numPassedTests} passed, ${merged.numFailedTests} failed (${seconds.toFixed(0)} s)`);
  return merged.success ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
