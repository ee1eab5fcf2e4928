import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsISO8601, IsOptional, Matches, ValidateBy, ValidateIf } from 'class-validator';

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
      description: 'HH:mm-HH:mm local (start and end differ; it may cross midnight), "off", or null',
    }),
    ...(scope === 'global' ? [Transform(({ value }: { value: unknown }) => (value === OFF ? null : value))] : []),
    IsOptional(),
    ValidateIf((_, value) => value !== null && value !== OFF),
    Matches(QUIET_HOURS, { message: 'must be HH:mm-HH:mm, e.g. 23:00-07:00, or "off"' }),
    notEmptyWindow,
  );
}

/**
 * A gap or a cap: a whole number from `min`, "off" (stored as -1 on a group, as null globally), or
 * null. The stored -1 is not an answer a client may send: it would mean "off" on a group and
 * "hold everything" globally.
 */
export function LimitField(max: number, scope: 'group' | 'global', min = 0, holds = 'every post') {
  const off = scope === 'group' ? OFF_NUMBER : null;
  return applyDecorators(
    ApiPropertyOptional({
      oneOf: [
        { type: 'integer', minimum: min, maximum: max },
        { type: 'string', enum: [OFF] },
      ],
      nullable: true,
    }),
    // A -1 sent as such becomes text, which the check below refuses.
    Transform(({ value }: { value: unknown }) => (value === OFF ? off : value === OFF_NUMBER ? String(value) : value)),
    IsOptional(),
    ValidateIf((_, value) => value !== null && value !== OFF_NUMBER),
    ValidateBy({
      name: 'isLimit',
      validator: {
        validate: (value: unknown) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
        defaultMessage: (args) =>
          args?.value === 0 && min > 0
            ? `0 would hold ${holds} for ever: use "off" for no cap, or pause the group to stop sending`
            : `must be a whole number from ${min} to ${max}, "off", or null`,
      },
    }),
  );
}

/** Least minutes between two posts to one group: at most a day. */
export const GapField = (scope: 'group' | 'global') => LimitField(24 * 60, scope);
/** Most posts to one group a local day: at least one, or the cap would hold every post. */
export const DailyCapField = (scope: 'group' | 'global') => LimitField(1000, scope, 1);
/** Most promotional posts to one group a local day: at least one. */
export const PromoCapField = (scope: 'group' | 'global') => LimitField(1000, scope, 1, 'every promotional post');

/** Local dates (YYYY-MM-DD) when nothing is sent; null means none. */
export function BlackoutDatesField() {
  return applyDecorators(
    IsOptional(),
    ValidateIf((_, value) => value !== null),
    ArrayMaxSize(366),
    IsISO8601({ strict: true }, { each: true, message: 'each must be a date YYYY-MM-DD' }),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each must be a date YYYY-MM-DD' }),
  );
}

/** A stored limit as the API shows it. */
export const shownLimit = (value: number | null): number | 'off' | null => (value === OFF_NUMBER ? OFF : value);
