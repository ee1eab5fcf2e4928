import { EntityManager } from 'typeorm';

const CHUNK_ROWS = 1000;

/**
 * Multi-row INSERTs of plain values, CHUNK_ROWS at a time, inside the caller's transaction.
 * TypeORM's insert builder costs more per row than the database does, which shows at thousands of rows.
 */
export async function bulkInsert(manager: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const sql = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    await manager.query(sql, [rows.slice(i, i + CHUNK_ROWS)]);
  }
}
