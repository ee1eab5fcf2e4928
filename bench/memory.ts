import { Figure, report } from './report';
import { Stack, round } from './support/stack';

const GROUPS = 20_000;
const STEPS = 5;
const POSTS = GROUPS * STEPS;

async function usedMemory(stack: Stack): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await stack.redis.info('memory'))![1]);
}

/** 100,000 posts inside the horizon: Redis bytes per queued post and the worker's resident memory. */
export async function memory(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 1 });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/g/${i}` },
      tags: ['memory'],
    }));
    const campaign = await stack.campaign(Array(STEPS).fill({ after: 'PT1M' }));
    const before = await usedMemory(stack);
    await stack.launch(campaign, { tags: ['memory'] }, new Date(Date.now() + 60_000));
    const delayed = stack.queueKey('posts.webhook', 'delayed');
    while ((await stack.redis.zcard(delayed)) < POSTS) await new Promise((resolve) => setTimeout(resolve, 100));
    // Let the worker and the scheduler run a few ticks over the full queue before reading RSS.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const perPost = (await usedMemory(stack)) - before;
    const rss = Stack.rssMb(stack.workers[0]);
    const bytes = round(perPost / POSTS);
    return report(
      'memory',
      [
        {
          posts: POSTS,
          'redis bytes/post': bytes,
          'worker RSS MB': round(rss),
          'api RSS MB': round(Stack.rssMb(stack.api)),
        },
      ],
      [
        {
          benchmark: 'memory',
          figure: `Redis per queued post (${POSTS} queued)`,
          value: bytes,
          unit: 'bytes',
          target: '≤ 1024 bytes',
          met: bytes <= 1024,
        },
        {
          benchmark: 'memory',
          figure: 'worker RSS with them queued',
          value: round(rss),
          unit: 'MB',
          target: '≤ 250 MB',
          met: rss <= 250,
        },
      ],
    );
  } finally {
    await stack.stop();
  }
}
