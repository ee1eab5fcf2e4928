import { Worker } from 'bullmq';
import { FileBox } from 'file-box';
import { Pacing, Permanent, RateLimited } from './pacing.mjs';

const TOO_FREQUENT = /频繁|too frequent/i;
const STATUS_EVERY_MS = 5_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A room by id (`…@chatroom`) or by topic. */
async function findRoom(bot, target) {
  if (target.endsWith('@chatroom')) {
    const room = await bot.Room.find({ id: target });
    if (room) return room;
  }
  return bot.Room.find({ topic: target });
}

/**
 * Consumes the external channel's queue `posts.external.<channel>` one post at a time: finds the
 * room, says the text and then each picture, under the account's pacing; reports the account's
 * state to Redis for groupcast's channel view.
 */
export async function startGateway({
  bot,
  connection,
  redis,
  prefix,
  cluster = false,
  channel,
  pacing,
  log = () => {},
}) {
  const queue = `posts.external.${channel}`;
  const statusKey = `${prefix}:gateway:${channel}`;
  const report = async () => {
    const user = bot.isLoggedIn ? bot.currentUser : undefined;
    await redis.set(
      statusKey,
      JSON.stringify({ loggedInAs: user ? user.name() : null, lastSeen: new Date().toISOString(), ...pacing.state() }),
      'EX',
      Math.ceil((STATUS_EVERY_MS * 6) / 1000),
    );
  };
  const worker = new Worker(
    queue,
    async (job) => {
      const post = job.data;
      if (!bot.isLoggedIn) throw new Error('the WeChat account is not logged in');
      pacing.check();
      await sleep(pacing.jitter());
      const room = await findRoom(bot, String(post.address?.target ?? ''));
      if (!room) throw new Permanent(`no WeChat group ${post.address?.target} for this account`);
      try {
        await room.say(post.message.text);
        for (const url of post.message.images ?? []) await room.say(FileBox.fromUrl(url));
      } catch (error) {
        if (TOO_FREQUENT.test(String(error?.message))) {
          const pause = pacing.tooFrequent();
          throw new RateLimited(`WeChat said too frequent; the account pauses; retry in ${pause} ms`);
        }
        throw error;
      }
      pacing.sentOne();
      log({ sent: post.postId, room: room.id });
      return { externalId: `wechaty:${room.id}:${post.postId}` };
    },
    // On a Redis Cluster each queue's keys share one slot of their own, as groupcast names them.
    { connection, prefix: cluster ? `{${prefix}:${queue}}` : prefix, concurrency: 1 },
  );
  await report();
  const timer = setInterval(() => void report().catch(() => undefined), STATUS_EVERY_MS);
  bot.on('login', () => void report());
  bot.on('logout', () => void report());
  return {
    queue,
    async stop() {
      clearInterval(timer);
      await worker.close();
      await redis.del(statusKey);
    },
  };
}

export { Pacing };
