import { STATUS_CODES } from 'node:http';
import { ErrorDetail } from './domain-error';
import { ErrorBodyDto } from './error-body.dto';

export type ErrorBody = ErrorBodyDto;

export function errorBody(statusCode: number, message: string, details?: ErrorDetail[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(details && details.length > 0 ? { details } : {}),
  };
}
