import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from './domain-error';

/**
 * Parses `If-Match: "3"` (the ETag a versioned resource is sent with; or W/"3", or 3) into the
 * version a write is based on; `*` matches any version, as HTTP says, and so asks for no check.
 */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match || Number(match[1]) < 1) {
    throw DomainError.invalid([
      { field: 'If-Match', message: 'must be a version number such as "3", or * for any version' },
    ]);
  }
  return Number(match[1]);
}

export const IfMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext) =>
  parseIfMatch(context.switchToHttp().getRequest<Request>().headers['if-match']),
);
