/** The part of JSON Schema that template checking, escaping and channel configs look at. */
export interface SchemaNode {
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  examples?: unknown[];
  'x-groupcast'?: { promotional?: boolean };
  /** `image/*` on a URL field: a picture, sent as one where the provider can. */
  contentMediaType?: string;
  /** Validation keywords (pattern, enum, minimum…) that only Ajv reads. */
  [keyword: string]: unknown;
}
