// `npm test`: the unit, medium and e2e tiers in parallel, then the fault tests and the canary
// check in band, then the delivery tests and the worker-crash fault test once more on a local
// Redis Cluster; one Jest summary for all runs in .jest-results.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The tests that run on a Redis Cluster as well: every Redis user of delivery, and a worker killed mid-run. */
const ON_CLUSTER = {
  e2e: '(delivery|rate-limit|external)\\.e2e-spec',
  fault: 'killed mid-run',
};

function jest(outputFile: string, args: string[], env: Record<string, string> = {}): Summary | undefined {
  rmSync(outputFile, { force: true });
  spawnSync('node_modules/.bin/jest', [...args, '--json', `--outputFile=${outputFile}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC', GROUPCAST_CANARY_HELD: '1', ...env },
  });
  try {
    return JSON.parse(readFileSync(outputFile, 'utf8')) as Summary;
  } catch {
    return undefined;
  } finally {
    rmSync(outputFile, { force: true });
  }
}

/** The cluster pass, on a cluster of three masters this run starts and stops (scripts/redis-cluster.mjs). */
function onCluster(workers: string): (Summary | undefined)[] {
  const dir = mkdtempSync(join(tmpdir(), 'groupcast-cluster-'));
  const script = join(__dirname, '..', 'scripts', 'redis-cluster.mjs');
  try {
    const nodes = execFileSync('node', [script, 'start', dir], { encoding: 'utf8' }).trim();
    console.log(`Redis Cluster for the cluster pass: ${nodes}`);
    const env = { TEST_REDIS_CLUSTER_NODES: nodes };
    return [
      jest(
        '.jest-results.cluster.json',
        ['--selectProjects', 'e2e', '--testPathPattern', ON_CLUSTER.e2e, `--maxWorkers=${workers}`],
        env,
      ),
      jest(
        '.jest-results.cluster-fault.json',
        ['--selectProjects', 'last', '--runInBand', '--testPathPattern', 'faults', '-t', ON_CLUSTER.fault],
        env,
      ),
    ];
  } catch (error) {
    console.error(`the cluster pass could not start: ${(error as Error).message}`);
    return [undefined];
  } finally {
    execFileSync('node', [script, 'stop', dir]);
  }
}

interface Lag {
  file: string;
  maxMs: number;
  /** The part of the longest lateness the process spent on its own work (CPU time). */
  busyMs: number;
  p99Ms: number;
}

/** The longest the event loop was held in any e2e file's process, and the files that came closest. */
function reportLag(directory: string): void {
  let lags: Lag[] = [];
  try {
    lags = readdirSync(directory).map((name) => JSON.parse(readFileSync(join(directory, name), 'utf8')) as Lag);
  } catch {
    // No e2e file ran.
  }
  if (lags.length === 0) return;
  const top = (key: 'maxMs' | 'busyMs') =>
    [...lags]
      .sort((a, b) => b[key] - a[key])
      .slice(0, 5)
      .map((l) => `${l.file} ${l[key].toFixed(0)} ms`)
      .join(', ');
  const longest = (key: 'maxMs' | 'busyMs') => Math.max(...lags.map((l) => l[key])).toFixed(0);
  console.log(
    `event-loop lag across ${lags.length} e2e file runs (goal < ${LAG_GOAL_MS} ms): longest ${longest('maxMs')} ms late (${top('maxMs')}); longest spent on the process's own work ${longest('busyMs')} ms (${top('busyMs')})`,
  );
}

const LAG_GOAL_MS = 200;

async function main(): Promise<number> {
  const workers = process.env.JEST_WORKERS ?? String(Math.max(2, availableParallelism()));
  rmSync('.jest-results.json', { force: true });
  const lagDir = mkdtempSync(join(tmpdir(), 'groupcast-lag-'));
  process.env.GROUPCAST_LAG_DIR = lagDir;
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
    runs = [parallel, last, ...onCluster(workers)];
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
  reportLag(lagDir);
  rmSync(lagDir, { recursive: true, force: true });
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
