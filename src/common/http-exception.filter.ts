import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from './domain-error';
import { ErrorBody, errorBody } from './error-body';

const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
};

/** Errors raised by body-parser carry an HTTP status and a type such as entity.too.large. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

const BODY_PARSER_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'request body is not valid JSON',
  'entity.too.large': 'request body is too large',
  'encoding.unsupported': 'request body encoding is not supported',
  'charset.unsupported': 'request body charset is not supported',
  'request.aborted': 'request was aborted',
};

interface HealthReport {
  status: 'error';
  error?: Record<string, { status: string; message?: unknown }>;
}

function isHealthReport(response: unknown): response is HealthReport {
  return (
    typeof response === 'object' &&
    response !== null &&
    (response as HealthReport).status === 'error' &&
    'details' in response
  );
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return (
    typeof e === 'object' &&
    e !== null &&
    'type' in e &&
    'status' in e &&
    typeof (e as BodyParserError).status === 'number'
  );
}

/** Errors that mean MySQL or Redis is out of reach for now, not that the request was wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_TIMEOUT',
]);
/** MariaDB's "max_statement_time exceeded", which mysql2 knows by number only. */
const ER_STATEMENT_TIMEOUT = 1969;

function isUnavailable(error: unknown): boolean {
  const e = error as {
    code?: string;
    errno?: number;
    driverError?: { code?: string; errno?: number };
    name?: string;
    message?: string;
  };
  const code = e?.driverError?.code ?? e?.code;
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    (e?.driverError?.errno ?? e?.errno) === ER_STATEMENT_TIMEOUT ||
    e?.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Pool is closed|connect ECONNREFUSED/.test(e?.message ?? '')
  );
}

export function toErrorBody(exception: unknown): ErrorBody | undefined {
  if (exception instanceof DomainError) {
    return errorBody(STATUS_BY_CODE[exception.code], exception.message, exception.details);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (isHealthReport(response)) {
      const down = Object.entries(response.error ?? {});
      return errorBody(
        status,
        `not ready: ${down.map(([name]) => name).join(', ')}`,
        down.map(([field, result]) => ({ field, message: String(result.message ?? result.status) })),
      );
    }
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? (response as { message: string[] }).message.join('; ')
          : String((response as { message?: unknown }).message ?? exception.message);
    return errorBody(status, message);
  }
  if (isUnavailable(exception)) {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the database or the queue is unavailable; retry shortly');
  }
  if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
    return errorBody(exception.status, BODY_PARSER_MESSAGES[exception.type] ?? exception.message);
  }
  return undefined;
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body = toErrorBody(exception);
    if (!body) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      body = errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error');
    }
    if (!response.headersSent) {
      if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
      if (exception instanceof DomainError && exception.retryAfterMs !== undefined) {
        response.setHeader('Retry-After', String(Math.ceil(exception.retryAfterMs / 1000)));
      }
      response.status(body.statusCode).json(body);
    }
  }
}
