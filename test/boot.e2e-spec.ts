import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { cpSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { databaseName } from '../src/database/typeorm-options';
import { deleteRedisPrefix, dropDatabase } from './support/cleanup';
import { eventually } from './support/poll';
import { ServiceProcess } from './support/service-process';
import { ADMIN_KEY, TEST_MYSQL_URL, TEST_REDIS_URL, isolatedEnv } from './support/test-env';

const TEMPLATES = join(__dirname, '..', 'templates');

describe('starting the service', () => {
  const started: ServiceProcess[] = [];
  const envs: Record<string, string>[] = [];
  const service = (env: Record<string, string>) => {
    const process = new ServiceProcess(env);
    started.push(process);
    envs.push(env);
    return process;
  };

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
    for (const env of envs.splice(0)) {
      await dropDatabase(env.DATABASE_URL);
      await deleteRedisPrefix(env.QUEUE_PREFIX);
    }
  });

  it.each([
    ['PORT', 'eighty', 'PORT: must be a number'],
    ['ROLE', 'scheduler', 'ROLE: must be one of api, worker, all'],
    ['DATABASE_URL', 'postgres://localhost/db', 'DATABASE_URL: must be a URL starting with mysql://'],
    ['ADMIN_API_KEY', 'short', 'ADMIN_API_KEY: must be at least 16 characters'],
  ])('exits with status 1 and names %s when it is %s', async (name, value, message) => {
    const process = service(isolatedEnv({ [name]: value }));
    expect(await process.exited).toBe(1);
    expect(process.refusal).toContain('groupcast cannot start: Invalid configuration');
    expect(process.refusal).toContain(message);
  });

  it('refuses to start on a broken kind folder, naming each broken file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'groupcast-templates-'));
    try {
      cpSync(TEMPLATES, folder, { recursive: true });
      writeFileSync(join(folder, 'morning_brief', 'text.hbs'), '早报\n{{shout fields.greeting}}\n');
      unlinkSync(join(folder, 'custom', 'markdown.hbs'));
      writeFileSync(join(folder, 'checkin', 'schema.json'), '{ "type": "object", ');
      const process = service(isolatedEnv({ TEMPLATES_DIR: folder }));
      expect(await process.exited).toBe(1);
      expect(process.refusal).toContain(`templates in ${folder} are broken`);
      expect(process.refusal).toContain('morning_brief/text.hbs:2:3: unknown helper "shout"');
      expect(process.refusal).toContain('custom/markdown.hbs: missing');
      expect(process.refusal).toMatch(/checkin\/schema\.json: not valid JSON/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('creates its database and migrates once when two processes start together', async () => {
    const env = isolatedEnv({ ROLE: 'api', LOG_LEVEL: 'info' });
    const first = service(env);
    const second = new ServiceProcess(env);
    started.push(second);
    await Promise.all([first.waitFor(/listening on port \d+/), second.waitFor(/listening on port \d+/)]);
    const mysql = await createConnection({ uri: TEST_MYSQL_URL });
    const [rows] = await mysql.query(`SELECT name FROM \`${databaseName(env.DATABASE_URL)}\`.migrations`);
    await mysql.end();
    const migrations = readdirSync(join(__dirname, '..', 'dist', 'database', 'migrations')).filter((f) =>
      f.endsWith('.js'),
    );
    expect((rows as unknown[]).length).toBe(migrations.length);
    const applied = `${first.output}${second.output}`.match(/applied migration \w+/g) ?? [];
    expect(applied).toHaveLength(migrations.length);
    expect(new Set(applied).size).toBe(migrations.length);
  });

  it('runs a worker with no HTTP server that consumes its queue and stops cleanly on SIGTERM', async () => {
    const env = isolatedEnv({ ROLE: 'worker', WORKER_HEARTBEAT_MS: '200', LOG_LEVEL: 'info' });
    const worker = service(env);
    await worker.waitFor(/worker \S+ ready/);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const beat = await eventually(async () => (await redis.get(`${env.QUEUE_PREFIX}:system:heartbeat`)) ?? undefined);
      expect(JSON.parse(beat)).toEqual({
        at: expect.any(String),
        worker: expect.stringContaining(String(worker.child.pid)),
      });
      // Redis loses every key of ours: the heartbeat comes back on its own.
      await redis.del(...(await redis.keys(`${env.QUEUE_PREFIX}:*`)));
      await eventually(async () => (await redis.get(`${env.QUEUE_PREFIX}:system:heartbeat`)) ?? undefined, 10_000);
    } finally {
      redis.disconnect();
    }
    expect(worker.output).not.toMatch(/listening on port/);
    expect(await worker.stop()).toBe(0);
  });

  it('writes JSON logs that never contain an API key', async () => {
    const env = isolatedEnv({ ROLE: 'all', LOG_LEVEL: 'trace' });
    const api = service(env);
    const port = Number((await api.waitFor(/listening on port (\d+)/))[1]);
    const http = request(`http://127.0.0.1:${port}`);
    const created = await http
      .post('/v1/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ name: 'ed', role: 'editor' })
      .expect(201);
    const key = created.body.key as string;
    await http.get('/v1/content').set('Authorization', `Bearer ${key}`).expect(200);
    await http.post('/v1/content').set('Authorization', `Bearer ${key}`).send({ kind: 'nope' }).expect(400);
    await http.get('/v1/content').set('Authorization', `Bearer ${key}x`).expect(401);
    await http.get(`/v1/content?token=${key}`).set('Authorization', `Bearer ${key}`).expect(400);
    await api.waitFor(/"statusCode":400[\s\S]*"statusCode":401[\s\S]*"statusCode":400/);
    expect(await api.stop()).toBe(0);
    const lines = api.output.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(api.output).not.toContain(key);
    expect(api.output).not.toContain(key.slice(4, 20));
    expect(api.output).not.toContain(ADMIN_KEY);
  });
});
