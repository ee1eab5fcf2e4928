import { applyDecorators } from '@nestjs/common';
import { IsISO8601, ValidateBy, ValidationOptions } from 'class-validator';

/** A date and time with its offset (`Z` or `+08:00`): without one, nobody can tell which zone was meant. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const DAY_MS = 86_400_000;

/**
 * An instant in ISO 8601 with an explicit offset. `maxDaysAhead` bounds how far into the future
 * it may lie (judged when the request arrives).
 */
export function IsInstant(options: { maxDaysAhead?: number } = {}, validation?: ValidationOptions) {
  return applyDecorators(
    IsISO8601({ strict: true }, validation),
    ValidateBy(
      {
        name: 'isInstant',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && WITH_OFFSET.test(value),
          defaultMessage: () => 'must be a date and time with an offset, e.g. 2026-11-24T08:00:00+08:00 or …Z',
        },
      },
      validation,
    ),
    ...(options.maxDaysAhead === undefined
      ? []
      : [
          ValidateBy(
            {
              name: 'isNotTooFarAhead',
              validator: {
                validate: (value: unknown) =>
                  typeof value !== 'string' || !(Date.parse(value) > Date.now() + options.maxDaysAhead! * DAY_MS),
                defaultMessage: () => `must be at most ${options.maxDaysAhead} days from now`,
              },
            },
            validation,
          ),
        ]),
  );
}
