import { SchemaNode } from '../common/schema-node';
import { propertySchema } from './json-schema';

export interface PictureField {
  /** Where the picture is named, e.g. `fields.images[1]` or `media[0]`. */
  field: string;
  url: string;
}

/**
 * The pictures of a piece where a reader meets them: the URL fields its kind marks as images
 * (`contentMediaType: image/*`), then its media.
 */
export function pictureFields(schema: SchemaNode, fields: unknown, media: readonly string[] = []): PictureField[] {
  const found: PictureField[] = [];
  const walk = (node: SchemaNode | undefined, value: unknown, field: string): void => {
    if (!node || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (node.contentMediaType?.startsWith('image/')) found.push({ field, url: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(node.items, item, `${field}[${i}]`));
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(propertySchema(node, key), inner, `${field}.${key}`);
    }
  };
  walk(schema, fields, 'fields');
  media.forEach((url, i) => found.push({ field: `media[${i}]`, url }));
  return found;
}

/** The distinct picture URLs of a piece, in order. */
export function picturesOf(schema: SchemaNode, fields: unknown, media: readonly string[] = []): string[] {
  return [...new Set(pictureFields(schema, fields, media).map((p) => p.url))];
}

/**
 * Where a card made of the piece leads: its own link, else the first top-level URL field its kind
 * does not mark as a picture (a product pick's `url`). Null when it has none.
 */
export function cardLink(schema: SchemaNode, fields: unknown, link?: string | null): string | null {
  if (link) return link;
  if (!fields || typeof fields !== 'object') return null;
  for (const [key, value] of Object.entries(fields)) {
    const node = propertySchema(schema, key);
    if (typeof value === 'string' && node?.format === 'uri' && !node.contentMediaType?.startsWith('image/')) return value;
  }
  return null;
}
