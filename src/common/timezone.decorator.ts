import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, ValidateBy } from 'class-validator';
import { canonicalTimezone, isValidTimezone } from './timezones';

/** An IANA time zone, checked here and stored in its canonical spelling. */
export const IsTimezone = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && value.length <= 64 ? canonicalTimezone(value) : value,
    ),
    IsString(),
    Length(1, 64),
    ValidateBy({
      name: 'isTimezone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidTimezone(value),
        defaultMessage: () => 'must be an IANA time zone such as Asia/Shanghai',
      },
    }),
  );
