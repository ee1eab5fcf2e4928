import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from './domain-error';

/** The Idempotency-Key header: up to 200 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw DomainError.invalid([{ field: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' }]);
  }
  return value;
});
