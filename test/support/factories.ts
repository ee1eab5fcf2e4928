import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiRole } from '../../src/auth/roles';
import { RequestWith, TestApp } from './test-app';

const TEMPLATES = join(__dirname, '..', '..', 'templates');

/** The sample fields a kind ships in its schema's examples. */
export function exampleFields(kind: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(TEMPLATES, kind, 'schema.json'), 'utf8')) as { examples: Record<string, unknown>[] };
  return structuredClone(schema.examples[0]);
}

export const SEED_KINDS = [
  'morning_brief',
  'product_science',
  'outfit_showcase',
  'product_pick',
  'goodnight_poster',
  'checkin',
  'red_packet',
  'announcement',
  'custom',
] as const;

export const ContentFactory = {
  body(kind = 'morning_brief', overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { kind, title: `${kind} piece`, fields: exampleFields(kind), ...overrides };
  },

  async create(as: RequestWith, kind = 'morning_brief', overrides: Record<string, unknown> = {}) {
    const response = await as.post('/v1/content').send(ContentFactory.body(kind, overrides)).expect(201);
    return response.body as { id: string; version: number; revision: number; slug: string };
  },
};

export async function createKey(app: TestApp, role: ApiRole): Promise<string> {
  const response = await app.admin.post('/v1/api-keys').send({ name: `${role} key`, role }).expect(201);
  return (response.body as { key: string }).key;
}
