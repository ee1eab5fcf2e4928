import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadConfig } from '../src/config/app-config';
import { deleteRedisPrefix } from '../test/support/cleanup';
import { TEST_REDIS_URL } from '../test/support/test-env';
import { Figure, report } from './report';
import { SinkStats, Stack, helperProcess, percentile, startSink } from './support/stack';

const SECONDS = 60;
const PER_SECOND = 100;
/** Launches are spread this far apart: 100 posts a second arrive as 20 every 200 ms. */
const SLICE_MS = 200;
const SLICES = (SECONDS * 1000) / SLICE_MS;
const PER_SLICE = (PER_SECOND * SLICE_MS) / 1000;
const ROBOTS = 100;
/** Time to launch every run before the first falls due. */
const LEAD_MS = 25_000;

async function drained(stats: () => Promise<SinkStats>, count: number, until: number): Promise<SinkStats> {
  for (;;) {
    const s = await stats();
    if (s.count >= count || Date.now() > until) return s;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** 6,000 posts due 100 a second for a minute, through the signed-webhook adapter: lateness. */
async function groupcastSteady(): Promise<number[]> {
  const sink = await startSink('webhook');
  const stack = await Stack.start({ workers: 1 });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, SLICES * PER_SLICE, (i) => ({
      address: { url: `${sink.url}/g/${i}` },
      tags: [`s${Math.floor(i / PER_SLICE)}`],
    }));
    const campaign = await stack.campaign([{ after: 'PT0S' }]);
    const start = Date.now() + LEAD_MS;
    for (let s = 0; s < SLICES; s++) await stack.launch(campaign, { tags: [`s${s}`] }, new Date(start + s * SLICE_MS));
    if (Date.now() > start) throw new Error('launching took longer than the lead time');
    return (await drained(sink.stats, SLICES * PER_SLICE, start + SECONDS * 1000 + 60_000)).lateness;
  } finally {
    await stack.stop();
    await sink.process.stop();
  }
}

/** The baseline: raw BullMQ delayed jobs on the same schedule, a bare worker POSTing to the sink. */
async function bareSteady(): Promise<number[]> {
  const sink = await startSink('webhook');
  const prefix = `gcbench_steady_${process.pid}`;
  const worker = helperProcess('bare-worker.ts', [], {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE: 'posts',
    PREFIX: prefix,
    SINK_URL: `${sink.url}/bare`,
    CONCURRENCY: String(loadConfig({}).workerConcurrency),
  });
  const queue = new Queue('posts', { connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), prefix });
  try {
    await worker.waitFor(/bare worker ready/, 60_000);
    const start = Date.now() + 5000;
    await queue.addBulk(
      Array.from({ length: SLICES * PER_SLICE }, (_, i) => {
        const due = start + Math.floor(i / PER_SLICE) * SLICE_MS;
        return {
          name: 'deliver',
          data: { dueAt: new Date(due).toISOString(), groupId: String(i), text: '第 1 步的内容。' },
          opts: { delay: due - Date.now(), removeOnComplete: true },
        };
      }),
    );
    return (await drained(sink.stats, SLICES * PER_SLICE, start + SECONDS * 1000 + 60_000)).lateness;
  } finally {
    await worker.stop();
    await queue.close();
    await deleteRedisPrefix(prefix);
    await sink.process.stop();
  }
}

/** The same arrival rate to 100 WeCom-like robots, one post a second each: their 20 a minute binds. */
async function wecomSteady(): Promise<{ sent: number; refused: number; busiestMinute: number; p50: number }> {
  const sink = await startSink('wecom');
  const stack = await Stack.start({ workers: 1 });
  try {
    const channel = await stack.channel('wecom', { baseUrl: sink.url, format: 'text' });
    await stack.groups(channel, ROBOTS, (i) => ({
      address: `robot-key-${String(i).padStart(4, '0')}`,
      tags: ['robots'],
    }));
    const campaign = await stack.campaign([{ after: 'PT0S' }]);
    const start = Date.now() + 10_000;
    const runs: string[] = [];
    for (let s = 0; s < SECONDS; s++)
      runs.push(await stack.launch(campaign, { tags: ['robots'] }, new Date(start + s * 1000)));
    const stats = await drained(sink.stats, Infinity, start + SECONDS * 1000 + 30_000);
    return {
      sent: stats.count,
      refused: stats.refused,
      busiestMinute: stats.busiestMinute,
      p50: percentile(await stack.lateness(runs), 50),
    };
  } finally {
    await stack.stop();
    await sink.process.stop();
  }
}

export async function steady(): Promise<Figure[]> {
  const bare = await bareSteady();
  const ours = await groupcastSteady();
  const wecom = await wecomSteady();
  const row = (path: string, l: number[]) => ({
    path,
    posts: l.length,
    'p50 ms': percentile(l, 50),
    'p99 ms': percentile(l, 99),
    'max ms': Math.max(...l),
  });
  const p99 = percentile(ours, 99);
  return report(
    'steady',
    [
      row('baseline: raw BullMQ delayed jobs', bare),
      row('groupcast, signed webhooks', ours),
      {
        path: 'groupcast, 100 WeCom robots at 20/min',
        posts: wecom.sent,
        'p50 ms': wecom.p50,
        refused: wecom.refused,
        'busiest minute': wecom.busiestMinute,
      },
    ],
    [
      {
        benchmark: 'steady',
        figure: `lateness p99, ${PER_SECOND} posts/s for ${SECONDS} s`,
        value: p99,
        unit: `ms (p50 ${percentile(ours, 50)})`,
        baseline: percentile(bare, 99),
        ratio: Number((p99 / percentile(bare, 99)).toFixed(2)),
        target: '≤ 250 ms',
        met: p99 <= 250,
      },
      {
        benchmark: 'steady',
        figure: 'WeCom robots: most posts to one robot in any 60 s',
        value: wecom.busiestMinute,
        unit: `posts (${wecom.refused} refused 45009, ${wecom.sent} sent)`,
        target: '≤ 20, 0 refused',
        met: wecom.busiestMinute <= 20 && wecom.refused === 0,
      },
    ],
  );
}
