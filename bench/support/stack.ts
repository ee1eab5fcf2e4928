import { RedisClient, queuePrefix, redisClient } from '../../src/redis/redis-client';
import { Connection, createConnection } from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteRedisPrefix, dropDatabase, removeMediaCache } from '../../test/support/cleanup';
import { eventually } from '../../test/support/poll';
import { MAIN, ServiceProcess } from '../../test/support/service-process';
import { ADMIN_KEY, NO_GLOBAL_POLICY, TEST_REDIS_TARGET, isolatedEnv } from '../../test/support/test-env';

/** NODE_OPTIONS as docker-compose.yml ships them. */
const SHIPPED_NODE_OPTIONS = (() => {
  const compose = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
  const options = /^\s*NODE_OPTIONS:\s*"?([^"\n]+?)"?\s*$/m.exec(compose);
  if (!options) throw new Error('docker-compose.yml gives no NODE_OPTIONS');
  return options[1];
})();

const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'];
const BULK_ROWS = 5000;

/** A TypeScript helper of the benchmarks in its own Node process. */
export function helperProcess(file: string, args: string[] = [], env: Record<string, string> = {}): ServiceProcess {
  return new ServiceProcess({ TS_NODE_TRANSPILE_ONLY: 'true', ...env }, [
    '-r',
    'ts-node/register/transpile-only',
    join(__dirname, file),
    ...args,
  ]);
}

/** The sink (see sink.ts) in its own process, and its URL. */
export async function startSink(
  mode: 'webhook' | 'wecom',
): Promise<{ process: ServiceProcess; url: string; stats(): Promise<SinkStats> }> {
  const process = helperProcess('sink.ts', [mode]);
  const port = (await process.waitFor(/sink listening on port (\d+)/))[1];
  const url = `http://127.0.0.1:${port}`;
  return { process, url, stats: async () => (await (await fetch(`${url}/__stats`)).json()) as SinkStats };
}

export interface SinkStats {
  count: number;
  lateness: number[];
  firstAt: number | null;
  lastAt: number | null;
  refused: number;
  keys: number;
  busiestMinute: number;
  /** webhook: posts that arrived a second time (the same webhook-id). */
  repeats: number;
  /** webhook: the shortest time between two arrivals for one group. */
  closestMs: number | null;
}

/**
 * The built service as it runs in production: one api process and `workers` worker processes
 * (the scheduler tick runs in whichever worker leads), on a database and Redis prefix of their own.
 */
export class Stack {
  private constructor(
    readonly env: Record<string, string>,
    readonly api: ServiceProcess,
    readonly workers: ServiceProcess[],
    readonly base: string,
    readonly mysql: Connection,
    readonly redis: RedisClient,
  ) {}

