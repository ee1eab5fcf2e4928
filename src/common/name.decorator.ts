import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches } from 'class-validator';
import { ONE_LINE } from './tags.decorator';

/** A name or title people read: one line of `max` characters at most, not only spaces. */
export const IsName = (max: number) =>
  applyDecorators(
    IsString(),
    Length(1, max),
    Matches(/\S/u, { message: 'must not be blank' }),
    Matches(ONE_LINE, { message: 'must be one line, without line breaks, tabs or control characters' }),
  );
