import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorBodyDto } from './error-body.dto';

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input; details name each field',
  401: 'missing or unknown API key',
  403: 'the key’s role may not do this',
  404: 'not found',
  409: 'conflict, e.g. a stale version or a duplicate',
  413: 'request body too large',
  415: 'the body is not JSON',
  429: 'rate limited',
  431: 'request line and headers are too large',
  503: 'the database or Redis cannot serve now (or a query ran past its time limit); retry shortly',
};

/** Documents the error responses a route can give, all in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? STATUS_CODES[status], type: ErrorBodyDto }),
    ),
  );
}
