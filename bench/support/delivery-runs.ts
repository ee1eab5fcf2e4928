import { Queue } from 'bullmq';
import { loadConfig } from '../../src/config/app-config';
import { redisClient } from '../../src/redis/redis-client';
import { deleteRedisPrefix } from '../../test/support/cleanup';
import { TEST_REDIS_CLUSTER_NODES, TEST_REDIS_TARGET, TEST_REDIS_URL } from '../../test/support/test-env';
import { SinkStats, Stack, helperProcess, percentile, round, startSink } from './stack';

/** Time for launched jobs to be in Redis before they fall due, so the figures start at the due time (a launch of 20,000 posts took over 6 s on this machine on a slow evening). */
const LEAD_MS = 15_000;
/** The service's default; the baseline workers run with the same. */
const CONCURRENCY = loadConfig({}).workerConcurrency;

export interface DeliveryFigures {
  posts: number;
  /** Posts per second from the due time to the last arrival at the sink. */
  rate: number;
  /** From the due time to the last arrival, ms. */
  lastMs: number;
  p50: number;
  p99: number;
  max: number;
  /** The largest resident memory seen in a worker and in the api process from launch to the last arrival, MB. */
  workerRssMb?: number;
  apiRssMb?: number;
  /** Posts that arrived twice, and the shortest time between two arrivals for one group. */
  repeats: number;
  closestMs: number | null;
  /** Times a post was put back in the queue (deferred) on the way. */
  deferrals?: number;
}

function figures(stats: SinkStats, dueAt: number): DeliveryFigures {
  const lastMs = stats.lastAt! - dueAt;
  return {
    posts: stats.count,
    rate: round(stats.count / (lastMs / 1000)),
    lastMs,
    p50: percentile(stats.lateness, 50),
    p99: percentile(stats.lateness, 99),
    max: Math.max(...stats.lateness),
    repeats: stats.repeats,
    closestMs: stats.closestMs,
  };
}

async function sinkReached(stats: () => Promise<SinkStats>, count: number, timeoutMs: number): Promise<SinkStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats();
    if (s.count >= count) return s;
    if (Date.now() > deadline) throw new Error(`the sink got ${s.count} of ${count} posts within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * groupcast end to end: `groups` webhook groups, `steps` posts each, all due at one instant,
 * through `workers` worker processes (policy gate on, no limit binding) to the sink.
 */
export async function groupcastDelivery(options: {
  groups: number;
  steps: number;
  workers: number;
  /** From the launch to the due time: long enough for the launch itself to be done. */
  leadMs?: number;
  /** Settings every group gets (a minimum gap, say). */
  group?: Record<string, unknown>;
}): Promise<DeliveryFigures> {
  const sink = await startSink('webhook');
  const stack = await Stack.start({ workers: options.workers });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, options.groups, (i) => ({
      address: { url: `${sink.url}/g/${i}` },
      tags: ['bench'],
      ...options.group,
    }));
    const campaign = await stack.campaign(Array(options.steps).fill({ after: 'PT0S' }));
    const rss = { worker: 0, api: 0 };
    const sample = () => {
      for (const worker of stack.workers) rss.worker = Math.max(rss.worker, Stack.rssMb(worker));
      rss.api = Math.max(rss.api, Stack.rssMb(stack.api));
    };
    const sampling = setInterval(sample, 250);
    try {
      const leadMs = options.leadMs ?? LEAD_MS;
      const dueAt = Date.now() + leadMs;
      await stack.launch(campaign, { tags: ['bench'] }, new Date(dueAt));
      if (Date.now() > dueAt) throw new Error(`the launch took past the due time; give a leadMs above ${leadMs}`);
      const total = options.groups * options.steps;
      const reached = await sinkReached(sink.stats, total, 300_000);
      sample();
      return {
        ...figures(reached, dueAt),
        workerRssMb: round(rss.worker),
        apiRssMb: round(rss.api),
        deferrals: await stack.count('SELECT COUNT(*) FROM post_deferrals'),
      };
    } finally {
      clearInterval(sampling);
    }
  } finally {
    await stack.stop();
    await sink.process.stop();
  }
}

/** The baseline: the same number of jobs, due at one instant, through bare BullMQ workers to the sink. */
export async function bareDelivery(options: {
  groups: number;
  steps: number;
  workers: number;
}): Promise<DeliveryFigures> {
  const sink = await startSink('webhook');
  const prefix = `gcbench_bare_${process.pid}`;
  const workers = Array.from({ length: options.workers }, () =>
    helperProcess('bare-worker.ts', [], {
      REDIS_URL: TEST_REDIS_URL,
      ...(TEST_REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: TEST_REDIS_CLUSTER_NODES } : {}),
      QUEUE: 'posts',
      PREFIX: prefix,
      SINK_URL: `${sink.url}/bare`,
      CONCURRENCY: String(CONCURRENCY),
    }),
  );
  const redis = redisClient(TEST_REDIS_TARGET, { maxRetriesPerRequest: null });
  const queue = new Queue('posts', { connection: redis, prefix: TEST_REDIS_CLUSTER_NODES ? `{${prefix}}` : prefix });
  try {
    await Promise.all(workers.map((w) => w.waitFor(/bare worker ready/, 60_000)));
    const dueAt = Date.now() + LEAD_MS;
    const total = options.groups * options.steps;
    const text = '群 0，第 1 步的内容。';
    for (let i = 0; i < total; i += 2000) {
      const jobs = Array.from({ length: Math.min(2000, total - i) }, (_, k) => ({
        name: 'deliver',
        data: { dueAt: new Date(dueAt).toISOString(), groupId: String((i + k) % options.groups), text },
        opts: { delay: dueAt - Date.now(), removeOnComplete: true },
      }));
      await queue.addBulk(jobs);
    }
    return figures(await sinkReached(sink.stats, total, 300_000), dueAt);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    await redis.quit();
    await deleteRedisPrefix(prefix);
    await sink.process.stop();
  }
}
