import fc, { Arbitrary } from 'fast-check';

/** An OpenAPI 3.0 schema, as much of it as the service's document uses. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  oneOf?: Schema[];
  allOf?: Schema[];
}

export type Components = Record<string, Schema>;

/** A schema with its reference (or single allOf) followed, and the sibling keywords kept. */
export function resolve(schema: Schema, components: Components): Schema {
  if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!], components);
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolve(allOf[0], components), ...rest };
  }
  return schema;
}

const DAY_MS = 86_400_000;

function stringFor(schema: Schema): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, 40);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date-time':
      // Near now: the service bounds how far ahead or behind an instant may be.
      return fc
        .integer({ min: 0, max: 30 * DAY_MS })
        .map((offset) => new Date(Date.now() + 60_000 + offset).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    case 'date':
      return fc
        .integer({ min: 0, max: 300 })
        .map((days) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10));
    case 'uri':
      return fc.webUrl({ validSchemes: ['https'] }).filter((url) => url.length <= (schema.maxLength ?? 2048));
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    return fc
      .stringMatching(pattern, { size: 'small' })
      .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity) && pattern.test(s));
  }
  return fc.string({ minLength: Math.min(min, max), maxLength: max, unit: 'grapheme' });
}

/** Values some properties always take (ids of things that exist), by property name. */
export type Fixed = Record<string, unknown>;

/** Values the schema calls valid. */
export function valid(schema: Schema, components: Components, fixed: Fixed = {}): Arbitrary<unknown> {
  const s = resolve(schema, components);
  const value = ((): Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum.filter((v) => v !== null));
    if (s.oneOf) return fc.oneof(...s.oneOf.map((choice) => valid(choice, components, fixed)));
    switch (s.type) {
      case 'string':
        return stringFor(s);
      case 'integer':
        return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 });
      case 'number':
        return fc
          .integer({ min: Math.ceil((s.minimum ?? 0) * 100), max: Math.floor(Math.min(s.maximum ?? 1e6, 1e6) * 100) })
          .map((cents) => cents / 100);
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const items = valid(s.items ?? {}, components, fixed);
        const constraints = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) };
        return s.uniqueItems
          ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) })
          : fc.array(items, constraints);
      }
      case 'object':
      default:
        if (!s.properties) return fc.constant({});
        return objectOf(s, components, fixed);
    }
  })();
  return s.nullable ? fc.oneof(value, fc.constant(null)) : value;
}

function objectOf(schema: Schema, components: Components, fixed: Fixed): Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const record: Record<string, Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {}))
    record[name] = name in fixed ? fc.constant(fixed[name]) : valid(property, components, fixed);
  return fc.record(record, { requiredKeys: [...required].filter((name) => name in record) });
}

/** A value the schema refuses, and why: a wrong type, a bound passed, a pattern or an enum missed. */
export function invalid(
  schema: Schema,
  components: Components,
  { inQuery = false } = {},
): Arbitrary<unknown> | undefined {
  const s = resolve(schema, components);
  if (s.oneOf) return undefined;
  const choices: Arbitrary<unknown>[] = [];
  // In a query everything is text: a number is a string there.
  if (s.type !== 'string') choices.push(fc.constant(`not-a-${s.type ?? 'value'}`));
  else if (!inQuery) choices.push(fc.constant(12345));
  if (s.enum) choices.push(fc.constant('zz-not-one-of-them'));
  if (s.type === 'integer') {
    choices.push(fc.constant(1.5));
    if (s.maximum !== undefined) choices.push(fc.constant(s.maximum + 1));
    if (s.minimum !== undefined) choices.push(fc.constant(s.minimum - 1));
  }
  if (s.type === 'string' && s.maxLength !== undefined && !s.enum)
    choices.push(fc.constant('x'.repeat(s.maxLength + 1)));
  if (s.type === 'string' && s.format === 'uuid') choices.push(fc.constant('not-a-uuid'));
  if (s.type === 'array' && s.maxItems !== undefined && s.items && s.maxItems < 100) {
    const length = { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 };
    // Text items that differ however the service folds them (tags are one however cased or spaced);
    // other items may repeat (steps 0 to 49 cannot make 51 different ones).
    choices.push(
      resolve(s.items, components).type === 'string'
        ? fc.uniqueArray(valid(s.items, components), {
            ...length,
            selector: (item) => JSON.stringify(item).toLowerCase().normalize('NFKC').replace(/\s+/g, ''),
          })
        : fc.array(valid(s.items, components), length),
    );
  }
  if (!s.nullable && !inQuery) choices.push(fc.constant(null));
  return choices.length > 0 ? fc.oneof(...choices) : undefined;
}
