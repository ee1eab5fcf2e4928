import { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { randomUUID } from 'node:crypto';

/**
 * The baseline for delivery: a bare BullMQ worker that POSTs each job to the sink with the same
 * concurrency and a body of the same shape as the signed-webhook adapter's, and nothing else.
 */
const { REDIS_URL, REDIS_CLUSTER_NODES, QUEUE, PREFIX, SINK_URL, CONCURRENCY } = process.env as Record<string, string>;
const url = new URL(REDIS_URL);
// On a Redis Cluster the baseline's queue gets a slot of its own, as groupcast's queues do.
const connection = REDIS_CLUSTER_NODES
  ? new Cluster(REDIS_CLUSTER_NODES.split(','), { redisOptions: { maxRetriesPerRequest: null } })
  : { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const worker = new Worker<{ dueAt: string; groupId: string; text: string }>(
  QUEUE,
  async (job) => {
    const body = JSON.stringify({
      type: 'post.due',
      timestamp: new Date().toISOString(),
      data: { postId: job.id, dueAt: job.data.dueAt, group: { id: job.data.groupId }, text: job.data.text },
    });
    const response = await fetch(SINK_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': randomUUID() },
      body,
    });
    if (!response.ok) throw new Error(`sink answered ${response.status}`);
    await response.arrayBuffer();
  },
  {
    connection,
    prefix: REDIS_CLUSTER_NODES ? `{${PREFIX}}` : PREFIX,
    concurrency: Number(CONCURRENCY),
    removeOnComplete: { count: 0 },
  },
);
void worker.waitUntilReady().then(() => console.log('bare worker ready'));
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
