import { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryFailedError } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** A unique index refused a row; with `index`, only that index (MySQL names it as `table.index`, MariaDB as `index`). */
export function isDuplicateKey(error: unknown, index?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; sqlMessage?: string };
  if (driverError?.code !== 'ER_DUP_ENTRY') return false;
  return index === undefined || new RegExp(`for key '(\\w+\\.)?${index}'`).test(driverError.sqlMessage ?? '');
}

/** A LIKE pattern that matches `text` anywhere, with its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * `manager.insert` without reading the rows back: on MySQL, TypeORM selects every inserted row
 * again for its columns with defaults (created_at, version), a second round trip per insert. For
 * rows whose values are all made here.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[],
): Promise<void> {
  await manager.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
}

const DEADLOCK_RETRIES = 3;

/** `work`, run again when InnoDB picks its transaction as a deadlock victim (rolled back whole, so safe to repeat). */
async function againOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string })?.code : undefined;
      if (code !== 'ER_LOCK_DEADLOCK' || attempt > DEADLOCK_RETRIES) throw error;
    }
  }
}

/**
 * `dataSource.transaction`, run again when InnoDB picks it as a deadlock victim. Concurrent
 * inserts that share index gaps (tags, revisions) meet this under load.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return againOnDeadlock(() => dataSource.transaction(work));
}

/** One SQL statement and the values of its placeholders. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Statements as one multi-statement query: one round trip, their placeholders' values in order. */
export function together(statements: readonly Statement[]): Statement {
  return { sql: statements.map((s) => s.sql).join(';\n'), params: statements.flatMap((s) => s.params) };
}

/** The SQL of a multi-row INSERT whose rows are the one `?` placeholder (an array of value arrays). */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
}

/**
 * Writes that apply together or not at all, sent as one batch (`START TRANSACTION; …; COMMIT`):
 * one round trip to MySQL instead of one per statement, which is what a short transaction costs
 * most on a busy machine. The pool allows several statements per query for this; every value
 * still goes through a placeholder. A statement that fails stops the batch: what the ones before
 * it wrote is rolled back on the same connection and the error is thrown as `query` throws it. A
 * deadlock victim runs again. For writes whose values are all known beforehand (nothing read back).
 */
export async function writeTogether(dataSource: DataSource, statements: readonly Statement[]): Promise<void> {
  const batch = together([{ sql: 'START TRANSACTION', params: [] }, ...statements, { sql: 'COMMIT', params: [] }]);
  await againOnDeadlock(async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(batch.sql, batch.params);
    } catch (error) {
      // A lost connection has nothing left to roll back: the server did it.
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  });
}
