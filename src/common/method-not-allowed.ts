import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** `/v1/groups/{id}` as a pattern matching `/v1/groups/<anything but a slash>`. */
function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`, 'i');
}

/**
 * A request whose path the API knows but whose method it does not answer gets 405 with `Allow`
 * (GET implies HEAD), not the 404 of a path that does not exist.
 */
export function methodNotAllowed(paths: Record<string, object>) {
  const routes = Object.entries(paths).map(([template, item]) => ({
    pattern: templatePattern(template),
    methods: METHODS.filter((m) => m in item).map((m) => m.toUpperCase()),
  }));
  return (req: Request, res: Response, next: NextFunction): void => {
    const matching = routes.filter((route) => route.pattern.test(req.path));
    if (matching.length === 0) return next();
    const allowed = new Set(matching.flatMap((route) => route.methods));
    if (allowed.has('GET')) allowed.add('HEAD');
    // OPTIONS is answered by CORS where it is on, and is a 404 like any other unknown route elsewhere.
    if (allowed.has(req.method) || req.method === 'OPTIONS') return next();
    const allow = [...allowed].join(', ');
    res
      .status(405)
      .set('Allow', allow)
      .json(errorBody(405, `${req.method} is not allowed on ${req.path}; it answers ${allow}`));
  };
}
