// A consumer for an external groupcast channel, in plain Node with BullMQ's own Worker.
//
//   REDIS_URL=redis://127.0.0.1:6379 QUEUE_PREFIX=groupcast CHANNEL=my-crm node examples/external-consumer.js
//
// On a Redis Cluster, set REDIS_CLUSTER_NODES=host:port,… as groupcast has it (REDIS_URL then
// gives only the password): the queue's keys then live under the prefix {QUEUE_PREFIX:queue}.
//
// Each job is one post, already rendered for its group and cleared by groupcast's policy gate.
// Return { externalId } when the message went out; throw an error named RateLimited to have
// groupcast try again later, Permanent to fail the post, or any other error to retry with backoff.
const { Worker } = require('bullmq');
const { Cluster } = require('ioredis');

const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const password = url.password ? decodeURIComponent(url.password) : undefined;
const queue = `posts.external.${process.env.CHANNEL ?? 'example'}`;
const nodes = process.env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean);
const prefix = process.env.QUEUE_PREFIX ?? 'groupcast';
const connection = nodes
  ? new Cluster(nodes, { redisOptions: { password, maxRetriesPerRequest: null } })
  : { host: url.hostname, port: Number(url.port || 6379), password };

class RateLimited extends Error {
  name = 'RateLimited';
}
class Permanent extends Error {
  name = 'Permanent';
}

async function send(post) {
  // Replace this with the call to your own system (a CRM, an SMS gateway, a personal-WeChat bot…).
  if (post.address.target === 'refuse') throw new Permanent(`target ${post.address.target} does not exist`);
  if (post.address.target === 'busy') throw new RateLimited('try again in a minute');
  process.stdout.write(`[${post.group.name}] ${post.stage}: ${post.message.text.split('\n')[0]}\n`);
  return `example-${post.postId.slice(0, 8)}`;
}

const worker = new Worker(queue, async (job) => ({ externalId: await send(job.data) }), {
  connection,
  prefix: nodes ? `{${prefix}:${queue}}` : prefix,
  concurrency: 4,
});
worker.on('ready', () => process.stdout.write(`consuming ${queue}\n`));
const stop = () =>
  worker
    .close()
    .then(() => (nodes ? connection.quit() : undefined))
    .then(() => process.exit(0));
process.on('SIGTERM', stop).on('SIGINT', stop);
