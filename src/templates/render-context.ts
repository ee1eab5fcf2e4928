import { Format } from './formats';
import { SchemaNode } from '../common/schema-node';
import { hasType, propertySchema } from './json-schema';

export interface RenderGroup {
  name: string;
  timezone: string;
  vars: Record<string, string>;
}

export interface RenderablePiece {
  kind: string;
  title: string;
  fields: Record<string, unknown>;
  link?: string | null;
  media?: string[] | null;
  tags?: string[] | null;
}

export interface RenderPost {
  dueAt: Date;
  stage?: string | null;
}

const STRING: SchemaNode = { type: 'string' };
const STRINGS: SchemaNode = { type: 'array', items: STRING };
const URL_STRING: SchemaNode = { type: 'string', format: 'uri' };
/** Machine-readable strings that helpers parse: escaping them would change their meaning. */
const RAW_FORMATS = new Set(['raw', 'date', 'date-time', 'time']);
/** Values we produce ourselves (ISO times, zone names): never escaped. */
const RAW_STRING: SchemaNode = { type: 'string', format: 'raw' };

/** What a template may refer to besides the kind's own fields. */
export function contextSchema(fields: SchemaNode): SchemaNode {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: STRING,
      title: STRING,
      link: URL_STRING,
      media: { type: 'array', items: URL_STRING },
      tags: STRINGS,
      fields,
      group: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: STRING,
          timezone: RAW_STRING,
          vars: { type: 'object', additionalProperties: STRING },
        },
      },
      post: {
        type: 'object',
        additionalProperties: false,
        properties: { dueAt: RAW_STRING, stage: RAW_STRING },
      },
    },
  };
}

// CommonMark inline specials, plus the characters that start a block at the beginning of a line.
const MARKDOWN_INLINE = /[\\`*_[\]<>|~]/g;
const MARKDOWN_LINE_START = /^(\s*)([#>+-]|\d+[.)])/gm;

export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_INLINE, '\\$&').replace(MARKDOWN_LINE_START, (_, space: string, mark: string) =>
    `${space}${mark.replace(/([#>+\-.)])/, '\\$1')}`,
  );
}

/** Keeps a URL intact inside markdown link syntax `[text](url)`. */
export function escapeMarkdownUrl(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Shapes a value for rendering: declared but absent properties become null (so strict mode only
 * catches names the kind does not declare), and strings are escaped for the target format.
 */
function prepare(value: unknown, schema: SchemaNode | undefined, format: Format): unknown {
  if (typeof value === 'string') {
    if (format !== 'markdown' || RAW_FORMATS.has(schema?.format ?? '')) return value;
    return schema?.format === 'uri' ? escapeMarkdownUrl(value) : escapeMarkdown(value);
  }
  if (Array.isArray(value)) {
    const items = schema?.items;
    return value.map((item) => prepare(item, items, format));
  }
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    if (schema && (hasType(schema, 'object') || schema.properties)) {
      for (const name of Object.keys(schema.properties ?? {})) result[name] = null;
    }
    for (const [key, inner] of Object.entries(value)) {
      result[key] = prepare(inner, schema ? propertySchema(schema, key) : undefined, format);
    }
    return result;
  }
  return value;
}

export function buildRenderContext(
  piece: RenderablePiece,
  fieldsSchema: SchemaNode,
  group: RenderGroup,
  post: RenderPost,
  format: Format,
): Record<string, unknown> {
  const raw = {
    kind: piece.kind,
    title: piece.title,
    link: piece.link ?? null,
    media: piece.media ?? [],
    tags: piece.tags ?? [],
    fields: piece.fields,
    group: { name: group.name, timezone: group.timezone, vars: group.vars },
    post: { dueAt: post.dueAt.toISOString(), stage: post.stage ?? null },
  };
  return prepare(raw, contextSchema(fieldsSchema), format) as Record<string, unknown>;
}
