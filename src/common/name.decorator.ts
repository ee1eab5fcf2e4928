import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { NOT_BLANK_LINE, ONE_LINE } from './tags.decorator';

/** A name or title people read: one line of `max` characters at most, not only spaces. */
export const IsName = (max: number) =>
  applyDecorators(
    // Two checks with their own messages; the document states them as one pattern.
    ApiProperty({ pattern: NOT_BLANK_LINE.source }),
    IsString(),
    Length(1, max),
    Matches(/\S/u, { message: 'must not be blank' }),
    Matches(ONE_LINE, { message: 'must be one line, without line breaks, tabs or control characters' }),
  );
