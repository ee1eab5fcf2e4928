// Each table that holds a state machine or a record of what happened is written by its owner's file alone. Run by `npm run lint`;
// `--list` prints every file that writes each table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const OWNERS = {
  posts: 'src/posts/post-lifecycle.service.ts',
  post_attempts: 'src/posts/post-lifecycle.service.ts',
  post_deferrals: 'src/posts/post-lifecycle.service.ts',
  runs: 'src/campaigns/run-lifecycle.service.ts',
  run_groups: 'src/campaigns/run-lifecycle.service.ts',
  clicks: 'src/links/click-recorder.service.ts',
  conversions: 'src/links/conversions.service.ts',
  post_rollups: 'src/retention/retention.service.ts',
};
const ENTITIES = {
  Post: 'posts',
  PostAttempt: 'post_attempts',
  PostDeferral: 'post_deferrals',
  Run: 'runs',
  RunGroup: 'run_groups',
  Click: 'clicks',
  Conversion: 'conversions',
};
const WRITE_METHODS = 'update|insert|save|delete|remove|upsert|softDelete|increment|decrement';

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'migrations') yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) yield path;
  }
}

/** The tables a file writes, by raw SQL, by the bulk helpers, or through a repository or manager. */
export function writtenTables(text) {
  const tables = new Set();
  for (const [, table] of text.matchAll(/\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|REPLACE\s+INTO)\s+`?(\w+)`?/gi))
    tables.add(table);
  for (const [, table] of text.matchAll(/\b(?:bulkInsert|updateEach)\(\s*[\w.]+,\s*'(\w+)'/g)) tables.add(table);
  for (const [, table] of text.matchAll(/\bupdateEachStatement\(\s*'(\w+)'/g)) tables.add(table);
  // EntityColumns writes through `.insert(…)`.
  if (/\.insert\(/.test(text))
    for (const [, entity] of text.matchAll(/\bnew EntityColumns\(\s*[\w.]+,\s*(\w+)/g))
      if (ENTITIES[entity]) tables.add(ENTITIES[entity]);
  for (const [, entity] of text.matchAll(/\binsertRows\(\s*[\w.]+,\s*(\w+)/g))
    if (ENTITIES[entity]) tables.add(ENTITIES[entity]);
  for (const [, entity] of text.matchAll(new RegExp(`\\.(?:${WRITE_METHODS})\\(\\s*(\\w+)\\s*,`, 'g')))
    if (ENTITIES[entity]) tables.add(ENTITIES[entity]);
  for (const [, entity, field] of text.matchAll(/@InjectRepository\((\w+)\)\s*private\s+readonly\s+(\w+)/g)) {
    const direct = new RegExp(`this\\.${field}\\s*\\.\\s*(?:${WRITE_METHODS})\\(`);
    const built = new RegExp(
      `this\\.${field}\\s*\\.\\s*createQueryBuilder\\([^)]*\\)\\s*\\.\\s*(?:update|insert|delete)\\(`,
    );
    if (ENTITIES[entity] && (direct.test(text) || built.test(text))) tables.add(ENTITIES[entity]);
  }
  return tables;
}

const root = process.cwd();
const writers = {};
for (const path of sources(join(root, 'src'))) {
  const file = relative(root, path);
  for (const table of writtenTables(readFileSync(path, 'utf8'))) (writers[table] ??= []).push(file);
}

if (process.argv.includes('--list')) {
  for (const table of Object.keys(OWNERS)) console.log(`${table}: ${(writers[table] ?? []).join(', ')}`);
}
const wrong = Object.entries(OWNERS).flatMap(([table, owner]) =>
  (writers[table] ?? []).filter((file) => file !== owner).map((file) => `${file} writes ${table}; only ${owner} may`),
);
for (const line of wrong) console.error(line);
process.exit(wrong.length > 0 ? 1 : 0);
