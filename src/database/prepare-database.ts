import { Logger } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { databaseName, typeormOptions } from './typeorm-options';

const MIGRATION_LOCK = 'groupcast.migrations';
const MIGRATION_LOCK_TIMEOUT_S = 120;

async function createDatabaseIfMissing(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = databaseName(databaseUrl);
  url.pathname = '/';
  url.protocol = 'mysql:';
  const connection = await createConnection({ uri: url.toString() });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

/**
 * Dates go over the wire in UTC (timezone: 'Z'); the server's own CURRENT_TIMESTAMP defaults must
 * be UTC too, whatever time zone the server runs in.
 */
async function useUtcSessions(dataSource: DataSource): Promise<void> {
  const pool = (dataSource.driver as unknown as { pool: { on(event: 'connection', listener: (c: PoolConnection) => void): void } }).pool;
  pool.on('connection', (connection) => connection.query(UTC_SESSION));
  // The pool's only connection so far was opened by initialize(), before the listener.
  await dataSource.query(UTC_SESSION);
}

const UTC_SESSION = "SET time_zone = '+00:00'";

interface PoolConnection {
  query(sql: string): void;
}

/**
 * Creates the database if needed, connects, and runs pending migrations while holding a MySQL
 * named lock, so that several processes starting together migrate once, one after the other.
 */
export async function prepareDatabase(databaseUrl: string, logger = new Logger('Database')): Promise<DataSource> {
  await createDatabaseIfMissing(databaseUrl);
  const dataSource = await new DataSource(typeormOptions(databaseUrl)).initialize();
  await useUtcSessions(dataSource);
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
  } catch (error) {
    await runner.release();
    await dataSource.destroy();
    throw error;
  }
  await runner.release();
  return dataSource;
}
