import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import type { AuthenticatedRequest } from './api-key.guard';
import { DomainError } from '../common/domain-error';
import { stableJson } from '../common/stable-json';

/** An Idempotency-Key as stored: scoped to the API key that sent it, compared exactly (as a hash). */
export interface ScopedIdempotencyKey {
  /** What the client sent, for messages. */
  key: string;
  /** sha256 of the sending API key's id and the key. */
  scoped: string;
}

/** The Idempotency-Key header (up to 200 visible ASCII characters), scoped to the caller's API key. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): ScopedIdempotencyKey | undefined => {
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const value = request.headers['idempotency-key'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
      throw DomainError.invalid([{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }]);
    }
    const scoped = createHash('sha256')
      .update(`${request.principal?.keyId ?? ''}\n${value}`)
      .digest('hex');
    return { key: value, scoped };
  },
);

/** A hash of a request's meaning (JSON with sorted keys), to tell a retry from another request under the same key. */
export function requestHash(...parts: unknown[]): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex');
}
