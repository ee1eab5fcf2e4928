import { Figure, report } from './report';
import { bareDelivery, groupcastDelivery } from './support/delivery-runs';
import { round } from './support/stack';

const SHAPE = { groups: 10_000, steps: 2 };

/**
 * 20,000 due posts across 10,000 groups through the signed-webhook adapter to a keep-alive sink
 * in its own process, against bare BullMQ workers doing the same POSTs; then groupcast with 1, 2
 * and 4 worker processes, which is the scale-out claim in docs/SCALING.md.
 */
export async function throughput(): Promise<Figure[]> {
  const baseline = await bareDelivery({ ...SHAPE, workers: 1 });
  const scaling = [];
  for (const workers of [1, 2, 4]) scaling.push({ workers, ...(await groupcastDelivery({ ...SHAPE, workers })) });
  const ours = scaling[0];
  const rows = [
    { path: 'baseline: bare BullMQ worker', workers: 1, ...baseline },
    ...scaling.map((s) => ({ path: 'groupcast', ...s })),
  ];
  const ratio = ours.rate / baseline.rate;
  return report('throughput', rows, [
    {
      benchmark: 'throughput',
      figure: `${ours.posts} posts, 1 worker process`,
      value: ours.rate,
      unit: 'posts/s',
      baseline: baseline.rate,
      ratio: round(ratio, 2),
      target: '≥ 0.75× baseline',
      met: ratio >= 0.75,
    },
    {
      benchmark: 'throughput',
      figure: 'lateness p50 / p99, 1 worker',
      value: ours.p50,
      unit: `ms (p99 ${ours.p99})`,
      baseline: baseline.p50,
      target: 'reported',
      met: true,
    },
    ...scaling.slice(1).map((s) => ({
      benchmark: 'throughput',
      figure: `${s.workers} worker processes`,
      value: s.rate,
      unit: 'posts/s',
      baseline: ours.rate,
      ratio: round(s.rate / ours.rate, 2),
      target: 'reported (2 cores)',
      met: true,
    })),
  ]);
}
