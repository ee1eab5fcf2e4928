import { Figure, report } from './report';
import { groupcastDelivery } from './support/delivery-runs';

const GROUPS = 100_000;
const TARGET_MS = 60_000;
const WORKER_RSS_MB = 300;

/**
 * 100,000 groups' morning brief due at the same instant, 1 api and 1 worker process: how long
 * until the last is sent, and the worker's largest resident memory meanwhile.
 */
export async function herd(): Promise<Figure[]> {
  const ours = await groupcastDelivery({ groups: GROUPS, steps: 1, workers: 1, leadMs: 60_000 });
  return report(
    'herd',
    [{ path: 'groupcast, 1 worker process', ...ours }],
    [
      {
        benchmark: 'herd',
        figure: `${ours.posts.toLocaleString('en')} briefs due at one instant: last sent after due`,
        value: ours.lastMs,
        unit: `ms (p50 ${ours.p50}, p99 ${ours.p99})`,
        target: `≤ ${TARGET_MS} ms`,
        met: ours.posts === GROUPS && ours.lastMs <= TARGET_MS,
      },
      {
        benchmark: 'herd',
        figure: 'worker RSS, largest from launch to the last send',
        value: ours.workerRssMb ?? NaN,
        unit: 'MB',
        target: `≤ ${WORKER_RSS_MB} MB`,
        met: (ours.workerRssMb ?? Infinity) <= WORKER_RSS_MB,
      },
    ],
  );
}
