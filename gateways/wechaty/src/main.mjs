// The Wechaty gateway: personal WeChat groups as a groupcast external channel.
//
//   REDIS_URL=redis://127.0.0.1:6379 QUEUE_PREFIX=groupcast CHANNEL=wechat-mama \
//   WECHATY_PUPPET=wechaty-puppet-wechat4u npm --prefix gateways/wechaty start
//
// On a Redis Cluster, REDIS_CLUSTER_NODES=host:port,… as groupcast has it (REDIS_URL then gives
// only the password).
//
// Group addresses name the room: its topic, or its id (…@chatroom). WECHATY_PUPPET=mock runs a
// mocked account with the rooms in WECHATY_MOCK_ROOMS and prints what the bot says (tests, demos).
import { Cluster, Redis } from 'ioredis';
import { WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { startGateway } from './gateway.mjs';
import { Pacing } from './pacing.mjs';

const env = process.env;
const number = (name, fallback) => {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: must be a number of 0 or more`);
  return value;
};
const [jitterMin, jitterMax] = (env.WECHATY_JITTER_MS ?? '3000-12000').split('-').map(Number);
if (!(jitterMin >= 0 && jitterMax >= jitterMin))
  throw new Error('WECHATY_JITTER_MS: must be a range such as 3000-12000');
if (!env.CHANNEL) throw new Error('CHANNEL: the name of the external channel in groupcast');

const redisUrl = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const password = redisUrl.password ? decodeURIComponent(redisUrl.password) : undefined;
const nodes = env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean);
// BullMQ's worker blocks on its connection: commands wait for Redis rather than fail.
const connection = nodes
  ? new Cluster(nodes, { redisOptions: { password, maxRetriesPerRequest: null } })
  : { host: redisUrl.hostname, port: Number(redisUrl.port || 6379), password };
const redis = nodes ? new Cluster(nodes, { redisOptions: { password } }) : new Redis(connection);

let bot;
if (env.WECHATY_PUPPET === 'mock') {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  // WECHATY_MOCK_TOO_FREQUENT=N: the Nth text refused the way WeChat refuses an account that sends too fast.
  const refuseAt = number('WECHATY_MOCK_TOO_FREQUENT', 0);
  const sendText = puppet.messageSendText.bind(puppet);
  let texts = 0;
  puppet.messageSendText = async (...args) => {
    if (++texts === refuseAt) throw new Error('发送消息过于频繁，请稍后再试');
    return sendText(...args);
  };
  bot = WechatyBuilder.build({ puppet });
  await bot.start();
  const me = mocker.createContact({ name: env.WECHATY_MOCK_ACCOUNT ?? '小助手' });
  const members = mocker.createContacts(2);
  for (const topic of (env.WECHATY_MOCK_ROOMS ?? '').split(',').filter(Boolean)) {
    const room = mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)] });
    room.on('message', (message) => {
      const said = { room: topic, type: message.type() === 7 ? 'text' : 'file', text: message.text() ?? '' };
      process.stdout.write(`${JSON.stringify({ said })}\n`);
    });
  }
  mocker.login(me);
} else {
  bot = WechatyBuilder.build({ name: `groupcast-${env.CHANNEL}`, puppet: env.WECHATY_PUPPET });
  bot.on('scan', (qrcode) =>
    process.stdout.write(`scan to log in: https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}\n`),
  );
  await bot.start();
}
bot.on('login', (user) => process.stdout.write(`logged in as ${user.name()}\n`));

const gateway = await startGateway({
  bot,
  connection,
  redis,
  prefix: env.QUEUE_PREFIX ?? 'groupcast',
  cluster: nodes !== undefined,
  channel: env.CHANNEL,
  pacing: new Pacing({
    quota: number('WECHATY_DAILY_QUOTA', 300),
    windowMs: number('WECHATY_QUOTA_WINDOW_MS', 86_400_000),
    jitterMinMs: jitterMin,
    jitterMaxMs: jitterMax,
    pauseMs: number('WECHATY_PAUSE_MS', 60_000),
  }),
  log: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
});
process.stdout.write(`consuming ${gateway.queue}\n`);

const stop = async () => {
  await gateway.stop();
  await bot.stop();
  redis.disconnect();
  if (nodes) connection.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop).on('SIGINT', stop);
