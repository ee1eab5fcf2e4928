import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === 'ER_DUP_ENTRY';
}

/** A LIKE pattern that matches `text` anywhere, with its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

const DEADLOCK_RETRIES = 3;

/**
 * `dataSource.transaction`, run again when InnoDB picks it as a deadlock victim: the victim is
 * rolled back whole, so running the work again is safe. Concurrent inserts that share index
 * gaps (tags, revisions) meet this under load.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string })?.code : undefined;
      if (code !== 'ER_LOCK_DEADLOCK' || attempt > DEADLOCK_RETRIES) throw error;
    }
  }
}
