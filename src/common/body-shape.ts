import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './domain-error';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;
/** The largest list any route takes (a launch's groupIds); bulk import takes 5,000 rows. */
export const MAX_ARRAY_ITEMS = 10_000;
/** No DTO or content kind has anywhere near this many fields. */
export const MAX_OBJECT_KEYS = 1_000;

interface Problem {
  field: string;
  message: string;
}

function childPath(path: string, key: string, inArray: boolean): string {
  return inArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** The first thing wrong with a parsed body, in one linear walk. */
function findProblem(value: unknown, path: string, depth: number): Problem | undefined {
  if (typeof value === 'string') {
    return value.isWellFormed()
      ? undefined
      : { field: path || 'body', message: 'contains a lone UTF-16 surrogate: not valid Unicode text' };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return { field: path, message: `is nested deeper than ${MAX_DEPTH} levels` };
  const inArray = Array.isArray(value);
  const keys = Object.keys(value);
  if (inArray && keys.length > MAX_ARRAY_ITEMS)
    return { field: path || 'body', message: `has ${keys.length} items; at most ${MAX_ARRAY_ITEMS}` };
  if (!inArray && keys.length > MAX_OBJECT_KEYS)
    return { field: path || 'body', message: `has ${keys.length} keys; at most ${MAX_OBJECT_KEYS}` };
  for (const key of keys) {
    const child = childPath(path, key, inArray);
    if (!inArray && FORBIDDEN_KEYS.has(key)) return { field: child, message: 'is not allowed (a prototype key)' };
    if (!inArray && !key.isWellFormed())
      return { field: child, message: 'is a key with a lone UTF-16 surrogate: not valid Unicode text' };
    const found = findProblem((value as Record<string, unknown>)[key], child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses, before any validation runs, JSON bodies that later layers would choke on or drop
 * silently: prototype keys, deep nesting, huge lists or objects (whose checks cost more than
 * linear time), and text that MySQL's JSON columns refuse (lone surrogates).
 */
export function checkBodyShape(req: Request, _res: Response, next: NextFunction): void {
  const problem = findProblem(req.body, '', 0);
  next(problem ? DomainError.invalid([problem]) : undefined);
}
