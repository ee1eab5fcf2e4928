import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './domain-error';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

function findForbiddenKey(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return path;
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return child;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses JSON bodies with keys that could reach an object's prototype, or nested too deeply,
 * rather than letting later layers drop them silently.
 */
export function rejectPrototypeKeys(req: Request, _res: Response, next: NextFunction): void {
  const field = findForbiddenKey(req.body, '', 0);
  if (field === undefined) return next();
  next(DomainError.invalid([{ field, message: `is not allowed (prototype key or nesting deeper than ${MAX_DEPTH})` }]));
}
