import { DataSource } from 'typeorm';
import { SecretBox, sealedJson, sealedWith } from '../database/sealed-json';

const BATCH = 500;
/** The columns that hold secrets, by table. */
const SECRET_COLUMNS = [
  { table: 'channels', column: 'credentials' },
  { table: 'groups', column: 'address' },
] as const;

export interface RotationReport {
  keyId: string;
  /** Rows sealed again with the current key, by table. */
  sealed: Record<string, number>;
}

/**
 * Seals every channel's credentials and every group's address with the first key of `box`
 * (which must also hold the keys they were sealed with, or they must be in clear). Rows already
 * under the current key are left alone, so running it twice is harmless.
 */
export async function rotateSecrets(dataSource: DataSource, box: SecretBox): Promise<RotationReport> {
  const report: RotationReport = { keyId: box.currentKeyId, sealed: {} };
  for (const { table, column } of SECRET_COLUMNS) {
    report.sealed[table] = 0;
    let after = '';
    for (;;) {
      const rows = (await dataSource.query(
        `SELECT id, \`${column}\` AS value FROM \`${table}\` WHERE id > ? ORDER BY id LIMIT ${BATCH}`,
        [after],
      )) as { id: string; value: unknown }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      for (const { id, value } of rows) {
        // MariaDB gives a JSON column as its text, MySQL as the parsed value.
        const stored =
          typeof value === 'string' && !value.startsWith('sealed:') ? (JSON.parse(value) as unknown) : value;
        if (sealedWith(stored) === box.currentKeyId) continue;
        const plain = sealedJson.from(stored);
        await dataSource.query(`UPDATE \`${table}\` SET \`${column}\` = ? WHERE id = ?`, [
          JSON.stringify(box.seal(JSON.stringify(plain))),
          id,
        ]);
        report.sealed[table]++;
      }
    }
  }
  return report;
}
