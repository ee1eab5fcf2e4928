import fc from 'fast-check';
import { SchemaNode } from '../../src/common/schema-node';
import { hasType } from '../../src/templates/json-schema';

/**
 * Single code points that break naive renderers and splitters: markdown and HTML specials,
 * Handlebars braces, emoji (4 bytes, and pieces of ZWJ sequences), 3-byte Chinese, RTL text,
 * zero-width characters and line breaks that make paragraphs.
 */
export const NASTY_CHARACTERS = [
  ...'*_`~[]()#>!|-+.\\<>&"\'{}$%',
  '😀',
  '👍',
  '🏻',
  '👩',
  '👨',
  '❤',
  '\ufe0f',
  '🇨',
  '🇳',
  ...'早报群主今天降温记得加衣好物推荐晚安',
  ...'مرحبا',
  ...'שלום',
  '\u200f',
  '\u202e',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\n',
  '\n',
  '\t',
  ' ',
  ' ',
  'a',
  'Z',
  '0',
  '9',
];

export const nastyCharacter = fc.constantFrom(...NASTY_CHARACTERS);

/** A string of nasty code points; lengths count code points, as JSON Schema does. */
export function nastyString(minLength = 0, maxLength = 200): fc.Arbitrary<string> {
  // Half near the limit: lengths that only 'max' reaches are where splitting goes wrong.
  return fc.oneof(
    fc.string({ unit: nastyCharacter, minLength, maxLength }),
    fc.string({ unit: nastyCharacter, minLength, maxLength, size: 'max' }),
  );
}

/** Values that satisfy `schema` (the subset the kinds use), with nasty text in every string. */
export function valueFor(schema: SchemaNode): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (hasType(schema, 'object') || schema.properties) {
    const properties = schema.properties ?? {};
    const shape = Object.fromEntries(Object.entries(properties).map(([name, node]) => [name, valueFor(node)]));
    return fc.record(shape, { requiredKeys: schema.required ?? [] });
  }
  if (hasType(schema, 'array')) {
    return fc.array(valueFor(schema.items ?? { type: 'string' }), {
      minLength: (schema.minItems as number | undefined) ?? 0,
      maxLength: (schema.maxItems as number | undefined) ?? 5,
    });
  }
  if (hasType(schema, 'integer')) {
    return fc.integer({
      min: (schema.minimum as number | undefined) ?? -1e6,
      max: (schema.maximum as number | undefined) ?? 1e6,
    });
  }
  if (hasType(schema, 'number')) {
    const exclusive = schema.exclusiveMinimum as number | undefined;
    const min = exclusive ?? (schema.minimum as number | undefined) ?? -1e9;
    return fc.double({
      min,
      minExcluded: exclusive !== undefined,
      max: (schema.maximum as number | undefined) ?? 1e9,
      noNaN: true,
    });
  }
  if (hasType(schema, 'boolean')) return fc.boolean();
  switch (schema.format) {
    case 'uri':
      return fc.webUrl({ withQueryParameters: true, withFragments: true });
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString());
  }
  const [min, max] = [(schema.minLength as number | undefined) ?? 0, (schema.maxLength as number | undefined) ?? 200];
  if (typeof schema.pattern === 'string') {
    // Nasty text around what the pattern asks for, kept only where the whole still matches it.
    const pattern = new RegExp(schema.pattern, 'u');
    return fc
      .tuple(nastyString(0, max), fc.stringMatching(pattern, { size: 'small' }), nastyString(0, max))
      .map(([before, match, after]) => `${before}${match}${after}`.slice(0, max))
      .filter((s) => s.length >= min && pattern.test(s));
  }
  return nastyString(min, max);
}
