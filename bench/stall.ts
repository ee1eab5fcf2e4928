import { Figure, report } from './report';
import { Stack, percentile, round } from './support/stack';

const ROWS = 5000;
const TARGET_MS = 100;

/**
 * How long /health/live takes to answer while the api process imports 5,000 groups (the largest
 * single request it takes), probed every 5 ms from outside; the baseline is the same probe idle.
 * The first import runs as a warm-up: its module loading is a one-off.
 */
export async function stall(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 0, env: { API_RATE_LIMIT_PER_MINUTE: '100000000' } });
  try {
    const channel = await stack.channel('webhook');
    const rows = (path: string) =>
      Array.from({ length: ROWS }, (_, i) => ({
        name: `群 ${i}`,
        channelId: channel,
        timezone: 'Asia/Shanghai',
        address: { url: `https://hooks.example.com/${path}/${i}` },
        tags: ['a', 'b'],
      }));
    const probe = async (during: () => Promise<unknown>) => {
      const times: number[] = [];
      let done = false;
      const probing = (async () => {
        while (!done) {
          const started = performance.now();
          await fetch(`${stack.base}/health/live`);
          times.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await during();
      done = true;
      await probing;
      return times;
    };
    await stack.call('POST', '/v1/groups/bulk', { groups: rows('warm') });
    const idle = await probe(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    const busy = await probe(() => stack.call('POST', '/v1/groups/bulk', { groups: rows('measured') }));
    const worst = round(Math.max(...busy), 1);
    const baseline = round(percentile(idle, 50), 1);
    return report(
      'stall',
      [
        { probe: '/health/live, idle', n: idle.length, 'p50 ms': baseline, 'max ms': round(Math.max(...idle), 1) },
        {
          probe: `/health/live during a ${ROWS}-row import`,
          n: busy.length,
          'p50 ms': round(percentile(busy, 50), 1),
          'max ms': worst,
        },
      ],
      [
        {
          benchmark: 'stall',
          figure: `/health/live during a ${ROWS}-row import, slowest answer`,
          value: worst,
          unit: 'ms',
          baseline,
          target: `≤ ${TARGET_MS} ms`,
          met: worst <= TARGET_MS,
        },
      ],
    );
  } finally {
    await stack.stop();
  }
}
