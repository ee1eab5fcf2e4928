import { Figure, report } from './report';
import { groupcastDelivery } from './support/delivery-runs';

/** 10,000 groups' morning brief due at the same instant: how long until the last is sent. */
export async function herd(): Promise<Figure[]> {
  const ours = await groupcastDelivery({ groups: 10_000, steps: 1, workers: 1 });
  return report(
    'herd',
    [{ path: 'groupcast, 1 worker process', ...ours }],
    [
      {
        benchmark: 'herd',
        figure: `last of ${ours.posts} sent after due`,
        value: ours.lastMs,
        unit: 'ms',
        target: '≤ 10000 ms',
        met: ours.lastMs <= 10_000,
      },
      {
        benchmark: 'herd',
        figure: 'lateness p50 / p99 / max',
        value: ours.p50,
        unit: `ms (p99 ${ours.p99}, max ${ours.max})`,
        target: 'reported',
        met: true,
      },
    ],
  );
}
