// Every table is written by its owner alone: one file, or the files of one folder (an owner ending in /). Run by
// `npm run lint`; `--list` prints every file that writes each table.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const OWNERS = {
  api_keys: 'src/auth/api-keys.service.ts',
  campaigns: 'src/campaigns/campaigns.service.ts',
  campaign_steps: 'src/campaigns/campaigns.service.ts',
  runs: 'src/campaigns/run-lifecycle.service.ts',
  run_groups: 'src/campaigns/run-lifecycle.service.ts',
  channels: 'src/groups/channels.service.ts',
  clicks: 'src/links/click-recorder.service.ts',
  content_pieces: 'src/content/content.service.ts',
  content_revisions: 'src/content/content.service.ts',
  content_tags: 'src/content/content.service.ts',
  conversions: 'src/links/conversions.service.ts',
  groups: 'src/groups/group-writer.service.ts',
  group_syncs: 'src/groups/sync/group-syncs.service.ts',
  provider_events: 'src/groups/sync/wecom-callbacks.service.ts',
  group_tags: 'src/groups/group-writer.service.ts',
  policy_settings: 'src/policy/policies.service.ts',
  posts: 'src/posts/lifecycle/',
  post_attempts: 'src/posts/lifecycle/',
  post_deferrals: 'src/posts/lifecycle/',
  post_rollups: 'src/retention/retention.service.ts',
  routines: 'src/routines/routines.service.ts',
  welcome_templates: 'src/welcomes/welcome-templates.service.ts',
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
/** Each entity class and its table, from the @Entity decorators. */
const ENTITIES = {};
for (const path of sources(join(root, 'src'))) {
  const text = readFileSync(path, 'utf8');
  for (const [, table, entity] of text.matchAll(/@Entity\('(\w+)'\)[\s\S]*?export class (\w+)/g))
    ENTITIES[entity] = table;
}
const writers = {};
for (const path of sources(join(root, 'src'))) {
  const file = relative(root, path);
  for (const table of writtenTables(readFileSync(path, 'utf8'))) (writers[table] ??= []).push(file);
}

const tables = [...new Set(Object.values(ENTITIES))].sort();
if (process.argv.includes('--list')) {
  for (const table of tables) console.log(`${table}: ${(writers[table] ?? []).join(', ')}`);
}
const owns = (owner, file) => (owner.endsWith('/') ? file.startsWith(owner) : file === owner);
const wrong = [
  ...tables
    .filter((table) => !OWNERS[table])
    .map((table) => `table ${table} has no owner in scripts/table-writers.mjs`),
  ...Object.entries(OWNERS).flatMap(([table, owner]) =>
    (writers[table] ?? [])
      .filter((file) => !owns(owner, file))
      .map((file) => `${file} writes ${table}; only ${owner} may`),
  ),
];
for (const line of wrong) console.error(line);
process.exit(wrong.length > 0 ? 1 : 0);
