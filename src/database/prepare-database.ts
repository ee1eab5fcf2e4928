import { Logger } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { databaseName, typeormOptions } from './typeorm-options';

const MIGRATION_LOCK = 'groupcast.migrations';
const MIGRATION_LOCK_TIMEOUT_S = 120;

/** Runs one statement on the server a DATABASE_URL names, outside any database. */
async function onServer(databaseUrl: string, sql: string, options: { connectTimeout?: number } = {}): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/';
  url.protocol = 'mysql:';
  const connection = await createConnection({ uri: url.toString(), ...options });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

async function createDatabaseIfMissing(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await onServer(
    databaseUrl,
    `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

/** Drops the database a DATABASE_URL names (a run of its own that is over: the demo's, a test's). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const protocol = new URL(databaseUrl).protocol;
  if (protocol !== 'mysql:' && protocol !== 'mariadb:') return; // a URL the service refused: it created nothing
  await onServer(databaseUrl, `DROP DATABASE IF EXISTS \`${databaseName(databaseUrl)}\``);
}

/** Runs `statements` on every connection of the pool, the one initialize() opened included. */
async function onEveryConnection(dataSource: DataSource, statements: string[]): Promise<void> {
  const pool = (
    dataSource.driver as unknown as { pool: { on(event: 'connection', listener: (c: PoolConnection) => void): void } }
  ).pool;
  pool.on('connection', (connection) => statements.forEach((sql) => connection.query(sql)));
  for (const sql of statements) await dataSource.query(sql);
}

/**
 * Dates go over the wire in UTC (timezone: 'Z'); the server's own CURRENT_TIMESTAMP defaults must
 * be UTC too, whatever time zone the server runs in.
 */
const UTC_SESSION = "SET time_zone = '+00:00'";

/** MariaDB bounds every statement in seconds; MySQL bounds SELECTs in milliseconds. */
async function statementTimeLimit(dataSource: DataSource, ms: number): Promise<string[]> {
  if (ms <= 0) return [];
  const [{ version }] = (await dataSource.query('SELECT VERSION() AS version')) as { version: string }[];
  return [
    /mariadb/i.test(version)
      ? `SET SESSION max_statement_time = ${ms / 1000}`
      : `SET SESSION max_execution_time = ${ms}`,
  ];
}

interface PoolConnection {
  query(sql: string): void;
}

/**
 * Creates the database if needed, connects, and runs pending migrations while holding a MySQL
 * named lock, so that several processes starting together migrate once, one after the other.
 */
export async function prepareDatabase(
  databaseUrl: string,
  statementTimeoutMs = 0,
  logger = new Logger('Database'),
): Promise<DataSource> {
  await createDatabaseIfMissing(databaseUrl);
  await migrate(databaseUrl, logger);
  const dataSource = await new DataSource(typeormOptions(databaseUrl)).initialize();
  try {
    await onEveryConnection(dataSource, [UTC_SESSION, ...(await statementTimeLimit(dataSource, statementTimeoutMs))]);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Migrations run on a connection of their own, with no statement time limit: building an index on a large table takes long. */
async function migrate(databaseUrl: string, logger: Logger): Promise<void> {
  const dataSource = await new DataSource(typeormOptions(databaseUrl)).initialize();
  await onEveryConnection(dataSource, [UTC_SESSION]);
  const runner = dataSource.createQueryRunner();
  try {
    const [{ acquired }] = (await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [
      MIGRATION_LOCK,
      MIGRATION_LOCK_TIMEOUT_S,
    ])) as { acquired: number | null }[];
    if (Number(acquired) !== 1) {
      throw new Error(`could not take the migration lock within ${MIGRATION_LOCK_TIMEOUT_S}s`);
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) logger.log(`applied migration ${migration.name}`);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/** Whether the database a DATABASE_URL names exists on its server. */
export async function databaseExists(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  url.pathname = '/';
  url.protocol = 'mysql:';
  const connection = await createConnection({ uri: url.toString() });
  try {
    const [rows] = await connection.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      databaseName(databaseUrl),
    ]);
    return (rows as unknown[]).length > 0;
  } finally {
    await connection.end();
  }
}

/** How long a starting process waits for MySQL before it gives up. */
const REACH_WITHIN_MS = 10_000;
/** Answers that waiting will not change. */
const FINAL = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ENOTFOUND',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);

/**
 * Resolves once the server a DATABASE_URL names answers; rejects with one line naming the
 * variable, the address and the reason if it has not within 10 seconds (at once when waiting
 * cannot help: a wrong password, an unknown host), before anything logs a stack trace.
 */
export async function assertDatabaseReachable(databaseUrl: string, withinMs = REACH_WITHIN_MS): Promise<void> {
  const url = new URL(databaseUrl);
  const where = `${url.hostname}:${url.port || 3306}`;
  const deadline = Date.now() + withinMs;
  for (;;) {
    const reason = await onServer(databaseUrl, 'SELECT 1', { connectTimeout: 2000 }).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => ({ code: error.code, message: error.message }),
    );
    if (!reason) return;
    if (FINAL.has(reason.code ?? '') || Date.now() >= deadline)
      throw new Error(`DATABASE_URL: MySQL at ${where} cannot be used: ${reason.message || reason.code}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
