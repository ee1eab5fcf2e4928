import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export class ErrorDetailDto {
  /** The offending field, e.g. `fields.headlines[0].title` or `body`. */
  field: string;
  message: string;
  /** For template errors: the line in the template. */
  line?: number;
  column?: number;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode: number;
  @ApiProperty({ example: 'Bad Request' })
  error: string;
  @ApiProperty({ example: 'title: must be longer than or equal to 1 characters' })
  message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input; details name each field',
  401: 'missing or unknown API key',
  403: 'the key’s role may not do this',
  404: 'not found',
  409: 'conflict, e.g. a stale version or a duplicate',
  413: 'request body too large',
  429: 'rate limited',
};

/** Documents the error responses a route can give, all in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? STATUS_CODES[status], type: ErrorBodyDto }),
    ),
  );
}
