import { Queue } from 'bullmq';
import { redisClient } from '../src/redis/redis-client';
import { TEST_REDIS_TARGET } from '../test/support/test-env';
import { Figure, report } from './report';
import { Stack, round } from './support/stack';

const GROUPS = 10_000;
const STEPS = 5;
const POSTS = GROUPS * STEPS;
const INSERT_ROWS = 1000;
const ADD_BULK = 2000;

/**
 * Launch a five-step campaign to 10,000 groups through the API and wait until all 50,000 posts
 * (due within the horizon) are jobs in BullMQ. Baseline: the same 50,000 rows by mysql2 multi-row
 * INSERT plus BullMQ addBulk of the same jobs.
 */
export async function fanout(): Promise<Figure[]> {
  const stack = await Stack.start({ workers: 1 });
  try {
    const channel = await stack.channel('webhook');
    await stack.groups(channel, GROUPS, (i) => ({
      address: { url: `https://hooks.example.com/g/${i}` },
      tags: ['fanout'],
    }));
    const campaign = await stack.campaign([{ after: 'PT0S' }, ...Array(STEPS - 1).fill({ after: 'PT1M' })]);
    const delayed = stack.queueKey('posts.webhook', 'delayed');

    const started = performance.now();
    const runId = await stack.launch(campaign, { tags: ['fanout'] }, new Date(Date.now() + 60_000));
    const launched = performance.now();
    await stack.until(`SELECT COUNT(*) FROM posts WHERE run_id = ? AND status = 'queued'`, [runId], POSTS, 60_000);
    for (;;) {
      if ((await stack.redis.zcard(delayed)) >= POSTS) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ours = performance.now() - started;

    const [rows] = await stack.mysql.query(`SELECT * FROM posts WHERE run_id = ?`, [runId]);
    const posts = rows as Record<string, unknown>[];
    const columns = Object.keys(posts[0]);
    await stack.mysql.query(`CREATE TABLE posts_baseline LIKE posts`);
    const connection = redisClient(TEST_REDIS_TARGET, { maxRetriesPerRequest: null });
    const queue = new Queue('baseline', { connection, prefix: stack.queuePrefix('baseline') });
    const baselineStarted = performance.now();
    for (let i = 0; i < posts.length; i += INSERT_ROWS) {
      const chunk = posts.slice(i, i + INSERT_ROWS).map((p) => columns.map((c) => p[c]));
      await stack.mysql.query(`INSERT INTO posts_baseline (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [
        chunk,
      ]);
    }
    const inserted = performance.now();
    for (let i = 0; i < posts.length; i += ADD_BULK) {
      await queue.addBulk(
        posts.slice(i, i + ADD_BULK).map((p) => ({
          name: 'deliver',
          data: { postId: p.id },
          opts: {
            jobId: String(p.id),
            delay: Math.max(0, (p.due_at as Date).getTime() - Date.now()),
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    }
    const baseline = performance.now() - baselineStarted;
    await queue.close();
    await connection.quit();

    const ratio = ours / baseline;
    return report(
      'fanout',
      [
        {
          path: 'groupcast: POST /runs until all are jobs',
          'launch ms': round(launched - started),
          'total ms': round(ours),
        },
        {
          path: 'baseline: INSERT + addBulk',
          'launch ms': round(inserted - baselineStarted),
          'total ms': round(baseline),
        },
      ],
      [
        {
          benchmark: 'fanout',
          figure: `${POSTS} posts launched and queued`,
          value: round(ours),
          unit: 'ms',
          baseline: round(baseline),
          ratio: round(ratio, 2),
          target: '≤ 1.3× and ≤ 3000 ms',
          met: ratio <= 1.3 && ours <= 3000,
        },
      ],
      { groups: GROUPS, steps: STEPS },
    );
  } finally {
    await stack.stop();
  }
}
