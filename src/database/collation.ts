import { DataSource } from 'typeorm';

const KEYS_PER_QUERY = 500;
const collations = new WeakMap<DataSource, Map<string, Promise<string>>>();

/** The collation of `table.column` in this database, read once. */
function collationOf(dataSource: DataSource, table: string, column: string): Promise<string> {
  const known = collations.get(dataSource) ?? collations.set(dataSource, new Map()).get(dataSource)!;
  const key = `${table}.${column}`;
  let collation = known.get(key);
  if (!collation) {
    collation = dataSource
      .query(
        `SELECT COLLATION_NAME AS name FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?`,
        [table, column],
      )
      .then((rows: { name: string }[]) => {
        const name = rows[0]?.name;
        if (!name || !/^\w+$/.test(name)) throw new Error(`no collation found for ${key}`);
        return name;
      });
    collation.catch(() => known.delete(key));
    known.set(key, collation);
  }
  return collation;
}

/**
 * Each value's key under the collation of `table.column`: two values with one key are one value
 * to the database (its unique indexes refuse the second), whatever the code thinks of them —
 * `ＶＩＰ` and `VIP`, `straße` and `strasse`, `か` and `カ` under utf8mb4_unicode_ci.
 */
async function collationKeys(
  dataSource: DataSource,
  table: string,
  column: string,
  values: readonly string[],
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return keys;
  const collation = await collationOf(dataSource, table, column);
  for (let i = 0; i < distinct.length; i += KEYS_PER_QUERY) {
    const chunk = distinct.slice(i, i + KEYS_PER_QUERY);
    const expression = `HEX(WEIGHT_STRING(CONVERT(? USING utf8mb4) COLLATE ${collation}))`;
    const [row] = (await dataSource.query(
      `SELECT ${chunk.map((_, n) => `${expression} AS k${n}`).join(', ')}`,
      chunk,
    )) as Record<string, string>[];
    chunk.forEach((value, n) => keys.set(value, row[`k${n}`]));
  }
  return keys;
}

/**
 * Each list with the values the collation of `table.column` takes for one kept once (the first
 * spelling wins), in one query for all of them; lists of fewer than two need none.
 */
export async function distinctByCollation(
  dataSource: DataSource,
  table: string,
  column: string,
  lists: readonly string[][],
): Promise<string[][]> {
  const keys = await collationKeys(dataSource, table, column, lists.filter((list) => list.length > 1).flat());
  return lists.map((list) => {
    if (list.length < 2) return list;
    const seen = new Set<string>();
    return list.filter((value) => {
      const key = keys.get(value) ?? value;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });
}
