import { EntityManager } from 'typeorm';
import { Statement, insertSql } from './mysql';

const CHUNK_ROWS = 1000;

/**
 * Multi-row INSERTs of plain values, CHUNK_ROWS at a time, inside the caller's transaction; with
 * `keepExisting`, a row that would repeat a unique key leaves the row already there as it is.
 * TypeORM's insert builder costs more per row than the database does, which shows at thousands of rows.
 */
export async function bulkInsert(
  manager: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  options: { keepExisting?: boolean } = {},
): Promise<void> {
  const keep = options.keepExisting ? ` ON DUPLICATE KEY UPDATE \`${columns[0]}\` = \`${columns[0]}\`` : '';
  const sql = `${insertSql(table, columns)}${keep}`;
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    await manager.query(sql, [rows.slice(i, i + CHUNK_ROWS)]);
  }
}

/**
 * One UPDATE that gives each row its own values: `column = CASE id WHEN ? THEN ? … END` for each
 * column, `fixed` for what all rows share. A null value keeps the column as it is.
 */
export async function updateEach<R extends { id: string }>(
  manager: EntityManager,
  table: string,
  fixed: string,
  rows: readonly R[],
  columns: Record<string, (row: R) => unknown>,
  where = 'TRUE',
): Promise<void> {
  const { sql, params } = updateEachStatement(table, fixed, rows, columns, where);
  await manager.query(sql, params);
}

/** `updateEach`'s statement, to send with others (`writeTogether`). */
export function updateEachStatement<R extends { id: string }>(
  table: string,
  fixed: string,
  rows: readonly R[],
  columns: Record<string, (row: R) => unknown>,
  where = 'TRUE',
): Statement {
  const cases = Object.entries(columns).map(([column, value]) => ({
    sql: `\`${column}\` = COALESCE(CASE id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END, \`${column}\`)`,
    params: rows.flatMap((row) => [row.id, value(row) ?? null]),
  }));
  return {
    sql: `UPDATE \`${table}\` SET ${[fixed, ...cases.map((c) => c.sql)].join(', ')} WHERE id IN (?) AND ${where}`,
    params: [...cases.flatMap((c) => c.params), rows.map((r) => r.id)],
  };
}
