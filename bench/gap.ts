import { Figure, report } from './report';
import { groupcastDelivery } from './support/delivery-runs';

const GROUPS = 5_000;
const GAP_MINUTES = 1;

/**
 * Per-group order and gaps under more than one worker: 5,000 groups each with a one-minute
 * minimum gap get two posts due at the same instant, through 1, 2 and 4 worker processes. Every
 * group's second post must wait out its gap after the first, whichever worker holds it, and none
 * may arrive twice; the figure is how long after due the last one went.
 */
export async function gap(): Promise<Figure[]> {
  const runs = [];
  for (const workers of [1, 2, 4]) {
    runs.push({
      workers,
      ...(await groupcastDelivery({ groups: GROUPS, steps: 2, workers, group: { minGapMinutes: GAP_MINUTES } })),
    });
  }
  const gapMs = GAP_MINUTES * 60_000;
  return report(
    'gap',
    runs.map(({ workers, posts, lastMs, p50, closestMs, repeats }) => ({
      workers,
      posts,
      lastMs,
      p50,
      closestMs,
      repeats,
    })),
    runs.map((r) => ({
      benchmark: 'gap',
      figure: `${GROUPS.toLocaleString('en')} groups × 2 posts due at once, ${GAP_MINUTES}-minute gap, ${r.workers} worker process${r.workers > 1 ? 'es' : ''}: last sent after due`,
      value: r.lastMs,
      unit: `ms (closest two posts to one group ${r.closestMs} ms, ${r.repeats} twice)`,
      target: `every gap ≥ ${gapMs} ms, none twice`,
      met: r.posts === GROUPS * 2 && (r.closestMs ?? 0) >= gapMs && r.repeats === 0,
    })),
  );
}
