import { Figure, report } from './report';
import { groupcastDelivery } from './support/delivery-runs';

const GROUPS = 100_000;
const TARGET_MS = 60_000;
const WORKER_RSS_MB = 300;
const API_RSS_MB = 300;

/**
 * 100,000 groups' morning brief due at the same instant, 1 api and 1 worker process: how long
 * until the last is sent, and the largest resident memory of the worker and of the api process
 * (which wrote the 100,000 posts and queued them) meanwhile.
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
      {
        benchmark: 'herd',
        figure: `api RSS, largest through the ${ours.posts.toLocaleString('en')}-post launch`,
        value: ours.apiRssMb ?? NaN,
        unit: 'MB',
        target: `≤ ${API_RSS_MB} MB`,
        met: (ours.apiRssMb ?? Infinity) <= API_RSS_MB,
      },
    ],
  );
}
