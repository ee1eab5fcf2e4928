import { ApiProperty, DECORATORS, SchemaObject } from '@nestjs/swagger';
import { ValidationTypes, getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { timezoneNames } from '../common/timezones';

/** A DTO class, as class-validator keeps it. */
type DtoClass = abstract new (...args: never[]) => unknown;

type Schema = Omit<SchemaObject, 'required'> & { required?: boolean } & Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/.source;

/**
 * What one check says about the value it checks, in JSON Schema; undefined when the check says
 * nothing a schema can (a rule across fields, say), which its DTO then documents by hand.
 */
function schemaOf(check: ValidationMetadata, siblings: ValidationMetadata[]): Schema | undefined {
  const [first, second] = (check.constraints ?? []) as unknown[];
  switch (check.name) {
    case 'isInt':
      return { type: 'integer' };
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isUrl':
      return { type: 'string', format: 'uri' };
    case 'isInstant':
      return { type: 'string', format: 'date-time' };
    case 'isIso8601': {
      const isDate = siblings.some((s) => s.name === 'matches' && (s.constraints[0] as RegExp).source === DATE);
      return { type: 'string', format: isDate ? 'date' : 'date-time' };
    }
    case 'isTimezone':
      return { type: 'string', enum: timezoneNames(), enumName: 'TimeZone' };
    case 'min':
      return { minimum: first as number };
    case 'max':
      return { maximum: first as number };
    case 'isLength':
      return { minLength: first as number, ...(second === undefined ? {} : { maxLength: second as number }) };
    case 'maxLength':
      return { maxLength: first as number };
    case 'matches':
      return { pattern: (first as RegExp).source };
    case 'isIn':
      return { enum: [...(first as unknown[])] };
    default:
      return undefined;
  }
}

function arraySchemaOf(check: ValidationMetadata): Schema | undefined {
  const [first] = (check.constraints ?? []) as unknown[];
  switch (check.name) {
    case 'isArray':
      return {};
    case 'arrayMinSize':
      return { minItems: first as number };
    case 'arrayMaxSize':
      return { maxItems: first as number };
    case 'arrayUnique':
      return { uniqueItems: true };
    default:
      return undefined;
  }
}

/** The schema a property's checks add up to: what the validation pipe accepts, no more. */
function propertySchema(checks: ValidationMetadata[]): Schema {
  const own: Schema = {};
  const items: Schema = {};
  for (const check of checks) {
    if (check.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      own.required = false;
      if (check.name === 'isOptional') own.nullable = true;
      continue;
    }
    const array = arraySchemaOf(check);
    if (array) {
      Object.assign(own, array);
      continue;
    }
    const schema = schemaOf(check, checks);
    // Several patterns cannot be one `pattern`: the DTO states the pattern they make together.
    if (schema?.pattern && checks.filter((c) => c.name === 'matches' && c.each === check.each).length > 1)
      delete schema.pattern;
    if (schema) Object.assign(check.each ? items : own, schema);
  }
  if (Object.keys(items).length > 0) {
    own.type = 'array';
    own.items = items as SchemaObject;
  }
  return own;
}

const enriched = new WeakSet<object>();
/** Classes the pipe checks: their bodies refuse unknown fields (`forbidNonWhitelisted`). */
export const validatedClasses = new Map<string, object>();

/**
 * Adds to each validated DTO's OpenAPI property metadata what its class-validator checks say
 * (integers, formats, patterns, bounds, enums, nullability, whether it may be left out), so the
 * document is generated from the same rules the service enforces. Explicit `@ApiProperty`
 * options that the checks do not speak to are kept.
 */
export function documentValidators(): void {
  const storage = getMetadataStorage();
  const byTarget = new Map<DtoClass, Map<string, ValidationMetadata[]>>();
  const all = (storage as unknown as { validationMetadatas: Map<object, ValidationMetadata[]> }).validationMetadatas;
  for (const check of [...all.values()].flat()) {
    if (!check.propertyName || typeof check.target !== 'function') continue;
    const target = check.target as DtoClass;
    const properties = byTarget.get(target) ?? new Map<string, ValidationMetadata[]>();
    byTarget.set(target, properties);
    properties.set(check.propertyName, [...(properties.get(check.propertyName) ?? []), check]);
  }
  for (const [target, properties] of byTarget) {
    validatedClasses.set(target.name, target);
    if (enriched.has(target)) continue;
    enriched.add(target);
    for (const [name, checks] of properties) {
      const explicit = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target.prototype, name) as
        Schema | undefined;
      const derived = propertySchema(checks);
      // A hand-written oneOf or $ref says more than the checks can.
      if (explicit?.oneOf || explicit?.allOf) {
        delete derived.type;
        delete derived.items;
      }
      ApiProperty(derived as never)(target.prototype, name);
    }
  }
}
