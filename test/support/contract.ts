import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { EXAMPLE_IDS } from '../../src/openapi/request-examples';

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Document {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  components?: { schemas?: object; responses?: Record<string, ResponseObject> };
}

/** `/v1/groups/{id}` as a pattern that matches `/v1/groups/5f…` (a plain segment: ids are). */
const pattern = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[A-Za-z0-9._~-]+')}$`);

/**
 * Checks every answer of an operation the document names against the document: its status is
 * listed and its body has the listed shape (Ajv, each schema compiled once). What the document
 * does not name (the console, a method a path does not have) is not checked here.
 */
export function contractChecker(document: Document): (response: Response) => void {
  // OpenAPI 3.0 schemas: `nullable` beside a type, `example` and the like are not JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: document.components ?? {} }, 'document');
  const templates = Object.keys(document.paths).map((path) => ({ path, match: pattern(path) }));
  const compiled = new Map<string, ValidateFunction | null>();

  const responseFor = (listed: ResponseObject): ResponseObject =>
    listed.$ref ? document.components!.responses![listed.$ref.split('/').pop()!] : listed;

  const validatorFor = (key: string, listed: ResponseObject): ValidateFunction | null => {
    if (!compiled.has(key)) {
      const schema = responseFor(listed).content?.['application/json']?.schema;
      // Schemas refer to components as `#/components/…`: within the document added above.
      const rewritten = schema
        ? (JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"document#/components/')) as object)
        : undefined;
      compiled.set(key, rewritten ? ajv.compile(rewritten) : null);
    }
    return compiled.get(key)!;
  };

  return (response) => {
    const req = (response as unknown as { req: { method: string; path: string } }).req;
    const method = req.method.toLowerCase();
    const path = req.path.split('?')[0];
    // A literal path (`/v1/posts/owners`) wins over a template (`/v1/posts/{id}`), as in the router.
    const found =
      templates.find((t) => t.path === path) ?? templates.find((t) => t.path.includes('{') && t.match.test(path));
    const operation = found && document.paths[found.path][method];
    if (!operation) return;
    const where = `${method.toUpperCase()} ${found.path} answered ${response.status}`;
    const listed = operation.responses?.[String(response.status)] ?? operation.responses?.default;
    if (!listed)
      throw new Error(
        `${where}, which the OpenAPI document does not list (it lists ${Object.keys(operation.responses ?? {}).join(', ')})`,
      );
    const validate = validatorFor(`${method} ${found.path} ${response.status}`, listed);
    if (!validate || response.text === '' || !/json/.test(String(response.headers['content-type']))) return;
    if (!validate(response.body))
      throw new Error(
        `${where} with a body the OpenAPI document does not describe: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}\n${response.text.slice(0, 1000)}`,
      );
  };
}

/** A request example of the document with its placeholder ids replaced by those of things that exist. */
export function withRealIds(example: unknown, ids: { group: string; channel: string; content: string }): unknown {
  return JSON.parse(
    JSON.stringify(example)
      .replaceAll(EXAMPLE_IDS.group, ids.group)
      .replaceAll(EXAMPLE_IDS.channel, ids.channel)
      .replaceAll(EXAMPLE_IDS.content, ids.content),
  ) as unknown;
}
