import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp } from './bootstrap';
import { AppConfig, loadConfig } from './config/app-config';
import { dropDatabase } from './database/prepare-database';
import { databaseName } from './database/typeorm-options';
import { deleteKeysUnder } from './redis/redis-client';

/**
 * npm run demo: a fresh-food community with three groups on the console channel, a five-stage
 * campaign a few seconds a step, launched and watched until every post has arrived.
 */
const STEPS = [
  { stage: 'activate', kind: 'checkin', title: '早起打卡' },
  { stage: 'educate', kind: 'product_science', title: '羊绒为什么起球' },
  { stage: 'trigger_need', kind: 'outfit_showcase', title: '冬日通勤穿搭' },
  { stage: 'trigger_emotion', kind: 'red_packet', title: '300 人红包' },
  { stage: 'close', kind: 'product_pick', title: '恒温杯好物' },
];
const GROUPS = [
  { name: '上海鲜食社', timezone: 'Asia/Shanghai', persona: '小当家' },
  { name: '新加坡鲜食团', timezone: 'Asia/Singapore', persona: '阿May' },
  { name: '柏林华人鲜食群', timezone: 'Europe/Berlin', persona: 'Lena' },
];

function example(kind: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'templates', kind, 'schema.json'), 'utf8')) as {
    examples: Record<string, unknown>[];
  };
  return schema.examples[0];
}

/**
 * The demo's database and Redis prefix: its own, made for this run and removed after it, unless
 * DATABASE_URL or QUEUE_PREFIX name others (those are left as they are, and said so).
 */
function demoStore() {
  const own = `groupcast_demo_${randomBytes(4).toString('hex')}`;
  const databaseUrl = process.env.DATABASE_URL ?? `mysql://root@127.0.0.1:3306/${own}`;
  const queuePrefix = process.env.QUEUE_PREFIX ?? own;
  return { databaseUrl, queuePrefix, ownDatabase: !process.env.DATABASE_URL, ownKeys: !process.env.QUEUE_PREFIX };
}

async function cleanUp(store: ReturnType<typeof demoStore>, config: AppConfig): Promise<void> {
  const name = databaseName(store.databaseUrl);
  if (store.ownDatabase) await dropDatabase(store.databaseUrl);
  const keys = store.ownKeys ? await deleteKeysUnder(store.queuePrefix, config) : 0;
  process.stdout.write(
    [
      store.ownDatabase ? `removed the demo's database ${name}` : `left the database ${name} (DATABASE_URL)`,
      store.ownKeys
        ? `and its ${keys} Redis keys under ${store.queuePrefix}:`
        : `and the Redis keys under ${store.queuePrefix}: (QUEUE_PREFIX)`,
    ].join(' ') + '\n',
  );
}

async function main(): Promise<void> {
  const adminKey = `demo-${randomBytes(16).toString('hex')}`;
  const store = demoStore();
  const config = loadConfig({
    ...process.env,
    ROLE: 'all',
    PORT: '0',
    ADMIN_API_KEY: adminKey,
    DATABASE_URL: store.databaseUrl,
    QUEUE_PREFIX: store.queuePrefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SCHEDULER_TICK_MS: '250',
    // The demo's pieces name example pictures on hosts that need not exist; the console prints their URLs.
    MEDIA_CHECK: process.env.MEDIA_CHECK ?? 'false',
  });
  let app: INestApplication;
  try {
    app = ((await startApp(config)) as { app: INestApplication }).app;
  } catch (error) {
    await cleanUp(store, config);
    throw error;
  }
  const base = await app.getUrl();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    const tag = `demo-${Date.now()}`;
    const channel = await call('POST', '/v1/channels', { name: `console-${tag}`, type: 'console' });
    for (const group of GROUPS) {
      await call('POST', '/v1/groups', {
        name: group.name,
        channelId: channel.id,
        address: group.timezone,
        timezone: group.timezone,
        tags: [tag],
        type: 'product',
        vars: { persona: group.persona },
        // A step every four seconds: the demo's groups turn the anti-spam rules off for themselves.
        quietHours: 'off',
        minGapMinutes: 'off',
        dailyCap: 'off',
        promoCap: 'off',
      });
    }
    const steps = [];
    for (const [i, step] of STEPS.entries()) {
      const piece = await call('POST', '/v1/content', {
        kind: step.kind,
        title: step.title,
        fields: example(step.kind),
      });
      await call('POST', `/v1/content/${piece.id}/publish`, {});
      steps.push({ stage: step.stage, contentId: piece.id, timing: { after: i === 0 ? 'PT2S' : 'PT4S' } });
    }
    const campaign = await call('POST', '/v1/campaigns', {
      name: '鲜食社 冬季五步曲',
      objective: '从激活到成交，五步走完',
      steps,
    });
    const run = await call('POST', `/v1/campaigns/${campaign.id}/runs`, { audience: { tags: [tag] } });
    process.stdout.write(
      `\n▶ run ${run.id}: ${run.postCount} posts to ${GROUPS.length} groups, one stage every 4 seconds\n\n`,
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const current = await call('GET', `/v1/runs/${run.id}`);
      if (current.status === 'completed') break;
      if (Date.now() > deadline)
        throw new Error(
          `run not complete after a minute: ${JSON.stringify(await call('GET', `/v1/runs/${run.id}/stats`))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const stats = (await call('GET', `/v1/runs/${run.id}/stats`)) as {
      byStage: Record<string, Record<string, number>>;
    };
    process.stdout.write(`\n✔ every stage arrived in every group: ${JSON.stringify(stats.byStage)}\n`);
  } finally {
    await app.close();
    await cleanUp(store, config);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
