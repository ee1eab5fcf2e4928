import jestOpenAPI from 'jest-openapi';
import type { Response } from 'supertest';

interface Document {
  paths: Record<string, Record<string, unknown>>;
}

/** `/v1/groups/{id}` as a pattern that matches `/v1/groups/5f…`. */
const pattern = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[A-Za-z0-9._~-]+')}$`);

/**
 * Checks every answer of an operation the document names against the document: its status is
 * listed and its body has the listed shape. What the document does not name (the console, a
 * method a path does not have) is not checked here.
 */
export function contractChecker(document: Document): (response: Response) => void {
  jestOpenAPI(document as never);
  const templates = Object.keys(document.paths).map((path) => ({ path, match: pattern(path) }));
  return (response) => {
    const req = (response as unknown as { req: { method: string; path: string } }).req;
    const method = req.method.toLowerCase();
    const path = req.path.split('?')[0];
    // A literal path (`/v1/posts/owners`) wins over a template (`/v1/posts/{id}`), as in the router.
    const found =
      templates.find((t) => t.path === path) ?? templates.find((t) => t.path.includes('{') && t.match.test(path));
    if (!found || !document.paths[found.path][method]) return;
    expect(response).toSatisfyApiSpec();
  };
}