  static async start(options: { workers?: number; env?: Record<string, string> } = {}): Promise<Stack> {
    const env = isolatedEnv({ LOG_LEVEL: 'warn', ...options.env });
    // BENCH_PROFILE=1: each process writes a V8 CPU profile to bench/results/profiles when it stops.
    const args = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${join(__dirname, '..', 'results', 'profiles')}`, MAIN]
      : [MAIN];
    // Node's options as docker-compose.yml gives every role (its heap limit), unless
    // BENCH_API_NODE_OPTIONS / BENCH_WORKER_NODE_OPTIONS say otherwise ('' for none).
    const nodeOptions = (value: string | undefined): Record<string, string> => {
      const options = value ?? SHIPPED_NODE_OPTIONS;
      return options ? { NODE_OPTIONS: options } : {};
    };
    const api = new ServiceProcess(
      { ...env, ROLE: 'api', LOG_LEVEL: 'info', ...nodeOptions(process.env.BENCH_API_NODE_OPTIONS) },
      args,
    );
    const port = (await api.waitFor(/listening on port (\d+)/, 60_000))[1];
    const workers = Array.from(
      { length: options.workers ?? 1 },
      () =>
        new ServiceProcess(
          { ...env, ROLE: 'worker', LOG_LEVEL: 'info', ...nodeOptions(process.env.BENCH_WORKER_NODE_OPTIONS) },
          args,
        ),
    );
    await Promise.all(workers.map((w) => w.waitFor(/worker .* ready/, 60_000)));
    const mysql = await createConnection({
      uri: env.DATABASE_URL,
      dateStrings: false,
    });
    const stack = new Stack(env, api, workers, `http://127.0.0.1:${port}`, mysql, redisClient(TEST_REDIS_TARGET));
    // The benchmarks measure delivery, not the shipped quiet hours, gap and caps.
    await stack.call('PUT', '/v1/policies', NO_GLOBAL_POLICY);
    return stack;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async channel(type: string, config: Record<string, unknown> = {}): Promise<string> {
    return (await this.call<{ id: string }>('POST', '/v1/channels', { name: `${type}-bench`, type, config })).id;
  }

  /** `count` groups on one channel, imported 5,000 rows a request. */
  async groups(channelId: string, count: number, row: (i: number) => Record<string, unknown>): Promise<void> {
    for (let start = 0; start < count; start += BULK_ROWS) {
      const rows = Array.from({ length: Math.min(BULK_ROWS, count - start) }, (_, k) => ({
        name: `群 ${start + k}`,
        channelId,
        timezone: 'Asia/Shanghai',
        quietHours: null,
        ...row(start + k),
      }));
      await this.call('POST', '/v1/groups/bulk', { groups: rows });
    }
  }

  /** A campaign of published custom pieces, one step per timing, stages in order. */
  async campaign(timings: object[]): Promise<string> {
    const steps = [];
    for (const [i, timing] of timings.entries()) {
      const piece = await this.call<{ id: string }>('POST', '/v1/content', {
        kind: 'custom',
        title: `第 ${i + 1} 步`,
        fields: { text: `{{group.name}}，第 ${i + 1} 步的内容。` },
      });
      await this.call('POST', `/v1/content/${piece.id}/publish`, {});
      steps.push({ stage: STAGES[Math.min(i, STAGES.length - 1)], contentId: piece.id, timing });
    }
    return (await this.call<{ id: string }>('POST', '/v1/campaigns', { name: `bench ${Date.now()}`, steps })).id;
  }

  async launch(campaignId: string, audience: object, startAt: Date): Promise<string> {
    return (
      await this.call<{ id: string }>('POST', `/v1/campaigns/${campaignId}/runs`, {
        audience,
        startAt: startAt.toISOString(),
      })
    ).id;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [rows] = await this.mysql.query(sql, params);
    return Number(Object.values((rows as Record<string, unknown>[])[0])[0]);
  }

  /** Waits until `sql` counts `target`, polling every 20 ms; the time it took is the caller's to read. */
  async until(sql: string, params: unknown[], target: number, timeoutMs: number): Promise<void> {
    await eventually(async () => ((await this.count(sql, params)) >= target ? true : undefined), timeoutMs, 20);
  }

  /** Sent posts of the given runs: lateness (sent − due) in ms, from MySQL. */
  async lateness(runIds: string[]): Promise<number[]> {
    const [rows] = await this.mysql.query(
      `SELECT TIMESTAMPDIFF(MICROSECOND, due_at, sent_at) / 1000 AS ms FROM posts WHERE run_id IN (?) AND status = 'sent'`,
      [runIds],
    );
    return (rows as { ms: string }[]).map((r) => Number(r.ms));
  }

  /** Resident memory of a process, from /proc. */
  static rssMb(process: ServiceProcess): number {
    const status = readFileSync(`/proc/${process.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  }

  /** BullMQ's prefix for a queue under this stack's QUEUE_PREFIX, as the service gives it. */
  queuePrefix(queue: string): string {
    return queuePrefix(
      { queuePrefix: this.env.QUEUE_PREFIX, redisClusterNodes: TEST_REDIS_TARGET.redisClusterNodes },
      queue,
    );
  }

  /** A key of one of the service's queues, as BullMQ names it. */
  queueKey(queue: string, key: string): string {
    return `${this.queuePrefix(queue)}:${queue}:${key}`;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers, this.api].map((p) => p.stop()));
    await this.mysql.end();
    this.redis.disconnect();
    await dropDatabase(this.env.DATABASE_URL);
    await deleteRedisPrefix(this.env.QUEUE_PREFIX);
    await removeMediaCache(this.env.MEDIA_CACHE_DIR);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (n: number, digits = 0) => Number(n.toFixed(digits));
