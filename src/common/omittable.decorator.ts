import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but a null is checked like any other value (and so refused by the
 * field's own rules, naming it). `@IsOptional()` lets null through, which suits only fields where
 * null means something: none, off, inherit.
 */
export const Omittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);
