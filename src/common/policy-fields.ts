import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches, ValidateBy, ValidateIf } from 'class-validator';

/** A group's explicit "none of this rule", whatever the global default says. */
export const OFF = 'off';
/** How "off" is stored in a group's numeric policy columns. */
export const OFF_NUMBER = -1;

export const QUIET_HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

const notEmptyWindow = ValidateBy({
  name: 'notEmptyWindow',
  validator: {
    validate: (value: unknown) => typeof value !== 'string' || value.slice(0, 5) !== value.slice(6),
    defaultMessage: () => 'must start and end at different times (use "off" for no quiet hours)',
  },
});

/**
 * Quiet hours "HH:mm-HH:mm" (may cross midnight, never empty). On a group, "off" means none and
 * null inherits the global default; globally, "off" and null both mean none.
 */
export function QuietHoursField(scope: 'group' | 'global') {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      nullable: true,
      example: '23:00-07:00',
      description: 'HH:mm-HH:mm local, "off", or null',
    }),
    ...(scope === 'global' ? [Transform(({ value }: { value: unknown }) => (value === OFF ? null : value))] : []),
    IsOptional(),
    ValidateIf((_, value) => value !== null && value !== OFF),
    Matches(QUIET_HOURS, { message: 'must be HH:mm-HH:mm, e.g. 23:00-07:00, or "off"' }),
    notEmptyWindow,
  );
}

/** A gap or a cap: a whole number, "off" (stored as -1 on a group, as null globally), or null. */
export function LimitField(max: number, scope: 'group' | 'global') {
  const off = scope === 'group' ? OFF_NUMBER : null;
  return applyDecorators(
    ApiPropertyOptional({
      oneOf: [
        { type: 'integer', minimum: 0, maximum: max },
        { type: 'string', enum: [OFF] },
      ],
      nullable: true,
    }),
    Transform(({ value }: { value: unknown }) => (value === OFF ? off : value)),
    IsOptional(),
    ValidateIf((_, value) => value !== null && value !== OFF_NUMBER),
    ValidateBy({
      name: 'isLimit',
      validator: {
        validate: (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max,
        defaultMessage: () => `must be a whole number from 0 to ${max}, "off", or null`,
      },
    }),
  );
}

/** A stored limit as the API shows it. */
export const shownLimit = (value: number | null): number | 'off' | null => (value === OFF_NUMBER ? OFF : value);
