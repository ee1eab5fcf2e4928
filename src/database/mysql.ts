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

/**
 * `dataSource.transaction`, run again when InnoDB picks it as a deadlock victim: the victim is
 * rolled back whole, so running the work again is safe. Concurrent inserts that share index
 * gaps (tags, revisions) meet this under load.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string })?.code : undefined;
      if (code !== 'ER_LOCK_DEADLOCK' || attempt > DEADLOCK_RETRIES) throw error;
    }
  }
}
