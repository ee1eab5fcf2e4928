import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isValidTimezone } from '../common/timezones';
import { z } from 'zod';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const urlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}` },
  );

/** `host:port` of a Redis Cluster node; undefined when it is not one. */
function clusterNode(node: string): { host: string; port: number } | undefined {
  const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(node);
  const port = match ? Number(match[2]) : 0;
  return match && port > 0 && port <= 65535 ? { host: match[1].replace(/^\[|\]$/g, ''), port } : undefined;
}

const MAKE_KEY = "make one with: node -e \"console.log('k1:' + require('crypto').randomBytes(32).toString('base64'))\"";

const bodySize = z.string().regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 1mb');

const envSchema = z.object({
  ROLE: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).default('all'),
  PORT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535).default(3000),
  METRICS_PORT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535).optional(),
  QUEUE_BOARD_WRITE: booleanFlag.default('false'),
  DATABASE_URL: urlWithScheme(['mysql:', 'mariadb:']).default('mysql://root@127.0.0.1:3306/groupcast'),
  REDIS_URL: urlWithScheme(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((node) => node.trim())
        .filter(Boolean),
    )
    .refine(
      (nodes) => nodes.length > 0 && nodes.every((node) => clusterNode(node) !== undefined),
      'must be Redis Cluster nodes such as 10.0.0.1:6379,10.0.0.2:6379, comma-separated',
    )
    .transform((nodes) => nodes.map((node) => clusterNode(node)!))
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]{1,64}$/, 'must be 1-64 letters, digits, _, -, { or }')
    .default('groupcast'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ALLOW_PRIVATE_TARGETS: booleanFlag.default('false'),
  ALLOW_CUSTOM_BASE_URLS: booleanFlag.default('false'),
  TZ_DEFAULT: z
    .string()
    .refine((tz) => isValidTimezone(tz), 'must be an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  TEMPLATES_DIR: z
    .string()
    .min(1)
    .default(resolve(__dirname, '..', '..', 'templates')),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number({ message: 'must be a number' }).int().min(1).default(1200),
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine(
      (origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
      'must be origins such as https://console.example.com, comma-separated',
    )
    .default(''),
  CONSOLE_OUTPUT: z.string().min(1).default('stderr'),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number({ message: 'must be a number' }).int().min(1).default(30),
  BODY_LIMIT: bodySize.default('512kb'),
  BULK_BODY_LIMIT: bodySize.default('5mb'),
  WORKER_HEARTBEAT_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(15000),
  WORKER_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).default(100),
  SCHEDULER_TICK_MS: z.coerce.number({ message: 'must be a number' }).int().min(50).default(1000),
  SCHEDULER_HORIZON_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).default(600_000),
  MAX_ATTEMPTS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(50).default(5),
  RETRY_BASE_MS: z.coerce.number({ message: 'must be a number' }).int().min(10).default(2000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(10_000),
  CLAIM_LEASE_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).default(60_000),
  PLAN_SYNC_MAX_POSTS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(50_000),
  PLAN_MAX_POSTS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1_000_000).default(100_000),
  PLAN_JOBS_PER_KEY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(100).default(3),
  PUBLIC_BASE_URL: urlWithScheme(['http:', 'https:'])
    .refine((value) => !/[?#]/.test(value), 'must be a base URL without a query or fragment')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  LINK_SIGNING_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/,
      'must be false, true, a number of proxies, or proxy addresses such as loopback or 10.0.0.0/8, comma-separated',
    )
    .transform((value): boolean | number | string =>
      value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value,
    )
    .default('false'),
  SECRETS_KEYS: z
    .string()
    .transform((value, context) => {
      const keys = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => {
          const [id, key] = [
            entry.slice(0, entry.indexOf(':')),
            Buffer.from(entry.slice(entry.indexOf(':') + 1), 'base64'),
          ];
          return { id, key };
        });
      const bad = keys.find((k) => !/^[A-Za-z0-9_-]{1,16}$/.test(k.id) || k.key.length !== 32);
      if (keys.length === 0 || bad) {
        context.addIssue({
          code: 'custom',
          message: `must be keys such as k1:<32 bytes in base64>, comma-separated, newest first; ${MAKE_KEY}`,
        });
        return z.NEVER;
      }
      if (new Set(keys.map((k) => k.id)).size !== keys.length) {
        context.addIssue({ code: 'custom', message: 'names a key id twice' });
        return z.NEVER;
      }
      return keys;
    })
    .optional(),
  NODE_ENV: z.string().optional(),
  MEDIA_CACHE_DIR: z.string().min(1).default(join(tmpdir(), 'groupcast-media')),
  MEDIA_CHECK: booleanFlag.default('true'),
  MEDIA_CHECK_EXAMPLE_HOSTS: booleanFlag.optional(),
  RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .refine((days) => days === 0 || (days >= 7 && days <= 3650), 'must be 0 (keep everything) or 7 to 3650 days')
    .default(180),
  RETENTION_SWEEP_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).default(900_000),
  CONFIRM_DEADLINE_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).default(7_200_000),
  CONFIRM_POLL_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(30_000),
});

export interface AppConfig {
  role: Role;
  port: number;
  /** A port of its own where `/metrics` is open to Prometheus without a key (any role); on the API port it needs the admin key. */
  metricsPort?: number;
  /** Bull Board at /admin/queues may retry, promote and remove jobs (read-only when false). */
  queueBoardWrite: boolean;
  databaseUrl: string;
  /** Where Redis is; with redisClusterNodes, only its user, password and TLS count. */
  redisUrl: string;
  /** A Redis Cluster's seed nodes: every Redis user (queues, limiter, leader lock, throttler) goes through a cluster client. */
  redisClusterNodes?: { host: string; port: number }[];
  queuePrefix: string;
  adminApiKey?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  allowPrivateTargets: boolean;
  /** Lets a channel's config.baseUrl name a host other than its provider's own (a proxy, a test server). */
  allowCustomBaseUrls: boolean;
  tzDefault: string;
  templatesDir: string;
  apiRateLimitPerMinute: number;
  /** Where console-channel posts are printed: stderr, stdout or a file path (appended), apart from the JSON log on stdout. */
  consoleOutput: string;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Unknown API keys one client address may present a minute before it gets 429s. */
  authFailuresPerMinute: number;
  bodyLimit: string;
  /** Bulk imports carry thousands of rows. */
  bulkBodyLimit: string;
  workerHeartbeatMs: number;
  workerConcurrency: number;
  schedulerTickMs: number;
  schedulerHorizonMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** The longest one SQL statement of the service may run (0: no limit); past it the request answers 503. */
  dbStatementTimeoutMs: number;
  /** How long a worker holds a post it claimed before another may take it over. */
  claimLeaseMs: number;
  /** A plan preview of more posts than this is a job: 202, then GET /v1/plans/:id. */
  planSyncMaxPosts: number;
  /** The most posts one plan covers: a larger audience is planned a page of groups at a time. */
  planMaxPosts: number;
  /** Plans made as jobs one API key may have kept at a time. */
  planJobsPerKey: number;
  /** Where the service is reached from outside: short links (`/r/:code`) are made under it. */
  publicBaseUrl?: string;
  /** The HMAC key short links are signed with; set whenever publicBaseUrl is. */
  linkSigningKey?: string;
  /**
   * Which proxies' X-Forwarded-For to believe (Express `trust proxy`): the client address counts
   * unique clicks and unknown-key attempts, and without it every client behind a proxy is one.
   */
  trustProxy: boolean | number | string;
  /** Keys that seal channel credentials and group addresses at rest, newest (the one that seals) first. */
  secretsKeys?: { id: string; key: Buffer }[];
  /** Where pictures fetched from content are kept (a bounded cache). */
  mediaCacheDir: string;
  /** Saving a piece fetches its pictures to check size and type (tests of other things turn it off). */
  mediaCheck: boolean;
  /**
   * Whether the check fetches pictures on the reserved example domains too (example.com, .net,
   * .org: RFC 2606), which never hold a real picture; outside production it does not, so the
   * kinds' own examples save on a machine with no internet.
   */
  mediaCheckExampleHosts: boolean;
  /**
   * Finished posts (with their attempts, deferrals and clicks) older than this many days are purged
   * by the leader, their counts kept in post_rollups; 0 keeps everything.
   */
  retentionDays: number;
  /** How often the leader looks for what is past retention. */
  retentionSweepMs: number;
  /** How long a WeCom customer group's owner has to confirm a mass message before it expires (reminded halfway). */
  confirmDeadlineMs: number;
  /** How soon a task waiting for confirmation is first looked at again (later the longer it waits). */
  confirmPollMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEYS) {
    throw new ConfigError([
      `SECRETS_KEYS: required when NODE_ENV=production, so that credentials and addresses are encrypted at rest; ${MAKE_KEY}`,
    ]);
  }
  if ((e.PUBLIC_BASE_URL === undefined) !== (e.LINK_SIGNING_KEY === undefined)) {
    throw new ConfigError([
      e.PUBLIC_BASE_URL === undefined
        ? 'PUBLIC_BASE_URL: must be set with LINK_SIGNING_KEY (short links are made under it)'
        : 'LINK_SIGNING_KEY: must be set with PUBLIC_BASE_URL (short links are signed with it)',
    ]);
  }
  return {
    role: e.ROLE,
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    queueBoardWrite: e.QUEUE_BOARD_WRITE,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    queuePrefix: e.QUEUE_PREFIX,
    adminApiKey: e.ADMIN_API_KEY,
    logLevel: e.LOG_LEVEL,
    allowPrivateTargets: e.ALLOW_PRIVATE_TARGETS,
    allowCustomBaseUrls: e.ALLOW_CUSTOM_BASE_URLS,
    tzDefault: e.TZ_DEFAULT,
    templatesDir: resolve(e.TEMPLATES_DIR),
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    corsOrigins: e.CORS_ORIGINS,
    consoleOutput: e.CONSOLE_OUTPUT,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    bodyLimit: e.BODY_LIMIT,
    bulkBodyLimit: e.BULK_BODY_LIMIT,
    workerHeartbeatMs: e.WORKER_HEARTBEAT_MS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    schedulerTickMs: e.SCHEDULER_TICK_MS,
    schedulerHorizonMs: e.SCHEDULER_HORIZON_MS,
    maxAttempts: e.MAX_ATTEMPTS,
    retryBaseMs: e.RETRY_BASE_MS,
    claimLeaseMs: e.CLAIM_LEASE_MS,
    planSyncMaxPosts: e.PLAN_SYNC_MAX_POSTS,
    planMaxPosts: e.PLAN_MAX_POSTS,
    planJobsPerKey: e.PLAN_JOBS_PER_KEY,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    linkSigningKey: e.LINK_SIGNING_KEY,
    trustProxy: e.TRUST_PROXY,
    secretsKeys: e.SECRETS_KEYS,
    mediaCacheDir: resolve(e.MEDIA_CACHE_DIR),
    mediaCheck: e.MEDIA_CHECK,
    mediaCheckExampleHosts: e.MEDIA_CHECK_EXAMPLE_HOSTS ?? e.NODE_ENV === 'production',
    retentionDays: e.RETENTION_DAYS,
    retentionSweepMs: e.RETENTION_SWEEP_MS,
    confirmDeadlineMs: e.CONFIRM_DEADLINE_MS,
    confirmPollMs: e.CONFIRM_POLL_MS,
  };
}
