import { Figure, report } from './report';
import { Stack, percentile, round } from './support/stack';

const GROUPS = 5000;
const STEPS = 5;
const RUNS = 3;

/**
 * A plan preview for 5,000 groups × 5 steps through `POST /v1/campaigns/:id/plan`, with the
 * shipped policy binding (quiet hours, a 10-minute gap, caps) and a run already scheduled on every
 * group. Baseline: launching the same campaign, which writes the same 25,000 posts.
 */
export async function plan(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 0 });
  try {
    await stack.call('PUT', '/v1/policies', {
      quietHours: '23:00-07:00',
      minGapMinutes: 10,
      dailyCap: 6,
      promoCap: 1,
      blackoutDates: [],
    });
    const channel = await stack.channel('webhook');
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/p/${i}` },
      tags: ['plan'],
    }));
    const timings = [{ after: 'PT0S' }, ...Array(STEPS - 1).fill({ after: 'PT1H' })];
    await stack.launch(await stack.campaign(timings), { tags: ['plan'] }, new Date(Date.now() + 3600_000));
    const campaign = await stack.campaign(timings);
    const times: number[] = [];
    let summary: Record<string, unknown> = {};
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const answer = await stack.call<{ summary: Record<string, unknown> }>('POST', `/v1/campaigns/${campaign}/plan`, {
        audience: { tags: ['plan'] },
      });
      times.push(performance.now() - started);
      summary = answer.summary;
    }
    const started = performance.now();
    await stack.launch(campaign, { tags: ['plan'] }, new Date(Date.now() + 60_000));
    const launch = performance.now() - started;
    const median = percentile(times, 50);
    return report(
      'plan',
      [
        {
          request: `plan, ${GROUPS} groups × ${STEPS} steps (median of ${RUNS})`,
          ms: round(median),
          max: round(Math.max(...times)),
        },
        { request: 'launch of the same', ms: round(launch) },
      ],
      [
        {
          benchmark: 'plan',
          figure: `plan preview, ${GROUPS} groups × ${STEPS} steps`,
          value: round(median),
          unit: 'ms',
          baseline: round(launch),
          ratio: round(median / launch, 2),
          target: '≤ 5000 ms',
          met: median <= 5000,
        },
      ],
      { groups: GROUPS, steps: STEPS, summary },
    );
  } finally {
    await stack.stop();
  }
}
