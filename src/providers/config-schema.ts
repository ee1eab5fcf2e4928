import { SchemaNode } from '../common/schema-node';

const COMMON: Record<string, SchemaNode> = {
  baseUrl: { type: 'string', format: 'uri', maxLength: 2048 },
  format: { enum: ['text', 'markdown'] },
  keywords: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 30 } },
  mentionAll: { type: 'boolean' },
  region: { enum: ['feishu', 'lark'] },
  rateLimit: {
    type: 'object',
    additionalProperties: false,
    properties: { perSecond: { type: 'integer', minimum: 1 }, perMinute: { type: 'integer', minimum: 1 } },
  },
  timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
  retryAmbiguous: { type: 'boolean' },
  trackLinks: { type: 'boolean' },
  breakerFailures: { type: 'integer', minimum: 0, maximum: 100 },
  maxMessages: { type: 'integer', minimum: 1, maximum: 20 },
};

/** A channel type's config schema: the shared keys every type takes plus the ones named. */
export function configSchema(...keys: (keyof typeof COMMON)[]): SchemaNode {
  const names = ['rateLimit', 'timeoutMs', 'retryAmbiguous', 'trackLinks', 'breakerFailures', 'maxMessages', ...keys];
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(names.map((name) => [name, COMMON[name]])),
  };
}

export function addressSchema(properties: Record<string, SchemaNode>, required: string[]): SchemaNode {
  return { type: 'object', additionalProperties: false, required, properties };
}

export const pattern = (regex: string, maxLength = 256): SchemaNode => ({ type: 'string', pattern: regex, maxLength });
export const httpUrl: SchemaNode = { type: 'string', format: 'uri', maxLength: 2048 };
