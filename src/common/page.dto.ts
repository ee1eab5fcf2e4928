import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from './omittable.decorator';

/** A 1-based page number in a query. */
export const PageNumber = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 }),
    Omittable(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(100_000),
  );

/** How many items (or groups) a page holds, at most `max`. */
export const PageSize = (max: number, fallback?: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: max, ...(fallback ? { default: fallback } : {}) }),
    Omittable(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(max),
  );

export class PageQuery {
  @PageNumber()
  page: number = 1;

  @PageSize(100, 20)
  pageSize: number = 20;
}

/** The SQL offset of a page. */
export const pageOffset = (query: PageQuery) => (query.page - 1) * query.pageSize;
